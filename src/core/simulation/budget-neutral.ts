import { formatKronor, formatNumber, roundHalfAwayFromZero } from '../money.js';
import type { Component, Rulebook } from '../rulebook/schema.js';
import type { ComponentResult } from '../engine/component-result.js';
import { renderDerivation, type DerivationStep } from '../engine/derivation.js';
import { compare, type ComponentAdjust, type Statements } from '../engine/run.js';

/**
 * Budget-neutral shifts: a scenario that moves money between components is only comparable with
 * the model in force when it pays the same in total. The named components are scaled by one factor
 * so that the scenario's total equals the base's; components computed from their lines (coverage,
 * start grant guarantee, VAT compensation) are recomputed from the scaled lines because scaling
 * happens inside the run, right after each scaled component is evaluated.
 *
 * Rounding rule: every scaled line is rounded to whole öre (half away from zero), which leaves the
 * total some öre off. Those öre are placed by largest remainder: the lines whose exact scaled
 * amount was rounded furthest the other way get one öre each, so every line stays within one öre
 * of its exact scaled amount and the scenario's total equals the base's total to the öre. A unit's
 * total is always the sum of its lines. If a dependent component swallows an öre (a start grant
 * guarantee) another line takes it in the next round; what still differs after a few rounds is
 * reported as `residualOre` (zero in every case we know of).
 */

/** Components that are computed from other lines follow them; scaling them too would scale twice. */
function isDerived(c: Component): boolean {
  return (
    c.type === 'coverage' ||
    c.type === 'vat_compensation' ||
    (c.type === 'start_grant' && c.mode === 'guarantee')
  );
}

/** The default: every component except penalties, VAT and the components derived from others. */
export function defaultScaled(rulebooks: readonly Rulebook[]): string[] {
  const ids = new Set<string>();
  for (const rb of rulebooks)
    for (const c of rb.compensation.components) if (c.type !== 'penalty' && !isDerived(c)) ids.add(c.id);
  return [...ids];
}

/** Problems with the components asked for, in Swedish; empty when all can be scaled. */
export function scaledProblems(requested: readonly string[], rulebooks: readonly Rulebook[]): string[] {
  const byId = new Map<string, Component>();
  for (const rb of rulebooks) for (const c of rb.compensation.components) byId.set(c.id, c);
  const problems: string[] = [];
  for (const id of requested) {
    const c = byId.get(id);
    if (!c)
      problems.push(
        `Komponenten "${id}" finns inte i scenariots regelbok; välj bland ${[...byId.keys()].join(', ')}`,
      );
    else if (isDerived(c))
      problems.push(
        `Komponenten "${id}" räknas på andra rader och följer dem när de skalas; ange de rader den räknas på`,
      );
  }
  if (requested.length === 0) problems.push('Ange minst en komponent att skala');
  return problems;
}

/** Runs the scenario, with the adjustment when one is given. */
export type ScenarioRun = (adjust?: ComponentAdjust) => Statements;

export interface BudgetNeutralResult {
  statements: Statements;
  /** The scenario before scaling. */
  unscaled: Statements;
  factor: number;
  scaled: string[];
  /** The scenario's total before scaling. */
  unscaledOre: number;
  /** Scenario total minus target after the öre fix-up (0 unless a dependent swallowed öre). */
  residualOre: number;
}

export type BudgetNeutralOutcome = { ok: true; result: BudgetNeutralResult } | { ok: false; message: string };

interface Scaled {
  statements: Statements;
  /** `rulebook\0component\0unit index` → exact scaled amount minus the rounded one. */
  remainders: Map<string, number>;
}

const key = (rulebook: string, component: string, unit: number | string): string =>
  `${rulebook}\u0000${component}\u0000${unit}`;

function scaledRun(
  run: ScenarioRun,
  scaled: ReadonlySet<string>,
  factor: number,
  extra: ReadonlyMap<string, number>,
): Scaled {
  const remainders = new Map<string, number>();
  const adjust: ComponentAdjust = (rulebook: Rulebook, component: Component, r: ComponentResult) => {
    if (!scaled.has(component.id)) return;
    // A new array: the component's own explanation keeps reading the amount before scaling.
    const amounts = r.amountOre.slice();
    for (let u = 0; u < r.has.length; u++) {
      if (!r.has[u]) continue;
      const exact = amounts[u]! * factor;
      const k = key(rulebook.id, component.id, u);
      const rounded = roundHalfAwayFromZero(exact) + (extra.get(k) ?? 0);
      remainders.set(k, exact - rounded);
      amounts[u] = rounded;
    }
    const before = r.amountOre;
    r.amountOre = amounts;
    const derivation = r.derivation;
    const derive = r.derive;
    const text = `budgetneutral skalfaktor ${formatNumber(Math.round(factor * 1e6) / 1e6)}`;
    // The scaling is a step of the line's own derivation, so the sentence, the table and the amount
    // on the statement agree: the component's steps come to the amount before scaling, this step to
    // the amount paid.
    r.derivation = (u) => {
      const d = derivation(u);
      const scaledStep: DerivationStep = {
        label: 'budgetneutral skalning (belopp i kr × skalfaktor)',
        quantity: (before[u] ?? 0) / 100,
        rate: factor,
        rate_unit: 'skalfaktor',
        amount_ore: amounts[u] ?? 0,
      };
      return { ...d, steps: [...d.steps, scaledStep], amount_ore: amounts[u] ?? 0 };
    };
    r.explain = (u) => renderDerivation(r.derivation(u));
    r.derive = (u) => [...derive(u), `Skalas med ${text}: ${formatKronor(r.amountOre[u] ?? 0)}`];
  };
  return { statements: run(adjust), remainders };
}

