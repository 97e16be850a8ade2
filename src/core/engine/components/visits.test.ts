import { describe, expect, it } from 'vitest';
import { FLAT_CAPITATION } from '../../test-support/rulebook-yaml.js';
import { amounts, line, runCase } from '../../test-support/cases.js';
import { interpolate } from './coverage.js';

const kap = FLAT_CAPITATION;

const fee = (appliesTo: string) => `
- id: besok
  type: visit_fee
  label: Besöksersättning
  source: "FFU 9.4"
  applies_to: ${appliesTo}
  default: 10
  fees:
    - {profession: lakare, contact: fysiskt, amount: 350}
    - {profession: lakare, amount: 200}
    - {contact: telefon, amount: 50}`;

const listings = ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U2,,1980-01-01,M,A1,2020-01-01,,'];

describe('visit_fee (besöksersättning)', () => {
  const visits = [
    'V1,P1,U1,2025-03-03,lakare,fysiskt,,,', // listed here
    'V2,P2,U1,2025-03-04,lakare,digitalt,,,', // listed elsewhere: profession row
    'V3,P9,U1,2025-03-05,sjukskoterska,telefon,,,', // unlisted: contact row
    'V4,P9,U1,2025-03-31,kurator,fysiskt,,,', // default
    'V5,P9,U1,2025-02-28,lakare,fysiskt,,,', // not in the month
    'V6,P9,U1,2025-04-01,lakare,fysiskt,,,', // not in the month
  ];
  it('takes the most specific fee row: profession and contact, then profession, then contact, then default', () => {
    const s = runCase(fee('all'), { listings, visits });
    expect(amounts(s).U1?.besok).toBe(35000 + 20000 + 5000 + 1000);
    expect(line(s, 'U1', 'besok')?.quantity).toBe(4);
  });
  it('counts only visits by persons listed elsewhere or unlisted with applies_to: not_listed_here', () => {
    expect(amounts(runCase(fee('not_listed_here'), { listings, visits })).U1?.besok).toBe(
      20000 + 5000 + 1000,
    );
  });
  it('counts only visits by the unit’s own listed with applies_to: listed_here', () => {
    expect(amounts(runCase(fee('listed_here'), { listings, visits })).U1?.besok).toBe(35000);
  });
});

describe('coverage (täckningsgrad)', () => {
  const coverage = (extra = '') => `${kap}
- id: tack
  type: coverage
  label: Täckningsgrad
  source: "FFU 9.3"
  base: kap
  counted: {professions: [lakare, sjukskoterska]}
  factor: [[0.5, 0.9], [1.0, 1.1]]${extra}`;

  it('scales the base line by (factor − 1) from the share of listed persons’ visits at their own unit in the 12 months before', () => {
    const s = runCase(coverage(), {
      listings,
      visits: [
        'V1,P1,U1,2024-03-01,lakare,fysiskt,,,', // first day of the window
        'V2,P1,U2,2025-02-28,lakare,fysiskt,,,', // last day of the window, elsewhere
        'V3,P1,U2,2024-02-29,lakare,fysiskt,,,', // before the window
        'V4,P1,U2,2025-03-01,lakare,fysiskt,,,', // the run month: not in the window
        'V5,P1,U2,2024-06-01,kurator,fysiskt,,,', // not a counted profession
      ],
    });
    // coverage 1/2 → factor 0.9 → (0.9 − 1) × 10 000 öre
    expect(amounts(s).U1).toEqual({ kap: 10000, tack: -1000 });
    expect(line(s, 'U1', 'tack')?.explanation).toContain('Täckningsgrad: 50 %');
  });

  it('interpolates linearly between points and clamps at the ends', () => {
    const points: [number, number][] = [
      [0.5, 0.9],
      [1.0, 1.1],
    ];
    expect(interpolate(points, 0.75)).toBeCloseTo(1.0, 12);
    expect(interpolate(points, 0.1)).toBe(0.9);
    expect(interpolate(points, 1.0)).toBe(1.1);
  });

  it('uses factor 1 (no line amount) when the listed have no counted visits', () => {
    const s = runCase(coverage(), { listings, visits: [] });
    expect(amounts(s).U1).toEqual({ kap: 10000 });
  });

  it('pays a bonus above factor 1', () => {
    const s = runCase(coverage(), { listings, visits: ['V1,P1,U1,2025-01-10,sjukskoterska,telefon,,,'] });
    expect(amounts(s).U1?.tack).toBe(1000);
  });
});

describe('visits_elsewhere_charge (kostnadsansvar)', () => {
  const charge = (atUnits = '') => `
- id: jour
  type: visits_elsewhere_charge
  label: Kostnadsansvar jour
  source: "FFU 9.7"
  charge: 400
  counted: {professions: [lakare]}${atUnits}`;
  const visits = [
    'V1,P1,U2,2025-03-10,lakare,fysiskt,,,', // P1 listed at U1, visit at U2: U1 pays
    'V2,P1,U1,2025-03-11,lakare,fysiskt,,,', // at the listing unit: no charge
    'V3,P1,U2,2025-03-12,sjukskoterska,fysiskt,,,', // not counted
    'V4,P9,U2,2025-03-12,lakare,fysiskt,,,', // unlisted person: nobody pays
  ];
  it('charges the listing unit for its listed persons’ counted visits elsewhere in the month', () => {
    const s = runCase(charge(), { listings, visits });
    expect(amounts(s).U1?.jour).toBe(-40000);
    expect(line(s, 'U1', 'jour')?.quantity).toBe(1);
    expect(amounts(s).U2).toEqual({});
  });
  it('limits the charge to visits at the named units with at_units', () => {
    expect(amounts(runCase(charge('\n  at_units: [U3]'), { listings, visits })).U1).toEqual({});
  });
});

describe('area_supplement (glesbygdstillägg)', () => {
  it('pays per listed person by the rural class of the person’s area', () => {
    const s = runCase(
      `
- id: gles
  type: area_supplement
  label: Glesbygdstillägg
  source: "FFU 9.5"
  annual_per_listed: {glesbygd: 600, tatort: 0}`,
      {
        listings: [
          'P1,U1,,1980-01-01,F,A1,2020-01-01,,',
          'P2,U1,,1980-01-01,F,A2,2020-01-01,,',
          'P3,U1,,1980-01-01,F,A2,2020-01-01,,',
        ],
      },
    );
    expect(amounts(s).U1?.gles).toBe(10000);
    expect(line(s, 'U1', 'gles')?.quantity).toBe(2);
  });
});
