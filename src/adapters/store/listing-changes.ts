import { and, asc, eq, sql } from 'drizzle-orm';
import { OPEN_END, formatDate, parseDate, type DateInt } from '../../core/calendar.js';
import { checkPersonId } from '../../core/identity.js';
import { planListingChange, type ListingPeriod } from '../../core/listing/change.js';
import { parseRulebookText } from '../files/rulebook-file.js';
import { expectListingRows } from './batch-rows.js';
import type { Db } from './connection.js';
import { publishedValidOn } from './rulebook-versions.js';
import { forgetCachedBatch } from './runs.js';
import { StoreError } from './store-error.js';
import * as t from './schema.js';
import { latestBatchId } from './units.js';
import { returned } from './returned.js';
import { writeAudit, type AuditEntry } from './users.js';

/** The rule in force on the day: the newest published rulebook whose validity covers it. */
async function maxChangesOn(db: Db, day: DateInt): Promise<number | undefined> {
  const valid = await publishedValidOn(db, formatDate(day));
  const newest = valid.reduce<(typeof valid)[number] | undefined>(
    (a, v) => (a && a.id > v.id ? a : v),
    undefined,
  );
  if (!newest) return undefined;
  return parseRulebookText(newest.yaml, newest.rulebookId).rulebook.listing.max_changes_per_12_months;
}

export interface ListingChangeInput {
  personId: string;
  unitId: string;
  doctorId: string | null;
  from: string;
}

/**
 * Applies a listing change to the latest batch in one transaction: the period in force is closed
 * on the change day, a new one opens, and the change is logged.
 */
export async function changeListing(
  db: Db,
  input: ListingChangeInput,
  by: string,
  /** Written in the change's own transaction: no change without its audit row. */
  audit?: AuditEntry,
): Promise<{ closed: ListingPeriod | undefined; opened: ListingPeriod }> {
  const person = checkPersonId(input.personId);
  if (!person.ok) throw new StoreError('invalid', 'Personnumret har fel kontrollsiffra eller datum');
  const from = parseDate(input.from);
  if (from === undefined) throw new StoreError('invalid', `Datumet skrivs ÅÅÅÅ-MM-DD, inte "${input.from}"`);
  const batchId = await latestBatchId(db);
  if (batchId === undefined)
    throw new StoreError('conflict', 'Det finns inga importerade data att ändra listningen i');
  const maxChanges = await maxChangesOn(db, from);
  forgetCachedBatch(db);
  return db.transaction(async (tx) => {
    await expectListingRows(tx as unknown as Db, batchId);
    const rows = await tx
      .select()
      .from(t.listings)
      .where(and(eq(t.listings.batchId, batchId), eq(t.listings.personId, person.normalized)))
      .orderBy(asc(t.listings.listedFrom));
    const units = await tx.select().from(t.units).where(eq(t.units.batchId, batchId));
    const unitById = new Map(units.map((u) => [u.unitId, u]));
    const history: ListingPeriod[] = rows.map((r) => ({
      unitId: r.unitId,
      doctorId: r.doctorId,
      from: r.listedFrom,
      to: r.listedTo,
    }));
    const plan = planListingChange(
      history,
      { unitId: input.unitId, doctorId: input.doctorId, from },
      {
        maxChangesPer12Months: maxChanges,
        listable: (unitId, on) => {
          const u = unitById.get(unitId);
          if (!u || u.branchOf !== null) return false;
          return parseDate(u.startDate)! <= on && (u.endDate === null || parseDate(u.endDate)! >= on);
        },
      },
    );
    if (!plan.ok)
      throw new StoreError(plan.code === 'too_many_changes' ? 'conflict' : 'invalid', plan.message);
    const template = rows.at(-1);
    const closing = plan.closes === undefined ? undefined : rows[plan.closes];
    const closed = plan.closes === undefined ? undefined : history[plan.closes];
    if (plan.closes !== undefined && (!closing || !closed))
      throw new Error(`The plan closes period ${plan.closes} of ${rows.length}`);
    if (closing) {
      await tx
        .update(t.listings)
        .set({ listedTo: from })
        .where(and(eq(t.listings.batchId, batchId), eq(t.listings.row, closing.row)));
    }
    if (!template)
      throw new StoreError(
        'invalid',
        'Personen finns inte i listningsunderlaget; en ny person läggs till genom en import (födelsedatum, kön och område behövs)',
      );
    // A batch's rows are its file's, then one per change made on it; the new row comes after them
    // (their maximum would read all of a region's rows: the row index is a block range index).
    const { changes } = await tx
      .select({ changes: sql<number>`count(*)::int` })
      .from(t.listingChanges)
      .where(eq(t.listingChanges.batchId, batchId))
      .then(returned);
    const { counts } = await tx
      .select({ counts: t.importBatches.counts })
      .from(t.importBatches)
      .where(eq(t.importBatches.id, batchId))
      .then(returned);
    const next = ((counts as Record<string, number>).listings ?? 0) + changes;
    await tx.insert(t.listings).values({
      ...template,
      row: next,
      unitId: input.unitId,
      doctorId: input.doctorId,
      listedFrom: from,
      listedTo: OPEN_END,
      line: 0,
    });
    await tx.insert(t.listingChanges).values({
      batchId: batchId,
      personId: person.normalized,
      unitId: input.unitId,
      doctorId: input.doctorId,
      fromDate: from,
      createdBy: by,
    });
    if (audit) await writeAudit(tx as unknown as Db, audit);
    return {
      closed: closed && { ...closed, to: from },
      opened: plan.opens,
    };
  });
}
