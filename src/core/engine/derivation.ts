import { formatDate, type DateInt } from '../calendar.js';
import { formatKronor, formatNumber } from '../money.js';
import { valueInForce } from '../rulebook/dated.js';
import type { DatedNumber } from '../rulebook/schema.js';

/**
 * A statement line's derivation: the steps from the month's counts and the rulebook's parameters to
 * the line's amount, each named by what it is ("läkare, fysiskt besök"), never by its place in the
 * rulebook file. The Swedish sentence on the statement (`explanation`) is rendered from this, in
 * one place (renderDerivation), so the two cannot disagree.
 */
export interface DerivationStep {
  /** What the step counts or applies, in Swedish. */
  label: string;
  /** How many (persons, visits, events) or a sum the step multiplies (a weight sum, an amount in kr). */
  quantity?: number;
  /** The rate or weight applied to the quantity. */
  rate?: number;
  /** What the rate is, in Swedish: `kr`, `kr per år ÷ 12`, `vikt`, `andel`, `%`. */
  rate_unit?: string;
  /** The day the parameter's value took effect (ÅÅÅÅ-MM-DD), for a dated value in the rulebook. */
  valid_from?: string;
  /** A result that is not money (a share, a factor, a weight sum), with its unit in `result_unit`. */
  result?: number;
  result_unit?: string;
  /** The step's amount in öre. */
  amount_ore?: number;
}

export interface Derivation {
  /** The rule in one sentence, in the provider's words. */
  rule: string;
  steps: DerivationStep[];
  /** The line's amount in öre (what the steps come to). */
  amount_ore: number;
}

/** A dated parameter in force on a day: its value and the day it took effect. */
export function rateOf(value: DatedNumber, on: DateInt): { rate: number; valid_from?: string } {
  const found = valueInForce(value, on);
  if (!found) return { rate: NaN };
  return found.since === undefined
    ? { rate: found.value }
    : { rate: found.value, valid_from: formatDate(found.since) };
}

/** Rounds what is shown (weights, shares) to six decimals; amounts are already whole öre. */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Whole numbers grouped by three with a space, as formatNumber writes them, without Intl's cost. */
function groupDigits(n: number): string {
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ' ';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** formatNumber's text; whole numbers (most quantities) take the short way. */
function numberText(v: number): string {
  return Number.isSafeInteger(v) ? groupDigits(v) : formatNumber(v);
}

/** formatKronor's text for whole öre. */
function kronorText(ore: number): string {
  if (!Number.isSafeInteger(ore)) return formatKronor(ore);
  const abs = Math.abs(ore);
  const text = `${groupDigits(Math.floor(abs / 100))},${String(abs % 100).padStart(2, '0')} kr`;
  return ore < 0 ? `-${text}` : text;
}

function rateText(step: DerivationStep): string {
  if (step.rate === undefined) return '';
  if (step.rate_unit === '%') return `${numberText(round6(step.rate * 100))} %`;
  return `${numberText(round6(step.rate))}${step.rate_unit ? ` ${step.rate_unit}` : ''}`;
}

function resultText(step: DerivationStep): string {
  if (step.result === undefined) return '';
  if (step.result_unit === '%')
    return Number.isNaN(step.result) ? 'saknas' : `${numberText(Math.round(step.result * 10000) / 100)} %`;
  return `${numberText(round6(step.result))}${step.result_unit ? ` ${step.result_unit}` : ''}`;
}

/** One step as a phrase: `läkare, fysiskt besök: 33 × 350 kr = 11 550,00 kr`. */
export function renderStep(step: DerivationStep): string {
  const factors = [
    step.quantity === undefined ? '' : numberText(round6(step.quantity)),
    rateText(step),
  ].filter(Boolean);
  const since = step.valid_from ? ` (gäller från ${step.valid_from})` : '';
  const outcome = [
    step.result === undefined ? '' : resultText(step),
    step.amount_ore === undefined ? '' : kronorText(step.amount_ore),
  ].filter(Boolean);
  const lhs = factors.join(' × ') + since;
  if (!lhs) return outcome.length ? `${step.label}: ${outcome.join(', ')}` : step.label;
  return `${step.label}: ${lhs}${outcome.length && factors.length > 1 ? ` = ${outcome.join(', ')}` : outcome.length ? `, ${outcome.join(', ')}` : ''}`;
}

/** The statement's sentence for a line: its steps, then the amount. */
export function renderDerivation(d: Derivation): string {
  const steps = d.steps.map(renderStep).join('; ');
  return `${steps || d.rule} → ${kronorText(d.amount_ore)}`;
}
