import { describe, expect, it } from 'vitest';
import { capitationYaml } from '../../test-support/rulebook-yaml.js';
import { amounts, line, runCase } from '../../test-support/cases.js';

const flat = (annual: string) => capitationYaml(annual);

const ageSex = capitationYaml(
  1200,
  `
    - share: 1
      weight:
        kind: age_sex
        table:
          - {from: 0, to: 7, F: 2.0, M: 3.0}
          - {from: 7, to: 200, F: 1.0, M: 2.0}`,
);

describe('capitation (kapitering)', () => {
  it('pays annual amount / 12 per listed person with a flat weight, rounded once per line', () => {
    const s = runCase(flat('1000'), {
      listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U1,,1990-01-01,M,A1,2020-01-01,,'],
    });
    // 2 × 1000 / 12 = 166.666… kr → 16 667 öre
    expect(amounts(s)).toEqual({ U1: { kap: 16667 }, U2: {} });
    expect(line(s, 'U1', 'kap')?.quantity).toBe(2);
  });

  it('uses the dated value in force on the cut-off day, including a change on that very day', () => {
    const annual = '{2025-01-01: 1200, 2025-03-01: 2400}';
    const files = { listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,'] };
    expect(amounts(runCase(flat(annual), files, '2025-02')).U1?.kap).toBe(10000);
    expect(amounts(runCase(flat(annual), files, '2025-03')).U1?.kap).toBe(20000);
    expect(line(runCase(flat(annual), files, '2025-03'), 'U1', 'kap')?.explanation).toContain(
      '2 400 kr per år ÷ 12 (gäller från 2025-03-01)',
    );
  });

  it('counts a birthday on the cut-off day as had', () => {
    const files = { listings: ['P1,U1,,2018-03-01,F,A1,2020-01-01,,'] };
    // 2025-02-01: age 6 → weight 2; 2025-03-01: age 7 → weight 1
    expect(amounts(runCase(ageSex, files, '2025-02')).U1?.kap).toBe(20000);
    expect(amounts(runCase(ageSex, files, '2025-03')).U1?.kap).toBe(10000);
  });

  it('does not count a listing that ends on the cut-off day (listed_to is exclusive), and counts one that starts on it', () => {
    const files = {
      listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,2025-03-01,', 'P1,U2,,1980-01-01,F,A1,2025-03-01,,'],
    };
    expect(amounts(runCase(flat('1200'), files, '2025-02'))).toEqual({ U1: { kap: 10000 }, U2: {} });
    expect(amounts(runCase(flat('1200'), files, '2025-03'))).toEqual({ U1: {}, U2: { kap: 10000 } });
  });

  it('gives a person of unknown sex the mean of the F and M weights', () => {
    const s = runCase(ageSex, { listings: ['P1,U1,,1980-01-01,,A1,2020-01-01,,'] });
    expect(amounts(s).U1?.kap).toBe(15000); // (1.0 + 2.0) / 2 × 100 kr
  });

  it('weights by risk group, with default for unknown groups and missing for none', () => {
    const risk = capitationYaml(
      1200,
      `
    - share: 1
      weight: {kind: risk_group, table: {RUB1: 0.5, RUB3: 2.0}, default: 1.0, missing: 0.8}`,
    );
    const s = runCase(risk, {
      listings: [
        'P1,U1,,1980-01-01,F,A1,2020-01-01,,RUB1',
        'P2,U1,,1980-01-01,F,A1,2020-01-01,,RUB9',
        'P3,U2,,1980-01-01,F,A1,2020-01-01,,',
      ],
    });
    expect(amounts(s)).toEqual({ U1: { kap: 15000 }, U2: { kap: 8000 } });
  });

  it('weights by CNI / reference and by CNI bands, and by area class', () => {
    const cni = (weight: string) =>
      capitationYaml(
        1200,
        `
    - {share: 0.5, weight: {kind: flat}}
    - {share: 0.5, weight: ${weight}}`,
      );
    const files = {
      listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U2,,1980-01-01,F,A2,2020-01-01,,'],
    };
    // A1 cni 1.2, A2 cni 0.8; reference 0.8 → 1.5 and 1.0
    expect(amounts(runCase(cni('{kind: cni, reference: 0.8}'), files))).toEqual({
      U1: { kap: 12500 },
      U2: { kap: 10000 },
    });
    expect(
      amounts(
        runCase(
          cni('{kind: cni, bands: [{from: 0, to: 1, weight: 0.5}, {from: 1, to: 9, weight: 3}]}'),
          files,
        ),
      ),
    ).toEqual({
      U1: { kap: 20000 },
      U2: { kap: 7500 },
    });
    expect(amounts(runCase(cni('{kind: area_class, table: {glesbygd: 2}, default: 1}'), files))).toEqual({
      U1: { kap: 10000 },
      U2: { kap: 15000 },
    });
  });

  it('counts persons identified by samordningsnummer and personnummer like anyone else', () => {
    const s = runCase(flat('1200'), {
      listings: [
        '191401682396,U1,,1914-01-08,M,A1,2020-01-01,,',
        '189001019802,U1,,1890-01-01,F,A1,2020-01-01,,',
      ],
    });
    expect(amounts(s).U1?.kap).toBe(20000);
  });

  it('reports a listed person whose area has no CNI as an input error located in listings.csv', () => {
    const run = () =>
      runCase(
        `
- id: kap
  type: capitation
  label: K
  source: s
  annual_amount: 1200
  parts: [{share: 1, weight: {kind: cni, reference: 1}}]`,
        {
          areas: ['A1,2361,,tatort,5', 'A2,2361,1,glesbygd,5'],
          listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,'],
        },
      );
    expect(run).toThrow(/listings\.csv:2: area: Området A1 saknar cni/);
  });
});
