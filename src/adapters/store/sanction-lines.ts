import { createHash } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Statements } from '../../core/engine/run.js';
import { addMonths, formatMonth, parseMonth } from '../../core/calendar.js';
import { settlementMonth, withSanctions, type DecidedSanction } from '../../core/followup/sanctions.js';
import type { SanctionProcess } from '../../core/rulebook/schema.js';
import type { Db } from './connection.js';
import * as t from './schema.js';
import { writeAudit } from './users.js';

/**
 * What a payment run reads of the sanctions: the decided ones of its month. Kept apart from the
 * sanction workflow (sanctions.ts) so the run path depends on nothing but the table.
 */

/** The decided sanctions deducted in a payment month. */
async function decidedSanctionsFor(db: Db, month: string): Promise<DecidedSanction[]> {
  const rows = await db
    .select()
    .from(t.sanctions)
    .where(and(eq(t.sanctions.settleMonth, month), inArray(t.sanctions.status, ['confirmed', 'reduced'])))
    .orderBy(asc(t.sanctions.id));
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unitId,
    sanction: r.sanction,
    subject: r.subject,
    period: r.period,
    status: r.status as 'confirmed' | 'reduced',
    proposedOre: r.proposedOre,
    amountOre: r.decidedOre!,
    decidedOn: r.decidedAt!,
    reason: r.decisionReason ?? '',
  }));
}

/**
 * A stored run's statements with the month's decided sanctions as penalty lines: the one place
 * where sanctions enter a payment, named as an input of the run.
 */
export async function withDecidedSanctions(
  db: Db,
  month: string,
  statements: Statements,
): Promise<Statements> {
  const decided = await decidedSanctionsFor(db, month);
  const sha256 = createHash('sha256').update(JSON.stringify(decided)).digest('hex');
  return withSanctions(statements, decided, { sha256 });
}

export interface CarriedOver {
  id: number;
  unitId: string;
  from: string;
  to: string;
}

/**
 * A sanction decided after the draft of its settlement month was computed is not in that draft.
 * When the draft is approved as it is, the sanction moves to the next month its rulebook settles
 * in (never skipped), with an audit row in the approval's transaction. Units the run does not pay
 * (another system's run) keep theirs.
 */
export async function carryOverSanctionsNotIn(
  tx: Db,
  run: { id: number; month: string },
  processOf: (rulebookVersionId: number) => Promise<SanctionProcess>,
  who: { actor: string | null; role: string | null; origin?: string | null },
): Promise<CarriedOver[]> {
  const decided = await tx
    .select()
    .from(t.sanctions)
    .where(and(eq(t.sanctions.settleMonth, run.month), inArray(t.sanctions.status, ['confirmed', 'reduced'])))
    .orderBy(asc(t.sanctions.id));
  if (decided.length === 0) return [];
  const paid = new Map<string, Set<string>>();
  for (const s of await tx
    .select({ unitId: t.statements.unitId, lines: t.statements.lines })
    .from(t.statements)
    .where(eq(t.statements.runId, run.id)))
    paid.set(s.unitId, new Set((s.lines as { component: string }[]).map((l) => l.component)));
  const moved: CarriedOver[] = [];
  for (const s of decided) {
    const components = paid.get(s.unitId);
    if (!components || components.has(`sanktion-${s.id}`)) continue;
    const next = formatMonth(
      settlementMonth(addMonths(parseMonth(run.month)!, 1), await processOf(s.rulebookVersionId)),
    );
    await tx
      .update(t.sanctions)
      .set({ settleMonth: next })
      .where(and(eq(t.sanctions.id, s.id), eq(t.sanctions.settleMonth, run.month)));
    await writeAudit(tx, {
      actor: who.actor,
      role: who.role,
      action: 'sanction.carried_over',
      target: `sanction:${s.id}`,
      origin: who.origin ?? null,
      detail: { run: run.id, from: run.month, to: next },
    });
    moved.push({ id: s.id, unitId: s.unitId, from: run.month, to: next });
  }
  return moved;
}
