import { describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import { FLAT_CAPITATION, goalYaml } from '../test-support/rulebook-yaml.js';
import { parseRulebookText } from '../../adapters/files/rulebook-file.js';
import {
  BASE_FILES,
  HEADERS,
  amounts,
  line,
  rulebookYaml,
  caseData,
  runCase,
} from '../test-support/cases.js';
import { parseDate } from '../calendar.js';
import type { DataSet } from '../data/dataset.js';
import type { IndicatorCompute } from '../rulebook/schema.js';
import { computeIndicator } from './indicators.js';
import { followUpSeries, periodsWithin } from './report.js';

/**
 * A small region checked by hand: U3 is a branch (filial) of U1, so what happens there counts for U1.
 * Q1 2025 is 2025-01-01–2025-03-31.
 */
const units = [...BASE_FILES.units, 'U3,5560160680,Filial Ett,private,2361,2020-01-01,,U1,,'];
const listings = [
  'P1,U1,D1,1985-02-10,F,A1,2020-01-01,,', // turns 40 on 2025-02-10
  'P2,U1,D2,1970-06-01,M,A1,2020-01-01,,', // turns 55: not an age the rulebook names
  'P3,U2,,1965-03-31,F,A1,2020-01-01,,', // turns 60 on the period's last day
  'P4,U2,D4,1995-01-01,M,A1,2020-01-01,2025-02-01,', // moves to U1 on 2025-02-01
  'P4,U1,D3,1995-01-01,M,A1,2025-02-01,,',
  'P5,U2,,1975-01-01,F,A2,2020-01-01,,', // turns 50 on the period's first day
  'P6,U1,D1,1955-04-01,M,A1,2020-01-01,,', // turns 70 the day after the period
];
const visitsHeader = `${HEADERS.visits},visit_type`;
const visits = [
  'V1,P1,U1,2025-01-10,lakare,fysiskt,D1,2025-01-07,,', // fixed doctor; 3 days after booking
  'V2,P1,U1,2025-02-10,lakare,fysiskt,D2,2025-02-05,,', // another doctor; 5 days
  'V3,P1,U3,2025-03-01,lakare,fysiskt,D1,,,', // at the branch, fixed doctor; not booked
  'V4,P2,U1,2025-01-20,lakare,telefon,,2025-01-20,,', // no doctor recorded; same day
  'V5,P2,U2,2025-01-21,lakare,fysiskt,D2,2025-01-21,,', // at a unit P2 is not listed at
  'V6,P4,U1,2025-01-15,lakare,fysiskt,D3,2025-01-15,,', // P4 still listed at U2 that day
  'V7,P4,U1,2025-03-15,lakare,fysiskt,D3,2025-03-14,,', // after the move, fixed doctor
  'V8,P1,U1,2024-12-20,lakare,fysiskt,D1,2024-12-01,,', // before the quarter
  'V9,P3,U2,2025-03-31,sjukskoterska,fysiskt,,2025-03-01,,halsosamtal',
  'V10,P1,U1,2025-02-11,distriktsskoterska,fysiskt,,,,halsosamtal',
  'V11,X9,U1,2025-01-05,lakare,fysiskt,D1,2025-01-01,,', // unlisted patient; 4 days
  'V12,P6,U1,2025-03-20,sjukskoterska,fysiskt,,,,halsosamtal', // P6 turns 70 only in April
];
const events = [
  'E1,U1,sip_i_tid,2025-01-10,',
  'E2,U1,sip_late,2025-02-01,',
  'E3,U3,sip_i_tid,2025-03-03,',
  'E4,U2,sip_late,2025-04-01,',
];

function region(visitLines = visits, header = visitsHeader): DataSet {
  return caseData({ units, listings, events, visits: visitLines }, { visits: header });
}

const Q1 = [parseDate('2025-01-01')!, parseDate('2025-03-31')!] as const;

/** `{U1: '3/5'}` for the units with a denominator. */
function shares(compute: IndicatorCompute, data = region()): Record<string, string> {
  const v = computeIndicator(compute, data, ...Q1);
  const out: Record<string, string> = {};
  data.units.id.forEach((id, u) => {
    if ((v.denominator[u] ?? 0) > 0) out[id] = `${v.numerator[u]}/${v.denominator[u]}`;
  });
  return out;
}

describe('computed indicators (uppföljning)', () => {
  it('doctor continuity counts listed patients’ doctor visits at their unit, with the fixed doctor', () => {
    // U1: V1 ✓, V2 ✗, V3 ✓ (branch), V4 ✗ (no doctor), V7 ✓; V5 (not listed at U2) and V6
    // (listed at U2 that day) do not count
    expect(shares({ kind: 'doctor_continuity' })).toEqual({ U1: '3/5' });
    // over 12 months V8 in December counts too
    expect(shares({ kind: 'doctor_continuity', window_months: 12 })).toEqual({ U1: '4/6' });
  });

  it('accessibility counts booked doctor visits within the days after booking', () => {
    // U1: V1 (3 d) ✓, V2 (5 d) ✗, V4 ✓, V6 ✓, V7 ✓, V11 (4 d) ✗; V3 has no booking; U2: V5 ✓
    expect(shares({ kind: 'access_within_days', days: 3, professions: ['lakare'] })).toEqual({
      U1: '4/6',
      U2: '1/1',
    });
    expect(shares({ kind: 'access_within_days', days: 4, professions: ['lakare'] })).toEqual({
      U1: '5/6',
      U2: '1/1',
    });
  });

  it('health dialogue coverage counts those turning a named age in the period', () => {
    // U1: P1 (40) had one; P6 turns 70 after the period. U2: P3 (60, last day) had one, P5 (50,
    // first day) did not
    expect(shares({ kind: 'health_dialogue', ages: [40, 50, 60, 70] })).toEqual({ U1: '1/1', U2: '1/2' });
    expect(shares({ kind: 'health_dialogue', ages: [60] })).toEqual({ U2: '1/1' });
  });

  it('says health dialogues are unknown when visits.csv has no visit_type column', () => {
    const data = region(
      visits.map((v) => v.slice(0, v.lastIndexOf(','))),
      HEADERS.visits,
    );
    expect(data.visits.visitType).toBeUndefined();
    expect(computeIndicator({ kind: 'health_dialogue', ages: [40] }, data, ...Q1).available).toBe(false);
  });

  it('SIP timeliness is a share of events, a branch counting for its unit', () => {
    const sip: IndicatorCompute = {
      kind: 'event_share',
      numerator_events: ['sip_i_tid'],
      denominator_events: ['sip_i_tid', 'sip_late'],
    };
    expect(shares(sip)).toEqual({ U1: '2/3' });
  });
});

describe('goal pays computed indicators from the data', () => {
  const goal = goalYaml('    - {id: lakarbesok_3dagar, weight: 1, target: 0.9, floor: 0.5}');
  const followUp = (origin: string, compute: string): string => `
follow_up:
  indicators:
    - id: lakarbesok_3dagar
      label: Läkarbesök inom 3 dagar
      origin: ${origin}
      ${compute}
      source: "FFU 10.2"`;
  const files = {
    units,
    listings,
    events,
    visits: visits.map((v) => v.slice(0, v.lastIndexOf(','))),
    // the imported row says 90 %: a computed indicator does not read it
    indicators: ['U1,lakarbesok_3dagar,2025-01-01,2025-03-31,9,10'],
  };

  it('uses the computed value when the rulebook computes the indicator', () => {
    const s = runCase(
      goal,
      files,
      '2025-04',
      followUp('computed', 'compute: {kind: access_within_days, days: 3}'),
    );
    // U1: 4/6 → fulfilment (0.6667 − 0.5)/0.4 = 0.41667; 120 × 3/12 × 4 listed (P1, P2, P4, P6) → 50 kr
    expect(amounts(s).U1?.mal).toBe(5000);
    expect(line(s, 'U1', 'mal')?.explanation).toContain('beräknat ur data 2025-01-01–2025-03-31: 4/6');
    // U2: 1/1 → fulfilment 1; 2 listed (P3, P5) → 60 kr
    expect(amounts(s).U2?.mal).toBe(6000);
  });

  it('reads indicators.csv when the indicator is imported', () => {
    const s = runCase(goal, files, '2025-04', followUp('imported', ''));
    expect(amounts(s).U1?.mal).toBe(12000);
    expect(amounts(s).U2?.mal ?? 0).toBe(0);
  });
});

describe('follow-up series (trends)', () => {
  it('gives calendar periods inside the range, per unit and pooled for the region', () => {
    expect(periodsWithin(202412, 202506, 3)).toEqual([
      [20250101, 20250331],
      [20250401, 20250630],
    ]);
    const rb = parseRulebookText(
      rulebookYaml(
        FLAT_CAPITATION,
        `follow_up:
  indicators:
    - {id: tillg, label: Tillgänglighet, origin: computed, compute: {kind: access_within_days, days: 3}, period: 3, target: 0.9, source: "FFU 10.2"}
    - {id: tel, label: Telefon, origin: imported, period: 3, source: "FFU 10.1"}`,
      ),
      'test.yaml',
    ).rulebook;
    const data = caseData(
      { units, listings, events, visits, indicators: ['U2,tel,2025-01-01,2025-03-31,8,10'] },
      { visits: visitsHeader },
    );
    const series = followUpSeries(rb, data, 202501, 202503);
    const [tillg, tel] = [defined(series[0]), defined(series[1])];
    expect(tillg.units.map((u) => [u.unit_id, u.points[0]?.numerator, u.points[0]?.denominator])).toEqual([
      ['U1', 4, 6],
      ['U2', 1, 1],
    ]);
    expect(tillg.region[0]).toMatchObject({
      from: '2025-01-01',
      to: '2025-03-31',
      numerator: 5,
      denominator: 7,
    });
    expect(tillg.target).toBe(0.9);
    expect(tel.units).toEqual([
      { unit_id: 'U2', name: 'VC Två', points: [expect.objectContaining({ value: 0.8 })] },
    ]);
    // only U1's system: the region line pools U1 alone
    const onlyU1 = defined(followUpSeries(rb, data, 202501, 202503, (u) => data.units.id[u] === 'U1')[0]);
    expect(onlyU1.region[0]?.value).toBeCloseTo(4 / 6, 12);
  });
});
