import { describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import { loadComorbidityCatalog } from '../../adapters/files/comorbidity-files.js';
import { parseDate, parseMonth, type DateInt } from '../calendar.js';
import { windowBefore } from '../engine/month-context.js';
import { parseBand, STANDARD_BANDS } from './bands.js';
import {
  categoryNames,
  codeMask,
  compileComorbidityMap,
  DEFAULT_MAP,
  type ComorbidityTables,
} from './comorbidity-map.js';
import { personCategories, personScores, unitRisk } from './grouper.js';

const charlson = loadComorbidityCatalog().get(DEFAULT_MAP)!;
const weights1987 = charlson.weightSets.get('charlson_1987')!;
const weightsQuan = charlson.weightSets.get('quan_2011')!;

/** Visits as rows: [person (or -1 for someone not listed), date, diagnoses cell]. */
function visits(rows: [number, string, string][]) {
  const cells: string[] = [];
  const cell = rows.map(([, , dx]) => {
    if (dx === '') return -1;
    const i = cells.indexOf(dx);
    return i >= 0 ? i : cells.push(dx) - 1;
  });
  return {
    count: rows.length,
    person: Int32Array.from(rows, (r) => r[0]),
    date: Int32Array.from(rows, (r) => parseDate(r[1])!),
    diagnoses: { cell: Int32Array.from(cell), cells },
  };
}

const march = parseMonth('2025-03')!;
const window24 = windowBefore(march, 24);

/** Each person's category flags from these visits under the shipped Charlson map. */
function flagsOf(rows: [number, string, string][], persons = 1, window = window24) {
  return personCategories(charlson, visits(rows), persons, window);
}

function categoriesOf(rows: [number, string, string][], persons = 1, window = window24): string[][] {
  return [...flagsOf(rows, persons, window)].map((f) => categoryNames(charlson, f));
}

describe('the Charlson map shipped in data/comorbidity', () => {
  // One code per category, as a GP would write it: the category and both weights from the source.
  it.each([
    ['I21.9', 'ami', 1, 0],
    ['I50.0', 'chf', 1, 2],
    ['I70.2', 'pvd', 1, 0],
    ['I63.9', 'cevd', 1, 0],
    ['F03.9', 'dementia', 1, 2],
    ['J44.9', 'copd', 1, 1],
    ['M05.9', 'rheumd', 1, 1],
    ['K25.9', 'pud', 1, 0],
    ['K70.3', 'mld', 1, 2],
    ['E11.0', 'diab', 1, 0],
    ['E11.2', 'diabwc', 2, 1],
    ['G81.9', 'hp', 2, 2],
    ['N18.5', 'rend', 2, 1],
    ['C50.9', 'canc', 2, 2],
    ['I85.0', 'msld', 3, 4],
    ['C78.0', 'metacanc', 6, 6],
    ['B20.9', 'aids', 6, 4],
  ])('%s flags %s (Charlson 1987: %i, Quan 2011: %i)', (code, category, w1987, wQuan) => {
    const [flags] = categoriesOf([[0, '2024-06-10', code]]);
    expect(flags).toEqual([category]);
    const mask = flagsOf([[0, '2024-06-10', code]]);
    expect(personScores(mask, weights1987)[0]).toBe(w1987);
    expect(personScores(mask, weightsQuan)[0]).toBe(wQuan);
  });

  it('has the 17 categories and the two weight sets', () => {
    expect(charlson.categories).toHaveLength(17);
    expect([...charlson.weightSets.keys()]).toEqual(['charlson_1987', 'quan_2011']);
  });

  it('reads codes with and without the dot, in either case, and with a trailing space', () => {
    for (const code of ['I21.9', 'I219', 'i21.9', ' I21.9 ', 'I21'])
      expect(categoryNames(charlson, codeMask(charlson, code))).toEqual(['ami']);
  });

  it('matches prefixes, not substrings: E11.9 and Z21 flag nothing, K70.3 flags mild liver disease', () => {
    expect(codeMask(charlson, 'E11.9')).toBe(0);
    expect(codeMask(charlson, 'Z21')).toBe(0);
    expect(codeMask(charlson, 'XI21')).toBe(0);
    expect(categoryNames(charlson, codeMask(charlson, 'K703'))).toEqual(['mld']);
  });

  it('F02.4 (dementia in HIV) flags both dementia and HIV/aids, as the source lists it', () => {
    expect(categoryNames(charlson, codeMask(charlson, 'F02.4'))).toEqual(['dementia', 'aids']);
  });
});

describe('a person over several visits', () => {
  it('is the union of the categories of all diagnoses, several codes per visit', () => {
    const [flags] = categoriesOf([
      [0, '2024-01-15', 'I50.0|J44.9'],
      [0, '2024-09-01', 'Z76.0'],
      [0, '2025-02-03', 'I21.9|I10'],
    ]);
    expect(flags).toEqual(['ami', 'chf', 'copd']);
  });

  it('counts a category once however often it is coded', () => {
    const f = flagsOf([
      [0, '2024-01-15', 'J44.9'],
      [0, '2024-02-15', 'J45.0'],
    ]);
    expect(personScores(f, weights1987)[0]).toBe(1);
  });

  it('scores 0 with no visits, with uncoded visits and with codes outside the map', () => {
    const flags = flagsOf(
      [
        [1, '2024-05-05', ''],
        [2, '2024-05-05', 'J06.9|Z00.0'],
      ],
      3,
    );
    expect([...personScores(flags, weights1987)]).toEqual([0, 0, 0]);
  });

  it('ignores visitors not in listings.csv (person -1)', () => {
    const flags = flagsOf([
      [-1, '2024-05-05', 'C78.0'],
      [0, '2024-05-05', 'J44.9'],
    ]);
    expect(categoryNames(charlson, defined(flags[0]))).toEqual(['copd']);
  });

  it('reads no diagnoses when visits.csv has no diagnoses column', () => {
    const v = visits([[0, '2024-05-05', 'C78.0']]);
    const flags = personCategories(charlson, { ...v, diagnoses: undefined }, 1, window24);
    expect(flags[0]).toBe(0);
  });
});

describe('the hierarchy', () => {
  it.each([
    ['K70.3|I85.0', ['msld'], 3],
    ['E11.0|E11.2', ['diabwc'], 2],
    ['C50.9|C78.0', ['metacanc'], 6],
  ])('%s counts only the more severe category', (cell, expected, score) => {
    const f = flagsOf([[0, '2024-06-01', cell]]);
    expect(categoryNames(charlson, defined(f[0]))).toEqual(expected);
    expect(personScores(f, weights1987)[0]).toBe(score);
  });

  it('applies across visits at different units and dates, and leaves the milder alone otherwise', () => {
    const f = flagsOf(
      [
        [0, '2023-04-01', 'C50.9'],
        [0, '2025-01-20', 'C79.5'],
        [1, '2024-04-01', 'C50.9|E11.0'],
      ],
      2,
    );
    expect(categoryNames(charlson, defined(f[0]))).toEqual(['metacanc']);
    expect(categoryNames(charlson, defined(f[1]))).toEqual(['diab', 'canc']);
    expect([...personScores(f, weights1987)]).toEqual([6, 3]);
  });
});

describe('the window: the whole months before the payment month', () => {
  const at = (date: string, window = window24): string[] =>
    defined(categoriesOf([[0, date, 'J44.9']], 1, window)[0]);

  it('for March 2025 and 24 months runs from 2023-03-01 to the cut-off day 2025-03-01 (exclusive)', () => {
    expect(window24).toEqual({ from: 20230301, to: 20250301 });
  });

  it('counts a visit on the last day of the window (the day before the cut-off day)', () => {
    expect(at('2025-02-28')).toEqual(['copd']);
  });

  it('does not count a visit on the first day of the payment month', () => {
    expect(at('2025-03-01')).toEqual([]);
  });

  it('counts the first day of the window and not the day before it', () => {
    expect(at('2023-03-01')).toEqual(['copd']);
    expect(at('2023-02-28')).toEqual([]);
  });

  it('is shorter with window_months 12', () => {
    const w12 = windowBefore(march, 12);
    expect(at('2024-03-01', w12)).toEqual(['copd']);
    expect(at('2024-02-29', w12)).toEqual([]);
  });
});

describe('per unit', () => {
  it('counts listed persons per band and sums their scores', () => {
    const score = Float64Array.from([0, 1, 2, 3, 6, 0]);
    const listings = {
      person: Int32Array.from([0, 1, 2, 3, 4, 5]),
      unit: Int32Array.from([0, 0, 0, 1, 1, 1]),
    };
    // Row 5 is not listed on the cut-off day.
    const r = unitRisk(listings, Int32Array.from([0, 1, 2, 3, 4]), 2, score, STANDARD_BANDS);
    expect([...r.listed]).toEqual([3, 2]);
    expect([...r.scoreSum]).toEqual([3, 9]);
    expect(STANDARD_BANDS.map((b) => b.label)).toEqual(['0', '1', '2', '3–4', '5+']);
    expect([...r.bandCounts]).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('reads band keys 0, 3-4 and 5+, and refuses others', () => {
    expect(parseBand('3-4')).toMatchObject({ from: 3, to: 5, label: '3–4' });
    expect(parseBand('5+')).toMatchObject({ from: 5, to: Infinity });
    expect(parseBand('4-3')).toBeUndefined();
    expect(parseBand('hög')).toBeUndefined();
  });
});

describe('compiling a map', () => {
  const tables = (over: Partial<ComorbidityTables>): ComorbidityTables => ({
    id: 'test',
    label: 'Test',
    codes: [{ file: 'c.csv', line: 2, category: 'a', prefix: 'A1' }],
    categories: [{ file: 'w.csv', line: 2, category: 'a', label: 'A', weights: { w: 1 } }],
    weightSets: ['w'],
    hierarchy: [],
    ...over,
  });

  it('points at the line of a code whose category has no weight', () => {
    const r = compileComorbidityMap(
      tables({ codes: [{ file: 'c.csv', line: 7, category: 'b', prefix: 'B1' }] }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues).toEqual([expect.objectContaining({ file: 'c.csv', line: 7, where: 'category' })]);
  });

  it('points at a weight that is not a number', () => {
    const r = compileComorbidityMap(
      tables({ categories: [{ file: 'w.csv', line: 3, category: 'a', label: 'A', weights: { w: NaN } }] }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ file: 'w.csv', line: 3, where: 'w' });
  });

  it('a dated visit far outside every window is never counted', () => {
    const m = compileComorbidityMap(tables({}));
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const v = visits([[0, '2010-01-01', 'A1']]);
    const f = personCategories(m.map, v, 1, { from: 20240101 as DateInt, to: 20250101 as DateInt });
    expect(f[0]).toBe(0);
  });
});
