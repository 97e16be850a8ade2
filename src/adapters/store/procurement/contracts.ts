import { and, asc, eq, sql } from 'drizzle-orm';
import { addDays, formatDate, parseDate } from '../../../core/calendar.js';
import { reprocurementWarnings } from '../../../core/procurement/contract-term.js';
import { memberLeaves, type Group } from '../../../core/procurement/lov-application.js';
import type { Db } from '../connection.js';
import { contractMembersOn } from '../contract-registry.js';
import { forgetCachedBatch } from '../runs.js';
import * as t from '../schema.js';
import { audit, digits, inTx, type Who } from './shared.js';
import type { ApplicationUnit } from './applications.js';
import { StoreError } from '../store-error.js';
import { latestBatchId } from '../units.js';
import { returned } from '../returned.js';

/** A branch (filial) a contract's provider reported, and the region's decision on it. */
export type BranchReportRow = typeof t.branchReports.$inferSelect;

/** Contracts made by procurement: units entered into the registry, group members and their leaving, branches reported during a contract, and re-procurement warnings. */

/** Puts an approved unit (or branch) into the registry's latest batch, so it is listable from its start. */
export async function registerUnit(
  tx: Db,
  providerId: string,
  u: ApplicationUnit,
  start: string,
): Promise<boolean> {
  const batchId = await latestBatchId(tx);
  if (batchId === undefined) return false;
  const existing = await tx
    .select({ unitId: t.units.unitId })
    .from(t.units)
    .where(and(eq(t.units.batchId, batchId), eq(t.units.unitId, u.unit_id)));
  if (existing.length) throw new StoreError('conflict', `Enheten ${u.unit_id} finns redan i registret`);
  const { next } = await tx
    .select({ next: sql<number>`coalesce(max(${t.units.row}), -1)::int + 1` })
    .from(t.units)
    .where(eq(t.units.batchId, batchId))
    .then(returned);
  await tx.insert(t.units).values({
    batchId,
    row: Number(next),
    unitId: u.unit_id,
    providerId,
    name: u.name,
    ownership: u.ownership ?? 'private',
    kommun: u.kommun ?? null,
    area: u.area ?? null,
    services: u.services?.length ? u.services.join('|') : null,
    startDate: start,
    endDate: null,
    branchOf: u.branch_of ?? null,
    extra: { source: 'application' },
    line: 0,
  });
  forgetCachedBatch(tx);
  return true;
}

export async function insertMembers(tx: Db, contractId: number, group: Group) {
  for (const m of group.members)
    await tx.insert(t.contractMembers).values({
      contractId,
      orgNr: m.orgNr,
      name: m.name,
      sharePercent: m.sharePercent,
      isLead: m.orgNr === group.leadOrgNr,
      onLeaving: group.onMemberLeaving,
    });
}

export async function contractMembersOf(db: Db, contractId: number) {
  return db
    .select()
    .from(t.contractMembers)
    .where(eq(t.contractMembers.contractId, contractId))
    .orderBy(asc(t.contractMembers.orgNr));
}

/**
 * What a member's leaving would do, checked as leaving checks it: the web page shows this before the
 * officer confirms, and leaveGroup applies it.
 */
export async function planLeave(db: Db, contractId: number, orgNr: string, leftAt: string) {
  const [contract] = await db.select().from(t.contracts).where(eq(t.contracts.id, contractId));
  if (!contract) throw new StoreError('not_found', `Avtal ${contractId} finns inte`);
  if (contract.endDate && contract.endDate < leftAt)
    throw new StoreError('conflict', `Avtalet upphörde redan ${contract.endDate}`, '/left_at');
  if (leftAt < contract.startDate)
    throw new StoreError(
      'invalid',
      `Avtalet började ${contract.startDate}; ingen kan lämna före det`,
      '/left_at',
    );
  const current = (await contractMembersOf(db, contractId)).filter((m) => m.leftAt === null);
  if (!current.length) throw new StoreError('conflict', 'Avtalet har ingen grupp av vårdgivare');
  if (!current.some((m) => m.orgNr === digits(orgNr)))
    throw new StoreError('not_found', 'Organisationen är inte medlem i avtalets grupp', '/org_nr');
  const lead = current.find((m) => m.isLead)!;
  const result = memberLeaves(
    {
      leadOrgNr: lead.orgNr,
      members: current.map((m) => ({ orgNr: m.orgNr, name: m.name, sharePercent: m.sharePercent })),
      onMemberLeaving: lead.onLeaving as Group['onMemberLeaving'],
    },
    digits(orgNr),
  );
  return { contract, result };
}

