import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capitationYaml } from '../../core/test-support/rulebook-yaml.js';
import { rulebookYaml, writeCaseFolder } from '../../test-support/cases.js';
import { cli, cliPay } from '../../test-support/cli.js';

const rulebook = rulebookYaml(capitationYaml(1200.12));

const LEAD = '5560160680';
const FYSIO = '5565475489';
const PSYK = '2021005489';
const CONTRACTS = 'contract_id,unit_id,provider_id,connection_form,start_date,end_date,rulebook_id';
const MEMBERS = 'contract_id,provider_id,share_percent,left_on';

/** U1 and U2 each with three listed; contracts and members as given (none: no contract files). */
function setup(contracts?: string[], members?: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'vardval-contracts-'));
  const rb = join(dir, 'regelbok.yaml');
  writeFileSync(rb, rulebook);
  const raw: Record<string, string> = {};
  if (contracts) raw['contracts.csv'] = `${[CONTRACTS, ...contracts].join('\n')}\n`;
  if (members) raw['contract_members.csv'] = `${[MEMBERS, ...members].join('\n')}\n`;
  const listings = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map(
    (p, i) => `${p},U${i < 3 ? 1 : 2},,1980-01-01,F,A1,2020-01-01,,`,
  );
  const data = writeCaseFolder({ listings }, raw);
  return { rb, data, out: join(dir, 'ut') };
}

const payIn = (s: ReturnType<typeof setup>, month = '2025-03') =>
  cliPay([s.rb], { data: s.data, month, out: s.out });
const read = (s: ReturnType<typeof setup>, file: string) => readFileSync(join(s.out, file), 'utf8');

describe('pay with contracts.csv', () => {
  it('pays only units with a contract in force, exactly as without the file, and splits a group’s total', async () => {
    const without = setup();
    expect((await payIn(without)).code).toBe(0);
    const plain = JSON.parse(read(without, 'statements.json'));

    const s = setup(
      [`K1,U1,${LEAD},lov,2024-01-01,,`, `K2,U2,2321000016,egen_regi,2020-01-01,2025-02-28,`],
      [`K1,${LEAD},50,`, `K1,${FYSIO},30,`, `K1,${PSYK},20,`],
    );
    const r = await payIn(s);
    expect(r.code).toBe(0);
    const json = JSON.parse(read(s, 'statements.json'));
    const u1 = plain.units.find((u: { unit_id: string }) => u.unit_id === 'U1');
    expect(json.units.map((u: { unit_id: string }) => u.unit_id)).toEqual(['U1']);
    expect(json.units[0].lines).toEqual(u1.lines);
    expect(json.total_ore).toBe(u1.total_ore);
    expect(json.unpaid_units).toEqual([{ unit_id: 'U2', reason: 'Avtal K2 upphörde 2025-02-28' }]);
    expect(json.identity.inputs.map((i: { file: string }) => i.file)).toContain('contract_members.csv');

    const rows = read(s, 'payees.csv').trim().split('\n');
    expect(rows[0]).toBe('unit_id,provider_id,share_percent,amount_ore');
    const parts = rows.slice(1).map((l) => l.split(','));
    expect(parts.map((p) => [p[1], p[2]])).toEqual([
      [PSYK, '20'],
      [LEAD, '50'],
      [FYSIO, '30'],
    ]);
    expect(parts.reduce((sum, p) => sum + Number(p[3]), 0)).toBe(u1.total_ore);

    expect(r.out).toMatch(/Enheter utan utbetalning \(1\)/);
    expect(r.out).toMatch(/U2\s+Avtal K2 upphörde 2025-02-28/);
    expect(r.out).toMatch(/Delade utbetalningar \(1 enhet med gemensamt avtal\)/);
    expect(r.out).toContain(`${LEAD} (huvudman)`);
  });

  it('writes payees.csv with one row of 100 percent per unit and no unpaid list without contracts.csv', async () => {
    const s = setup();
    expect((await payIn(s)).code).toBe(0);
    const json = JSON.parse(read(s, 'statements.json'));
    expect(json.unpaid_units).toBeUndefined();
    const totals = json.units.map((u: { unit_id: string; provider_id: string; total_ore: number }) =>
      [u.unit_id, u.provider_id, 100, u.total_ore].join(','),
    );
    expect(read(s, 'payees.csv')).toBe(
      `unit_id,provider_id,share_percent,amount_ore\n${totals.join('\n')}\n`,
    );
  });

  it('rescales the others’ shares from the day after a member leaves, and stops paying when the lead leaves', async () => {
    const s = setup(
      [`K1,U1,${LEAD},lov,2024-01-01,,`],
      [`K1,${LEAD},50,`, `K1,${FYSIO},30,`, `K1,${PSYK},20,2025-03-31`],
    );
    await payIn(s, '2025-04');
    expect(read(s, 'payees.csv')).toMatch(new RegExp(`U1,${LEAD},63,\\d+\\nU1,${FYSIO},37,`));

    const gone = setup([`K1,U1,${LEAD},lov,2024-01-01,,`], [`K1,${LEAD},50,2025-03-31`, `K1,${FYSIO},50,`]);
    await payIn(gone, '2025-03');
    expect(
      JSON.parse(read(gone, 'statements.json')).units.map((u: { unit_id: string }) => u.unit_id),
    ).toEqual(['U1']);
    await payIn(gone, '2025-04');
    expect(JSON.parse(read(gone, 'statements.json')).unpaid_units).toEqual([
      { unit_id: 'U1', reason: 'Avtal K1 upphörde 2025-03-31 (huvudmannen lämnade avtalet)' },
      { unit_id: 'U2', reason: 'Inget avtal för enheten' },
    ]);
  });

  it('says where the contract files are wrong, and computes nothing', async () => {
    const s = setup(
      [
        `K1,U1,${LEAD},avtal,2024-01-01,,`,
        `K2,U9,${LEAD},lov,2024-01-01,,`,
        `K3,U2,2321000016,lov,2025-01-01,2024-12-31,`,
      ],
      [`K2,${FYSIO},60,`, `K2,${PSYK},30,`, `K9,${PSYK},101,`],
    );
    const r = await payIn(s);
    expect(r.code).toBe(1);
    expect(r.err).toContain('contracts.csv:2:');
    expect(r.err).toContain(
      'connection_form: connection_form ska vara lov, lou, nss, national_tariff, egen_regi, inte "avtal"',
    );
    expect(r.err).toContain('contracts.csv:3:4: unit_id: Enheten U9 finns inte i units.csv');
    expect(r.err).toContain('end_date ligger före start_date');
    expect(r.err).toContain('contract_members.csv:4:1: contract_id: Avtalet K9 finns inte i contracts.csv');
    expect(r.err).toContain('share_percent är ett heltal 1–100 procent, inte "101"');
    expect(r.err).toContain('Andelarna i avtalet K2 summerar till 90 procent, inte 100');
    expect(r.err).toContain(
      `Huvudmannen ${LEAD} (contracts.csv rad 3) saknas bland medlemmarna i avtalet K2`,
    );
  });
});

