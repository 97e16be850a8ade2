import { describe, expect, it } from 'vitest';
import { caseData, rulebookOf, rulebookYaml, runOn } from '../test-support/cases.js';
import { renderDerivation } from '../engine/derivation.js';
import type { ComponentAdjust, RunMemo } from '../engine/run.js';
import { budgetNeutral, componentShares, defaultScaled, scaledProblems } from './budget-neutral.js';

const components = (annual: number, fee: number) => `
- id: kap
  type: capitation
  label: Kapitering
  source: "FFU 9.2"
  annual_amount: ${annual}
  parts: [{share: 1, weight: {kind: flat}}]
- id: besok
  type: visit_fee
  label: Besöksersättning
  source: "FFU 9.4"
  fees: [{profession: lakare, amount: ${fee}}]
- id: vite
  type: penalty
  label: Vite
  source: "FFU 12"
  amount: 77.77
  event_type: sip_late
- id: moms
  type: vat_compensation
  label: Momskompensation
  source: "FFU 9.9"
  rate: 0.06
  ownership: [private]`;

// Odd amounts and many persons so that scaling leaves remainders on almost every line.
const listings = Array.from(
  { length: 37 },
  (_, i) => `P${i},U${(i % 2) + 1},,1980-01-01,F,A${(i % 3) + 1 === 3 ? 1 : (i % 3) + 1},2020-01-01,,`,
);
const visits = Array.from(
  { length: 23 },
  (_, i) => `V${i},P${i},U${(i % 2) + 1},2025-03-${String((i % 27) + 1).padStart(2, '0')},lakare,fysiskt,,,`,
);
const data = caseData({
  listings,
  visits,
  events: ['E1,U1,sip_late,2025-03-04,', 'E2,U2,sip_late,2025-03-09,'],
});
const month = '2025-03';
const load = (annual: number, fee: number) => rulebookOf(rulebookYaml(components(annual, fee)));
const base = runOn(load(1234.57, 313.33), data, month);
const scenarioBook = load(2017.11, 199.99);
const run = (adjust?: ComponentAdjust) => runOn(scenarioBook, data, month, { adjust });

describe('budget-neutral scaling', () => {
  it('scales the default components so the scenario pays the base total to the öre', () => {
    expect(defaultScaled([scenarioBook.rulebook])).toEqual(['kap', 'besok']);
    const unscaled = run();
    expect(unscaled.total_ore).not.toBe(base.total_ore);
    const out = budgetNeutral(run, base.total_ore, ['kap', 'besok'], data.units.id);
    if (!out.ok) throw new Error(out.message);
    const { statements, factor, residualOre } = out.result;
    expect(residualOre).toBe(0);
    expect(statements.total_ore).toBe(base.total_ore);
    expect(statements.units.reduce((s, u) => s + u.total_ore, 0)).toBe(base.total_ore);
    for (const u of statements.units) expect(u.lines.reduce((s, l) => s + l.amount_ore, 0)).toBe(u.total_ore);
    const scenarioLine = (s: typeof unscaled, unit: string, c: string) =>
      s.units.find((u) => u.unit_id === unit)!.lines.find((l) => l.component === c)!.amount_ore;
    for (const unit of ['U1', 'U2']) {
      // Every scaled line within one öre of its exact scaled amount; the penalty untouched.
      for (const c of ['kap', 'besok'])
        expect(
          Math.abs(scenarioLine(statements, unit, c) - scenarioLine(unscaled, unit, c) * factor),
        ).toBeLessThan(1.0000001);
      expect(scenarioLine(statements, unit, 'vite')).toBe(scenarioLine(unscaled, unit, 'vite'));
    }
    // VAT is recomputed on the scaled lines, not scaled itself.
    const vatBase = scenarioLine(statements, 'U1', 'kap') + scenarioLine(statements, 'U1', 'besok');
    expect(Math.abs(scenarioLine(statements, 'U1', 'moms') - 0.06 * vatBase)).toBeLessThanOrEqual(0.5);
    expect(scenarioLine(statements, 'U1', 'moms')).not.toBe(scenarioLine(unscaled, 'U1', 'moms'));
    // A scaled line explains itself: its derivation ends in the scaling and comes to the amount paid,
    // and the sentence is the one rendered from it.
    for (const unit of statements.units)
      for (const line of unit.lines.filter((l) => l.component === 'kap' || l.component === 'besok')) {
        const last = line.derivation!.steps.at(-1)!;
        expect(last.label).toContain('budgetneutral skalning');
        expect(last.rate).toBe(factor);
        expect(last.amount_ore).toBe(line.amount_ore);
        expect(line.derivation!.amount_ore).toBe(line.amount_ore);
        expect(line.explanation).toBe(renderDerivation(line.derivation!));
        const before = unscaled.units
          .find((u) => u.unit_id === unit.unit_id)!
          .lines.find((l) => l.component === line.component)!;
        expect(last.quantity).toBe(before.amount_ore / 100);
      }
  });

  it('refuses unknown and derived components, and a target the scaled lines cannot reach', () => {
    expect(scaledProblems(['kap', 'kapp'], [scenarioBook.rulebook])).toEqual([
      'Komponenten "kapp" finns inte i scenariots regelbok; välj bland kap, besok, vite, moms',
    ]);
    expect(scaledProblems(['moms'], [scenarioBook.rulebook])[0]).toContain('räknas på andra rader');
    const out = budgetNeutral(run, -100_000_000, ['kap'], data.units.id);
    expect(out.ok).toBe(false);
  });

  it('gives each component’s share of the total', () => {
    const shares = componentShares(base);
    expect(shares.reduce((s, c) => s + c.ore, 0)).toBe(base.total_ore);
    expect(shares.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 9);
    expect(shares.find((c) => c.component === 'vite')!.share).toBeLessThan(0);
  });

  it('gives the same statements when the runs keep what does not change between them (RunMemo)', () => {
    const memo: RunMemo = { results: new Map() };
    const withMemo = (adjust?: ComponentAdjust) => runOn(scenarioBook, data, month, { adjust, memo });
    const plain = budgetNeutral(run, base.total_ore, ['kap', 'besok'], data.units.id);
    const kept = budgetNeutral(withMemo, base.total_ore, ['kap', 'besok'], data.units.id);
    expect(memo.results.size).toBeGreaterThan(0);
    expect(plain.ok && kept.ok).toBe(true);
    if (plain.ok && kept.ok) {
      expect(JSON.stringify(kept.result.statements)).toBe(JSON.stringify(plain.result.statements));
      expect(JSON.stringify(kept.result.unscaled)).toBe(JSON.stringify(run()));
    }
  });
});
