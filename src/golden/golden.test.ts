import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pay } from '../adapters/files/payment-run.js';
import { statementsCsv, statementsJson } from '../adapters/exports/statements-files.js';
import type { Statements } from '../core/engine/run.js';
import { renderDerivation } from '../core/engine/derivation.js';
import { COMPONENT_TYPES } from '../core/rulebook/schema.js';
import { useSyntheticRegion } from '../test-support/synthetic-region.js';

/**
 * Golden statements: the example rulebook on a fixed synthetic region. A change in any amount or
 * explanation shows up as a diff of these files; when the change is intended, regenerate them with
 * `UPDATE_GOLDEN=1 npx vitest run src/golden` and review the diff like a rule change.
 */

const root = process.cwd();
const goldenDir = join(root, 'src', 'golden', 'statements');
const months = ['2025-03', '2025-04', '2025-07'];
const region = useSyntheticRegion('golden', { population: 4000, seed: 7, from: '2024-01', to: '2025-12' });
const computed = new Map<string, Statements>();

/** A month's statements, computed once: each test below also runs alone (e.g. with -t). */
function statementsOf(month: string): Statements {
  let statements = computed.get(month);
  if (!statements) {
    statements = pay({
      rulebookFile: join(root, 'rulebooks', 'exempel', 'vardval-2025.yaml'),
      dataDir: region.dir,
      month,
    }).statements;
    computed.set(month, statements);
  }
  return statements;
}

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

  it('gives every line of every component type a source and a derivation the sentence is rendered from', () => {
    const typesWithDerivation = new Set<string>();
    for (const month of months)
      for (const u of statementsOf(month).units)
        for (const l of u.lines) {
          expect(l.source, `${l.component} i ${month}`).toMatch(/\S/);
          expect(l.derivation!.amount_ore).toBe(l.amount_ore);
          expect(l.derivation!.steps.length).toBeGreaterThan(0);
          expect(l.explanation).toBe(renderDerivation(l.derivation!));
          // Rows of tables by what they are, never by their place in the rulebook file.
          expect(l.explanation).not.toMatch(/\w\[\d+\]|\(default\)/);
          for (const step of l.derivation!.steps) expect(step.label).not.toMatch(/\w\[\d+\]|^default\b/);
          typesWithDerivation.add(l.type);
        }
    expect([...typesWithDerivation].sort()).toEqual([...COMPONENT_TYPES].sort());
  });

  it('names a visit fee row by profession and contact, with the fee and its validity date', () => {
    const fees = statementsOf('2025-03').units.flatMap((u) =>
      u.lines.filter((l) => l.type === 'visit_fee').flatMap((l) => l.derivation!.steps),
    );
    const doctor = fees.find((s) => s.label === 'läkare, fysiskt besök');
    expect(doctor).toMatchObject({ rate: 350, rate_unit: 'kr' });
    expect(doctor!.amount_ore).toBe(doctor!.quantity! * 35000);
  });
});

describe('golden statements for rulebooks/exempel/vardval-charlson-2025.yaml (open comorbidity grouper)', () => {
  it.each(months)('%s', (month) => {
    const { statements } = pay({
      rulebookFile: join(root, 'rulebooks', 'exempel', 'vardval-charlson-2025.yaml'),
      dataDir: region.dir,
      month,
    });
    expectGolden(statements, join(goldenDir, 'charlson'), month);
    const capitation = statements.units.flatMap((u) => u.lines.filter((l) => l.component === 'kapitering'));
    expect(capitation.length).toBeGreaterThan(0);
    for (const l of capitation) expect(l.explanation).toContain('samsjuklighet: viktsumma × andel');
  });
});
