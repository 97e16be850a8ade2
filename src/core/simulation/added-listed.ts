import { firstDay, OPEN_END, addMonths, type MonthInt } from '../calendar.js';
import { SEX_F, SEX_M, type DataSet } from '../data/dataset.js';

/**
 * "What would the month pay with N more listed persons?": the data set with `count` new persons
 * listed on one unit. Their ages are spread evenly over the profile's years (a 0–6 profile with 14
 * persons gives two of each age), their sex alternates F, M unless one is named, they live in the
 * area most of the unit's listed persons live in, and they have no risk group (a new patient has
 * none yet), no visits and no history: listed from a year before the month, so a coverage measure
 * counts them as listed persons who have not been seen.
 */
export interface AddedListed {
  count: number;
  /** Ages on the month's cut-off day, both inclusive. */
  ageFrom: number;
  ageTo: number;
  sex?: 'F' | 'M';
}

export const MAX_ADDED_LISTED = 100_000;

/** The area (index) most of a unit's listed persons live in, or -1 when it lists no one. */
export function usualArea(data: DataSet, unit: number): number {
  const counts = new Map<number, number>();
  const { listings } = data;
  for (let i = 0; i < listings.count; i++) {
    const area = listings.area[i]!;
    if (listings.unit[i] === unit) counts.set(area, (counts.get(area) ?? 0) + 1);
  }
  let best = -1;
  let bestN = 0;
  for (const [area, n] of counts)
    if (n > bestN || (n === bestN && area < best)) {
      best = area;
      bestN = n;
    }
  return best;
}

export function withAddedListed(data: DataSet, unit: number, month: MonthInt, added: AddedListed): DataSet {
  const { listings } = data;
  const n = added.count;
  const total = listings.count + n;
  const grow = <T extends Int32Array | Uint8Array>(
    a: T,
    make: (len: number) => T,
    fill: (k: number) => number,
  ): T => {
    const out = make(total);
    out.set(a.subarray(0, listings.count));
    for (let k = 0; k < n; k++) out[listings.count + k] = fill(k);
    return out;
  };
  const i32 = (len: number) => new Int32Array(len);
  const u8 = (len: number) => new Uint8Array(len);
  const cutoff = firstDay(month);
  const year = Math.floor(cutoff / 10_000);
  const span = Math.max(1, added.ageTo - added.ageFrom + 1);
  const area = Math.max(0, usualArea(data, unit));
  const from = firstDay(addMonths(month, -12));
  const sexOf = (k: number) =>
    added.sex === 'F' ? SEX_F : added.sex === 'M' ? SEX_M : k % 2 ? SEX_M : SEX_F;
  return {
    ...data,
    personCount: data.personCount + n,
    listings: {
      ...listings,
      count: total,
      person: grow(listings.person, i32, (k) => data.personCount + k),
      unit: grow(listings.unit, i32, () => unit),
      doctor: grow(listings.doctor, i32, () => -1),
      // Born on 1 January, so the age on the cut-off day (the first of a month) is the age asked.
      birth: grow(listings.birth, i32, (k) => (year - (added.ageFrom + (k % span))) * 10_000 + 101),
      sex: grow(listings.sex, u8, sexOf),
      area: grow(listings.area, i32, () => area),
      from: grow(listings.from, i32, () => from),
      to: grow(listings.to, i32, () => OPEN_END),
      riskGroup: grow(listings.riskGroup, i32, () => -1),
      line: grow(listings.line, i32, () => 0),
    },
  };
}