/** A group member leaves: its share goes to the others, or the contract ends, as the contract says. */
export async function leaveGroup(db: Db, contractId: number, orgNr: string, leftAt: string, who: Who) {
  return inTx(db, async (tx) => {
    const { contract, result } = await planLeave(tx, contractId, orgNr, leftAt);
    // The agreed shares stay as they are: a run for any month derives the shares in force then
    // from the members' last days (src/core/contracts), so earlier months are paid as agreed.
    await tx
      .update(t.contractMembers)
      .set({ leftAt })
      .where(and(eq(t.contractMembers.contractId, contractId), eq(t.contractMembers.orgNr, digits(orgNr))));
    if (result.outcome === 'contract_ends')
      await tx.update(t.contracts).set({ endDate: leftAt }).where(eq(t.contracts.id, contractId));
    await audit(tx, who, `contract.member_left`, `contract:${contractId}`, {
      outcome: result.outcome,
      leftAt,
    });
    const after = addDays(parseDate(leftAt)!, 1);
    return { ...result, members: await contractMembersOn(tx, contract, after) };
  });
}

export async function reportBranch(
  db: Db,
  contractId: number,
  input: { unitId: string; branchOf: string; name: string; kommun?: string | null; reportedAt: string },
  who: Who,
) {
  return inTx(db, async (tx) => {
    const [contract] = await tx.select().from(t.contracts).where(eq(t.contracts.id, contractId));
    if (!contract) throw new StoreError('not_found', `Avtal ${contractId} finns inte`);
    const row = await tx
      .insert(t.branchReports)
      .values({
        contractId,
        providerId: contract.providerId,
        unitId: input.unitId,
        branchOf: input.branchOf,
        name: input.name,
        kommun: input.kommun ?? null,
        status: 'reported',
        reportedAt: input.reportedAt,
      })
      .returning()
      .then(returned);
    await audit(tx, who, 'branch.report', `branch:${row.id}`, { contractId, unitId: input.unitId });
    return row;
  });
}

export async function contractOf(db: Db, id: number) {
  const [row] = await db.select().from(t.contracts).where(eq(t.contracts.id, id));
  return row;
}

async function branchReport(db: Db, id: number) {
  const [row] = await db.select().from(t.branchReports).where(eq(t.branchReports.id, id));
  return row;
}

/** The region approves a reported branch (it enters the registry, not listable itself) or refuses it. */
export async function decideBranch(
  db: Db,
  id: number,
  input: { decision: 'approved' | 'refused'; reason: string; decidedAt: string },
  who: Who,
) {
  return inTx(db, async (tx) => {
    const rows = await tx
      .update(t.branchReports)
      .set({ status: input.decision, reason: input.reason, decidedAt: input.decidedAt, decidedBy: who.actor })
      .where(and(eq(t.branchReports.id, id), eq(t.branchReports.status, 'reported')))
      .returning();
    if (!rows[0]) {
      const existing = await branchReport(tx, id);
      throw existing
        ? new StoreError(
            'conflict',
            `Filialen är redan ${existing.status === 'approved' ? 'godkänd' : 'avslagen'}`,
          )
        : new StoreError('not_found', `Filialanmälan ${id} finns inte`);
    }
    const b = rows[0];
    if (input.decision === 'approved')
      await registerUnit(
        tx,
        b.providerId,
        { unit_id: b.unitId, name: b.name, kommun: b.kommun, branch_of: b.branchOf },
        input.decidedAt,
      );
    await audit(tx, who, `branch.${input.decision}`, `branch:${id}`, { reason: input.reason });
    return b;
  });
}

/** NSS contracts whose end is near: the officer decides on a new procurement (the incumbent competes anew). */
export async function procurementWarnings(db: Db, today: string) {
  const rows = await db
    .select()
    .from(t.contracts)
    .where(and(eq(t.contracts.connectionForm, 'nss'), sql`${t.contracts.endDate} is not null`));
  return reprocurementWarnings(
    rows.map((r) => ({ id: r.id, start: parseDate(r.startDate)!, end: parseDate(r.endDate!)! })),
    parseDate(today)!,
  ).map((w) => ({
    contract_id: Number(w.contractId),
    end: formatDate(w.end),
    warning_from: formatDate(w.warningFrom),
    message: w.message,
  }));
}
