import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAT_CAPITATION } from '../test-support/rulebook-yaml.js';
import { loadRulebookFile } from '../../adapters/files/rulebook-file.js';
import { parseRulebookText } from '../../adapters/files/rulebook-file.js';
import { rulebookYaml } from '../test-support/cases.js';
import { checkConformance, type FactValue } from './conformance.js';

const example = loadRulebookFile(join(process.cwd(), 'rulebooks', 'exempel', 'vardval-2025.yaml')).rulebook;
const on = 20250401;

function statusOf(listed: number, facts: Record<string, FactValue>, requirement: string): string {
  const r = checkConformance(example, listed, new Map(Object.entries(facts)), on);
  return r.checks.find((c) => c.requirement === requirement)!.status;
}

describe('requirement conformance (kravuppföljning) of the example rulebook', () => {
  it('opening hours: 40 h below 4 500 listed, 45 h from 4 500 (Gävleborg’s levels)', () => {
    expect(statusOf(4499, { opening_hours_per_week: 40 }, 'oppettider')).toBe('met');
    expect(statusOf(4499, { opening_hours_per_week: 39.9 }, 'oppettider')).toBe('not_met');
    expect(statusOf(4500, { opening_hours_per_week: 40 }, 'oppettider')).toBe('not_met');
    expect(statusOf(4500, { opening_hours_per_week: 44.9 }, 'oppettider')).toBe('not_met');
    expect(statusOf(4500, { opening_hours_per_week: 45 }, 'oppettider')).toBe('met');
    expect(statusOf(4500, {}, 'oppettider')).toBe('unknown');
  });

  it('yes/no facts: met, not met, unknown when not reported', () => {
    expect(statusOf(3000, { psychologist: true }, 'psykolog')).toBe('met');
    expect(statusOf(3000, { psychologist: false }, 'psykolog')).toBe('not_met');
    expect(statusOf(3000, {}, 'psykolog')).toBe('unknown');
    expect(statusOf(3000, { web_bookable_share: 0.25 }, 'webbtidbok')).toBe('met');
    expect(statusOf(3000, { web_bookable_share: 0.2499 }, 'webbtidbok')).toBe('not_met');
  });

  it('lists every measurable requirement with its source, and proposes a penalty per unmet ska-requirement', () => {
    const r = checkConformance(
      example,
      5200,
      new Map<string, FactValue>([
        ['opening_hours_per_week', 42],
        ['psychologist', false],
        ['digital_contact', true],
        ['web_bookable_share', 0.1],
      ]),
      on,
    );
    const oppettider = r.checks.find((c) => c.requirement === 'oppettider')!;
    expect(oppettider.expected).toBe('≥ 45 timmar per vecka');
    expect(oppettider.reason).toContain('42 timmar per vecka');
    expect(oppettider.source).toContain('Gävleborg');
    expect(r.counts.not_met).toBe(3); // oppettider, psykolog, webbtidbok
    expect(r.counts.met).toBe(1); // digitala_kontaktvagar
    // webbtidbok is a recommendation (bör): followed up, not sanctioned; halsosamtal is unknown
    expect(r.penalties.map((p) => [p.requirement, p.amount_ore])).toEqual([
      ['oppettider', 1_000_000],
      ['psykolog', 1_000_000],
    ]);
    expect(r.penalties[0]?.sanction).toBe('vite_krav');
  });

  it('a threshold with a maximum, and a sanction amount in force on the day', () => {
    const rb = parseRulebookText(
      rulebookYaml(
        FLAT_CAPITATION,
        `requirements:
  - id: sip
    text: SIP-kallelser i tid
    level: ska
    hsl_points: [4]
    measure: {fact: sip_late_cases, thresholds: [{max: 0}]}
    source: "FFU 6.7"
sanctions:
  - id: vite
    text: Vite
    amount: {2025-01-01: 4000, 2025-07-01: 5000}
    requirements: [sip]
    source: "FFU 11.2"`,
      ),
      'test.yaml',
    ).rulebook;
    const late = new Map<string, FactValue>([['sip_late_cases', 1]]);
    expect(checkConformance(rb, 10, late, 20250601).penalties[0]?.amount_ore).toBe(400_000);
    expect(checkConformance(rb, 10, late, 20250701).penalties[0]?.amount_ore).toBe(500_000);
    expect(checkConformance(rb, 10, new Map([['sip_late_cases', 0]]), 20250701).penalties).toEqual([]);
  });

  it('refuses a sanction naming an unknown requirement, with its YAML path', () => {
    expect(() =>
      parseRulebookText(
        rulebookYaml(
          FLAT_CAPITATION,
          `sanctions:
  - id: vite
    text: Vite
    amount: 4000
    requirements: [finns_inte]
    source: "FFU 11.2"`,
        ),
        'test.yaml',
      ),
    ).toThrow(/sanctions\[0\]\.requirements\[0\].*finns_inte/s);
  });
});
