import type { DateInt, MonthInt } from '../core/calendar.js';
import type { DataSet } from '../core/data/dataset.js';
import type { ComponentAdjust, RunDetail, RunMemo, Statements } from '../core/engine/run.js';
import type { Rulebook } from '../core/rulebook/schema.js';
import { defaultScaled, type BudgetNeutralResult } from '../core/simulation/budget-neutral.js';
import { simulate, unitRuralClass, type Simulation } from '../core/simulation/simulate.js';
import { simulationView, type SimulationView } from '../core/simulation/view.js';
import { runBudgetNeutral } from '../adapters/files/budget-neutral-run.js';
import type { LoadedContracts } from '../adapters/files/contracts-files.js';
import {
  applyContracts,
  runLoaded,
  runSystemsWithContracts,
  scenarioParameterDate,
} from '../adapters/files/payment-run.js';
import type { LoadedRulebook } from '../adapters/files/rulebook-file.js';

/**
 * Simulating a month: the same data under the rulebooks in force (the base) and under a scenario,
 * optionally made budget-neutral, compared per unit and component. The one implementation that the
 * command line (`vardval simulate`) and the web (`POST /api/ui/simulations`, drafts) both call.
 *
 * Scoped rulebooks: with several base rulebooks (a differentiated region) each unit is paid by the
 * rulebook of its system. With `focus`, only the units of that system are compared: the base is
 * that system's statements and the scenario is cut to the same units, so a scenario for one system
 * is never compared against the whole region. Without `focus` the whole region is compared.
 */
export interface SimulationInput {
  data: DataSet;
  month: MonthInt;
  /** The rulebooks in force: one, or every system of a differentiated region. */
  base: readonly LoadedRulebook[];
  /** Compare only the units the base system with this rulebook id pays. */
  focus?: string;
  /** The rulebooks to try: one, or one per system. */
  scenario: readonly LoadedRulebook[];
  /** The scenario's data when it differs from the base's (a provider's added listed persons). */
  scenarioData?: DataSet;
  /** Contracts (file mode): only the units a contract pays are paid. */
  contracts?: LoadedContracts;
  /** Make the scenario cost as much as the base; `where` names the input in errors. */
  budgetNeutral?: { scale?: readonly string[]; where: string };
  /**
   * Keep the base's run for the next simulation against the same base on the same data (the web,
   * where an officer tries one change after another). Data sets are never changed in place.
   */
  reuseBase?: boolean;
}

export interface SimulationOutcome {
  base: Statements;
  /** The scenario as compared (budget-neutral when asked). */
  scenario: Statements;
  /** The scenario before scaling. */
  unscaled: Statements;
  neutral: BudgetNeutralResult | undefined;
  /** The day whose parameter values the scenario used, when it is valid for another period. */
  scenarioDate: DateInt | undefined;
  simulation: Simulation;
  /** Components the scenario can scale (the default of budget-neutral). */
  scalable: Set<string>;
}

interface Paid {
  statements: Statements;
  detail: RunDetail;
}

function runBooks(
  books: readonly LoadedRulebook[],
  input: SimulationInput,
  data: DataSet,
  focus: string | undefined,
  parametersOn?: (rb: Rulebook) => DateInt | undefined,
  adjust?: ComponentAdjust,
  memo?: RunMemo,
): Paid {
  const { month, contracts } = input;
  const [rb] = books;
  if (!rb) throw new Error('A simulation needs at least one rulebook');
  if (books.length > 1 || focus !== undefined) {
    const r = runSystemsWithContracts([...books], data, month, contracts, parametersOn, adjust);
    const own = (focus !== undefined && r.systems.find((s) => s.rulebook === focus)) || r.systems[0];
    if (!own) throw new Error('The rulebooks ran no system');
    return focus === undefined
      ? { statements: r.statements, detail: own.detail }
      : { statements: own.statements, detail: own.detail };
  }
  const r = runLoaded(rb, data, month, parametersOn?.(rb.rulebook), adjust, memo);
  return { ...r, statements: applyContracts(r.statements, data, month, contracts, rb.rulebook.system) };
}

