import { isUniqueViolation, StoreError } from './store-error.js';
import { and, asc, desc, eq, inArray, lt, or } from 'drizzle-orm';
import { parseMonth } from '../../core/calendar.js';
import {
  DEFAULT_CONTROL,
  fourEyesRefusal,
  monthOrder,
  publisherRefusal,
  type ControlSettings,
} from '../../core/control/approval.js';
import type { RunDetail, Statements } from '../../core/engine/run.js';
import { correctUnits } from '../../core/runs/correction.js';
import { parseRulebookText, type LoadedRulebook } from '../files/rulebook-file.js';
import { runLoaded, runSystems } from '../files/payment-run.js';
import { regionSystems } from '../../core/rulebook/systems.js';
import { parseStoredRulebookText } from './rulebook-overlay.js';
import type { Db } from './connection.js';
import { loadBatch } from './load-batch.js';
import { OWNERSHIP_CODES, type DataSet } from '../../core/data/dataset.js';
import { payByContracts, splitContract } from '../../core/contracts/pay.js';
import { loadRegistry, registryInput } from './contract-registry.js';
import { carryOverSanctionsNotIn, withDecidedSanctions, type CarriedOver } from './sanction-lines.js';
import * as t from './schema.js';
import { writeAudit, type AuditEntry } from './users.js';
import { returned } from './returned.js';

/**
 * Rulebook versions (draft → published, published immutable) and payment runs (draft → approved,
 * at most one approved per rulebook and month; a later run for an approved month is a correction
 * paid as a delta line per unit).
 */

/** Re-exported: the store's one error type lives in store-error.ts. */
export { StoreError };

export async function saveRulebookDraft(
  db: Db,
  yaml: string,
  by: string | null,
): Promise<typeof t.rulebookVersions.$inferSelect> {
  const { rb, text, overlay } = await parseStoredRulebookText(db, yaml);
  const latest = await db
    .select({ version: t.rulebookVersions.version })
    .from(t.rulebookVersions)
    .where(eq(t.rulebookVersions.rulebookId, rb.rulebook.id))
    .orderBy(desc(t.rulebookVersions.version))
    .limit(1);
  const row = await db
    .insert(t.rulebookVersions)
    .values({
      rulebookId: rb.rulebook.id,
      version: (latest[0]?.version ?? 0) + 1,
      status: 'draft',
      sha256: rb.sha256,
      yaml: text,
      overlay,
      title: rb.rulebook.title,
      regionCode: rb.rulebook.region.code,
      validFrom: rb.rulebook.valid_from,
      validTo: rb.rulebook.valid_to,
      createdBy: by,
      editedBy: by,
    })
    .returning()
    .then(returned);
  return row;
}

/**
 * Publishes a draft. Under the four-eyes rule the publisher is someone other than the one who
 * wrote the draft or last changed it (`by` null: a caller without a person, e.g. a test fixture).
 */
export async function publishRulebook(
  db: Db,
  versionId: number,
  by: string | null = null,
  settings: ControlSettings = DEFAULT_CONTROL,
): Promise<void> {
  const [draft] = await db.select().from(t.rulebookVersions).where(eq(t.rulebookVersions.id, versionId));
  const refusal = draft && publisherRefusal(by, draft, settings);
  if (refusal) throw new StoreError('conflict', refusal);
  const updated = await db
    .update(t.rulebookVersions)
    .set({ status: 'published', publishedAt: new Date(), publishedBy: by })
    .where(and(eq(t.rulebookVersions.id, versionId), eq(t.rulebookVersions.status, 'draft')))
    .returning({ id: t.rulebookVersions.id });
  if (updated.length === 0)
    throw new StoreError('conflict', `Regelboksversion ${versionId} finns inte eller är redan publicerad`);
}

