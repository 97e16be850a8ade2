import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pay } from '../adapters/files/payment-run.js';
import { statementsCsv, statementsJson } from '../adapters/exports/statements-files.js';
import { synthesize } from '../adapters/synth/synthesize.js';
import type { Statements } from '../core/engine/run.js';
import { COMPONENT_TYPES } from '../core/rulebook/schema.js';

/**
 * Golden statements: the example rulebook on a fixed synthetic region. A change in any amount or
 * explanation shows up as a diff of these files; when the change is intended, regenerate them with
 * `UPDATE_GOLDEN=1 npx vitest run src/golden` and review the diff like a rule change.
 */

const root = process.cwd();
const goldenDir = join(root, 'src', 'golden', 'statements');
const months = ['2025-03', '2025-04', '2025-07'];
let data: string;
const computed = new Map<string, Statements>();

/** A month's statements, computed once: each test below also runs alone (e.g. with -t). */
function statementsOf(month: string): Statements {
  let statements = computed.get(month);
  if (!statements) {
    statements = pay({
      rulebookFile: join(root, 'rulebooks', 'exempel', 'vardval-2025.yaml'),
      dataDir: data,
      month,
    }).statements;
    computed.set(month, statements);
  }
  return statements;
}

beforeAll(async () => {
  data = join(mkdtempSync(join(tmpdir(), 'vardval-golden-')), 'data');
  await synthesize({
    out: data,
    population: 4000,
    seed: 7,
    from: '2024-01',
    to: '2025-12',
    identityDir: join(root, 'fixtures', 'identity'),
  });
}, 120_000);

/** The month's statements, compared with (or, with UPDATE_GOLDEN, written to) dir. */
function expectGolden(statements: Statements, dir: string, month: string): void {
  const json = statementsJson(statements);
  const csv = statementsCsv(statements);
  const jsonFile = join(dir, `${month}.json`);
  const csvFile = join(dir, `${month}.csv`);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(jsonFile, json);
    writeFileSync(csvFile, csv);
  }
  expect(csv).toBe(readFileSync(csvFile, 'utf8'));
  expect(json).toBe(readFileSync(jsonFile, 'utf8'));
}

describe('golden statements for rulebooks/exempel/vardval-2025.yaml on synth seed 7', () => {
  it.each(months)('%s', (month) => {
    expectGolden(statementsOf(month), goldenDir, month);
  });

  it('shows every one of the ten component types in some month', () => {
    const typesSeen = new Set<string>();
    for (const month of months)
      for (const u of statementsOf(month).units) for (const l of u.lines) typesSeen.add(l.type);
    expect([...typesSeen].sort()).toEqual([...COMPONENT_TYPES].sort());
  });
});

describe('golden statements for rulebooks/exempel/vardval-charlson-2025.yaml (open comorbidity grouper)', () => {
  it.each(months)('%s', (month) => {
    const { statements } = pay({
      rulebookFile: join(root, 'rulebooks', 'exempel', 'vardval-charlson-2025.yaml'),
      dataDir: data,
      month,
    });
    expectGolden(statements, join(goldenDir, 'charlson'), month);
    const capitation = statements.units.flatMap((u) => u.lines.filter((l) => l.component === 'kapitering'));
    expect(capitation.length).toBeGreaterThan(0);
    for (const l of capitation) expect(l.explanation).toContain('(samsjuklighet)');
  });
});
