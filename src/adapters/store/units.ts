import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { expectListingRows } from './batch-rows.js';
import type { Db } from './connection.js';
import * as t from './schema.js';

/**
 * The registry as the latest import holds it: units, listing periods and the connection forms in
 * force, and the listed counts the approved runs recorded.
 */

export type UnitRow = typeof t.units.$inferSelect;
export type ListingRow = typeof t.listings.$inferSelect;
export type ConnectionForm = 'lov' | 'nss' | 'national_tariff';

/** The newest import's id, undefined before the first import. */
export async function latestBatchId(db: Db): Promise<number | undefined> {
  const [row] = await db
    .select({ id: t.importBatches.id })
    .from(t.importBatches)
    .orderBy(desc(t.importBatches.id))
    .limit(1);
  return row?.id;
}

/** A unit of an import. */
export async function findUnit(db: Db, batchId: number, unitId: string): Promise<UnitRow | undefined> {
  const [unit] = await db
    .select()
    .from(t.units)
    .where(and(eq(t.units.batchId, batchId), eq(t.units.unitId, unitId)));
  return unit;
}

/** An import's units, by id, narrowed by what is given. */
export async function listUnits(
  db: Db,
  batchId: number,
  where: {
    ownership?: string;
    kommun?: string;
    providerId?: string;
    /** A provider's own units only (besides the filters above). */
    ownedBy?: string;
  } = {},
): Promise<UnitRow[]> {
  const conditions = [eq(t.units.batchId, batchId)];
  if (where.ownership) conditions.push(eq(t.units.ownership, where.ownership));
  if (where.kommun) conditions.push(eq(t.units.kommun, where.kommun));
  if (where.providerId) conditions.push(eq(t.units.providerId, where.providerId));
  if (where.ownedBy !== undefined) conditions.push(eq(t.units.providerId, where.ownedBy));
  return db
    .select()
    .from(t.units)
    .where(and(...conditions))
    .orderBy(asc(t.units.unitId));
}

/** Connection forms (anslutningsformer) in force on `day`, per unit: its own contracts and its provider's. */
export async function connectionFormsOn(
  db: Db,
  day: string,
): Promise<(unitId: string, providerId: string) => ConnectionForm[]> {
  const rows = await db.select().from(t.contracts);
  const byUnit = new Map<string, Set<ConnectionForm>>();
  const byProvider = new Map<string, Set<ConnectionForm>>();
  for (const r of rows) {
    if (r.startDate > day || (r.endDate !== null && r.endDate < day)) continue;
    const [map, key] = r.unitId ? [byUnit, r.unitId] : [byProvider, r.providerId];
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(r.connectionForm as ConnectionForm);
  }
  return (unitId, providerId) =>
    [...new Set([...(byUnit.get(unitId) ?? []), ...(byProvider.get(providerId) ?? [])])].sort();
}

/** A person's listing periods in an import, oldest first (a conflict while its listing rows are saved). */
export async function personListings(db: Db, batchId: number, personId: string): Promise<ListingRow[]> {
  await expectListingRows(db, batchId);
  return db
    .select()
    .from(t.listings)
    .where(and(eq(t.listings.batchId, batchId), eq(t.listings.personId, personId)))
    .orderBy(asc(t.listings.listedFrom));
}

/** The unit's listed count in each approved run, by month. */
export async function approvedListedByMonth(db: Db, unitId: string) {
  return db
    .select({ month: t.paymentRuns.month, listed: t.statements.listed })
    .from(t.statements)
    .innerJoin(t.paymentRuns, eq(t.paymentRuns.id, t.statements.runId))
    .where(and(eq(t.statements.unitId, unitId), eq(t.paymentRuns.status, 'approved')))
    .orderBy(asc(t.paymentRuns.month));
}

/** Listed per unit and month in the approved runs, with the unit's provider. */
export async function approvedListingCounts(db: Db) {
  return db
    .select({
      unit_id: t.statements.unitId,
      month: t.paymentRuns.month,
      listed: sql<number>`max(${t.statements.listed})::int`,
      provider: t.statements.providerId,
    })
    .from(t.statements)
    .innerJoin(t.paymentRuns, eq(t.paymentRuns.id, t.statements.runId))
    .where(eq(t.paymentRuns.status, 'approved'))
    .groupBy(t.statements.unitId, t.paymentRuns.month, t.statements.providerId)
    .orderBy(asc(t.paymentRuns.month), asc(t.statements.unitId));
}

/** The names of the units a person's periods name, from the periods' own import. */
export async function unitNamesOf(db: Db, rows: ListingRow[]): Promise<Map<string, string>> {
  const first = rows[0];
  if (first === undefined) return new Map();
  const found = await db
    .select({ unitId: t.units.unitId, name: t.units.name })
    .from(t.units)
    .where(
      and(
        eq(t.units.batchId, first.batchId),
        inArray(
          t.units.unitId,
          rows.map((r) => r.unitId),
        ),
      ),
    );
  return new Map(found.map((u) => [u.unitId, u.name]));
}
