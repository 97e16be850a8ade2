import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { expectListingRows } from './batch-rows.js';
import type { Db } from './connection.js';
import * as t from './schema.js';

/** What a unit's profile page reads: its listed by age, sex and area, its branches, contracts and subcontractors. */

/** The newest month with an approved run. */
export async function latestApprovedMonth(db: Db): Promise<string | undefined> {
  const [latest] = await db
    .select({ month: t.paymentRuns.month })
    .from(t.paymentRuns)
    .where(eq(t.paymentRuns.status, 'approved'))
    .orderBy(desc(t.paymentRuns.month))
    .limit(1);
  return latest?.month;
}

/** The unit's listed on `cutoff` (yyyymmdd) counted by completed years of age, sex, CNI and rural class. */
export async function listedGroupsOn(db: Db, batchId: number, unitId: string, cutoff: number) {
  // yyyymmdd integers: (cut-off − birth) ÷ 10 000, rounded down, is the completed years.
  // Inlined (a checked integer), so that SELECT and GROUP BY are the same expression.
  if (!Number.isInteger(cutoff)) throw new Error(`listedGroupsOn: the cut-off ${cutoff} is no yyyymmdd`);
  const age = sql<number>`((${sql.raw(String(cutoff))} - ${t.listings.birthDate}) / 10000)::int`;
  await expectListingRows(db, batchId);
  return db
    .select({
      age,
      sex: t.listings.sex,
      cni: t.areas.cni,
      ruralClass: t.areas.ruralClass,
      count: sql<number>`count(*)::int`,
    })
    .from(t.listings)
    .leftJoin(t.areas, and(eq(t.areas.batchId, t.listings.batchId), eq(t.areas.area, t.listings.area)))
    .where(
      and(
        eq(t.listings.batchId, batchId),
        eq(t.listings.unitId, unitId),
        sql`${t.listings.listedFrom} <= ${cutoff}`,
        sql`${t.listings.listedTo} > ${cutoff}`,
      ),
    )
    .groupBy(age, t.listings.sex, t.areas.cni, t.areas.ruralClass);
}

/** The unit's branches in an import, its own and its provider's contracts, and its subcontractors. */
export async function unitRegistryFacts(db: Db, batchId: number, providerId: string, unitId: string) {
  const branches = await db
    .select({ unitId: t.units.unitId, name: t.units.name, endDate: t.units.endDate })
    .from(t.units)
    .where(and(eq(t.units.batchId, batchId), eq(t.units.branchOf, unitId)));
  const contracts = await db
    .select()
    .from(t.contracts)
    .where(
      and(
        eq(t.contracts.providerId, providerId),
        or(eq(t.contracts.unitId, unitId), isNull(t.contracts.unitId)),
      ),
    );
  const subcontractors = await db.select().from(t.subcontractors).where(eq(t.subcontractors.unitId, unitId));
  return { branches, contracts, subcontractors };
}
