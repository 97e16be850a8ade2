import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { parseMonth } from '../../core/calendar.js';
import type { RunDetail, Statements, StatementLine } from '../../core/engine/run.js';
import { formatKronor } from '../../core/money.js';
import { parseRulebookText, type LoadedRulebook } from '../files/rulebook-file.js';
import { runLoaded, runSystems } from '../files/payment-run.js';
import type { Db } from './connection.js';
import { loadBatch } from './load-batch.js';
import type { DataSet } from '../../core/data/dataset.js';
import * as t from './schema.js';
import { writeAudit, type AuditEntry } from './users.js';

/**
 * Rulebook versions (draft → published, published immutable) and payment runs (draft → approved,
 * at most one approved per rulebook and month; a later run for an approved month is a correction
 * paid as a delta line per unit).
 */

export class StoreError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

export async function saveRulebookDraft(
  db: Db,
  yaml: string,
  by: string | null,
): Promise<typeof t.rulebookVersions.$inferSelect> {
  const rb = parseRulebookText(yaml, 'regelbok.yaml');
  const latest = await db
    .select({ version: t.rulebookVersions.version })
    .from(t.rulebookVersions)
    .where(eq(t.rulebookVersions.rulebookId, rb.rulebook.id))
    .orderBy(desc(t.rulebookVersions.version))
    .limit(1);
  const [row] = await db
    .insert(t.rulebookVersions)
    .values({
      rulebookId: rb.rulebook.id,
      version: (latest[0]?.version ?? 0) + 1,
      status: 'draft',
      sha256: rb.sha256,
      yaml,
      title: rb.rulebook.title,
      regionCode: rb.rulebook.region.code,
      validFrom: rb.rulebook.valid_from,
      validTo: rb.rulebook.valid_to,
      createdBy: by,
    })
    .returning();
  return row;
}

export async function publishRulebook(db: Db, versionId: number): Promise<void> {
  const updated = await db
    .update(t.rulebookVersions)
    .set({ status: 'published', publishedAt: new Date() })
    .where(and(eq(t.rulebookVersions.id, versionId), eq(t.rulebookVersions.status, 'draft')))
    .returning({ id: t.rulebookVersions.id });
  if (updated.length === 0)
    throw new StoreError('conflict', `Regelboksversion ${versionId} finns inte eller är redan publicerad`);
}

/** A published version is immutable: editing means a new draft. */
export async function updateRulebookDraft(db: Db, versionId: number, yaml: string): Promise<void> {
  const rb = parseRulebookText(yaml, 'regelbok.yaml');
  const [current] = await db.select().from(t.rulebookVersions).where(eq(t.rulebookVersions.id, versionId));
  if (!current) throw new StoreError('not_found', `Regelboksversion ${versionId} finns inte`);
  if (current.status !== 'draft')
    throw new StoreError('conflict', 'En publicerad regelbok kan inte ändras; spara en ny version');
  if (current.rulebookId !== rb.rulebook.id)
    throw new StoreError('invalid', `Utkastet gäller ${current.rulebookId}, inte ${rb.rulebook.id}`);
  await db
    .update(t.rulebookVersions)
    .set({
      yaml,
      sha256: rb.sha256,
      title: rb.rulebook.title,
      validFrom: rb.rulebook.valid_from,
      validTo: rb.rulebook.valid_to,
    })
    .where(and(eq(t.rulebookVersions.id, versionId), eq(t.rulebookVersions.status, 'draft')));
}

export async function loadRulebookVersion(
  db: Db,
  versionId: number,
): Promise<{ row: typeof t.rulebookVersions.$inferSelect; rb: LoadedRulebook }> {
  const [row] = await db.select().from(t.rulebookVersions).where(eq(t.rulebookVersions.id, versionId));
  if (!row) throw new StoreError('not_found', `Regelboksversion ${versionId} finns inte`);
  return { row, rb: parseRulebookText(row.yaml, `${row.rulebookId} v${row.version}`) };
}

/**
 * Import batches never change once written, so the columns read back for one run serve the next
 * run of the same batch (a year of months is twelve runs over one batch). One batch per store.
 */
const batchCache = new WeakMap<Db, { batchId: number; data: Promise<DataSet> }>();

