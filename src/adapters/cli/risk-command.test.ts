import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capitationYaml } from '../../core/test-support/rulebook-yaml.js';
import { rulebookYaml, writeCaseFolder } from '../../test-support/cases.js';
import { cli, cliSimulate } from '../../test-support/cli.js';

const visit = (id: string, person: string, date: string, dx: string) =>
  `${id},${person},U2,${date},lakare,fysiskt,,,${dx}`;

function folder() {
  return writeCaseFolder({
    listings: [
      '189001019802,U1,,1940-01-01,F,A1,2020-01-01,,',
      'P2,U1,,1950-01-01,M,A1,2020-01-01,,',
      'P3,U2,,1990-01-01,F,A2,2020-01-01,,',
      // Moved away before the cut-off day: not in risk.csv.
      'P4,U2,,1960-01-01,F,A2,2020-01-01,2025-02-01,',
    ],
    visits: [
      visit('V1', '189001019802', '2024-05-02', 'I50.0'),
      visit('V2', '189001019802', '2025-02-28', 'J44.9'),
      visit('V3', 'P2', '2024-01-10', 'C50.9|C78.0'),
      // The first day of the month is after the window.
      visit('V4', 'P3', '2025-03-01', 'I21.9'),
      // Not listed anywhere: ignored.
      visit('V5', 'P9', '2024-06-01', 'B20'),
      visit('V6', 'P4', '2024-06-01', 'G81.9'),
    ],
  });
}

/** `vardval risk` of March 2025 on the folder above, writing to `out`, with any further options. */
const risk = (out: string, ...options: string[]) =>
  cli('risk', '--data', folder(), '--month', '2025-03', '--out', out, ...options);

describe('vardval risk', () => {
  it('writes a score per listed person and counts per unit, and prints no person id', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vardval-risk-')), 'ut');
    const r = await risk(out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'risk.csv'), 'utf8')).toBe(
      'person_id,unit_id,score,categories\n189001019802,U1,2,chf|copd\nP2,U1,6,metacanc\nP3,U2,0,\n',
    );
    expect(readFileSync(join(out, 'risk-units.csv'), 'utf8')).toBe(
      'unit_id,name,listed,mean_score,band_0,band_1,band_2,band_3_4,band_5plus\n' +
        'U1,VC Ett,2,4,0,0,1,0,1\nU2,VC Två,1,0,1,0,0,0,0\n',
    );
    expect(r.out).toMatch(/diagnoser 2023-03-01–2025-02-28/);
    expect(r.out).toMatch(/Summa\s+2 enheter\s+3\s+2,67\s+1\s+0\s+1\s+0\s+1/);
    expect(r.out).not.toMatch(/189001019802|P2|P3/);
  });

  it('weights by Quan 2011 and a shorter window when asked', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vardval-risk-')), 'ut');
    const r = await risk(out, '--weights', 'quan_2011', '--window-months', '6');
    expect(r.code).toBe(0);
    // Only February's COPD is inside six months; Quan weighs COPD 1.
    expect(readFileSync(join(out, 'risk.csv'), 'utf8')).toBe(
      'person_id,unit_id,score,categories\n189001019802,U1,1,copd\nP2,U1,0,\nP3,U2,0,\n',
    );
  });

  it('names the weight sets there are when asked for another', async () => {
    const r = await risk(tmpdir(), '--weights', 'acg');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /Viktuppsättningen acg finns inte i charlson_icd10_se; finns: charlson_1987, quan_2011/,
    );
  });

  it('says where when visits.csv has no diagnoses column', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'visits.csv'), 'visit_id,person_id,unit_id,date,profession,contact\n');
    const r = await cli('risk', '--data', dir, '--month', '2025-03', '--out', tmpdir());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/visits\.csv:1.*diagnoses.*Kolumnen diagnoses saknas/);
  });
});

describe('vardval simulate: a rulebook paying by ACG risk group against one paying by the open grouper', () => {
  const capitation = (weight: string) =>
    rulebookYaml(capitationYaml(1200, `[{share: 1, weight: ${weight}}]`));

  it('runs both on the same month and shows the difference per unit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vardval-risk-sim-'));
    const acg = join(dir, 'acg.yaml');
    const open = join(dir, 'charlson.yaml');
    writeFileSync(acg, capitation('{kind: risk_group, table: {RUB1: 1, RUB3: 3}, default: 1, missing: 1}'));
    writeFileSync(
      open,
      capitation(
        '{kind: comorbidity, weights: charlson_1987, table: {"0": 1, "1-2": 2, "3+": 3}, default: 1}',
      ),
    );
    const data = writeCaseFolder({
      listings: [
        // ACG says RUB3 (3); the diagnoses say heart failure and COPD: score 2 → weight 2.
        'P1,U1,,1950-01-01,F,A1,2020-01-01,,RUB3',
        // ACG says RUB1 (1); metastatic cancer: score 6 → weight 3.
        'P2,U2,,1950-01-01,M,A2,2020-01-01,,RUB1',
      ],
      visits: [visit('V1', 'P1', '2024-05-02', 'I50.0|J44.9'), visit('V2', 'P2', '2025-01-10', 'C78.0')],
    });
    const out = join(dir, 'ut');
    const r = await cliSimulate([acg], [open], { data, out });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'simulation-units.csv'), 'utf8').trim().split('\n')).toEqual([
      'unit_id,name,ownership,rural_class,base_ore,scenario_ore,diff_ore',
      'U1,VC Ett,private,tatort,30000,20000,-10000',
      'U2,VC Två,public,glesbygd,10000,30000,20000',
    ]);
  });
});
