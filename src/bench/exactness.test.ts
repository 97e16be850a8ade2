import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMonth } from '../core/calendar.js';
import { loadDataFolder } from '../adapters/files/data-folder/index.js';
import { filesNeeded, runLoaded } from '../adapters/files/payment-run.js';
import { parseRulebookText } from '../adapters/files/rulebook-file.js';
import { syntheticRegion } from '../test-support/synthetic-region.js';
import { writeCaseFolder } from '../test-support/cases.js';
import { locatedErrors } from '../test-support/located-errors.js';
import { BENCH_MONTH, BENCH_RULEBOOK_YAML } from './bench-rulebook.js';
import { readCache, writeCache } from './columnar-cache.js';
import { runDuckDb } from './duckdb-month.js';
import { defined } from '../core/test-support/defined.js';

/**
 * The loader's fast paths (ids read as numbers, byte-level lookups) must decide exactly as a map of
 * the trimmed texts would; the bench's SQL must agree with the engine. No timing here.
 */

const visit = (id: string, person = 'P1'): string => `${id},${person},U1,2025-03-01,lakare,fysiskt,,,`;

describe('exact checks from bytes', () => {
  it('finds every repeated visit id, in and out of order and whatever its shape, and names its line', () => {
    const dir = writeCaseFolder({
      visits: [
        visit('V0001'),
        visit('V0002'),
        visit('V0004'),
        visit('V0003'), // out of order, new
        visit('V0002'), // repeated, out of order (line 6)
        visit('V001'), // another shape: new
        visit('V1'), // new
        visit(' V0004 '), // the same text once trimmed (line 9)
        visit('"V0001"'), // quoted: the same text (line 10)
        visit('X-1'),
        visit('X-1'), // line 12
        visit('V0005'),
      ],
    });
    expect(locatedErrors(() => loadDataFolder(dir, { require: ['visits.csv'] }))).toEqual([
      'visits.csv:6:1: visit_id: Besöket V0002 finns redan [data.duplicate_key]',
      'visits.csv:9:1: visit_id: Besöket V0004 finns redan [data.duplicate_key]',
      'visits.csv:10:1: visit_id: Besöket V0001 finns redan [data.duplicate_key]',
      'visits.csv:12:1: visit_id: Besöket X-1 finns redan [data.duplicate_key]',
    ]);
  });

  it('treats a person id the way its trimmed text reads: one person per text, identity numbers by value', () => {
    const listing = (person: string, unit = 'U1'): string =>
      `${person},${unit},,1980-01-01,F,A1,2020-01-01,2021-01-01,`;
    const dir = writeCaseFolder({
      listings: [
        listing('P00000001'),
        listing(' P00000001'),
        listing('"P00000001"'),
        listing('P1'),
        listing('P01'),
        listing('189001019802'),
        listing('18900101-9802'),
        listing('Q-7'),
        listing('Q-7 '),
      ],
      visits: [visit('V1', 'P00000001'), visit('V2', 'P01'), visit('V3', '18900101-9802'), visit('V4', 'P9')],
    });
    const data = loadDataFolder(dir, { require: ['visits.csv'] });
    expect(Array.from(data.listings.person)).toEqual([0, 0, 0, 1, 2, 3, 3, 4, 4]);
    expect(data.personCount).toBe(5);
    expect(Array.from(data.visits.person)).toEqual([0, 2, 3, -1]);
  });

  it('reads the columnar cache back as the data set that was written', () => {
    const dir = writeCaseFolder({
      listings: [
        '189001019802,U1,L1,1890-01-01,F,A1,2020-01-01,2026-01-01,RUB1',
        'P2,U2,,2000-02-29,,A2,2021-01-01,,',
      ],
      visits: [visit('V1', 'P2')],
    });
    const data = loadDataFolder(dir, { require: ['visits.csv'] });
    const file = join(mkdtempSync(join(tmpdir(), 'vardval-cache-')), 'data.bin');
    writeCache(file, data);
    expect(readCache(file)).toEqual(data);
  });
});

describe('the bench', () => {
  it('gives the same amounts in SQL (DuckDB) as the engine, to the öre', async () => {
    const dir = await syntheticRegion('bench', {
      population: 3000,
      seed: 7,
      from: '2024-02',
      to: BENCH_MONTH,
    });
    const rb = parseRulebookText(BENCH_RULEBOOK_YAML, 'bench.yaml');
    const month = parseMonth(BENCH_MONTH)!;
    const { statements } = runLoaded(rb, loadDataFolder(dir, { require: filesNeeded(rb.rulebook) }), month);
    const duck = await runDuckDb(dir, rb.rulebook, month);
    expect(Object.keys(duck.amounts).sort()).toEqual(statements.units.map((u) => u.unit_id).sort());
    for (const u of statements.units) {
      const line = (id: string): number => u.lines.find((l) => l.component === id)?.amount_ore ?? 0;
      const [cap, fee, cov] = defined(duck.amounts[u.unit_id], `DuckDB's amounts for ${u.unit_id}`);
      expect(Math.abs(cap - line('kapitering'))).toBeLessThanOrEqual(1);
      expect(Math.abs(fee - line('besok'))).toBeLessThanOrEqual(1);
      expect(Math.abs(cov - line('tackning'))).toBeLessThanOrEqual(1);
    }
    // Not a comparison of zeros: every line kind has amounts.
    for (const id of ['kapitering', 'besok', 'tackning'])
      expect(
        statements.units.some((u) => u.lines.some((l) => l.component === id && l.amount_ore !== 0)),
      ).toBe(true);
  });
});