const FACTOR_ROUNDS = 8;
const OERE_ROUNDS = 4;

/**
 * The scenario scaled so that it pays `targetOre` in total. `unitIds` are the data set's unit ids
 * by index (the engine's unit numbering).
 */
export function budgetNeutral(
  run: ScenarioRun,
  targetOre: number,
  scaledIds: readonly string[],
  unitIds: readonly string[],
): BudgetNeutralOutcome {
  const scaled = new Set(scaledIds);
  const none = new Map<string, number>();
  // The unscaled scenario, noting what the scaled components pay in it and what the lines
  // computed from other lines pay (they follow the scaled ones when they are computed from them).
  let scaledOre = 0;
  let derivedOre = 0;
  const unscaled = run((_rulebook, component, r) => {
    const isScaled = scaled.has(component.id);
    if (!isScaled && !isDerived(component)) return;
    let sum = 0;
    for (let u = 0; u < r.has.length; u++) if (r.has[u]) sum += r.amountOre[u]!;
    if (isScaled) scaledOre += sum;
    else derivedOre += sum;
  });
  const unscaledOre = unscaled.total_ore;
  if (scaledOre <= 0)
    return {
      ok: false,
      message: `Komponenterna som ska skalas (${scaledIds.join(', ')}) betalar ${formatKronor(scaledOre)} i scenariot; det går inte att nå totalen genom att skala dem`,
    };
  // The first guess as if the lines computed from others followed the scaled lines in full; where
  // they are computed from unscaled lines too (VAT on all), the secant steps below correct it.
  const following = scaledOre + derivedOre > 0 ? scaledOre + derivedOre : scaledOre;
  let factor = (targetOre - (unscaledOre - following)) / following;
  if (factor < 0) {
    const zero = scaledRun(run, scaled, 0, none).statements.total_ore;
    if (zero > targetOre)
      return {
        ok: false,
        message: `Redan utan ${scaledIds.join(', ')} betalar scenariot ${formatKronor(zero)}, mer än nuvarande ${formatKronor(targetOre)}; skala fler komponenter`,
      };
    factor = unscaledOre === zero ? 0 : (targetOre - zero) / (unscaledOre - zero);
  }
  // Secant steps: the total is linear in the factor except where a guarantee or rounding bends it.
  let prev = { factor: 1, total: unscaledOre };
  let current = scaledRun(run, scaled, factor, none);
  const lineCount = (s: Statements): number =>
    s.units.reduce((n, u) => n + u.lines.filter((l) => scaled.has(l.component)).length, 0);
  for (let i = 0; i < FACTOR_ROUNDS; i++) {
    const total = current.statements.total_ore;
    if (Math.abs(targetOre - total) * 2 <= lineCount(current.statements)) break;
    if (total === prev.total || factor === prev.factor) break;
    const next = factor + ((targetOre - total) * (factor - prev.factor)) / (total - prev.total);
    prev = { factor, total };
    factor = Math.max(0, next);
    current = scaledRun(run, scaled, factor, none);
  }
  // Largest remainder: one öre each to the lines rounded furthest from their exact amount.
  const extra = new Map<string, number>();
  const indexOf = new Map(unitIds.map((id, u) => [id, u]));
  for (let round = 0; round < OERE_ROUNDS; round++) {
    const d = targetOre - current.statements.total_ore;
    if (d === 0) break;
    const step = Math.sign(d);
    const rulebookId = current.statements.identity.rulebook.id;
    const candidates: { k: string; remainder: number }[] = [];
    for (const unit of current.statements.units) {
      const u = indexOf.get(unit.unit_id)!;
      for (const line of unit.lines) {
        if (!scaled.has(line.component) || line.amount_ore === 0) continue;
        const k = key(unit.rulebook ?? rulebookId, line.component, u);
        if (extra.has(k)) continue;
        const remainder = current.remainders.get(k);
        if (remainder !== undefined) candidates.push({ k, remainder });
      }
    }
    if (candidates.length === 0) break;
    candidates.sort((a, b) => step * (b.remainder - a.remainder) || compare(a.k, b.k));
    for (const c of candidates.slice(0, Math.abs(d))) extra.set(c.k, step);
    current = scaledRun(run, scaled, factor, extra);
  }
  return {
    ok: true,
    result: {
      statements: current.statements,
      unscaled,
      factor,
      scaled: [...scaledIds],
      unscaledOre,
      residualOre: current.statements.total_ore - targetOre,
    },
  };
}

export interface ComponentShare {
  component: string;
  label: string;
  ore: number;
  /** Share of the total, 0–1 (penalties give negative shares). */
  share: number;
}

/** Each component's share of the total: how the seeds speak of models ("andel kapitering"). */
export function componentShares(statements: Statements): ComponentShare[] {
  const m = new Map<string, ComponentShare>();
  for (const unit of statements.units)
    for (const line of unit.lines) {
      const acc = m.get(line.component) ?? { component: line.component, label: line.label, ore: 0, share: 0 };
      acc.ore += line.amount_ore;
      m.set(line.component, acc);
    }
  const total = statements.total_ore;
  return [...m.values()].map((s) => ({ ...s, share: total === 0 ? 0 : s.ore / total }));
}
