import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aggregateContradictions, aggregateRows, comparisonCells } from '../../core/compare/compare.js';
import { baselineConformance } from '../../core/compare/conformance.js';
import { SEED_FILES } from '../../core/compare/dataset.js';
import { loadComparisonData } from './comparison-data.js';
import { aggregatesCsv, factsCsv } from '../exports/comparison-files.js';
import { InputErrors } from './located-error.js';
import { loadRulebookFile } from './rulebook-file.js';

/** The shipped data set (data/regions) against the seeds it cites. */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DATA = join(ROOT, 'data', 'regions');
// The seeds sit beside the checkout (../shared/seeds) on the project's machines; VARDVAL_SEEDS overrides.
const SEEDS = process.env.VARDVAL_SEEDS ?? join(ROOT, '..', 'shared', 'seeds');
const seedsPresent = existsSync(join(SEEDS, SEED_FILES[0]));

const ds = loadComparisonData(DATA);

/** Parses our own CSV: BOM, CRLF, RFC 4180 quotes. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\ufeff')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  return rows;
}

describe('the comparison of the 21 regions', () => {
  it('has the 21 regions with their letter codes and criteria ids the rulebooks use', () => {
    expect(ds.regions.map((r) => r.code).join(' ')).toBe('AB C D E F G H I K M N O S T U W X Y Z AC BD');
    const baseline = loadRulebookFile(join(ROOT, 'rulebooks', 'nationell-baslinje', '2025.yaml')).rulebook;
    const ids = new Set(ds.criteria.map((c) => c.id));
    for (const r of baseline.requirements) for (const c of r.criteria) expect(ids, c).toContain(c);
  });

  it('reproduces every count the seeds state: equal when every region is known, never more yes or no than allowed', () => {
    const rows = aggregateRows(ds);
    expect(rows.length).toBeGreaterThanOrEqual(25);
    for (const row of rows) {
      const what = `${row.criterion} ${row.year}`;
      expect(row.known_yes, what).toBeLessThanOrEqual(row.reported_count);
      expect(ds.regions.length - row.known_no, what).toBeGreaterThanOrEqual(row.reported_count);
      if (row.unknown === 0) expect(row.known_yes, what).toBe(row.reported_count);
    }
    expect(aggregateContradictions(ds)).toEqual([]);
    // Counts the seeds give as shares of the 21 choice systems round back to the share.
    for (const row of rows.filter((r) => r.reported_percent !== undefined))
      expect(Math.abs((row.reported_count / row.base!) * 100 - row.reported_percent!)).toBeLessThan(0.5);
    // Where the seeds name every region, the comparison is complete.
    const complete = rows.filter((r) => r.unknown === 0).map((r) => `${r.criterion} ${r.year}`);
    expect(complete).toEqual(
      expect.arrayContaining([
        'accessibility_requirements 2024',
        'care_guarantee 2024',
        'sip 2024',
        'sip 2022',
        'sip_penalty 2024',
        'vfu_bt_places 2024',
        'differentiated_choice_systems 2024',
        'capitation_socioeconomic 2021',
      ]),
    );
  });

  it('gives every fact a source that names a seed file, a section and a quote', () => {
    expect(ds.facts.length).toBeGreaterThan(100);
    for (const f of ds.facts) {
      expect(SEED_FILES).toContain(f.source.seed);
      expect(f.source.section.length).toBeGreaterThan(0);
      expect(f.source.quote.length).toBeGreaterThan(0);
    }
  });

  it.skipIf(!seedsPresent)(`finds every cited seed file, section and quote in ${SEEDS}`, () => {
    const strip = (s: string) => s.replace(/\s+/g, '');
    const texts = new Map(SEED_FILES.map((f) => [f, strip(readFileSync(join(SEEDS, f), 'utf8'))]));
    const sources = [
      ds.regionsSource,
      ...ds.references.map((r) => r.source),
      ...ds.facts.map((f) => f.source),
      ...ds.aggregates.map((a) => a.source),
    ];
    const missing = sources.flatMap((s) => {
      const text = texts.get(s.seed)!;
      return [
        ...(text.includes(strip(s.section)) ? [] : [`${s.seed}: avsnitt ${s.section}`]),
        ...(text.includes(strip(s.quote)) ? [] : [`${s.seed}: citat ${s.quote}`]),
      ];
    });
    expect(missing).toEqual([]);
  });

  it('writes facts.csv with one row per region and criterion, and unknown wherever no fact is given', () => {
    const rows = parseCsv(factsCsv(ds));
    expect(rows[0]).toEqual(['region_code', 'criterion', 'year', 'value', 'note', 'source', 'quote']);
    const yearOf = new Map(ds.criteria.map((c) => [c.id, c.year === undefined ? '' : String(c.year)]));
    const compared = rows.slice(1).filter((r) => r[2] === yearOf.get(r[1] ?? ''));
    const earlier = rows.slice(1).filter((r) => r[2] !== yearOf.get(r[1] ?? ''));
    expect(compared).toHaveLength(ds.regions.length * ds.criteria.length);
    // The facts of other years (2022 beside 2024) are rows of their own, one per fact.
    expect(earlier).toHaveLength(
      ds.facts.filter((f) => f.year !== ds.criteria.find((c) => c.id === f.criterion)!.year).length,
    );
    const key = (f: { region_code: string; criterion: string; year: number | undefined }) =>
      `${f.region_code}|${f.criterion}|${f.year ?? ''}`;
    const given = new Map(ds.facts.map((f) => [key(f), f]));
    let unknown = 0;
    for (const [region, criterion, year, value, note, source, quote] of rows.slice(1)) {
      expect(value).toMatch(/^(yes|no|unknown|-?\d+(\.\d+)?)$/);
      const fact = given.get(`${region}|${criterion}|${year}`);
      if (!fact) {
        // Nothing in the seeds: never yes or no, and no source.
        expect(value).toBe('unknown');
        expect(source).toBe('');
        unknown++;
      } else {
        expect(value).toBe(String(fact.value));
        expect(source).toBe(`${fact.source.seed}, avsnitt ${fact.source.section}`);
        expect(quote).toBe(fact.source.quote);
        expect(note).toBe(fact.note ?? '');
      }
    }
    expect(unknown).toBeGreaterThan(0);
    // The seeds name only Halland's and Västra Götaland's budget shares.
    const share = compared.filter((r) => r[1] === 'primary_care_budget_share_percent' && r[3] !== 'unknown');
    expect(share.map((r) => [r[0], r[3]])).toEqual([
      ['N', '10'],
      ['O', '23'],
    ]);
  });

  it('writes aggregates.csv with the reported count beside the known yes', () => {
    const rows = parseCsv(aggregatesCsv(ds));
    expect(rows[0]).toEqual(['criterion', 'year', 'reported_count', 'known_yes', 'source']);
    const psychologist = rows.find((r) => r[0] === 'psychologist' && r[1] === '2024')!;
    expect(psychologist.slice(0, 4)).toEqual(['psychologist', '2024', '8', '0']);
    const dialogues = rows.find((r) => r[0] === 'health_dialogues' && r[1] === '2024')!;
    // Norrbotten's health dialogues are from its 2023 rulebook, so they do not count for 2024.
    expect(dialogues.slice(0, 4)).toEqual(['health_dialogues', '2024', '14', '3']);
    const facts = (criterion: string, region: string) =>
      ds.facts.filter((f) => f.criterion === criterion && f.region_code === region);
    expect(facts('health_dialogues', 'BD').map((f) => [f.year, f.value])).toEqual([[2023, 'yes']]);
    // The seed gives Uppsala as an example of vague wording, not as a region without the requirement.
    expect(facts('digital_contact', 'C').map((f) => f.value)).toEqual(['unknown']);
    expect(rows.find((r) => r[0] === 'capitation_age')!.slice(1, 4)).toEqual(['2021', '20', '0']);
  });

  it('shows the unknown facts of the seeds as unknown in every cell', () => {
    const cells = comparisonCells(ds);
    const x = cells.find((c) => c.region_code === 'X' && c.criterion === 'psychologist')!;
    expect(x.value).toBe('unknown');
    expect(x.note).toMatch(/och\/eller/);
    for (const c of cells) if (!c.source) expect(c.value).toBe('unknown');
  });

  it('compares the example rulebook with the national baseline: everything but collaboration compensation', () => {
    const baseline = loadRulebookFile(join(ROOT, 'rulebooks', 'nationell-baslinje', '2025.yaml')).rulebook;
    const example = loadRulebookFile(join(ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml')).rulebook;
    const conf = baselineConformance(baseline, example);
    expect(conf.rows).toHaveLength(14);
    expect(conf.lacking).toEqual(['collaboration_compensation']);
    expect(baselineConformance(baseline, baseline).lacking).toEqual([]);
  });

  it('names file, line and field when the data has an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vardval-compare-'));
    cpSync(DATA, dir, { recursive: true });
    const facts = readFileSync(join(dir, 'facts.yaml'), 'utf8').replace(
      '  - criterion: sip_penalty_amount_sek\n    regions: [AB]',
      '  - criterion: sip_penalty_amount_sek\n    regions: [XX]',
    );
    writeFileSync(join(dir, 'facts.yaml'), facts);
    let error: unknown;
    try {
      loadComparisonData(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputErrors);
    const [e] = (error as InputErrors).errors;
    const line = facts.split('\n').findIndex((l) => l.includes('regions: [XX]')) + 1;
    expect(e).toMatchObject({
      line,
      code: 'compare.unknown_region',
      message: 'Regionen XX finns inte i regions.yaml',
    });
    expect(e?.file.endsWith('facts.yaml')).toBe(true);
    expect(e?.where).toMatch(/^facts\[\d+\]\.regions\[0\]$/);
  });
});
