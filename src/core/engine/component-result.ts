import type { MonthContext, RulebookRunIssue } from './month-context.js';
import { valueInForce } from '../rulebook/dated.js';
import type { DatedNumber, IndicatorCompute } from '../rulebook/schema.js';
import { formatDate } from '../calendar.js';
import { formatNumber } from '../money.js';
import type { ComorbidityCatalog } from '../risk/comorbidity-map.js';
import { renderDerivation, type Derivation, type DerivationStep } from './derivation.js';

/** A component's outcome for every unit at once; text is built only for the lines that exist. */
export interface ComponentResult {
  /** Per unit: 1 when the unit has a line for this component this month. */
  has: Uint8Array;
  quantity: Float64Array;
  amountOre: Float64Array;
  /** The line's steps, named by what they are, with rates and their validity dates (built per line). */
  derivation(unit: number): Derivation;
  /** One sentence in Swedish naming the parameters and quantities behind the line (from the derivation). */
  explain(unit: number): string;
  /** The full derivation, one fact per row (for `vardval explain`). */
  derive(unit: number): string[];
}

/** Lines already computed this run, by component id (what coverage, start grant and VAT read). */
export type LinesSoFar = Map<string, ComponentResult>;

export interface ComponentContext {
  month: MonthContext;
  componentIndex: number;
  lines: LinesSoFar;
  issues: RulebookRunIssue[];
  /** Indicators the rulebook's follow-up computes from the data (a goal pays these values). */
  computed?: Map<string, IndicatorCompute>;
  /** The comorbidity maps (data/comorbidity) a capitation weight of kind comorbidity reads. */
  comorbidity?: ComorbidityCatalog;
  /** A component's label by id (what a line that reads another line names it by). */
  labelOf?: (id: string) => string;
  /** A follow-up indicator's label by id (what a goal line names its indicators by). */
  indicatorLabelOf?: (id: string) => string;
}

/**
 * A result's derivation and the sentence rendered from it, from a function building the derivation.
 * The statement asks for both of one line in a row: the last line's derivation is kept for that.
 */
function explained(build: (unit: number) => Derivation): Pick<ComponentResult, 'derivation' | 'explain'> {
  let lastUnit = -1;
  let last: Derivation | undefined;
  const derivation = (u: number): Derivation => {
    if (u !== lastUnit || last === undefined) {
      last = build(u);
      lastUnit = u;
    }
    return last;
  };
  return { derivation, explain: (u) => renderDerivation(derivation(u)) };
}
/** A dated parameter in force on the cut-off day, or NaN after reporting that none is. */
export function param(ctx: ComponentContext, value: DatedNumber, ...path: (string | number)[]): number {
  const found = valueInForce(value, ctx.month.paramDate);
  if (!found) {
    ctx.issues.push({
      kind: 'rulebook',
      path: ['compensation', 'components', ctx.componentIndex, ...path],
      code: 'rulebook.no_value_in_force',
      message: `Inget värde gäller ${formatDate(ctx.month.paramDate)}`,
    });
    return NaN;
  }
  return found.value;
}

/** `2 460 kr (från 2025-07-01)` for a dated parameter, `2 460 kr` for a plain one. */
export function describeParam(value: DatedNumber, on: number, unit = 'kr'): string {
  const found = valueInForce(value, on);
  if (!found) return '–';
  const since = found.since === undefined ? '' : ` (gäller från ${formatDate(found.since)})`;
  return `${formatNumber(found.value)}${unit ? ` ${unit}` : ''}${since}`;
}

/** Per unit: whether it has a line, the line's quantity and its amount in öre. */
export type UnitLines = Pick<ComponentResult, 'has' | 'quantity' | 'amountOre'>;

export function emptyResult(units: number): UnitLines {
  return {
    has: new Uint8Array(units),
    quantity: new Float64Array(units),
    amountOre: new Float64Array(units),
  };
}

/**
 * A line at every active unit (that `applies`, when given): its quantity, and its amount in öre
 * from the quantity.
 */
export function perActiveUnit(
  month: MonthContext,
  quantity: Float64Array,
  amountOf: (quantity: number) => number,
  applies?: (unit: number) => boolean,
): UnitLines {
  const r = emptyResult(month.data.units.count);
  for (let u = 0; u < r.has.length; u++) {
    if (!month.active[u] || (applies && !applies(u))) continue;
    const q = quantity[u]!;
    r.has[u] = 1;
    r.quantity[u] = q;
    r.amountOre[u] = amountOf(q);
  }
  return r;
}

/**
 * A component's result from its per-unit arrays: how a unit's line came about (the rule and the
 * steps; the derivation's amount is the unit's amount) and the full derivation for `vardval explain`.
 * The amount is read when a line is explained, so a later change to it (start grant) shows.
 */
export function componentResult(
  r: UnitLines,
  line: (unit: number, amountOre: number) => Omit<Derivation, 'amount_ore'>,
  derive: (unit: number, amountOre: number) => string[],
): ComponentResult {
  const amountOf = (u: number): number => {
    const amount = r.amountOre[u];
    if (amount === undefined) throw new RangeError(`No unit ${u} in a component's result`);
    return amount;
  };
  return {
    ...r,
    ...explained((u) => {
      const amount = amountOf(u);
      return { ...line(u, amount), amount_ore: amount };
    }),
    derive: (u) => derive(u, amountOf(u)),
  };
}

/** A dated parameter in force, as rateOf gives it. */
export interface Rate {
  rate: number;
  valid_from?: string;
}

/**
 * The step that applies a dated rate to a quantity: `label: quantity × rate unit (gäller från …) = amount`.
 * A deduction (`sign` -1) shows the rate negated.
 */
export function rateStep(
  label: string,
  quantity: number,
  rate: Rate,
  rateUnit: string,
  amountOre: number,
  sign: 1 | -1 = 1,
): DerivationStep {
  return {
    label,
    quantity,
    rate: sign * rate.rate,
    rate_unit: rateUnit,
    valid_from: rate.valid_from,
    amount_ore: amountOre,
  };
}
