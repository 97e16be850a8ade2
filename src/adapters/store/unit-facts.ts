import { and, asc, eq, lte } from 'drizzle-orm';
import type { FactValue } from '../../core/followup/conformance.js';
import type { Db } from './connection.js';
import * as t from './schema.js';
import { writeAudit } from './users.js';
import { returned } from './returned.js';

/** Facts units report for requirement conformance (kravuppföljning), kept as a history. */

export interface UnitFact {
  id: number;
  unit_id: string;
  fact: string;
  value: FactValue;
  valid_from: string;
  note: string | null;
  reported_by: string;
  reported_role: string;
  reported_at: string;
}

function toFact(r: typeof t.unitFacts.$inferSelect): UnitFact {
  return {
    id: r.id,
    unit_id: r.unitId,
    fact: r.fact,
    value: r.valueBool ?? r.valueNumber ?? 0,
    valid_from: r.validFrom,
    note: r.note,
    reported_by: r.reportedBy,
    reported_role: r.reportedRole,
    reported_at: r.reportedAt.toISOString(),
  };
}

export async function recordFact(
  db: Db,
  input: { unitId: string; fact: string; value: FactValue; validFrom: string; note?: string | null },
  actor: { username: string; role: string; origin?: string },
): Promise<UnitFact> {
  return db.transaction(async (tx) => {
    const row = await tx
      .insert(t.unitFacts)
      .values({
        unitId: input.unitId,
        fact: input.fact,
        valueNumber: typeof input.value === 'number' ? input.value : null,
        valueBool: typeof input.value === 'boolean' ? input.value : null,
        validFrom: input.validFrom,
        note: input.note ?? null,
        reportedBy: actor.username,
        reportedRole: actor.role,
      })
      .returning()
      .then(returned);
    await writeAudit(tx as unknown as Db, {
      actor: actor.username,
      role: actor.role,
      action: 'unit_fact.record',
      target: `unit:${input.unitId}`,
      origin: actor.origin,
      detail: { fact: input.fact, value: input.value, valid_from: input.validFrom },
    });
    return toFact(row);
  });
}

/** Every report, oldest first (a unit's history, or all units'). */
export async function listFacts(db: Db, unitId?: string): Promise<UnitFact[]> {
  const rows = await db
    .select()
    .from(t.unitFacts)
    .where(unitId === undefined ? undefined : eq(t.unitFacts.unitId, unitId))
    .orderBy(asc(t.unitFacts.unitId), asc(t.unitFacts.fact), asc(t.unitFacts.validFrom), asc(t.unitFacts.id));
  return rows.map(toFact);
}

/**
 * Each unit's facts in force on a day: per unit and fact, the report with the latest valid_from not
 * after the day (the latest report wins among equal days).
 */
export async function factsOn(db: Db, day: string): Promise<Map<string, Map<string, FactValue>>> {
  const rows = await db
    .select()
    .from(t.unitFacts)
    .where(and(lte(t.unitFacts.validFrom, day)))
    .orderBy(asc(t.unitFacts.validFrom), asc(t.unitFacts.id));
  const out = new Map<string, Map<string, FactValue>>();
  for (const r of rows) {
    let facts = out.get(r.unitId);
    if (!facts) out.set(r.unitId, (facts = new Map()));
    facts.set(r.fact, toFact(r).value);
  }
  return out;
}
