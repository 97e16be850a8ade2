import { describe, expect, it } from 'vitest';
import {
  computedAmount,
  correctUnits,
  PRIOR_COMPONENT,
  priorPaymentLine,
  repaymentLine,
} from './correction.js';

describe('the correction line', () => {
  it('deducts what was paid, so the unit total is the difference paid now', () => {
    const line = priorPaymentLine(100_000, 112_50, 41);
    expect(line).toMatchObject({
      component: PRIOR_COMPONENT,
      type: 'penalty',
      quantity: 1,
      amount_ore: -100_000,
    });
    expect(line.explanation).toBe(
      'Tidigare godkända körningar för månaden (senast 41) betalade 1 000,00 kr; ny beräkning 112,50 kr; skillnaden -887,50 kr betalas nu',
    );
    const lines = [{ component: 'kap', amount_ore: 112_50 }, line];
    expect(lines.reduce((s, l) => s + l.amount_ore, 0)).toBe(112_50 - 100_000);
    expect(computedAmount(lines)).toBe(112_50);
  });

  it('gives back what a unit no longer paid got, with the reason', () => {
    const line = repaymentLine(50_000, 'Avtalet upphörde 2025-01-31', 7);
    expect(line.amount_ore).toBe(-50_000);
    expect(line.explanation).toMatch(
      /^Avtalet upphörde 2025-01-31; tidigare godkända körningar .*\(senast 7\) betalade 500,00 kr, som nu dras av$/,
    );
  });
});

describe('the whole correction of a month', () => {
  const kap = (amount: number) => ({
    component: 'kap',
    type: 'capitation' as const,
    label: 'Kapitering',
    quantity: 1,
    amount_ore: amount,
    explanation: '',
  });
  const paidBefore = new Map([
    ['U1', 100_000],
    ['U2', 50_000],
    ['U3', 0],
    ['U4', 20_000],
  ]);
  const c = correctUnits(
    [
      { unit_id: 'U1', lines: [kap(112_500)], total_ore: 112_500 },
      { unit_id: 'U5', lines: [kap(30_000)], total_ore: 30_000 },
    ],
    paidBefore,
    41,
    (unit) => `Inget avtal för ${unit}`,
    (unit) => unit !== 'U4',
  );

  it('pays every unit of the new computation the difference, as the sum of its lines', () => {
    expect(c.units.map((u) => [u.unit_id, u.total_ore])).toEqual([
      ['U1', 12_500],
      ['U5', 30_000],
    ]);
    for (const u of c.units) {
      expect(u.lines.reduce((s, l) => s + l.amount_ore, 0)).toBe(u.total_ore);
      expect(u.lines.at(-1)?.component).toBe(PRIOR_COMPONENT);
      expect(computedAmount(u.lines)).toBe(u.lines[0]?.amount_ore);
    }
  });

  it('takes back what a unit no longer paid got, except nothing and units the caller cannot pay', () => {
    expect(c.repayments.map((r) => [r.unit_id, r.total_ore])).toEqual([['U2', -50_000]]);
    expect(c.repayments[0]?.line.explanation).toMatch(/^Inget avtal för U2; /);
    expect(c.total_ore).toBe(12_500 + 30_000 - 50_000);
  });
});
