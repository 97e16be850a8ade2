import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnNames, type ColumnName, type DataFileName } from '../../core/data/files.js';
import { PROFESSIONS } from '../../core/rulebook/schema.js';
import { SYNTH_FILES, synthesize, type SynthOptions, type SynthSummary } from './synthesize.js';

const identityDir = join(import.meta.dirname, '../../../fixtures/identity');
const root = mkdtempSync(join(tmpdir(), 'synth-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = (out: string, over: Partial<SynthOptions> = {}): SynthOptions => ({
  out: join(root, out),
  population: 3000,
  seed: 42,
  from: '2024-01',
  to: '2025-03',
  identityDir,
  ...over,
});

/** A row of a data file: every column of the table of data files, '' where the file lacks it. */
type Row<F extends DataFileName> = Record<ColumnName<F>, string>;
function readCsv<F extends DataFileName>(dir: string, file: F): { header: string[]; rows: Row<F>[] } {
  const text = readFileSync(join(dir, file), 'utf8');
  expect(text.charCodeAt(0)).not.toBe(0xfeff);
  expect(text.endsWith('\n')).toBe(true);
  expect(text.includes('\r')).toBe(false);
  const lines = text.slice(0, -1).split('\n');
  const header = lines[0]!.split(',');
  const ragged: number[] = [];
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== header.length) ragged.push(i + 2);
    const cell = (name: string) => cells[header.indexOf(name)] ?? '';
    return Object.fromEntries(columnNames(file).map((name) => [name, cell(name)])) as Row<F>;
  });
  expect(ragged, `${file}: lines with a wrong number of cells`).toEqual([]);
  return { header, rows };
}

/** Collects violations, so that a test over thousands of rows reports the first few with one expect. */
function violations() {
  const bad: string[] = [];
  return {
    check(ok: boolean, what: string, row: unknown): void {
      if (!ok && bad.length < 5) bad.push(`${what}: ${JSON.stringify(row)}`);
    },
    expectNone(): void {
      expect(bad).toEqual([]);
    },
  };
}

