import type { DateInt } from '../calendar.js';
import type { ListingTable, VisitTable } from '../data/dataset.js';
import { bandOf, type ScoreBand } from './bands.js';
import { applyHierarchy, codeMask, scoreOf, type ComorbidityMap } from './comorbidity-map.js';

/**
 * The open comorbidity grouper. A person's categories are the union of what the diagnoses of their
 * visits (at any unit) flag in the window, with the map's hierarchy applied; the score is the sum of
 * the categories' weights. Columnar: each distinct diagnoses cell is matched once, then one pass over
 * the visits ORs a bitmask per person, so a national month (35 M visits) takes well under a second.
 */

/** Per distinct cell (codes separated by |): the categories its codes flag. */
function cellMasks(map: ComorbidityMap, cells: readonly string[]): Uint32Array {
  const byCode = new Map<string, number>();
  const out = new Uint32Array(cells.length);
  cells.forEach((cell, i) => {
    let mask = 0;
    for (const code of cell.split('|')) {
      let m = byCode.get(code);
      if (m === undefined) byCode.set(code, (m = codeMask(map, code)));
      mask |= m;
    }
    out[i] = mask;
  });
  return out;
}

/**
 * Per person (index as the data set's persons): the categories flagged in the window, after the
 * hierarchy. Visits of persons not in listings.csv (person -1) are skipped.
 */
export function personCategories(
  map: ComorbidityMap,
  visits: Pick<VisitTable, 'count' | 'person' | 'date' | 'diagnoses'>,
  personCount: number,
  /** See windowBefore: the whole months before the payment month. */
  window: { from: DateInt; to: DateInt },
): Uint32Array {
  const flags = new Uint32Array(personCount);
  const dx = visits.diagnoses;
  if (!dx) return flags;
  const masks = cellMasks(map, dx.cells);
  const { person, date } = visits;
  const cell = dx.cell;
  const { from, to } = window;
  const n = visits.count;
  // The hot loop over every visit: the visits' cells and persons are in range by construction.
  for (let i = 0; i < n; i++) {
    const c = cell[i]!;
    if (c < 0) continue;
    const p = person[i]!;
    if (p < 0) continue;
    const d = date[i]!;
    if (d < from || d >= to) continue;
    flags[p]! |= masks[c]!;
  }
  if (map.hierarchy.length > 0)
    for (let p = 0; p < personCount; p++) {
      const f = flags[p]!;
      if (f !== 0) flags[p] = applyHierarchy(map, f);
    }
  return flags;
}

/** Per person: the score of their categories with one of the map's weight sets. */
export function personScores(flags: Uint32Array, weights: Float64Array): Float64Array {
  const score = new Float64Array(flags.length);
  // Few distinct combinations of categories: each is summed once.
  const seen = new Map<number, number>();
  for (let p = 0; p < flags.length; p++) {
    const f = flags[p]!;
    if (f === 0) continue;
    let s = seen.get(f);
    if (s === undefined) seen.set(f, (s = scoreOf(f, weights)));
    score[p] = s;
  }
  return score;
}

/** Per unit: persons listed on the cut-off day, the sum of their scores and persons per band. */
export interface UnitRisk {
  listed: Int32Array;
  scoreSum: Float64Array;
  /** units × bands, unit-major; a score outside every band is not counted in any. */
  bandCounts: Int32Array;
  bands: readonly ScoreBand[];
}

export function unitRisk(
  listings: Pick<ListingTable, 'person' | 'unit'>,
  listedRows: Int32Array,
  unitCount: number,
  score: Float64Array,
  bands: readonly ScoreBand[],
): UnitRisk {
  const listed = new Int32Array(unitCount);
  const scoreSum = new Float64Array(unitCount);
  const nb = bands.length;
  const bandCounts = new Int32Array(unitCount * nb);
  const bandOfScore = new Map<number, number>();
  for (let i = 0; i < listedRows.length; i++) {
    // Listed rows, their units and persons are in range by construction.
    const row = listedRows[i]!;
    const u = listings.unit[row]!;
    const s = score[listings.person[row]!]!;
    listed[u]!++;
    scoreSum[u]! += s;
    let b = bandOfScore.get(s);
    if (b === undefined) bandOfScore.set(s, (b = bandOf(bands, s)));
    if (b >= 0) bandCounts[u * nb + b]!++;
  }
  return { listed, scoreSum, bandCounts, bands };
}