describe('explain and simulate with contracts.csv', () => {
  it('explains why a unit is not paid, and shows a paid unit’s contract and split', async () => {
    const s = setup([`K1,U1,${LEAD},lov,2024-01-01,,`], [`K1,${LEAD},70,`, `K1,${FYSIO},30,`]);
    const base = ['explain', '--rulebook', s.rb, '--data', s.data, '--month', '2025-03', '--unit'];
    const unpaid = await cli(...base, 'U2');
    expect(unpaid.code).toBe(0);
    expect(unpaid.out).toBe('U2 får ingen utbetalning 2025-03: Inget avtal för enheten');
    const paid = await cli(...base, 'U1');
    expect(paid.out).toContain(`Avtal K1 (LOV, huvudman ${LEAD}, 2024-01-01–)`);
    expect(paid.out).toMatch(new RegExp(`${FYSIO}: 30 %: `));
  });

  it('simulates only the units a contract pays', async () => {
    const s = setup([`K1,U1,${LEAD},lov,2024-01-01,,`]);
    const scenario = join(s.out, '..', 'scenario.yaml');
    writeFileSync(scenario, rulebook.replace('annual_amount: 1200.12', 'annual_amount: 2400'));
    const r = await cli(
      'simulate',
      '--base',
      s.rb,
      '--scenario',
      scenario,
      '--data',
      s.data,
      '--month',
      '2025-03',
      '--out',
      s.out,
    );
    expect(r.code).toBe(0);
    const units = read(s, 'simulation.csv').trim().split('\n').slice(1);
    expect(new Set(units.map((l) => l.split(',')[0]))).toEqual(new Set(['U1']));
  });
});
