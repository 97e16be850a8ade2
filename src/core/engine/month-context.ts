import { addMonths, firstDay, lastDay, type DateInt, type MonthInt } from '../calendar.js';
import type { DataSet } from '../data/dataset.js';

/** A problem in the input data found while running a month (located by file and line). */
export interface DataIssue {
  kind: 'data';
  file: string;
  line: number;
  where: string;
  code: string;
  message: string;
}

/** A problem in the rulebook found while running a month (located by YAML path). */
export interface RulebookRunIssue {
  kind: 'rulebook';
  path: (string | number)[];
  code: string;
  message: string;
}

export type RunIssue = DataIssue | RulebookRunIssue;

/**
 * What every component needs to know about the month: who is listed where on the cut-off day,
 * which units are active. Built once per run from the columnar data.
 */
export interface MonthContext {
  month: MonthInt;
  cutoff: DateInt;
  /** The day whose dated parameter values apply: the cut-off day, unless a simulation says otherwise. */
  paramDate: DateInt;
  lastDay: DateInt;
  data: DataSet;
  active: Uint8Array;
  /** Per person: the listing row in force on the cut-off day, or -1. */
  personRow: Int32Array;
  /** Listing rows in force on the cut-off day. */
  listedRows: Int32Array;
  /** Per person: the unit listed at on the cut-off day, or -1 (personRow's unit, one lookup less). */
  personUnit: Int32Array;
  /** Per unit: listed persons on the cut-off day. */
  listedCount: Int32Array;
  issues: RunIssue[];
}

const MAX_ISSUES = 200;

export function buildMonthContext(
  data: DataSet,
  month: MonthInt,
  branchesMayList: boolean,
  paramDate?: DateInt,
): MonthContext {
  const cutoff = firstDay(month);
  const last = lastDay(month);
  const { units, listings } = data;
  const issues: RunIssue[] = [];
  const report = (issue: DataIssue): void => {
    if (issues.length < MAX_ISSUES) issues.push(issue);
  };
  const active = new Uint8Array(units.count);
  for (let u = 0; u < units.count; u++) {
    active[u] = units.start[u]! <= last && units.end[u]! >= cutoff ? 1 : 0;
  }
  const personRow = new Int32Array(data.personCount).fill(-1);
  const personUnit = new Int32Array(data.personCount).fill(-1);
  const listedCount = new Int32Array(units.count);
  const selected = new Int32Array(listings.count);
  let n = 0;
  const { from, to, person, unit } = listings;
  const branchOf = units.branchOf;
  const rows = listings.count;
  // The hot loop over every listing row: the rows' persons and units are in range by construction.
  for (let r = 0; r < rows; r++) {
    if (from[r]! > cutoff || to[r]! <= cutoff) continue;
    const p = person[r]!;
    const u = unit[r]!;
    const earlier = personRow[p]!;
    if (earlier !== -1) {
      report({
        kind: 'data',
        file: 'listings.csv',
        line: listings.line[r]!,
        where: 'listed_from',
        code: 'data.overlapping_listing',
        message: `Personen är listad två gånger på brytdagen (även rad ${listings.line[earlier]}); personnumret visas inte`,
      });
      continue;
    }
    if (!active[u]) {
      report({
        kind: 'data',
        file: 'listings.csv',
        line: listings.line[r]!,
        where: 'unit_id',
        code: 'data.inactive_unit',
        message: `Personen är listad vid ${units.id[u]}, som inte är aktiv i månaden`,
      });
      continue;
    }
    if (!branchesMayList && branchOf[u] !== -1) {
      report({
        kind: 'data',
        file: 'listings.csv',
        line: listings.line[r]!,
        where: 'unit_id',
        code: 'data.listed_at_branch',
        message: `Personen är listad vid filialen ${units.id[u]}; regelboken tillåter inte listning vid filial (listing.branches_may_list)`,
      });
      continue;
    }
    personRow[p] = r;
    personUnit[p] = u;
    listedCount[u]!++;
    selected[n++] = r;
  }
  return {
    month,
    cutoff,
    paramDate: paramDate ?? cutoff,
    lastDay: last,
    data,
    active,
    personRow,
    listedRows: selected.subarray(0, n),
    personUnit,
    listedCount,
    issues,
  };
}

/** First day of the window `months` months before `month` (inclusive) and the cut-off day (exclusive). */
export function windowBefore(month: MonthInt, months: number): { from: DateInt; to: DateInt } {
  return { from: firstDay(addMonths(month, -months)), to: firstDay(month) };
}