/** Luhn over the 10 digits YYMMDDNNNC of a 12-digit identity number. */
function luhnOk(id12: string): boolean {
  const digits = id12.slice(2);
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let v = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  return sum % 10 === 0;
}
function birthOf(id12: string): string | null {
  const y = Number(id12.slice(0, 4));
  const m = Number(id12.slice(4, 6));
  let d = Number(id12.slice(6, 8));
  if (d > 60) d -= 60;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

const PERIOD_FROM = '2024-01-01';
const PERIOD_END = '2025-03-31';
const PERIOD_YEARS = 15 / 12;

describe('synthesize: a small region', () => {
  let summary: SynthSummary;
  let dir: string;
  let units: Row<'units.csv'>[];
  let areas: Row<'areas.csv'>[];
  let listings: Row<'listings.csv'>[];
  let visits: Row<'visits.csv'>[];
  let indicators: Row<'indicators.csv'>[];
  let events: Row<'events.csv'>[];
  const headers: Record<string, string[]> = {};

  beforeAll(async () => {
    const opts = base('a');
    dir = opts.out;
    summary = await synthesize(opts);
    const read = <F extends DataFileName>(f: F): Row<F>[] => {
      const { header, rows } = readCsv(dir, f);
      headers[f] = header;
      return rows;
    };
    units = read('units.csv');
    areas = read('areas.csv');
    listings = read('listings.csv');
    visits = read('visits.csv');
    indicators = read('indicators.csv');
    events = read('events.csv');
  });

  it('writes the six files with the data-exchange columns and reports their rows', () => {
    expect(summary.files.map((f) => f.slice(dir.length + 1))).toEqual([...SYNTH_FILES]);
    expect(headers['units.csv']).toEqual([
      'unit_id',
      'provider_id',
      'name',
      'ownership',
      'kommun',
      'start_date',
      'end_date',
      'branch_of',
      'st_fte',
      'sabo_places',
    ]);
    expect(headers['areas.csv']).toEqual(['area', 'kommun', 'cni', 'rural_class', 'hospital_km']);
    expect(headers['listings.csv']).toEqual([
      'person_id',
      'unit_id',
      'doctor_id',
      'birth_date',
      'sex',
      'area',
      'listed_from',
      'listed_to',
      'risk_group',
    ]);
    expect(headers['visits.csv']).toEqual([
      'visit_id',
      'person_id',
      'unit_id',
      'date',
      'profession',
      'contact',
      'doctor_id',
      'booked_date',
      'diagnoses',
      'visit_type',
    ]);
    expect(headers['indicators.csv']).toEqual([
      'unit_id',
      'indicator',
      'period_from',
      'period_to',
      'numerator',
      'denominator',
    ]);
    expect(headers['events.csv']).toEqual(['event_id', 'unit_id', 'event_type', 'date', 'person_id']);
    expect(summary).toMatchObject({
      persons: 3000,
      units: units.length,
      areas: areas.length,
      listings: listings.length,
      visits: visits.length,
      indicators: indicators.length,
      events: events.length,
    });
    expect(areas.length).toBeGreaterThanOrEqual(8);
    expect(units.length).toBeGreaterThanOrEqual(6);
  });

  it('is deterministic for a seed and differs for another seed', async () => {
    await synthesize(base('b'));
    await synthesize(base('c', { seed: 43 }));
    for (const f of SYNTH_FILES) {
      expect(readFileSync(join(root, 'b', f)).equals(readFileSync(join(dir, f))), f).toBe(true);
    }
    expect(
      readFileSync(join(root, 'c', 'listings.csv')).equals(readFileSync(join(dir, 'listings.csv'))),
    ).toBe(false);
    expect(readFileSync(join(root, 'c', 'visits.csv')).equals(readFileSync(join(dir, 'visits.csv')))).toBe(
      false,
    );
  });

  it('has no duplicate keys', () => {
    const unique = (keys: string[]) => expect(new Set(keys).size).toBe(keys.length);
    unique(units.map((u) => u.unit_id));
    unique(areas.map((a) => a.area));
    unique(visits.map((v) => v.visit_id));
    unique(events.map((e) => e.event_id));
    unique(indicators.map((i) => `${i.unit_id}|${i.indicator}|${i.period_from}|${i.period_to}`));
  });

  it('has units with all three ownerships, a new unit, a closed unit and a branch', () => {
    const ownerships = new Set(units.map((u) => u.ownership));
    expect([...ownerships].sort()).toEqual(['nonprofit', 'private', 'public']);
    expect(units.some((u) => u.start_date > PERIOD_FROM && u.start_date <= PERIOD_END)).toBe(true);
    expect(
      units.some((u) => u.end_date !== '' && u.end_date >= PERIOD_FROM && u.end_date <= PERIOD_END),
    ).toBe(true);
    const ids = new Set(units.map((u) => u.unit_id));
    const branches = units.filter((u) => u.branch_of !== '');
    expect(branches.length).toBeGreaterThan(0);
    for (const b of branches) expect(ids.has(b.branch_of)).toBe(true);
    for (const u of units) {
      expect(u.unit_id).toMatch(/^SE2321000016-[A-Z0-9]{4}$/);
      expect(u.provider_id).toMatch(/^\d{10}$/);
      expect(luhnOk('00' + u.provider_id)).toBe(true);
      expect(Number(u.provider_id[2])).toBeGreaterThanOrEqual(2);
      expect(u.name).not.toBe('');
      expect(Number(u.sabo_places)).toBeGreaterThanOrEqual(0);
      expect(Number(u.st_fte)).toBeGreaterThanOrEqual(0);
    }
  });

  it('has DeSO-style areas with CNI and rural classes', () => {
    for (const a of areas) {
      expect(a.area).toMatch(/^\d{4}[ABC]\d{4}$/);
      expect(a.area.slice(0, 4)).toBe(a.kommun);
      expect(Number(a.cni)).toBeGreaterThanOrEqual(0.5);
      expect(Number(a.cni)).toBeLessThanOrEqual(2.5);
      expect(['tatort', 'landsbygd', 'glesbygd']).toContain(a.rural_class);
      expect(Number(a.hospital_km)).toBeGreaterThan(0);
    }
  });

  it('lists persons only at active non-branch units and areas that exist, without overlaps', () => {
    const unitById = new Map(units.map((u) => [u.unit_id, u]));
    const areaIds = new Set(areas.map((a) => a.area));
    const byPerson = new Map<string, Row<'listings.csv'>[]>();
    const v = violations();
    for (const l of listings) {
      const u = unitById.get(l.unit_id);
      v.check(u !== undefined, 'unit exists', l);
      if (!u) continue;
      v.check(u.branch_of === '', 'not at a branch', l);
      v.check(areaIds.has(l.area), 'area exists', l);
      v.check(l.listed_from >= u.start_date, 'listed from unit start', l);
      if (u.end_date !== '')
        v.check(l.listed_to !== '' && l.listed_to <= u.end_date, 'listed to unit end', l);
      if (l.listed_to !== '') v.check(l.listed_from < l.listed_to, 'listed_from before listed_to', l);
      v.check(['F', 'M', ''].includes(l.sex), 'sex', l);
      v.check(/^(RUB[0-5])?$/.test(l.risk_group), 'risk group', l);
      let list = byPerson.get(l.person_id);
      if (!list) byPerson.set(l.person_id, (list = []));
      list.push(l);
    }
    for (const [, list] of byPerson) {
      list.sort((p, q) => (p.listed_from < q.listed_from ? -1 : 1));
      v.check(list.filter((l) => l.listed_to === '').length <= 1, 'at most one open listing', list);
      for (let i = 1; i < list.length; i++) {
        v.check(
          list[i - 1]!.listed_to !== '' && list[i - 1]!.listed_to <= list[i]!.listed_from,
          'no overlap',
          list,
        );
      }
      v.check(
        new Set(list.map((l) => `${l.birth_date}|${l.sex}|${l.area}`)).size === 1,
        'same person data',
        list,
      );
    }
    v.expectNone();
    // about 95 % of persons listed, some change unit during the period
    expect(byPerson.size / 3000).toBeGreaterThan(0.9);
    expect([...byPerson.values()].filter((l) => l.length > 1).length).toBeGreaterThan(30);
  });

  it('uses only valid identity numbers whose birth date and sex agree', () => {
    const ids = new Set([...listings.map((l) => l.person_id), ...visits.map((v) => v.person_id)]);
    let samordning = 0;
    const v = violations();
    for (const id of ids) {
      if (!/^\d{12}$/.test(id)) {
        v.check(/^P\d{8}$/.test(id), 'pseudonym', id);
        continue;
      }
      v.check(luhnOk(id), 'Luhn', id);
      v.check(birthOf(id) !== null, 'real date', id);
      if (Number(id.slice(6, 8)) > 60) samordning++;
    }
    for (const l of listings) {
      if (!/^\d{12}$/.test(l.person_id)) continue;
      v.check(l.birth_date === birthOf(l.person_id), 'birth date from number', l);
      v.check(l.sex === (Number(l.person_id[10]) % 2 === 1 ? 'M' : 'F'), 'sex from number', l);
    }
    v.expectNone();
    expect(samordning).toBeGreaterThan(0);
  });

  it('has about three visits per person and year, at active units, mostly at the listed unit', () => {
    const perPersonYear = visits.length / (3000 * PERIOD_YEARS);
    expect(perPersonYear).toBeGreaterThan(2);
    expect(perPersonYear).toBeLessThan(4);
    const unitById = new Map(units.map((u) => [u.unit_id, u]));
    const professions = new Set<string>(PROFESSIONS);
    const listedAt = new Map<string, Row<'listings.csv'>[]>();
    for (const l of listings) listedAt.set(l.person_id, [...(listedAt.get(l.person_id) ?? []), l]);
    let atHome = 0;
    let atBranch = 0;
    const contacts = new Map<string, number>();
    const { check, expectNone } = violations();
    for (const v of visits) {
      const u = unitById.get(v.unit_id);
      check(u !== undefined, 'unit', v);
      if (!u) continue;
      check(v.date >= u.start_date && (u.end_date === '' || v.date <= u.end_date), 'unit active', v);
      check(v.date >= PERIOD_FROM && v.date <= PERIOD_END, 'date in period', v);
      check(professions.has(v.profession), 'profession', v);
      check(['fysiskt', 'digitalt', 'telefon', 'hembesok'].includes(v.contact), 'contact', v);
      contacts.set(v.contact, (contacts.get(v.contact) ?? 0) + 1);
      check((v.doctor_id !== '') === (v.profession === 'lakare'), 'doctor for lakare', v);
      if (v.booked_date !== '') {
        const lag = (Date.parse(v.date) - Date.parse(v.booked_date)) / 86_400_000;
        check(lag >= 0 && lag <= 14, 'booked 0-14 days before', v);
      }
      if (v.diagnoses !== '') {
        const codes = v.diagnoses.split('|');
        check(codes.length <= 3 && codes.every((c) => /^[A-Z]\d\d(\.\d{1,2})?$/.test(c)), 'ICD-10 codes', v);
      }
      if (u.branch_of !== '') atBranch++;
      const home = (listedAt.get(v.person_id) ?? []).find(
        (l) => l.listed_from <= v.date && (l.listed_to === '' || v.date < l.listed_to),
      );
      if (home && home.unit_id === v.unit_id) atHome++;
    }
    expectNone();
    expect(atHome / visits.length).toBeGreaterThan(0.7);
    expect(atBranch).toBeGreaterThan(0);
    expect(contacts.get('hembesok') ?? 0).toBeGreaterThan(0);
    expect((contacts.get('fysiskt') ?? 0) / visits.length).toBeGreaterThan(0.5);
    // some visitors are not listed anywhere
    expect(visits.some((v) => !listedAt.has(v.person_id))).toBe(true);
  });

  it('has indicators per unit for months, quarters and years inside the period, and events', () => {
    const ids = new Set(units.map((u) => u.unit_id));
    const kinds = new Set<string>();
    const spans = new Set<string>();
    for (const i of indicators) {
      expect(ids.has(i.unit_id)).toBe(true);
      kinds.add(i.indicator);
      expect(i.period_from >= PERIOD_FROM && i.period_to <= PERIOD_END).toBe(true);
      expect(i.period_from.endsWith('-01')).toBe(true);
      const num = Number(i.numerator);
      const den = Number(i.denominator);
      expect(Number.isInteger(num) && Number.isInteger(den) && num >= 0 && den > 0 && num <= den).toBe(true);
      spans.add(`${i.period_from}..${i.period_to}`);
    }
    expect([...kinds].sort()).toEqual(['kontinuitet_lakare', 'lakarbesok_3dagar', 'telefontillganglighet']);
    expect(spans.has('2024-02-01..2024-02-29')).toBe(true);
    expect(spans.has('2025-01-01..2025-03-31')).toBe(true);
    expect(spans.has('2024-01-01..2024-12-31')).toBe(true);
    expect(spans.size).toBe(15 + 5 + 1);
    for (const e of events) {
      expect(ids.has(e.unit_id)).toBe(true);
      expect(['sip_late', 'sip_i_tid', 'hembesok_sabo']).toContain(e.event_type);
      expect(e.date >= PERIOD_FROM && e.date <= PERIOD_END).toBe(true);
    }
    expect(events.some((e) => e.event_type === 'sip_late')).toBe(true);
    // most SIP invitations go out in time
    const onTime = events.filter((e) => e.event_type === 'sip_i_tid').length;
    const late = events.filter((e) => e.event_type === 'sip_late').length;
    expect(onTime / (onTime + late)).toBeGreaterThan(0.7);
  });
});

describe('synthesize: beyond the test numbers', () => {
  it('continues with pseudonyms, and the whole population follows a Swedish-like age pyramid', async () => {
    const opts = base('p', { population: 30_000, from: '2025-01', to: '2025-03', seed: 7 });
    await synthesize(opts);
    const { rows } = readCsv(opts.out, 'listings.csv');
    const persons = new Map<string, Row<'listings.csv'>>();
    for (const l of rows) persons.set(l.person_id, l);
    const pseudonyms = [...persons.keys()].filter((id) => !/^\d{12}$/.test(id));
    expect(pseudonyms.length).toBeGreaterThan(4000);
    for (const id of pseudonyms) if (!/^P\d{8}$/.test(id)) expect(id).toMatch(/^P\d{8}$/);
    // Test numbers are chosen by the age drawn, so the list's many 1890s numbers stay unused.
    expect(persons.size - pseudonyms.length).toBeGreaterThan(10_000);
    let old = 0;
    let children = 0;
    let noSex = 0;
    for (const l of persons.values()) {
      const age = (Date.parse('2025-01-01') - Date.parse(l.birth_date)) / (365.25 * 86_400_000);
      if (age >= 102) expect(age).toBeLessThan(102);
      if (age >= 65) old++;
      if (age < 18) children++;
      if (l.sex === '') noSex++;
    }
    expect(old / persons.size).toBeGreaterThan(0.15);
    expect(old / persons.size).toBeLessThan(0.27);
    expect(children / persons.size).toBeGreaterThan(0.15);
    expect(children / persons.size).toBeLessThan(0.25);
    expect(noSex / persons.size).toBeLessThan(0.02);
    // Health dialogues (hälsosamtal): nurse visits at the listed unit in the year a person turns
    // 40, 50, 60 or 70
    const visits = readCsv(opts.out, 'visits.csv').rows;
    const birth = new Map(rows.map((l) => [l.person_id, l.birth_date]));
    const dialogues = visits.filter((v) => v.visit_type !== '');
    expect(dialogues.length).toBeGreaterThan(10);
    const { check, expectNone } = violations();
    for (const v of dialogues) {
      check(v.visit_type === 'halsosamtal', 'visit_type value', v);
      check(['sjukskoterska', 'distriktsskoterska'].includes(v.profession), 'nurse', v);
      const age = Number(v.date.slice(0, 4)) - Number(birth.get(v.person_id)?.slice(0, 4));
      check([40, 50, 60, 70].includes(age), 'turning age', v);
    }
    expectNone();
  }, 120_000);

  it('rejects bad options', async () => {
    await expect(synthesize(base('x', { from: '2025-13' }))).rejects.toThrow(/from/);
    await expect(synthesize(base('x', { from: '2025-03', to: '2025-01' }))).rejects.toThrow(/before/);
    await expect(synthesize(base('x', { population: 0 }))).rejects.toThrow(/population/);
    await expect(synthesize(base('x', { identityDir: join(root, 'none') }))).rejects.toThrow(/identity/);
  });
});
