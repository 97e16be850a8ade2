import { describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import { reviewRun, type ReviewUnit } from './review.js';

const unit = (unit_id: string, name: string, lines: [string, number][]): ReviewUnit => ({
  unit_id,
  name,
  lines: lines.map(([component, amount_ore]) => ({ component, label: component.toUpperCase(), amount_ore })),
});

describe('reviewRun', () => {
  const before = [
    unit('A', 'Alfa', [
      ['kapitering', 100_000],
      ['besok', 20_000],
    ]),
    unit('B', 'Beta', [['kapitering', 100_000]]),
    unit('C', 'Gamma', [['kapitering', 50_000]]),
  ];
  const now = [
    unit('A', 'Alfa', [
      ['kapitering', 105_000],
      ['besok', 20_000],
    ]), // +4.2 %: within ±10 %
    unit('B', 'Beta', [['kapitering', 111_000]]), // +11 %
    unit('D', 'Delta', [
      ['kapitering', 10_000],
      ['vite', -30_000],
    ]), // new and negative
  ];

  it('flags what moved beyond the threshold, what appeared or disappeared, and negative totals', () => {
    const r = reviewRun(now, before, 10);
    const by = new Map(r.units.map((u) => [u.unit_id, u]));
    expect(by.get('A')).toMatchObject({
      now_ore: 125_000,
      before_ore: 120_000,
      change_ore: 5_000,
      change_percent: 4.2,
      flags: [],
    });
    expect(by.get('B')).toMatchObject({ change_ore: 11_000, change_percent: 11, flags: ['threshold'] });
    expect(by.get('C')).toMatchObject({
      now_ore: null,
      before_ore: 50_000,
      change_percent: -100,
      flags: ['gone'],
    });
    expect(by.get('D')).toMatchObject({ now_ore: -20_000, before_ore: null, flags: ['new', 'negative'] });
    expect(r.flagged).toBe(3);
    // Flagged first, the largest change in kronor first (a new unit: its whole total); the quiet unit last.
    expect(r.units.map((u) => u.unit_id)).toEqual(['C', 'D', 'B', 'A']);
    expect(r.now_ore).toBe(125_000 + 111_000 - 20_000);
    expect(r.before_ore).toBe(270_000);
    expect(by.get('A')!.components.find((c) => c.component === 'kapitering')).toMatchObject({
      now_ore: 105_000,
      before_ore: 100_000,
      change_ore: 5_000,
      change_percent: 5,
    });
    expect(by.get('D')!.components.find((c) => c.component === 'vite')).toMatchObject({
      change_percent: null,
    });
  });

  it('with a lower threshold flags more; with nothing approved before, only negative totals', () => {
    expect(reviewRun(now, before, 4).units.find((u) => u.unit_id === 'A')!.flags).toEqual(['threshold']);
    const first = reviewRun(now, undefined, 10);
    expect(first.before_ore).toBeNull();
    expect(first.units.filter((u) => u.flags.length > 0).map((u) => [u.unit_id, u.flags])).toEqual([
      ['D', ['negative']],
    ]);
  });

  it('leaves a correction’s "tidigare utbetalt" line out of the comparison', () => {
    const correction = [
      unit('A', 'Alfa', [
        ['kapitering', 100_000],
        ['besok', 20_000],
        ['tidigare_utbetalt', -120_000],
      ]),
    ];
    const r = reviewRun(correction, [defined(before[0])], 10);
    expect(r.units[0]).toMatchObject({ now_ore: 120_000, change_ore: 0, flags: [] });
  });
});
