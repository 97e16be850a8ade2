import type { MonthInt } from '../calendar.js';
import type { DataSet } from '../data/dataset.js';
import { buildMonthContext, windowBefore, type MonthContext } from '../engine/month-context.js';
import { STANDARD_BANDS, type ScoreBand } from './bands.js';
import { DEFAULT_MAP, type ComorbidityCatalog, type ComorbidityMap } from './comorbidity-map.js';
import { personCategories, personScores, unitRisk, type UnitRisk } from './grouper.js';

/** What a grouping is asked for: a map, one of its weight sets and the window in whole months. */
export interface RiskSettings {
  map: string;
  weights: string;
  windowMonths: number;
}

export const DEFAULT_WINDOW_MONTHS = 24;

/** The map and weights the settings name, or a sentence in Swedish saying which name is unknown. */
export function resolveRisk(
  catalog: ComorbidityCatalog | undefined,
  s: RiskSettings,
): { map: ComorbidityMap; weights: Float64Array } | { error: string } {
  const map = catalog?.get(s.map);
  if (!map)
    return {
      error: `Samsjuklighetskartan ${s.map} finns inte; finns: ${[...(catalog?.keys() ?? [])].join(', ') || 'inga'}`,
    };
  const weights = map.weightSets.get(s.weights);
  if (!weights)
    return {
      error: `Viktuppsättningen ${s.weights} finns inte i ${s.map}; finns: ${[...map.weightSets.keys()].join(', ')}`,
    };
  return { map, weights };
}

/** Per person: the categories after the hierarchy and the score. */
export interface PersonRisk {
  categories: Uint32Array;
  score: Float64Array;
}

// One grouping per month context and settings: a rulebook may weight by it in several places, and
// simulation runs two rulebooks on the same data.
const byMonth = new WeakMap<MonthContext, Map<string, PersonRisk>>();

/** The month's grouping: visits dated in the window before the month, persons as the data set has them. */
export function monthPersonRisk(
  month: MonthContext,
  map: ComorbidityMap,
  weights: Float64Array,
  s: RiskSettings,
): PersonRisk {
  let cached = byMonth.get(month);
  if (!cached) byMonth.set(month, (cached = new Map()));
  const key = `${s.map}|${s.weights}|${s.windowMonths}`;
  let risk = cached.get(key);
  if (!risk) {
    const data = month.data;
    const categories = personCategories(
      map,
      data.visits,
      data.personCount,
      windowBefore(month.month, s.windowMonths),
    );
    risk = { categories, score: personScores(categories, weights) };
    cached.set(key, risk);
  }
  return risk;
}

/** Per unit, the persons listed on the cut-off day: how many, their score sum and persons per band. */
export function monthUnitRisk(month: MonthContext, risk: PersonRisk, bands: readonly ScoreBand[]): UnitRisk {
  return unitRisk(month.data.listings, month.listedRows, month.data.units.count, risk.score, bands);
}

/** What reports use when no rulebook says otherwise: Charlson 1987 weights over 24 months. */
export const DEFAULT_RISK: RiskSettings = {
  map: DEFAULT_MAP,
  weights: 'charlson_1987',
  windowMonths: DEFAULT_WINDOW_MONTHS,
};

/**
 * Per unit, the persons listed on the month's cut-off day (wherever the rulebook allows listing):
 * listed, score sum and persons per band; undefined when the visits have no diagnoses.
 */
export function unitRiskOfMonth(
  data: DataSet,
  month: MonthInt,
  catalog: ComorbidityCatalog,
  settings: RiskSettings = DEFAULT_RISK,
  bands: readonly ScoreBand[] = STANDARD_BANDS,
): UnitRisk | undefined {
  if (!data.visits.diagnoses) return undefined;
  const resolved = resolveRisk(catalog, settings);
  if ('error' in resolved) throw new Error(resolved.error);
  const ctx = buildMonthContext(data, month, true);
  return monthUnitRisk(ctx, monthPersonRisk(ctx, resolved.map, resolved.weights, settings), bands);
}