/** The statements cut to the given units, with the total over them. */
function onlyUnits(st: Statements, units: ReadonlySet<string>): Statements {
  const kept = st.units.filter((u) => units.has(u.unit_id));
  return { ...st, units: kept, total_ore: kept.reduce((sum, u) => sum + u.total_ore, 0) };
}

/** Base runs kept per data set (see SimulationInput.reuseBase): a few bases each. */
const keptBases = new WeakMap<DataSet, Map<string, { base: Paid; baseMemo: RunMemo }>>();
const KEPT_BASES = 4;

function baseRun(input: SimulationInput): { base: Paid; baseMemo: RunMemo } {
  const compute = () => {
    const baseMemo: RunMemo = { results: new Map() };
    const base = runBooks(input.base, input, input.data, input.focus, undefined, undefined, baseMemo);
    return { base, baseMemo };
  };
  if (!input.reuseBase || input.contracts) return compute();
  const key = [input.month, input.focus ?? '', ...input.base.map((b) => b.sha256)].join('\n');
  let kept = keptBases.get(input.data);
  if (!kept) keptBases.set(input.data, (kept = new Map()));
  const hit = kept.get(key);
  if (hit) return hit;
  const made = compute();
  if (kept.size >= KEPT_BASES) kept.delete(kept.keys().next().value!);
  kept.set(key, made);
  return made;
}

export function simulateMonth(input: SimulationInput): SimulationOutcome {
  const { data, month } = input;
  const { base, baseMemo } = baseRun(input);
  const scenarioOn = (rb: Rulebook) => scenarioParameterDate(rb, month);
  const own = input.focus === undefined ? undefined : new Set(base.statements.units.map((u) => u.unit_id));
  // The budget-neutral search runs the scenario several times; what does not change is kept. The
  // month's context is the base's when it is built alike (same data, listing rule and day).
  const memo: RunMemo = { results: new Map() };
  const [b0, s0] = [input.base[0]?.rulebook, input.scenario[0]?.rulebook];
  if (
    input.scenarioData === undefined &&
    b0 &&
    s0 &&
    b0.listing.branches_may_list === s0.listing.branches_may_list &&
    scenarioOn(s0) === undefined
  )
    memo.month = baseMemo.month;
  const runScenario = (adjust?: ComponentAdjust): Statements => {
    const st = runBooks(
      input.scenario,
      input,
      input.scenarioData ?? data,
      undefined,
      scenarioOn,
      adjust,
      memo,
    ).statements;
    return own ? onlyUnits(st, own) : st;
  };
  const scenarioRulebooks = input.scenario.map((r) => r.rulebook);
  const neutral = input.budgetNeutral
    ? runBudgetNeutral({
        run: runScenario,
        base: base.statements,
        scenarioRulebooks,
        scale: input.budgetNeutral.scale,
        unitIds: data.units.id,
        where: input.budgetNeutral.where,
      })
    : undefined;
  // Budget-neutral runs the unscaled scenario itself, first.
  const unscaled = neutral?.unscaled ?? runScenario();
  const scenario = neutral?.statements ?? unscaled;
  const rural = unitRuralClass(base.detail.month);
  const indexOf = new Map(data.units.id.map((id, i) => [id, i]));
  const simulation = simulate(
    base.statements,
    scenario,
    (id) => rural[indexOf.get(id)!] ?? 'okänd',
    (id) => data.units.kommun[indexOf.get(id)!] ?? '',
  );
  return {
    base: base.statements,
    scenario,
    unscaled,
    neutral,
    scenarioDate: s0 && scenarioOn(s0),
    simulation,
    scalable: new Set(defaultScaled(scenarioRulebooks)),
  };
}

/** The outcome as a reader sees it (see simulationView). */
export function viewOf(outcome: SimulationOutcome, visible?: (unitId: string) => boolean): SimulationView {
  return simulationView(outcome.simulation, [outcome.scenario, outcome.base], outcome.scalable, visible);
}
