import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capitationYaml } from '../../core/test-support/rulebook-yaml.js';
import { rulebookYaml, writeCaseFolder } from '../../test-support/cases.js';
import { cliPay, cliSimulate } from '../../test-support/cli.js';

/** `pay` and `simulate` with several rulebooks: a differentiated region from the command line. */

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'vardval-cli-diff-'));
  const files: Record<string, string> = {
    'land.yaml': rulebookYaml(
      capitationYaml(2400),
      `scope: {label: Landsbygd, kommuner: ['2321'], source: "FFU 1.2"}`,
    ).replace('id: test/vardval/2025', 'id: test/landsbygd/2025'),
    'tatort.yaml': rulebookYaml(
      capitationYaml(1200),
      `scope: {label: Tätort, other_kommuner: true, source: "FFU 1.2"}`,
    ).replace('id: test/vardval/2025', 'id: test/tatort/2025'),
    'hela.yaml': rulebookYaml(capitationYaml(1800)),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const data = writeCaseFolder({
    units: [
      'U1,5560160680,VC Ett,private,2380,2020-01-01,,,,',
      'U2,2321000016,VC Två,public,2321,2020-01-01,,,,',
    ],
    listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U2,,1980-01-01,F,A2,2020-01-01,,'],
  });
  return { dir, data, rb: (name: string) => join(dir, name) };
}

describe('vardval pay and simulate for a differentiated region', () => {
  it('pays each unit by its system and prints a summary per system', async () => {
    const { dir, data, rb } = setup();
    const out = join(dir, 'ut');
    const r = await cliPay([rb('land.yaml'), rb('tatort.yaml')], { data, out });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Landsbygd: test/landsbygd/2025');
    expect(r.out).toContain('Tätort: test/tatort/2025');
    expect(r.out).toContain('Summa för regionen: 300,00 kr');
    expect(readFileSync(join(out, 'statements.csv'), 'utf8')).toBe(
      'unit_id,component,quantity,amount_ore\nU1,kap,1,10000\nU2,kap,1,20000\n',
    );
    const json = JSON.parse(readFileSync(join(out, 'statements.json'), 'utf8'));
    expect(json.units.map((u: { rulebook: string }) => u.rulebook)).toEqual([
      'test/tatort/2025',
      'test/landsbygd/2025',
    ]);
  });

  it('simulates one rulebook for the whole region against two systems', async () => {
    const { dir, data, rb } = setup();
    const r = await cliSimulate([rb('hela.yaml')], [rb('land.yaml'), rb('tatort.yaml')], {
      data,
      out: join(dir, 'sim'),
    });
    expect(r.code, r.err).toBe(0);
    // 2 × 150 kr → 100 kr + 200 kr
    expect(r.out).toContain('Totalt: 300,00 kr → 300,00 kr (0,00 kr)');
    expect(readFileSync(join(dir, 'sim', 'simulation-units.csv'), 'utf8')).toMatch(/U2.*15000,20000,5000/);
  });

  it('exits 1 naming both rulebooks’ claim on a kommun', async () => {
    const { dir, data, rb } = setup();
    const r = await cliPay([rb('land.yaml'), rb('land.yaml'), rb('tatort.yaml')], {
      data,
      out: join(dir, 'x'),
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/2321.*både/);
  });
});
