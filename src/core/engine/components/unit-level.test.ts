import { describe, expect, it } from 'vitest';
import { FLAT_CAPITATION, goalYaml } from '../../test-support/rulebook-yaml.js';
import { amounts, line, runCase } from '../../test-support/cases.js';

const kap = FLAT_CAPITATION;
const two = ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U1,,1980-01-01,M,A1,2020-01-01,,'];

describe('goal (målrelaterad ersättning)', () => {
  const goal = goalYaml(`    - {id: tel, weight: 0.5, target: 0.9, floor: 0.7}
    - {id: vantetid, weight: 0.25, target: 0.1, floor: 0.3, direction: lower}
    - {id: saknas, weight: 0.25, target: 0.9, floor: 0.5}`);
  const indicators = [
    'U1,tel,2025-01-01,2025-03-31,85,100',
    'U1,vantetid,2025-01-01,2025-03-31,1,5',
    'U1,tel,2025-01-01,2025-01-31,0,100',
  ];

  it('pays a quarter one month after it ends, from fulfilment between floor and target', () => {
    const s = runCase(goal, { listings: two, indicators }, '2025-04');
    // tel 0.85 → 0.75; vantetid 0.2 (lower is better) → 0.5; missing row → 0
    // 120 × 3/12 × 2 listed × (0.5×0.75 + 0.25×0.5 + 0) = 30 kr
    expect(amounts(s).U1?.mal).toBe(3000);
    expect(line(s, 'U1', 'mal')?.explanation).toContain('2025-01-01–2025-03-31');
  });

  it('has no line in months that pay no period', () => {
    expect(amounts(runCase(goal, { listings: two, indicators }, '2025-03')).U1).toEqual({});
    expect(amounts(runCase(goal, { listings: two, indicators }, '2025-05')).U1).toEqual({});
  });

  it('gives fulfilment 0 for a zero denominator', () => {
    const s = runCase(goal, { listings: two, indicators: ['U1,tel,2025-01-01,2025-03-31,0,0'] }, '2025-04');
    expect(amounts(s).U1?.mal ?? 0).toBe(0);
  });
});

describe('unit_supplement (enhetstillägg)', () => {
  it('pays per item counted from a units.csv column, and per branch', () => {
    const s = runCase(
      `
- id: st
  type: unit_supplement
  label: ST-läkare
  source: "FFU 9.9"
  monthly_per_item: 42500
  count: st_fte
- id: filial
  type: unit_supplement
  label: Filialersättning
  source: "FFU 9.10"
  monthly_per_item: 10000
  count: branches
  only_ownership: [public]`,
      {
        units: [
          'U1,5560160680,VC Ett,private,2361,2020-01-01,,,1.5,',
          'U2,2321000016,VC Två,public,2361,2020-01-01,,,"0,5",',
          'U3,2321000016,Filial,public,2361,2020-01-01,,U2,,',
        ],
      },
    );
    expect(amounts(s)).toEqual({ U1: { st: 6375000 }, U2: { st: 2125000, filial: 1000000 }, U3: {} });
  });
});

describe('start_grant (startbidrag)', () => {
  const grant = (mode: string, months = 12) => `${kap}
- id: start
  type: start_grant
  label: Startbidrag
  source: "FFU 9.8"
  monthly_amount: 250000
  months: ${months}
  mode: ${mode}
  replaces: [kap]`;
  const files = {
    units: [
      'U1,5560160680,VC Ett,private,2361,2020-01-01,,,,',
      'U2,2321000016,VC Ny,public,2361,2025-02-15,,,,',
    ],
    listings: ['P1,U2,,1980-01-01,F,A1,2025-02-15,,', 'P2,U1,,1980-01-01,F,A1,2020-01-01,,'],
  };
  it('adds the grant in the first months from the start date (start month is month 1)', () => {
    const s = runCase(grant('add'), files, '2025-03');
    expect(amounts(s).U2).toEqual({ kap: 10000, start: 25000000 });
    expect(line(s, 'U2', 'start')?.explanation).toContain('Startmånad 2 av 12');
    expect(amounts(s).U1).toEqual({ kap: 10000 });
  });
  it('replaces the named lines with 0 in replace mode', () => {
    const s = runCase(grant('replace'), files, '2025-03');
    expect(amounts(s).U2).toEqual({ kap: 0, start: 25000000 });
    expect(line(s, 'U2', 'kap')?.explanation).toContain('Ersätts av Startbidrag under startperioden');
  });
  it('pays only what is missing up to the amount in guarantee mode', () => {
    expect(amounts(runCase(grant('guarantee'), files, '2025-03')).U2).toEqual({
      kap: 10000,
      start: 24990000,
    });
  });
  it('stops after the last month', () => {
    // Started 2025-02-15: with 2 months the grant covers February and March.
    expect(amounts(runCase(grant('add', 2), files, '2025-03')).U2).toEqual({ kap: 10000, start: 25000000 });
    expect(amounts(runCase(grant('add', 2), files, '2025-04')).U2).toEqual({ kap: 10000 });
  });
});

describe('penalty (vite) and vat_compensation (momskompensation)', () => {
  const rules = `${kap}
- id: vite
  type: penalty
  label: Vite SIP
  source: "FFU 11.2"
  amount: 4000
  event_type: sip_late
- id: moms
  type: vat_compensation
  label: Momskompensation
  source: "FFU 9.11"
  rate: {2025-01-01: 0.06}`;
  const events = [
    'E1,U1,sip_late,2025-03-05,',
    'E2,U1,sip_late,2025-03-31,',
    'E3,U1,sip_late,2025-02-28,',
    'E4,U1,annat,2025-03-05,',
  ];
  it('deducts the amount per event of the type in the month', () => {
    const s = runCase(rules, { listings: two, events });
    expect(amounts(s).U1?.vite).toBe(-800000);
    expect(line(s, 'U1', 'vite')?.quantity).toBe(2);
  });
  it('pays VAT compensation on the other lines except penalties, only to private and non-profit units', () => {
    const s = runCase(rules, { listings: [...two, 'P3,U2,,1980-01-01,F,A1,2020-01-01,,'], events });
    expect(amounts(s).U1?.moms).toBe(1200); // 6 % of 20 000 öre
    expect(amounts(s).U2?.moms).toBeUndefined();
    expect(s.units[0]?.total_ore).toBe(20000 - 800000 + 1200);
  });
  it('rounds negative amounts half away from zero', () => {
    const penalty = `
- id: vite
  type: penalty
  label: Vite
  source: s
  amount: 0.125
  event_type: sip_late`;
    const s = runCase(penalty, { listings: two, events });
    expect(amounts(s).U1?.vite).toBe(-25); // 2 × 12,5 öre
    const one = runCase(penalty, { listings: two, events: ['E1,U1,sip_late,2025-03-05,'] });
    expect(amounts(one).U1?.vite).toBe(-13); // −12,5 öre → −13
  });
});
