import { formatDate, formatMonth, parseDate, type DateInt, type MonthInt } from '../calendar.js';
import { ownershipOf, type OWNERSHIP_CODES, type DataSet } from '../data/dataset.js';
import { elementAt } from '../element.js';
import type { UnitContract, UnpaidUnit } from '../contracts/pay.js';
import { computedDefinitions } from '../followup/indicators.js';
import type { ComorbidityCatalog } from '../risk/comorbidity-map.js';
import type { Component, ComponentOf, Rulebook } from '../rulebook/schema.js';
import type { ComponentContext, ComponentResult, LinesSoFar } from './component-result.js';
import { evaluateAreaSupplement } from './components/area-supplement.js';
import { evaluateCapitation } from './components/capitation.js';
import { evaluateCoverage } from './components/coverage.js';
import { evaluateGoal } from './components/goal.js';
import { evaluatePenalty } from './components/penalty.js';
import { evaluateStartGrant } from './components/start-grant.js';
import { evaluateUnitSupplement } from './components/unit-supplement.js';
import { evaluateVat } from './components/vat.js';
import { evaluateVisitFee } from './components/visit-fee.js';
import { evaluateVisitsElsewhereCharge } from './components/visits-elsewhere.js';
import {
  buildMonthContext,
  type MonthContext,
  type RulebookRunIssue,
  type RunIssue,
} from './month-context.js';
import type { Derivation } from './derivation.js';
import { applyNationalCompensation } from './national.js';
import { ENGINE_VERSION } from './version.js';

/** The run's identity: what a statement was computed from, so anyone can redo it. */
export interface RunIdentity {
  month: string;
  /** Set only in simulations that apply a rulebook's values of another day. */
  parameters_on?: string;
  rulebook: { id: string; sha256: string };
  /** Differentiated choice systems: every system's rulebook and the area it covers. */
  systems?: { id: string; sha256: string; scope: string }[];
  inputs: { file: string; sha256: string }[];
  engine_version: string;
}

export interface StatementLine {
  component: string;
  type: Component['type'];
  label: string;
  quantity: number;
  amount_ore: number;
  /** One sentence in Swedish, rendered from the derivation. */
  explanation: string;
  /** The rule's section of the förfrågningsunderlag (the component's `source` in the rulebook). */
  source?: string;
  /** The steps from counts and parameters to the amount (lines of older runs may lack it). */
  derivation?: Derivation;
  /** NSS with state co-financing: the region's and the state's part of the amount. */
  payers?: { region_ore: number; state_ore: number };
}

export interface UnitStatement {
  unit_id: string;
  name: string;
  provider_id: string;
  ownership: (typeof OWNERSHIP_CODES)[number];
  /** Differentiated choice systems: the rulebook of the unit's system. */
  rulebook?: string;
  lines: StatementLine[];
  total_ore: number;
  /** When the run pays by contracts: the contract in force and the members' split. */
  contract?: UnitContract;
}

export interface Statements {
  format: 'vardval-statements/1';
  identity: RunIdentity;
  units: UnitStatement[];
  total_ore: number;
  /** When the run pays by contracts: active units no contract in force pays, with the reason. */
  unpaid_units?: UnpaidUnit[];
  /** NSS: what the region and the state pay of the run's total. */
  payer_totals?: { region_ore: number; state_ore: number };
}

export interface RunInput {
  rulebook: Rulebook;
  rulebookSha256: string;
  /** Components in evaluation order (from validateRulebook). */
  order: Component[];
  data: DataSet;
  month: MonthInt;
  /**
   * For simulation: apply the rulebook to this month's data with the parameter values in force on
   * this day instead of the cut-off day, and without the validity check (e.g. next year's model on
   * this year's data).
   */
  parametersOn?: DateInt;
  /** The comorbidity maps, when the rulebook weights capitation by comorbidity. */
  comorbidity?: ComorbidityCatalog;
  /**
   * For simulation: called right after each component is evaluated, before the components that
   * read its lines (coverage, start grant, VAT), so a change made here reaches them too.
   */
  adjust?: ComponentAdjust;
  /** For simulation: what one run keeps for the next (see RunMemo). */
  memo?: RunMemo;
}

