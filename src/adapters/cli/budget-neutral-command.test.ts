import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../synth/synthesize.js';
import { cliSimulate } from '../../test-support/cli.js';

/** Next year's example model on this year's synthetic region, made to cost what this year's does. */
let dir: string;
let data: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vardval-neutral-'));
  data = join(dir, 'data');
  await synthesize({
    out: data,
    population: 2000,
    seed: 5,
    from: '2025-01',
    to: '2025-04',
    identityDir: join(process.cwd(), 'fixtures', 'identity'),
  });
}, 120_000);

const simulate = (out: string, ...extra: string[]) =>
  cliSimulate(
    ['rulebooks/exempel/vardval-2025.yaml'],
    ['rulebooks/exempel/vardval-2026.yaml'],
    { data, month: '2025-04', out: join(dir, out) },
    ...extra,
  );

const csvRows = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));

describe('vardval simulate --budget-neutral', () => {
  it('pays the base total to the öre, per unit the sum of its lines, and writes the summary', async () => {
    const r = await simulate('ut', '--budget-neutral');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'ut', 'simulation-summary.json'), 'utf8'));
    expect(summary.budget_neutral).toBe(true);
    expect(summary.scenario_total_ore).toBe(summary.base_total_ore);
    expect(summary.scenario_unscaled_total_ore).not.toBe(summary.base_total_ore);
    expect(summary.residual_ore).toBe(0);
    // Penalties, VAT and the lines computed from others are not scaled by default (the example's
    // start grant replaces capitation with a fixed amount, so it is not computed from other lines).
    expect(summary.scaled_components).toContain('kapitering');
    for (const id of ['vite_sip', 'momskompensation', 'tackningsgrad'])
      expect(summary.scaled_components).not.toContain(id);
    expect(summary.scale_factor).toBeGreaterThan(0);

    const units = csvRows(join(dir, 'ut', 'simulation-units.csv'));
    const lines = csvRows(join(dir, 'ut', 'simulation.csv'));
    expect(units.reduce((s, u) => s + Number(u[5]), 0)).toBe(summary.base_total_ore);
    for (const u of units) {
      const sum = lines.filter((l) => l[0] === u[0]).reduce((s, l) => s + Number(l[6]), 0);
      expect(`${u[0]} ${sum}`).toBe(`${u[0]} ${u[5]}`);
    }
    expect(r.out).toContain('Budgetneutralt: ');
    expect(r.out).toMatch(/Andel av totalen per komponent/);
    expect(r.out).toMatch(/kapitering \(Kapiteringsersättning[^)]*\)\s+[\d,]+ %\s+[\d,]+ %\s+[\d,]+ %/);
  }, 120_000);

  it('scales only the components named, and says which id is unknown', async () => {
    const r = await simulate('ut2', '--scale', 'kapitering');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'ut2', 'simulation-summary.json'), 'utf8'));
    expect(summary.scaled_components).toEqual(['kapitering']);
    expect(summary.scenario_total_ore).toBe(summary.base_total_ore);

    const bad = await simulate('ut3', '--budget-neutral', '--scale', 'kapitering,kapitring');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--scale: Komponenten "kapitring" finns inte i scenariots regelbok');
    const derived = await simulate('ut4', '--scale', 'momskompensation');
    expect(derived.code).toBe(1);
    expect(derived.err).toContain('räknas på andra rader');
  }, 120_000);
});
