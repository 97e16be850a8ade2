import { describe, expect, it } from 'vitest';
import { computedAmount, PRIOR_COMPONENT, priorPaymentLine, repaymentLine } from './correction.js';

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
