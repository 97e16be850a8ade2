import { and, asc, desc, eq, gte, inArray, isNotNull, like, lte, ne, notInArray, sql } from 'drizzle-orm';
import { draftsAwaitingApproval, runsInEffect } from '../../core/runs/in-effect.js';
import { PRIOR_COMPONENT } from '../../core/runs/correction.js';
import type { Db } from './connection.js';
import * as t from './schema.js';

/**
 * What the overview, the to-do list and the unit pages read about runs: the runs in effect (the
 * core's rule over the stored runs), their statements and the office's open matters.
 */

export type RunRow = typeof t.paymentRuns.$inferSelect;
export type StatementRow = typeof t.statements.$inferSelect;

/** The run in effect per rulebook and month (approved, else the latest draft), by month. */
export async function loadRunsInEffect(db: Db): Promise<RunRow[]> {
  return runsInEffect(await db.select().from(t.paymentRuns).where(ne(t.paymentRuns.status, 'superseded')));
}

/** Drafts waiting for approval, by month and id. */
export async function loadDraftsAwaitingApproval(db: Db): Promise<RunRow[]> {
  const rows = await db
    .select()
    .from(t.paymentRuns)
    .where(inArray(t.paymentRuns.status, ['draft', 'approved']))
    .orderBy(asc(t.paymentRuns.month), asc(t.paymentRuns.id));
  return draftsAwaitingApproval(rows);
}

/** Imports nothing has been computed from, newest first. */
export async function importsWithoutRun(db: Db) {
  const used = db.selectDistinct({ id: t.paymentRuns.batchId }).from(t.paymentRuns);
  return db
    .select()
    .from(t.importBatches)
    .where(notInArray(t.importBatches.id, used))
    .orderBy(desc(t.importBatches.id));
}

/** Per statement of the runs: provider, listed, total and what a correction deducted for earlier runs. */
export async function statementTotals(db: Db, runIds: number[]) {
  if (runIds.length === 0) return [];
  const rows = await db
    .select({
      runId: t.statements.runId,
      providerId: t.statements.providerId,
      listed: t.statements.listed,
      total: t.statements.totalOre,
      prior: sql<number>`coalesce((select sum((l->>'amount_ore')::bigint) from jsonb_array_elements(${t.statements.lines}) l where l->>'component' = ${PRIOR_COMPONENT}), 0)::float8`,
    })
    .from(t.statements)
    .where(inArray(t.statements.runId, runIds));
  return rows.map((r) => ({ ...r, total: Number(r.total), prior: Number(r.prior) }));
}

/** The statements of the runs, by unit. */
export async function statementsOfRuns(db: Db, runIds: number[]): Promise<StatementRow[]> {
  if (runIds.length === 0) return [];
  return db
    .select()
    .from(t.statements)
    .where(inArray(t.statements.runId, runIds))
    .orderBy(asc(t.statements.unitId));
}

/** Titles of rulebook versions by id. */
export async function rulebookTitles(db: Db, versionIds: number[]): Promise<Map<number, string>> {
  if (versionIds.length === 0) return new Map();
  const rows = await db
    .select({ id: t.rulebookVersions.id, title: t.rulebookVersions.title })
    .from(t.rulebookVersions)
    .where(inArray(t.rulebookVersions.id, versionIds));
  return new Map(rows.map((v) => [v.id, v.title]));
}

/** The providers of applications waiting for a decision (submitted or assessed), one per application. */
export async function openApplicationProviders(db: Db): Promise<string[]> {
  const rows = await db
    .select({ providerId: t.applications.providerId })
    .from(t.applications)
    .where(inArray(t.applications.status, ['submitted', 'assessed']));
  return rows.map((r) => r.providerId);
}

/** Contracts whose end date falls in [from, to], soonest first. */
export async function contractsEndingBetween(db: Db, from: string, to: string) {
  return db
    .select()
    .from(t.contracts)
    .where(and(gte(t.contracts.endDate, from), lte(t.contracts.endDate, to)))
    .orderBy(asc(t.contracts.endDate));
}