/** After a listing change the batch's rows differ: the next run reads them again. */
export function forgetCachedBatch(db: Db): void {
  batchCache.delete(db);
}

export function cachedBatch(db: Db, batchId: number): Promise<DataSet> {
  const hit = batchCache.get(db);
  if (hit?.batchId === batchId) return hit.data;
  const data = loadBatch(db, batchId);
  batchCache.set(db, { batchId, data });
  data.catch(() => batchCache.delete(db));
  return data;
}

export interface CreatedRun {
  runId: number;
  statements: Statements;
  correctsRunId: number | null;
}

/**
 * Computes a draft run from stored data. When the month already has an approved run for the
 * rulebook, the draft is a correction: each unit gets a `korrigering` line with the difference
 * against the approved total, and that delta is what the correction pays.
 */
/**
 * A rulebook scoped to part of the region (a differentiated choice system) pays only the units of
 * its own system. Which system a unit belongs to depends on the region's other systems, so the
 * newest published version of each of its sibling rulebooks (same region, scoped, valid in the
 * month) runs beside it, and the units they claim are left out of this run.
 */
export async function runOwnSystem(
  db: Db,
  rb: LoadedRulebook,
  data: DataSet,
  m: number,
  month: string,
): Promise<{ statements: Statements; detail: RunDetail }> {
  const firstDay = `${month}-01`;
  const published = await db
    .select()
    .from(t.rulebookVersions)
    .where(
      and(
        eq(t.rulebookVersions.regionCode, rb.rulebook.region.code),
        eq(t.rulebookVersions.status, 'published'),
      ),
    )
    .orderBy(desc(t.rulebookVersions.version));
  const newest = new Map<string, LoadedRulebook>();
  for (const row of published) {
    if (newest.has(row.rulebookId) || row.rulebookId === rb.rulebook.id) continue;
    if (row.validFrom > firstDay || row.validTo < firstDay) continue;
    const sibling = parseRulebookText(row.yaml, `${row.rulebookId} v${row.version}`);
    if (sibling.rulebook.scope && sibling.rulebook.system === rb.rulebook.system)
      newest.set(row.rulebookId, sibling);
  }
  const systems = [rb, ...newest.values()];
  const result = runSystems(systems, data, m);
  const own = result.systems.find((s) => s.rulebook === rb.rulebook.id)!;
  return { statements: own.statements, detail: own.detail };
}

