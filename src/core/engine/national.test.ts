import { describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import { parseMonth } from '../calendar.js';
import { pay, runLoaded } from '../../adapters/files/payment-run.js';
import { parseRulebookText } from '../../adapters/files/rulebook-file.js';
import { caseData, rulebookYaml } from '../test-support/cases.js';
import { writeCaseFolder } from '../../test-support/cases.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateRulebook } from '../rulebook/validate.js';
import { parse } from 'yaml';

/** NSS: the period's base amounts, uprated by the index in force, and the state's part in glesbygd. */

const NATIONAL = `
national_compensation:
  period: {from: 2025-01-01, to: 2028-12-31, source: "period"}
  index:
    - {from: 2026-01-01, percent: 2.0, source: "index 1"}
    - {from: 2027-01-01, percent: 2.5, source: "index 2"}
  state_share: {rural_classes: [glesbygd], share: 0.5, source: "staten"}
  source: "NSS"`;
const COMPONENTS = `
- id: besok
  type: visit_fee
  label: Besöksersättning
  source: "NSS"
  fees: [{profession: fysioterapeut, amount: 333.33}]`;
const nssYaml = (national = NATIONAL) =>
  rulebookYaml(COMPONENTS, national)
    .replace('system: vardval', 'system: nss')
    .replace('id: test/vardval/2025', 'id: test/nss/2025')
    .replace('valid_to: 2025-12-31', 'valid_to: 2028-12-31');

// U1 in a tätort kommun, U2 in a glesbygd kommun; one physiotherapy visit each month.
const DATA = caseData({
  units: [
    'U1,5560160680,Fysio Stad,private,2361,2020-01-01,,,,',
    'U2,5565475489,Fysio Fjäll,private,2321,2020-01-01,,,,',
  ],
  areas: ['A1,2361,1.0,tatort,5', 'A2,2321,1.0,glesbygd,90'],
  visits: ['2025-03', '2026-03', '2027-03'].flatMap((m, i) => [
    `V${i}a,P1,U1,${m}-10,fysioterapeut,fysiskt,,,`,
    `V${i}b,P2,U2,${m}-11,fysioterapeut,fysiskt,,,`,
  ]),
});

function run(month: string) {
  const rb = parseRulebookText(nssYaml(), 'nss.yaml');
  return runLoaded(rb, DATA, parseMonth(month)!).statements;
}

describe('the national compensation of NSS', () => {
  it('pays the period’s base amounts until the first index step', () => {
    const line = defined(run('2025-03').units[0]?.lines[0]);
    expect(line.amount_ore).toBe(33_333);
    expect(line.explanation).toContain('Periodens nivå 2025-01-01–2028-12-31, ännu inte uppräknad');
  });

  it('uprates by every index step in force on the cut-off day, and shows base, steps and result', () => {
    const line = defined(run('2027-03').units[0]?.lines[0]);
    // 333,33 kr × 1,02 × 1,025 = 348,4965… kr → 348,50 kr (rounded once, to the öre).
    expect(line.amount_ore).toBe(Math.round(33_333 * 1.02 * 1.025));
    expect(line.explanation).toContain(
      'Periodens grundbelopp (2025-01-01–2028-12-31): 333,33 kr; Uppräknat med index 2026-01-01 +2 %, 2027-01-01 +2,5 %: 333,33 × 1,0455 = 348,50 kr',
    );
    expect(run('2026-03').units[0]?.lines[0]?.amount_ore).toBe(Math.round(33_333 * 1.02));
  });

  it('shows the region’s and the state’s part of each glesbygd line, and the run’s totals per payer', () => {
    const s = run('2026-03');
    const [stad, fjall] = [defined(s.units[0]), defined(s.units[1])];
    expect(stad.lines[0]?.payers).toBeUndefined();
    const line = defined(fjall.lines[0]);
    expect(line.payers!.state_ore).toBe(Math.round(line.amount_ore * 0.5));
    expect(line.payers!.region_ore + line.payers!.state_ore).toBe(line.amount_ore);
    expect(line.explanation).toContain('Staten betalar 50 % (glesbygd)');
    expect(s.payer_totals).toEqual({
      region_ore: s.total_ore - line.payers!.state_ore,
      state_ore: line.payers!.state_ore,
    });
    expect(s.total_ore).toBe(stad.total_ore + fjall.total_ore);
  });

  it('pays NSS contracts by the NSS rulebook and leaves the LOV contract to vårdval', () => {
    const dir = writeCaseFolder(
      {
        units: [
          'U1,5560160680,Fysio Stad,private,2361,2020-01-01,,,,',
          'U2,5565475489,Fysio Fjäll,private,2321,2020-01-01,,,,',
        ],
        areas: ['A1,2361,1.0,tatort,5', 'A2,2321,1.0,glesbygd,90'],
        visits: [
          'V1,P1,U1,2026-03-10,fysioterapeut,fysiskt,,,',
          'V2,P2,U2,2026-03-11,fysioterapeut,fysiskt,,,',
        ],
      },
      {
        'contracts.csv':
          'contract_id,unit_id,provider_id,connection_form,start_date,end_date,rulebook_id\n' +
          'L1,U1,5560160680,lov,2020-01-01,,\nN1,U2,5565475489,nss,2025-06-01,,test/nss/2025\n',
      },
    );
    const file = join(dir, 'nss.yaml');
    writeFileSync(file, nssYaml());
    const s = pay({ rulebookFile: file, dataDir: dir, month: '2026-03' }).statements;
    expect(s.units.map((u) => u.unit_id)).toEqual(['U2']);
    expect(s.unpaid_units).toEqual([
      { unit_id: 'U1', reason: 'Avtal L1 (LOV) betalas enligt vårdvalets regelbok' },
    ]);
  });

  it('refuses a national compensation outside NSS and index steps out of order', () => {
    const wrong = parse(
      nssYaml(NATIONAL.replace('from: 2027-01-01', 'from: 2025-06-01')).replace(
        'system: nss',
        'system: vardval',
      ),
    );
    const r = validateRulebook(wrong);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['rulebook.national_not_nss', 'national_compensation'],
      ['rulebook.index_order', 'national_compensation.index.1.from'],
    ]);
  });
});