/** A unit's statement in every run, newest month first. */
export async function unitStatementHistory(db: Db, unitId: string) {
  const rows = await db
    .select({
      runId: t.paymentRuns.id,
      month: t.paymentRuns.month,
      rulebookId: t.paymentRuns.rulebookId,
      rulebookVersionId: t.paymentRuns.rulebookVersionId,
      status: t.paymentRuns.status,
      correctsRunId: t.paymentRuns.correctsRunId,
      providerId: t.statements.providerId,
      listed: t.statements.listed,
      total: t.statements.totalOre,
      isCorrection: t.statements.isCorrection,
    })
    .from(t.statements)
    .innerJoin(t.paymentRuns, eq(t.paymentRuns.id, t.statements.runId))
    .where(and(eq(t.statements.unitId, unitId)))
    .orderBy(desc(t.paymentRuns.month), desc(t.paymentRuns.id));
  return rows.map((r) => ({ ...r, total: Number(r.total) }));
}

/** The units of an import that are branches (filialer) of another unit. */
export async function branchUnitIds(db: Db, batchId: number): Promise<Set<string>> {
  const rows = await db
    .select({ unitId: t.units.unitId })
    .from(t.units)
    .where(and(eq(t.units.batchId, batchId), isNotNull(t.units.branchOf)));
  return new Set(rows.map((u) => u.unitId));
}

/** Unit, name and listed of each statement of a run, by unit. */
export async function runUnitsListed(db: Db, runId: number) {
  return db
    .select({ unitId: t.statements.unitId, name: t.statements.name, listed: t.statements.listed })
    .from(t.statements)
    .where(inArray(t.statements.runId, [runId]))
    .orderBy(asc(t.statements.unitId));
}

/**
 * A provider's statements in the approved (and since corrected) runs of a year, month by month:
 * the runs in order and the provider's statement rows in them.
 */
export async function providerYearStatements(
  db: Db,
  year: string,
  providerId: string,
): Promise<{ runs: RunRow[]; rows: StatementRow[] }> {
  const runs = await db
    .select()
    .from(t.paymentRuns)
    .where(
      and(like(t.paymentRuns.month, `${year}-%`), inArray(t.paymentRuns.status, ['approved', 'superseded'])),
    )
    .orderBy(asc(t.paymentRuns.month), asc(t.paymentRuns.id));
  const rows =
    runs.length === 0
      ? []
      : await db
          .select()
          .from(t.statements)
          .where(
            and(
              inArray(
                t.statements.runId,
                runs.map((r) => r.id),
              ),
              eq(t.statements.providerId, providerId),
            ),
          )
          .orderBy(asc(t.statements.unitId));
  return { runs, rows };
}

/** One run, undefined when there is none with that id. */
export async function findRun(db: Db, runId: number): Promise<RunRow | undefined> {
  const [run] = await db.select().from(t.paymentRuns).where(eq(t.paymentRuns.id, runId));
  return run;
}

/** The runs, newest month first, narrowed by month, status and rulebook when given. */
export async function listRuns(
  db: Db,
  filter: { month?: string; status?: RunRow['status']; rulebookId?: string },
): Promise<RunRow[]> {
  const conditions = [];
  if (filter.month) conditions.push(eq(t.paymentRuns.month, filter.month));
  if (filter.status) conditions.push(eq(t.paymentRuns.status, filter.status));
  if (filter.rulebookId) conditions.push(eq(t.paymentRuns.rulebookId, filter.rulebookId));
  return db
    .select()
    .from(t.paymentRuns)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(t.paymentRuns.month), desc(t.paymentRuns.id));
}

/** A run's statements by unit. */
export async function runStatements(db: Db, runId: number): Promise<StatementRow[]> {
  return db
    .select()
    .from(t.statements)
    .where(eq(t.statements.runId, runId))
    .orderBy(asc(t.statements.unitId));
}

/** One unit's statement in a run, undefined when the run has none for it. */
export async function unitStatement(
  db: Db,
  runId: number,
  unitId: string,
): Promise<StatementRow | undefined> {
  const [row] = await db
    .select()
    .from(t.statements)
    .where(and(eq(t.statements.runId, runId), eq(t.statements.unitId, unitId)));
  return row;
}

/** Which provider runs each unit of an import. */
export async function unitProvidersOfBatch(db: Db, batchId: number): Promise<Map<string, string>> {
  const rows = await db
    .select({ unitId: t.units.unitId, providerId: t.units.providerId })
    .from(t.units)
    .where(eq(t.units.batchId, batchId));
  return new Map(rows.map((u) => [u.unitId, u.providerId]));
}
