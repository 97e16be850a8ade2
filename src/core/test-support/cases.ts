import { parse } from 'yaml';
import { parseMonth } from '../calendar.js';
import type { DataSet } from '../data/dataset.js';
import { headerLine } from '../data/files.js';
import type { RunIssue } from '../engine/month-context.js';
import { runMonth, type RunInput, type Statements } from '../engine/run.js';
import type { Component, Rulebook } from '../rulebook/schema.js';
import { validateRulebook } from '../rulebook/validate.js';
import { buildDataSet, type DataRows } from './data-set.js';

/**
 * Test cases read like the rulebook: a few rows written as the data files write them and a
 * rulebook excerpt in, lines in öre out. The core's tests build the month in memory from the rows
 * (buildDataSet); the adapters' tests write the same rows to files (src/test-support/cases.ts).
 */

/**
 * Each file's header from the data files' table. visits.csv leaves out visit_type, so a case's
 * visits are untyped unless its test adds the column.
 */
export const HEADERS = {
  units: headerLine('units.csv', ['services', 'area']),
  areas: headerLine('areas.csv'),
  listings: headerLine('listings.csv'),
  visits: headerLine('visits.csv', ['visit_type']),
  indicators: headerLine('indicators.csv'),
  events: headerLine('events.csv'),
} as const;

export type CaseFiles = Partial<Record<keyof typeof HEADERS, string[]>>;

/** Two ordinary units and two areas, enough for most cases. */
export const BASE_FILES: Required<Pick<CaseFiles, 'units' | 'areas'>> = {
  units: [
    'U1,5560160680,VC Ett,private,2361,2020-01-01,,,,',
    'U2,2321000016,VC Två,public,2361,2020-01-01,,,,',
  ],
  areas: ['A1,2361,1.2,tatort,5', 'A2,2361,0.8,glesbygd,80'],
};

/** A rulebook around the given components (YAML text, indented as list items under components). */
export function rulebookYaml(components: string, extra = ''): string {
  return `id: test/vardval/2025
region: {code: Z, name: Region Test}
system: vardval
title: Testregelbok
valid_from: 2025-01-01
valid_to: 2025-12-31
${extra}
compensation:
  components:
${components
  .trim()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
`;
}

export interface CaseRulebook {
  rulebook: Rulebook;
  order: Component[];
}