/** A published version is immutable: editing means a new draft. */
export async function updateRulebookDraft(
  db: Db,
  versionId: number,
  yaml: string,
  by: string | null = null,
): Promise<void> {
  const { rb, text, overlay } = await parseStoredRulebookText(db, yaml);
  const [current] = await db.select().from(t.rulebookVersions).where(eq(t.rulebookVersions.id, versionId));
  if (!current) throw new StoreError('not_found', `Regelboksversion ${versionId} finns inte`);
  if (current.status !== 'draft')
    throw new StoreError('conflict', 'En publicerad regelbok kan inte ändras; spara en ny version');
  if (current.rulebookId !== rb.rulebook.id)
    throw new StoreError('invalid', `Utkastet gäller ${current.rulebookId}, inte ${rb.rulebook.id}`);
  await db
    .update(t.rulebookVersions)
    .set({
      yaml: text,
      overlay,
      sha256: rb.sha256,
      title: rb.rulebook.title,
      validFrom: rb.rulebook.valid_from,
      validTo: rb.rulebook.valid_to,
      ...(by !== null && { editedBy: by }),
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

/** A batch just imported: the data set read from its folder serves its first run (import-batch.ts). */
export function rememberBatch(db: Db, batchId: number, data: Promise<DataSet>): void {
  batchCache.set(db, { batchId, data });
  data.catch(() => batchCache.delete(db));
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
 * The published rulebooks that form rb's region's choice system in the month (core
 * regionSystems): rb itself, and for a scoped rulebook the newest published version of each of
 * its sibling rulebooks valid on the month's first day.
 */
export async function regionSystemsOf(db: Db, rb: LoadedRulebook, month: string): Promise<LoadedRulebook[]> {
  if (!rb.rulebook.scope) return [rb];
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
  const firstDay = `${month}-01`;
  // Newest first: only each rulebook's newest version valid on the day is parsed.
  const seen = new Set([rb.rulebook.id]);
  const candidates = published
    .filter((row) => {
      if (seen.has(row.rulebookId) || row.validFrom > firstDay || row.validTo < firstDay) return false;
      seen.add(row.rulebookId);
      return true;
    })
    .map((row) => {
      const item = parseRulebookText(row.yaml, `${row.rulebookId} v${row.version}`);
      return { rulebook: item.rulebook, item };
    });
  return regionSystems({ rulebook: rb.rulebook, item: rb }, candidates, firstDay);
}

/**
 * A rulebook scoped to part of the region (a differentiated choice system) pays only the units of
 * its own system. Which units those are depends on the region's other systems, so they run beside
 * it (regionSystemsOf), and the units they claim are left out of this run.
 */
async function runOwnSystem(
  db: Db,
  rb: LoadedRulebook,
  data: DataSet,
  m: number,
  month: string,
): Promise<{ statements: Statements; detail: RunDetail }> {
  const systems = await regionSystemsOf(db, rb, month);
  const result = runSystems(systems, data, m);
  const own = result.systems.find((s) => s.rulebook === rb.rulebook.id)!;
  return { statements: own.statements, detail: own.detail };
}

/**
 * Computes a draft run from stored data. When the month already has an approved run for the
 * rulebook, the draft is a correction: each unit gets a `tidigare_utbetalt` line deducting what the
 * month's approved runs paid it, and that delta is what the correction pays.
 */
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
  const computed = rb.rulebook.scope ? await runOwnSystem(db, rb, data, m, month) : runLoaded(rb, data, m);
  const { detail } = computed;
  // Decided sanctions (vite after the provider was heard) are deducted in their settlement month,
  // before the contract's members split the unit's total.
  const sanctioned = await withDecidedSanctions(db, month, computed.statements);
  const statements = await payByRegistry(db, sanctioned, data, m, rb.rulebook.system);
  const listedOf = new Map(data.units.id.map((id, i) => [id, detail.month.listedCount[i]]));
  const approved = await approvedRunOf(db, row.rulebookId, month);
  // A correction shows the whole new computation, less what the month's approved runs already
  // paid (core correctUnits); a unit paid before but no longer paid gives back what it got.
  const unitIndex = new Map(data.units.id.map((id, i) => [id, i]));
  const correction = approved
    ? correctUnits(
        statements.units,
        await paidForMonth(db, row.rulebookId, month),
        approved.id,
        (unitId) => statements.unpaid_units?.find((x) => x.unit_id === unitId)?.reason ?? 'Ingen utbetalning',
        (unitId) => unitIndex.has(unitId),
      )
    : undefined;
  return db.transaction(async (tx) => {
    const run = await tx
      .insert(t.paymentRuns)
      .values({
        month,
        rulebookVersionId: versionId,
        rulebookId: row.rulebookId,
        batchId,
        status: 'draft',
        correctsRunId: approved?.id ?? null,
        identity: statements.identity,
        totalOre: correction?.total_ore ?? statements.total_ore,
        createdBy: by,
        unpaidUnits: statements.unpaid_units ?? null,
      })
      .returning({ id: t.paymentRuns.id })
      .then(returned);
    const rows = (correction?.units ?? statements.units).map((u) => ({
      runId: run.id,
      unitId: u.unit_id,
      providerId: u.provider_id,
      name: u.name,
      ownership: u.ownership,
      lines: u.lines,
      totalOre: u.total_ore,
      listed: listedOf.get(u.unit_id) ?? 0,
      isCorrection: Boolean(correction),
      // A correction pays the delta, split by the same shares.
      contract: u.contract ? splitContract(u.contract, u.total_ore) : null,
    }));
    for (const r of correction?.repayments ?? []) {
      const u = unitIndex.get(r.unit_id)!;
      rows.push({
        runId: run.id,
        unitId: r.unit_id,
        providerId: data.units.providerId[u]!,
        name: data.units.name[u]!,
        ownership: OWNERSHIP_CODES[data.units.ownership[u]!]!,
        lines: [r.line],
        totalOre: r.total_ore,
        listed: listedOf.get(r.unit_id) ?? 0,
        isCorrection: true,
        contract: null,
      });
    }
    for (let i = 0; i < rows.length; i += 500) await tx.insert(t.statements).values(rows.slice(i, i + 500));
    return { runId: run.id, statements, correctsRunId: approved?.id ?? null };
  });
}

/** The month's approved run of the rulebook, if any. */
export async function approvedRunOf(db: Db, rulebookId: string, month: string) {
  const [approved] = await db
    .select({ id: t.paymentRuns.id })
    .from(t.paymentRuns)
    .where(
      and(
        eq(t.paymentRuns.rulebookId, rulebookId),
        eq(t.paymentRuns.month, month),
        eq(t.paymentRuns.status, 'approved'),
      ),
    );
  return approved;
}

/**
 * What has been paid each unit for the month so far: the approved run and every run it superseded
 * (the original and earlier corrections, each of which paid its own total), summed by unit id.
 */
async function paidForMonth(db: Db, rulebookId: string, month: string): Promise<Map<string, number>> {
  const paid = await db
    .select({ unitId: t.statements.unitId, totalOre: t.statements.totalOre })
    .from(t.statements)
    .innerJoin(t.paymentRuns, eq(t.paymentRuns.id, t.statements.runId))
    .where(
      and(
        eq(t.paymentRuns.rulebookId, rulebookId),
        eq(t.paymentRuns.month, month),
        inArray(t.paymentRuns.status, ['approved', 'superseded']),
      ),
    )
    .orderBy(asc(t.paymentRuns.id));
  const totals = new Map<string, number>();
  for (const s of paid) totals.set(s.unitId, s.totalOre + (totals.get(s.unitId) ?? 0));
  return totals;
}

export interface ApproveOptions {
  /** The approver's comment, kept with the run. */
  comment?: string | null;
  /** Why the month(s) right before have no run at all (months are approved in order). */
  missingMonthReason?: string | null;
  settings?: ControlSettings;
  /** The audit row, given the months the approver accepted as missing; written in the approval's transaction. */
  audit?: (missingMonths: string[]) => AuditEntry;
}

/** Earlier runs of the run's payment stream: its rulebook's, and the region's before it was valid. */
export async function earlierRuns(db: Db, run: typeof t.paymentRuns.$inferSelect, version: RulebookRow) {
  const validFromMonth = version.validFrom.slice(0, 7);
  return db
    .select({
      id: t.paymentRuns.id,
      month: t.paymentRuns.month,
      rulebookId: t.paymentRuns.rulebookId,
      status: t.paymentRuns.status,
    })
    .from(t.paymentRuns)
    .innerJoin(t.rulebookVersions, eq(t.rulebookVersions.id, t.paymentRuns.rulebookVersionId))
    .where(
      and(
        lt(t.paymentRuns.month, run.month),
        or(
          eq(t.paymentRuns.rulebookId, run.rulebookId),
          and(eq(t.rulebookVersions.regionCode, version.regionCode), lt(t.paymentRuns.month, validFromMonth)),
        ),
      ),
    );
}

type RulebookRow = typeof t.rulebookVersions.$inferSelect;

/**
 * Stored runs pay by the registry's contracts. A registry with no contracts at all (a store with
 * imported data only) pays every active unit under a vårdval rulebook, as before; an NSS rulebook
 * pays only NSS contracts.
 */
async function payByRegistry(
  db: Db,
  statements: Statements,
  data: DataSet,
  month: number,
  system: 'vardval' | 'nss',
): Promise<Statements> {
  const registry = await loadRegistry(db);
  if (registry.contracts.length === 0 && system === 'vardval') return statements;
  const paid = payByContracts(statements, data.units, registry, month, system);
  return {
    ...paid,
    identity: { ...paid.identity, inputs: [...paid.identity.inputs, registryInput(registry)] },
  };
}

/**
 * Approves a draft under the attestation order: the approver is neither the one who computed the
 * run nor the one who published its rulebook version (four-eyes rule, on by default), and the month
 * before is approved (or has no run, for a reason the approver writes). A correction re-approves a
 * month already in order. Two approvals racing for the same rulebook and month: the partial unique
 * index lets exactly one commit; the other gets a conflict.
 */
export async function approveRun(
  db: Db,
  runId: number,
  by: string | null,
  options: ApproveOptions = {},
): Promise<{ missingMonths: string[]; carriedOver: CarriedOver[] }> {
  const settings = options.settings ?? DEFAULT_CONTROL;
  try {
    return await db.transaction(async (tx) => {
      const [run] = await tx.select().from(t.paymentRuns).where(eq(t.paymentRuns.id, runId));
      if (!run) throw new StoreError('not_found', `Körning ${runId} finns inte`);
      if (run.status !== 'draft')
        throw new StoreError(
          'conflict',
          `Körning ${runId} är redan ${run.status === 'approved' ? 'godkänd' : run.status}`,
        );
      const [version] = await tx
        .select()
        .from(t.rulebookVersions)
        .where(eq(t.rulebookVersions.id, run.rulebookVersionId));
      if (!version)
        throw new Error(`Run ${runId} names rulebook version ${run.rulebookVersionId}, which is gone`);
      const refusal = fourEyesRefusal(
        by,
        { id: run.id, createdBy: run.createdBy, rulebookPublishedBy: version.publishedBy },
        settings,
      );
      if (refusal) throw new StoreError('conflict', refusal);
      const reason = options.missingMonthReason?.trim() || null;
      let missingMonths: string[] = [];
      if (run.correctsRunId === null) {
        const order = monthOrder({
          month: run.month,
          rulebookId: run.rulebookId,
          validFromMonth: version.validFrom.slice(0, 7),
          earlier: await earlierRuns(tx as unknown as Db, run, version),
          missingMonthReason: reason,
        });
        if (order.refusal) throw new StoreError('conflict', order.refusal);
        missingMonths = order.missingMonths;
      } else {
        // The correction replaces the approved run it corrects.
        await tx
          .update(t.paymentRuns)
          .set({ status: 'superseded' })
          .where(and(eq(t.paymentRuns.id, run.correctsRunId), eq(t.paymentRuns.status, 'approved')));
      }
      const done = await tx
        .update(t.paymentRuns)
        .set({
          status: 'approved',
          approvedAt: new Date(),
          approvedBy: by,
          approvalComment: options.comment?.trim() || null,
          missingMonthReason: missingMonths.length > 0 ? reason : null,
        })
        .where(and(eq(t.paymentRuns.id, runId), eq(t.paymentRuns.status, 'draft')))
        .returning({ id: t.paymentRuns.id });
      if (done.length === 0)
        throw new StoreError('conflict', `Körning ${runId} godkändes samtidigt av någon annan`);
      // The audit row commits with the approval: there is no approval without its row.
      const entry = options.audit?.(missingMonths);
      if (entry) await writeAudit(tx as unknown as Db, entry);
      // Sanctions decided after the draft was computed are not in it: they move to the next month.
      const carriedOver = await carryOverSanctionsNotIn(
        tx as unknown as Db,
        run,
        async (id) => (await loadRulebookVersion(tx as unknown as Db, id)).rb.rulebook.sanction_process,
        { actor: by, role: entry?.role ?? null, origin: entry?.origin ?? null },
      );
      return { missingMonths, carriedOver };
    });
  } catch (error) {
    if (isUniqueViolation(error))
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