/**
 * For simulation: a budget-neutral search runs the same rulebook on the same data and month several
 * times with only the scaling changed. Given the same memo each time, the month's context is built
 * once and every component that reads no other component's lines is evaluated once; the next run
 * starts from a copy of its result, so the statements are the same as without the memo. One memo
 * belongs to one (rulebook, data, month, parametersOn).
 */
export interface RunMemo {
  month?: MonthContext;
  results: Map<Component, ComponentResult>;
}

/** Component types that read no other component's lines: their result depends on the data alone. */
const READS_NO_LINES: ReadonlySet<Component['type']> = new Set([
  'capitation',
  'area_supplement',
  'visit_fee',
  'visits_elsewhere_charge',
  'goal',
  'unit_supplement',
  'penalty',
]);

const copyResult = (r: ComponentResult): ComponentResult => ({
  ...r,
  has: r.has.slice(),
  quantity: r.quantity.slice(),
  amountOre: r.amountOre.slice(),
});

/** Changes a component's result in place (budget-neutral scaling). */
export type ComponentAdjust = (rulebook: Rulebook, component: Component, result: ComponentResult) => void;

export type RunResult =
  { ok: true; statements: Statements; detail: RunDetail } | { ok: false; issues: RunIssue[] };

/** What `explain` reads: every component's result for every unit, and the month's context. */
export interface RunDetail {
  month: MonthContext;
  results: Map<string, ComponentResult>;
  order: Component[];
}

/** Each component type's evaluator (one file per type in components/). */
const EVALUATORS: {
  [T in Component['type']]: (
    component: ComponentOf<T>,
    ctx: ComponentContext,
    all: Component[],
  ) => ComponentResult;
} = {
  capitation: evaluateCapitation,
  area_supplement: evaluateAreaSupplement,
  visit_fee: evaluateVisitFee,
  coverage: evaluateCoverage,
  visits_elsewhere_charge: evaluateVisitsElsewhereCharge,
  goal: evaluateGoal,
  unit_supplement: evaluateUnitSupplement,
  start_grant: evaluateStartGrant,
  penalty: evaluatePenalty,
  vat_compensation: evaluateVat,
};

function evaluate<T extends Component['type']>(
  component: ComponentOf<T>,
  ctx: ComponentContext,
  all: Component[],
): ComponentResult {
  const evaluator: (component: ComponentOf<T>, ctx: ComponentContext, all: Component[]) => ComponentResult =
    EVALUATORS[component.type];
  return evaluator(component, ctx, all);
}

/**
 * The monthly payment run: a pure function of (rulebook, data, month) → statements, exactly as
 * spec/payment-model.md defines it. No IO; same inputs give the same bytes when serialised.
 */