/** A rulebook from its YAML text, validated; a test's rulebook with errors fails with them listed. */
export function rulebookOf(text: string): CaseRulebook {
  const result = validateRulebook(parse(text));
  if (!result.ok)
    throw new Error(
      `Regelboken innehåller fel: ${result.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return { rulebook: result.rulebook, order: result.order };
}

/** A case row's fields: comma-separated, a field in double quotes may hold commas ("0,5"). */
function fields(row: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at <= row.length) {
    if (row[at] === '"') {
      const close = row.indexOf('"', at + 1);
      if (close === -1) throw new Error(`Citattecknet stängs inte: ${row}`);
      out.push(row.slice(at + 1, close));
      at = close + 2;
    } else {
      const comma = row.indexOf(',', at);
      const end = comma === -1 ? row.length : comma;
      out.push(row.slice(at, end));
      at = end + 1;
    }
  }
  return out;
}

/** One case row's cells by column name. */
function cells(file: keyof typeof HEADERS, header: string, row: string): Record<string, string> {
  const names = header.split(',');
  const values = fields(row);
  // Trailing empty cells may be left out, as a CSV row may end early.
  if (values.length > names.length)
    throw new Error(`${file}: ${values.length} fält men ${names.length} kolumner (${header}): ${row}`);
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
}

const optional = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
const optionalNumber = (v: string | undefined): number | undefined =>
  optional(v) === undefined ? undefined : Number(v);

/** The case's rows as objects (BASE_FILES' units and areas unless the case gives its own). */
function caseRows(files: CaseFiles, headers: Partial<Record<keyof typeof HEADERS, string>> = {}): DataRows {
  const all = { ...BASE_FILES, ...files };
  const rows = (file: keyof typeof HEADERS) =>
    (all[file] ?? []).map((r) => cells(file, headers[file] ?? HEADERS[file], r));
  const visitHeader = (headers.visits ?? HEADERS.visits).split(',');
  return {
    units: rows('units').map((c) => ({
      id: c.unit_id!,
      provider: c.provider_id,
      name: c.name,
      ownership: c.ownership as 'public' | 'private' | 'nonprofit',
      kommun: c.kommun,
      area: optional(c.area),
      services: optional(c.services)?.split('|') ?? [],
      start: c.start_date,
      end: optional(c.end_date),
      branchOf: optional(c.branch_of),
      extra: Object.fromEntries(['st_fte', 'sabo_places'].filter((k) => k in c).map((k) => [k, c[k] ?? ''])),
    })),
    areas: rows('areas').map((c) => ({
      code: c.area!,
      kommun: c.kommun,
      cni: optionalNumber(c.cni),
      ruralClass: optional(c.rural_class),
      hospitalKm: optionalNumber(c.hospital_km),
    })),
    listings: rows('listings').map((c) => ({
      person: c.person_id!,
      unit: c.unit_id!,
      doctor: optional(c.doctor_id),
      birth: c.birth_date!,
      sex: optional(c.sex) as 'F' | 'M' | undefined,
      area: c.area!,
      from: c.listed_from!,
      to: optional(c.listed_to),
      riskGroup: optional(c.risk_group),
    })),
    visits: rows('visits').map((c) => ({
      person: c.person_id!,
      unit: c.unit_id!,
      date: c.date!,
      profession: c.profession as never,
      contact: c.contact as never,
      doctor: optional(c.doctor_id),
      booked: optional(c.booked_date),
      diagnoses: optional(c.diagnoses),
      visitType: optional(c.visit_type) as never,
    })),
    indicators: rows('indicators').map((c) => ({
      unit: c.unit_id!,
      indicator: c.indicator!,
      from: c.period_from!,
      to: c.period_to!,
      numerator: Number(c.numerator),
      denominator: Number(c.denominator),
    })),
    events: rows('events').map((c) => ({ unit: c.unit_id!, type: c.event_type!, date: c.date! })),
    visitColumns: {
      visitType: visitHeader.includes('visit_type'),
      diagnoses: visitHeader.includes('diagnoses'),
    },
  };
}

/** The case's month in memory. */
export function caseData(files: CaseFiles, headers?: Partial<Record<keyof typeof HEADERS, string>>): DataSet {
  return buildDataSet(caseRows(files, headers));
}

/** `compensation.components[0].annual_amount`, as the adapters write a rulebook path. */
const pathText = (path: readonly (string | number)[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** An issue as `listings.csv:3: listed_from: …` (the rows' lines are the lines a file would have). */
function issueText(i: RunIssue): string {
  return i.kind === 'rulebook'
    ? `${pathText(i.path)}: ${i.message}`
    : `${i.file}${i.line ? `:${i.line}` : ''}: ${i.where}: ${i.message}`;
}

/** Runs a case's components on its rows for a month; a run that cannot be made fails with its issues. */
export function runOn(
  rb: CaseRulebook,
  data: DataSet,
  month = '2025-03',
  options: Pick<RunInput, 'comorbidity' | 'parametersOn' | 'adjust' | 'memo'> = {},
): Statements {
  const result = runMonth({ ...rb, ...options, rulebookSha256: 'test', data, month: parseMonth(month)! });
  if (!result.ok) throw new Error(result.issues.map(issueText).join('\n'));
  return result.statements;
}

export function runCase(components: string, files: CaseFiles, month = '2025-03', extra = ''): Statements {
  return runOn(rulebookOf(rulebookYaml(components, extra)), caseData(files), month);
}

/** `{U1: {kap: 12345}}`: each unit's lines' amounts in öre. */
export function amounts(s: Statements): Record<string, Record<string, number>> {
  return Object.fromEntries(
    s.units.map((u) => [u.unit_id, Object.fromEntries(u.lines.map((l) => [l.component, l.amount_ore]))]),
  );
}

export function line(s: Statements, unit: string, component: string) {
  return s.units.find((u) => u.unit_id === unit)?.lines.find((l) => l.component === component);
}
