import type { MonthInt } from '../../core/calendar.js';
import type { DataSet } from '../../core/data/dataset.js';
import type { UnitRisk } from '../../core/risk/grouper.js';
import { unitRiskOfMonth } from '../../core/risk/month-risk.js';
import { loadComorbidityCatalog } from '../files/comorbidity-files.js';

// Per imported batch (the cached data set) and month: the grouping runs once, then the unit page
// and follow-up read counts from it.
const byData = new WeakMap<DataSet, Map<MonthInt, UnitRisk | null>>();

/** The listed population's morbidity per unit in a month (Charlson 1987, 24 months), or undefined without diagnoses. */
export function morbidityOfMonth(data: DataSet, month: MonthInt): UnitRisk | undefined {
  let months = byData.get(data);
  if (!months) byData.set(data, (months = new Map()));
  let r = months.get(month);
  if (r === undefined) {
    r = unitRiskOfMonth(data, month, loadComorbidityCatalog()) ?? null;
    months.set(month, r);
  }
  return r ?? undefined;
}
