import { describe, expect, it } from 'vitest';
import { defined } from '../test-support/defined.js';
import type { Statements } from '../engine/run.js';
import {
  answerDue,
  checkDecision,
  settlementMonth,
  withSanctions,
  type DecidedSanction,
} from './sanctions.js';

const monthly = { answer_days: 14, settlement: 'monthly' as const };
const quarterly = { answer_days: 10, settlement: 'quarterly' as const };

describe('sanctions with due process', () => {
  it('gives the provider the rulebook period to answer, across a month end', () => {
    expect(answerDue(20250125, monthly)).toBe(20250208);
    expect(answerDue(20251225, quarterly)).toBe(20260104);
  });

  it('deducts in the first unpaid month, or at the end of its quarter', () => {
    expect(settlementMonth(202511, monthly)).toBe(202511);
    expect([202510, 202511, 202512, 202601].map((m) => settlementMonth(m, quarterly))).toEqual([
      202512, 202512, 202512, 202603,
    ]);
  });

  it('hears the provider before deciding, decides once, and reduces only below the proposal', () => {
    const proposed = { status: 'proposed' as const, proposedOre: 1_000_000, answerDue: 20250208 };
    const early = checkDecision(proposed, { decision: 'confirm', reason: 'Ej uppfyllt' }, 20250208);
    expect(early).toMatchObject({ ok: false, code: 'conflict' });
    expect(early.ok || early.message).toContain('till och med 2025-02-08');
    expect(checkDecision(proposed, { decision: 'confirm', reason: 'x' }, 20250209)).toEqual({
      ok: true,
      status: 'confirmed',
      amountOre: 1_000_000,
    });
    const answered = { ...proposed, status: 'answered' as const };
    expect(
      checkDecision(answered, { decision: 'reduce', amountOre: 400_000, reason: 'Delvis' }, 20250201),
    ).toEqual({
      ok: true,
      status: 'reduced',
      amountOre: 400_000,
    });
    for (const amountOre of [0, 1_000_000, undefined])
      expect(checkDecision(answered, { decision: 'reduce', amountOre, reason: 'x' }, 20250201)).toMatchObject(
        {
          ok: false,
          pointer: '/amount_ore',
        },
      );
    expect(checkDecision(answered, { decision: 'cancel', reason: ' ' }, 20250201)).toMatchObject({
      pointer: '/reason',
    });
    expect(
      checkDecision({ ...proposed, status: 'confirmed' }, { decision: 'cancel', reason: 'x' }, 20250301),
    ).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('adds a decided sanction as a penalty line naming the decision, and keeps the totals the sum of lines', () => {
    const statements: Statements = {
      format: 'vardval-statements/1',
      identity: { month: '2025-12', rulebook: { id: 'r', sha256: 'x' }, inputs: [], engine_version: '1' },
      units: [
        {
          unit_id: 'U1',
          name: 'Ett',
          provider_id: 'P',
          ownership: 'private',
          lines: [],
          total_ore: 5_000_000,
        },
        {
          unit_id: 'U2',
          name: 'Två',
          provider_id: 'P',
          ownership: 'private',
          lines: [],
          total_ore: 3_000_000,
        },
      ],
      total_ore: 8_000_000,
    };
    const s: DecidedSanction = {
      id: 7,
      unitId: 'U2',
      sanction: 'vite_krav',
      subject: 'krav psykolog',
      period: '2025-10',
      status: 'reduced',
      proposedOre: 1_000_000,
      amountOre: 250_000,
      decidedOn: '2025-11-20',
      reason: 'Psykolog anställd från november',
    };
    const out = withSanctions(statements, [s, { ...s, id: 8, unitId: 'U9' }], { sha256: 'abc' });
    expect(out.units[1]?.lines).toEqual([
      expect.objectContaining({ component: 'sanktion-7', type: 'penalty', amount_ore: -250_000 }),
    ]);
    expect(out.units[1]?.lines[0]?.explanation).toContain('beslut nr 7 den 2025-11-20');
    expect(out.units[1]?.lines[0]?.explanation).toContain('nedsatt från 10 000,00 kr till 2 500,00 kr');
    // The line names the decision as its source, and its steps add up to what is deducted.
    const line = defined(out.units[1]?.lines[0]);
    expect(line.source).toContain('beslut om vite nr 7 den 2025-11-20');
    expect(line.derivation?.steps.map((step) => step.amount_ore)).toEqual([-1_000_000, 750_000]);
    expect(line.derivation?.amount_ore).toBe(-250_000);
    expect([out.units[0]?.total_ore, out.units[1]?.total_ore, out.total_ore]).toEqual([
      5_000_000, 2_750_000, 7_750_000,
    ]);
    expect(out.identity.inputs).toEqual([{ file: 'sanctions', sha256: 'abc' }]);
    expect(withSanctions(statements, [], { sha256: 'x' })).toBe(statements);
  });
});
