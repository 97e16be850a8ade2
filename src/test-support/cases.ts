import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_FILES, HEADERS, type CaseFiles } from '../core/test-support/cases.js';

/**
 * Test cases for the adapters: the core's cases (rows as the data files write them, a rulebook
 * excerpt) written to a folder, so a case also checks what a region would hand us.
 */

export { HEADERS, rulebookYaml, runCase, type CaseFiles } from '../core/test-support/cases.js';

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
