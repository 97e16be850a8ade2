import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAT_CAPITATION } from '../../core/test-support/rulebook-yaml.js';
import { rulebookYaml, writeCaseFolder } from '../../test-support/cases.js';
import { cli, cliPay, cliSimulate } from '../../test-support/cli.js';

const rulebook = rulebookYaml(`${FLAT_CAPITATION}
- id: besok
  type: visit_fee
  label: Besöksersättning
  source: "FFU 9.4"
  fees: [{profession: lakare, amount: 300}]`);

function setup(listings: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'vardval-cli-'));
  const rb = join(dir, 'regelbok.yaml');
  writeFileSync(rb, rulebook);
  const data = writeCaseFolder({ listings, visits: ['V1,P1,U1,2025-03-02,lakare,fysiskt,,,'] });
  return { rb, data, out: join(dir, 'ut') };
}

describe('vardval pay', () => {
  it('writes statements.json and statements.csv and prints a summary per unit', async () => {
    const { rb, data, out } = setup([
      'P1,U1,,1980-01-01,F,A1,2020-01-01,,',
      'P2,U2,,1980-01-01,F,A1,2020-01-01,,',
    ]);
    const r = await cliPay([rb], { data, out });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/U1\s+VC Ett\s+privat\s+1\s+2\s+400,00 kr/);
    expect(r.out).toMatch(/Summa\s+2 enheter\s+500,00 kr/);
    expect(readFileSync(join(out, 'statements.csv'), 'utf8')).toBe(
      'unit_id,component,quantity,amount_ore\nU1,kap,1,10000\nU1,besok,1,30000\nU2,kap,1,10000\n',
    );
    const json = JSON.parse(readFileSync(join(out, 'statements.json'), 'utf8'));
    expect(json.identity.month).toBe('2025-03');
    expect(json.total_ore).toBe(50000);
  });

  it('exits 1 with every located error and writes no files when the data has errors', async () => {
    const { rb, data, out } = setup([
      '189001019803,U1,,1890-01-01,F,A1,2020-01-01,,',
      'P2,U9,,1980-01-01,F,A1,2020-01-01,,',
    ]);
    const r = await cliPay([rb], { data, out });
    expect(r.code).toBe(1);
    expect(r.err).toContain('listings.csv:2:1: person_id:');
    expect(r.err).toContain('listings.csv:3:4: unit_id: Enheten U9 finns inte i units.csv');
    expect(r.err).not.toContain('189001019803');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 on a usage error', async () => {
    expect((await cli('pay', '--rulebook', 'x.yaml')).code).toBe(2);
  });
});

describe('vardval validate and explain', () => {
  it('validates a rulebook and a data folder together', async () => {
    const { rb, data } = setup(['P1,U1,,1980-01-01,F,A1,2020-01-01,,']);
    const r = await cli('validate', '--rulebook', rb, '--data', data, '--month', '2025-03');
    expect(r.code).toBe(0);
    expect(r.out).toContain('regelboken test/vardval/2025 är giltig');
    expect(r.out).toContain('listings.csv 1 rad');
  });

  it('explains a line with its parameters and counts', async () => {
    const { rb, data } = setup(['P1,U1,,1980-01-01,F,A1,2020-01-01,,']);
    const r = await cli(
      'explain',
      '--rulebook',
      rb,
      '--data',
      data,
      '--month',
      '2025-03',
      '--unit',
      'U1',
      '--component',
      'kap',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('kap: Kapitering: 100,00 kr');
    expect(r.out).toContain('Årsbelopp: 1 200 kr per år');
    expect(r.out).toContain('Listade på brytdagen: 1');
  });

  it('says when the unit does not exist', async () => {
    const { rb, data } = setup([]);
    const r = await cli('explain', '--rulebook', rb, '--data', data, '--month', '2025-03', '--unit', 'U7');
    expect(r.code).toBe(1);
    expect(r.err).toContain('Enheten U7 finns inte');
  });
});

describe('vardval simulate', () => {
  it('writes per-unit and per-component differences and prints winners and losers', async () => {
    const { rb, data, out } = setup([
      'P1,U1,,1980-01-01,F,A1,2020-01-01,,',
      'P2,U2,,1980-01-01,F,A2,2020-01-01,,',
    ]);
    const scenario = join(out, '..', 'scenario.yaml');
    writeFileSync(
      scenario,
      rulebook.replace('annual_amount: 1200', 'annual_amount: 2400').replace('amount: 300', 'amount: 200'),
    );
    const r = await cliSimulate([rb], [scenario], { data, out });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Totalt: 500,00 kr → 600,00 kr (100,00 kr)');
    const units = readFileSync(join(out, 'simulation-units.csv'), 'utf8').trim().split('\n');
    expect(units).toEqual([
      'unit_id,name,ownership,rural_class,base_ore,scenario_ore,diff_ore',
      'U1,VC Ett,private,tatort,40000,40000,0',
      'U2,VC Två,public,glesbygd,10000,20000,10000',
    ]);
    const rows = readFileSync(join(out, 'simulation.csv'), 'utf8');
    expect(rows).toContain('U1,VC Ett,private,tatort,besok,30000,20000,-10000');
    expect(readFileSync(join(out, 'simulation-totals.csv'), 'utf8')).toContain(
      'rural_class,glesbygd,1,10000,20000,10000',
    );
  });
});