export function runMonth(input: RunInput): RunResult {
  const { rulebook, data, month } = input;
  const cutoff = month * 100 + 1;
  const from = parseDate(rulebook.valid_from)!;
  const to = parseDate(rulebook.valid_to)!;
  const paramDate = input.parametersOn;
  if (paramDate === undefined && (cutoff < Math.floor(from / 100) * 100 + 1 || cutoff > to)) {
    return {
      ok: false,
      issues: [
        {
          kind: 'rulebook',
          path: ['valid_from'],
          code: 'rulebook.outside_validity',
          message: `Regelboken gäller ${rulebook.valid_from}–${rulebook.valid_to}; månaden ${formatMonth(month)} ligger utanför`,
        },
      ],
    };
  }
  const memo = input.memo;
  const ctxMonth =
    memo?.month ?? buildMonthContext(data, month, rulebook.listing.branches_may_list, paramDate);
  if (memo) memo.month = ctxMonth;
  const rulebookIssues: RulebookRunIssue[] = [];
  const lines: LinesSoFar = new Map();
  const indexOf = new Map(rulebook.compensation.components.map((c, i) => [c.id, i]));
  const computed = computedDefinitions(rulebook.follow_up.indicators);
  const labels = new Map(rulebook.compensation.components.map((c) => [c.id, c.label]));
  const indicatorLabels = new Map(rulebook.follow_up.indicators.map((i) => [i.id, i.label]));
  const labelOf = (id: string): string => labels.get(id) ?? id;
  const indicatorLabelOf = (id: string): string => indicatorLabels.get(id) ?? id;
  for (const component of input.order) {
    const ctx: ComponentContext = {
      month: ctxMonth,
      componentIndex: indexOf.get(component.id)!,
      lines,
      issues: rulebookIssues,
      computed,
      comorbidity: input.comorbidity,
      labelOf,
      indicatorLabelOf,
    };
    const kept = memo?.results.get(component);
    const result = kept ? copyResult(kept) : evaluate(component, ctx, rulebook.compensation.components);
    if (memo && !kept && READS_NO_LINES.has(component.type)) memo.results.set(component, copyResult(result));
    input.adjust?.(rulebook, component, result);
    lines.set(component.id, result);
  }
  const issues: RunIssue[] = [...rulebookIssues, ...ctxMonth.issues];
  if (issues.length > 0) return { ok: false, issues };

  const { units } = data;
  const unitOrder = [...Array(units.count).keys()]
    .filter((u) => ctxMonth.active[u])
    .sort((a, b) => compare(elementAt(units.id, a, 'unit id'), elementAt(units.id, b, 'unit id')));
  let runTotal = 0;
  const statements: UnitStatement[] = unitOrder.map((u) => {
    const unitLines: StatementLine[] = [];
    let total = 0;
    // Lines in the rulebook's order, which is how a region reads its own model.
    for (const component of rulebook.compensation.components) {
      const r = lines.get(component.id)!;
      if (!r.has[u]) continue;
      const amount = r.amountOre[u]!;
      const quantity = r.quantity[u]!;
      if (amount === 0 && quantity === 0) continue;
      // Built here, per line that exists: nothing of it is computed for the units × components
      // that have no line, and the arrays of the month's counts stay the only per-unit work.
      const derivation = r.derivation(u);
      unitLines.push({
        component: component.id,
        type: component.type,
        label: component.label,
        quantity: normalizeZero(quantity),
        amount_ore: normalizeZero(amount),
        explanation: r.explain(u),
        source: component.source,
        derivation,
      });
      total += amount;
    }
    runTotal += total;
    return {
      unit_id: elementAt(units.id, u, 'unit id'),
      name: elementAt(units.name, u, 'unit name'),
      provider_id: elementAt(units.providerId, u, 'provider id'),
      ownership: ownershipOf(units, u),
      lines: unitLines,
      total_ore: normalizeZero(total),
    };
  });
  const result: Statements = {
    format: 'vardval-statements/1',
    identity: {
      month: formatMonth(month),
      ...(paramDate === undefined ? {} : { parameters_on: formatDate(paramDate) }),
      rulebook: { id: rulebook.id, sha256: input.rulebookSha256 },
      inputs: data.files.map((f) => ({ file: f.name, sha256: f.sha256 })),
      engine_version: ENGINE_VERSION,
    },
    units: statements,
    total_ore: normalizeZero(runTotal),
  };
  return {
    ok: true,
    statements: rulebook.national_compensation
      ? applyNationalCompensation(result, rulebook.national_compensation, data, month)
      : result,
    detail: { month: ctxMonth, results: lines, order: input.order },
  };
}

/** -0 would print as 0 in JSON but compare oddly; keep one zero. */
function normalizeZero(v: number): number {
  return v === 0 ? 0 : v;
}

/** Code-point order: the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The full derivation of one unit's line (or all its lines). */
export function explainUnit(
  detail: RunDetail,
  data: DataSet,
  unitId: string,
  componentId?: string,
): { component: string; rows: string[] }[] | undefined {
  const u = data.units.id.indexOf(unitId);
  if (u < 0 || !detail.month.active[u]) return undefined;
  return detail.order
    .filter((c) => componentId === undefined || c.id === componentId)
    .map((c) => {
      const r = detail.results.get(c.id)!;
      return {
        component: c.id,
        rows: r.has[u] ? [r.explain(u), ...r.derive(u)] : ['Ingen rad denna månad för enheten'],
      };
    });
}