export async function createRun(
  db: Db,
  month: string,
  versionId: number,
  batchId: number,
  by: string | null,
): Promise<CreatedRun> {
  const m = parseMonth(month);
  if (m === undefined) throw new StoreError('invalid', `Månaden skrivs ÅÅÅÅ-MM, inte "${month}"`);
  const { row, rb } = await loadRulebookVersion(db, versionId);
  if (row.status !== 'published')
    throw new StoreError('conflict', 'Endast en publicerad regelbok kan användas för en utbetalning');
  const data = await cachedBatch(db, batchId);
  const { statements, detail } = rb.rulebook.scope
    ? await runOwnSystem(db, rb, data, m, month)
    : runLoaded(rb, data, m);
  const listedOf = new Map(data.units.id.map((id, i) => [id, detail.month.listedCount[i]]));
  const [approved] = await db
    .select()
    .from(t.paymentRuns)
    .where(
      and(
        eq(t.paymentRuns.rulebookId, row.rulebookId),
        eq(t.paymentRuns.month, month),
        eq(t.paymentRuns.status, 'approved'),
      ),
    );
  // What has been paid for the month so far: the approved run and every run it superseded (the
  // original and earlier corrections, each of which paid its own total).
  const paidTotals = new Map<string, number>();
  if (approved) {
    const paidRuns = await db
      .select({ id: t.paymentRuns.id })
      .from(t.paymentRuns)
      .where(
        and(
          eq(t.paymentRuns.rulebookId, row.rulebookId),
          eq(t.paymentRuns.month, month),
          inArray(t.paymentRuns.status, ['approved', 'superseded']),
        ),
      );
    for (const r of paidRuns) {
      for (const s of await db.select().from(t.statements).where(eq(t.statements.runId, r.id))) {
        paidTotals.set(s.unitId, s.totalOre + (paidTotals.get(s.unitId) ?? 0));
      }
    }
  }
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(t.paymentRuns)
      .values({
        month,
        rulebookVersionId: versionId,
        rulebookId: row.rulebookId,
        batchId,
        status: 'draft',
        correctsRunId: approved?.id ?? null,
        identity: statements.identity,
        totalOre: statements.total_ore,
        createdBy: by,
      })
      .returning({ id: t.paymentRuns.id });
    let runTotal = 0;
    const rows = statements.units.map((u) => {
      const lines: StatementLine[] = [...u.lines];
      let total = u.total_ore;
      if (approved) {
        // A correction shows the whole new computation, less what the approved run already paid:
        // the unit's total is then the delta paid now, and still the sum of its lines.
        const before = paidTotals.get(u.unit_id) ?? 0;
        lines.push({
          component: 'tidigare_utbetalt',
          type: 'penalty',
          label: 'Avgår: tidigare godkänd utbetalning',
          quantity: 1,
          amount_ore: -before,
          explanation: `Tidigare godkända körningar för månaden (senast ${approved.id}) betalade ${formatKronor(before)}; ny beräkning ${formatKronor(u.total_ore)}; skillnaden ${formatKronor(u.total_ore - before)} betalas nu`,
        });
        total -= before;
      }
      runTotal += total;
      return {
        runId: run.id,
        unitId: u.unit_id,
        providerId: u.provider_id,
        name: u.name,
        ownership: u.ownership,
        lines,
        totalOre: total,
        listed: listedOf.get(u.unit_id) ?? 0,
        isCorrection: Boolean(approved),
      };
    });
    if (approved)
      await tx.update(t.paymentRuns).set({ totalOre: runTotal }).where(eq(t.paymentRuns.id, run.id));
    for (let i = 0; i < rows.length; i += 500) await tx.insert(t.statements).values(rows.slice(i, i + 500));
    return { runId: run.id, statements, correctsRunId: approved?.id ?? null };
  });
}

/**
 * Approves a draft. Two approvals racing for the same rulebook and month: the partial unique
 * index lets exactly one commit; the other gets a conflict.
 */
/** Approves a draft run; `audit` is written in the same transaction, so there is no approval without its row. */
export async function approveRun(
  db: Db,
  runId: number,
  by: string | null,
  audit?: AuditEntry,
): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      const [run] = await tx.select().from(t.paymentRuns).where(eq(t.paymentRuns.id, runId));
      if (!run) throw new StoreError('not_found', `Körning ${runId} finns inte`);
      if (run.status !== 'draft')
        throw new StoreError(
          'conflict',
          `Körning ${runId} är redan ${run.status === 'approved' ? 'godkänd' : run.status}`,
        );
      if (run.correctsRunId !== null) {
        // The correction replaces the approved run it corrects.
        await tx
          .update(t.paymentRuns)
          .set({ status: 'superseded' })
          .where(and(eq(t.paymentRuns.id, run.correctsRunId), eq(t.paymentRuns.status, 'approved')));
      }
      const done = await tx
        .update(t.paymentRuns)
        .set({ status: 'approved', approvedAt: new Date(), approvedBy: by })
        .where(and(eq(t.paymentRuns.id, runId), eq(t.paymentRuns.status, 'draft')))
        .returning({ id: t.paymentRuns.id });
      if (done.length === 0)
        throw new StoreError('conflict', `Körning ${runId} godkändes samtidigt av någon annan`);
      if (audit) await writeAudit(tx as unknown as Db, audit);
    });
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const code =
      (error as { code?: string; cause?: { code?: string } }).code ??
      (error as { cause?: { code?: string } }).cause?.code;
    if (code === '23505')
      throw new StoreError('conflict', 'Det finns redan en godkänd körning för regelboken och månaden');
    throw error;
  }
}

export async function listRuns(db: Db) {
  return db.select().from(t.paymentRuns).orderBy(desc(t.paymentRuns.month), asc(t.paymentRuns.id));
}

export async function runStatements(db: Db, runId: number) {
  return db
    .select()
    .from(t.statements)
    .where(eq(t.statements.runId, runId))
    .orderBy(asc(t.statements.unitId));
}
