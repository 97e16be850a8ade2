import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMonth } from '../core/calendar.js';
import { headerLine } from '../core/data/files.js';
import type { Statements } from '../core/engine/run.js';
import { loadDataFolder } from '../adapters/files/data-folder/index.js';
import { filesNeeded, runLoaded } from '../adapters/files/payment-run.js';
import { parseRulebookText } from '../adapters/files/rulebook-file.js';

/**
 * Test cases read like the rulebook: a few CSV rows and a rulebook excerpt in, lines in öre out.
 * Files go through the real loader, so a case also checks what a region would hand us.
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

export function writeCaseFolder(files: CaseFiles, raw: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'vardval-case-'));
  const all: CaseFiles = { ...BASE_FILES, listings: [], visits: [], indicators: [], events: [], ...files };
  for (const [name, rows] of Object.entries(all)) {
    writeFileSync(
      join(dir, `${name}.csv`),
      `${[HEADERS[name as keyof typeof HEADERS], ...(rows ?? [])].join('\n')}\n`,
    );
  }
  for (const [name, body] of Object.entries(raw)) writeFileSync(join(dir, name), body);
  return dir;
}

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

export function runCase(components: string, files: CaseFiles, month = '2025-03', extra = ''): Statements {
  const rb = parseRulebookText(rulebookYaml(components, extra), 'test.yaml');
  const dir = writeCaseFolder(files);
  const data = loadDataFolder(dir, { require: filesNeeded(rb.rulebook) });
  return runLoaded(rb, data, parseMonth(month)!).statements;
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
