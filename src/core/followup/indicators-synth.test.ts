import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataFolder } from '../../adapters/files/data-folder/index.js';
import { useSyntheticRegion } from '../../test-support/synthetic-region.js';
import { parseDate } from '../calendar.js';
import type { DataSet } from '../data/dataset.js';
import type { IndicatorCompute } from '../rulebook/schema.js';
import { defined } from '../test-support/defined.js';
import { computeIndicator } from './indicators.js';

/**
 * The synthetic generator counts accessibility and continuity while it draws each visit, and writes
 * them to indicators.csv. This engine computes them from the written files afterwards. Two
 * independent counts of the same thing must agree on every unit and period.
 */

const region = useSyntheticRegion('followup', { population: 3000, seed: 11, from: '2024-01', to: '2024-12' });
let data: DataSet;
let rows: string[][];

beforeAll(() => {
  data = loadDataFolder(region.dir);
  rows = readFileSync(join(region.dir, 'indicators.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
});

const cases: [string, IndicatorCompute][] = [
  ['lakarbesok_3dagar', { kind: 'access_within_days', days: 3, professions: ['lakare'] }],
  ['kontinuitet_lakare', { kind: 'doctor_continuity' }],
];

describe('computed indicators agree with the generator’s own counts', () => {
  it.each(cases)('%s on every unit, month, quarter and year', (name, compute) => {
    const mine = rows.filter((r) => r[1] === name);
    expect(mine.length).toBeGreaterThan(50);
    const unitIndex = new Map(data.units.id.map((id, u) => [id, u]));
    const cache = new Map<string, ReturnType<typeof computeIndicator>>();
    let compared = 0;
    for (const [unit, , from, to, num, den] of mine) {
      const key = `${from}..${to}`;
      let values = cache.get(key);
      if (!values) {
        values = computeIndicator(compute, data, parseDate(defined(from))!, parseDate(defined(to))!);
        cache.set(key, values);
      }
      const u = unitIndex.get(defined(unit))!;
      expect(`${unit} ${key} ${values.numerator[u]}/${values.denominator[u]}`).toBe(
        `${unit} ${key} ${num}/${den}`,
      );
      compared++;
    }
    expect(compared).toBe(mine.length);
  });

  it('twelve months of continuity ending in December equal the year', () => {
    const year = computeIndicator({ kind: 'doctor_continuity' }, data, 20240101, 20241231);
    const window = computeIndicator(
      { kind: 'doctor_continuity', window_months: 12 },
      data,
      20241001,
      20241231,
    );
    expect([...window.numerator]).toEqual([...year.numerator]);
    expect([...window.denominator]).toEqual([...year.denominator]);
    expect(year.denominator.some((d) => d > 0)).toBe(true);
  });

  it('finds SIP invitations sent in time and late in the generated data', () => {
    const sip = computeIndicator(
      { kind: 'event_share', numerator_events: ['sip_i_tid'], denominator_events: ['sip_i_tid', 'sip_late'] },
      data,
      20240101,
      20241231,
    );
    const num = sip.numerator.reduce((a, b) => a + b, 0);
    const den = sip.denominator.reduce((a, b) => a + b, 0);
    expect(den).toBeGreaterThan(num);
    expect(num / den).toBeGreaterThan(0.7);
  });
});
