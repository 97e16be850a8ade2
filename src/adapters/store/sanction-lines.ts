import { createHash } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Statements } from '../../core/engine/run.js';
import { withSanctions, type DecidedSanction } from '../../core/followup/sanctions.js';
import type { Db } from './connection.js';
import * as t from './schema.js';

/**
 * What a payment run reads of the sanctions: the decided ones of its month. Kept apart from the
 * sanction workflow (sanctions.ts) so the run path depends on nothing but the table.
 */

/** The decided sanctions deducted in a payment month. */
export async function decidedSanctionsFor(db: Db, month: string): Promise<DecidedSanction[]> {
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
