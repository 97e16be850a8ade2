import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import * as t from './schema.js';
import { StoreError } from './store-error.js';
import { returned } from './returned.js';

/** Subcontractors (underleverantörer) a provider reports for a unit, and the region's decision. */

export type SubcontractorRow = typeof t.subcontractors.$inferSelect;

export async function listSubcontractors(db: Db): Promise<SubcontractorRow[]> {
  return db.select().from(t.subcontractors).orderBy(asc(t.subcontractors.id));
}

export async function reportSubcontractor(
  db: Db,
  values: Omit<typeof t.subcontractors.$inferInsert, 'id'>,
): Promise<SubcontractorRow> {
  const row = await db.insert(t.subcontractors).values(values).returning().then(returned);
  return row;
}

/** Decides a reported subcontractor once: a decided one is a conflict, an unknown one not found. */
export async function decideSubcontractor(
  db: Db,
  id: number,
  decision: { status: 'approved' | 'refused'; reason: string; decidedAt: string; decidedBy: string },
): Promise<SubcontractorRow> {
  const [updated] = await db
    .update(t.subcontractors)
    .set(decision)
    .where(and(eq(t.subcontractors.id, id), eq(t.subcontractors.status, 'reported')))
    .returning();
  if (updated) return updated;
  const [exists] = await db.select().from(t.subcontractors).where(eq(t.subcontractors.id, id));
  throw exists
    ? new StoreError(
        'conflict',
        `Underleverantören är redan ${exists.status === 'approved' ? 'godkänd' : 'avslagen'}`,
      )
    : new StoreError('not_found', `Underleverantör ${id} finns inte`);
}
