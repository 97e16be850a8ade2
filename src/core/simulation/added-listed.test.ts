import { describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import { caseData } from '../test-support/cases.js';
import { ageOn, firstDay, parseMonth } from '../calendar.js';
import { buildMonthContext } from '../engine/month-context.js';
import { SEX_F, SEX_M } from '../data/dataset.js';
import { usualArea, withAddedListed } from './added-listed.js';

const data = caseData({
  listings: [
    'P1,U1,,1980-01-01,F,A2,2020-01-01,,',
    'P2,U1,,1981-01-01,M,A2,2020-01-01,,',
    'P3,U1,,1982-01-01,F,A1,2020-01-01,,',
    'P4,U2,,1950-01-01,M,A1,2020-01-01,,',
  ],
});
const month = parseMonth('2025-03')!;

describe('a provider’s added listed persons', () => {
  it('lists N new persons on the unit, ages spread over the profile, in the area most of its listed live in', () => {
    const u = data.units.id.indexOf('U1');
    const more = withAddedListed(data, u, month, { count: 6, ageFrom: 0, ageTo: 2 });
    expect(more.personCount).toBe(data.personCount + 6);
    expect(more.listings.count).toBe(data.listings.count + 6);
    const ctx = buildMonthContext(more, month, false);
    expect(ctx.listedCount[u]).toBe(3 + 6);
    expect(ctx.issues).toEqual([]);
    const added = [...Array(6).keys()].map((k) => data.listings.count + k);
    const cutoff = firstDay(month);
    expect(added.map((r) => ageOn(defined(more.listings.birth[r]), cutoff))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(added.map((r) => more.listings.sex[r])).toEqual([SEX_F, SEX_M, SEX_F, SEX_M, SEX_F, SEX_M]);
    expect(new Set(added.map((r) => more.areas.code[defined(more.listings.area[r])]))).toEqual(
      new Set(['A2']),
    );
    expect(usualArea(data, u)).toBe(data.areas.code.indexOf('A2'));
    // The data set it started from is untouched.
    expect(buildMonthContext(data, month, false).listedCount[u]).toBe(3);
  });

  it('gives one sex when asked', () => {
    const more = withAddedListed(data, 0, month, { count: 3, ageFrom: 70, ageTo: 70, sex: 'M' });
    const rows = [0, 1, 2].map((k) => data.listings.count + k);
    expect(rows.map((r) => more.listings.sex[r])).toEqual([SEX_M, SEX_M, SEX_M]);
    expect(rows.map((r) => ageOn(defined(more.listings.birth[r]), firstDay(month)))).toEqual([70, 70, 70]);
  });
});
