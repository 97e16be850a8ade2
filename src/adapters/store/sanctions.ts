import { and, desc, eq, inArray, max } from 'drizzle-orm';
import {
  addMonths,
  firstDay,
  formatDate,
  formatMonth,
  lastDay,
  parseDate,
  parseMonth,
} from '../../core/calendar.js';
import { assignUnits } from '../../core/rulebook/systems.js';
import { buildMonthContext } from '../../core/engine/month-context.js';
import { checkConformance } from '../../core/followup/conformance.js';
import {
  answerDue,
  checkDecision,
  settlementMonth,
  type SanctionDecision,
  type SanctionStatus,
} from '../../core/followup/sanctions.js';
import { sekToOre } from '../../core/money.js';
import { valueInForce } from '../../core/rulebook/dated.js';
import type { Db } from './connection.js';
import { audit, inTx, type Who } from './procurement/shared.js';
import { cachedBatch, loadRulebookVersion, regionSystemsOf } from './runs.js';
import * as t from './schema.js';
import { factsOn } from './unit-facts.js';
import { StoreError } from './store-error.js';

/**
 * Sanctions with due process on the store: proposed from follow-up and events, answered by the
 * provider, decided once by an officer, and handed to the payment run of their settlement month.
 * Every step is audited, and every date is the server's day passed in by the caller (`today`).
 */

export type SanctionRow = typeof t.sanctions.$inferSelect;

async function latestBatchId(db: Db): Promise<number | undefined> {
  const [row] = await db.select({ id: max(t.importBatches.id) }).from(t.importBatches);
  return row?.id ?? undefined;
}

interface Candidate {
  sanction: string;
  basis: 'requirement' | 'event';
  subjectKey: string;
  subject: string;
  unit: number;
  proposedOre: number;
  grounds: string;
  source: string;
}

/**
 * Proposes the sanctions a published rulebook ties to a month's follow-up: one per requirement a
 * unit does not meet (conformance), and one per event of a sanction's event type. A proposal made
 * before for the same unit, month and subject is not made again.
 */
export async function proposeSanctions(
  db: Db,
  input: { versionId: number; month: string },
  who: Who,
  today: string,
): Promise<{ created: SanctionRow[]; existing: number }> {
  const m = parseMonth(input.month);
  if (m === undefined) throw new StoreError('invalid', 'Månaden skrivs ÅÅÅÅ-MM', '/month');
  const { row: version, rb } = await loadRulebookVersion(db, input.versionId);
  if (version.status !== 'published')
    throw new StoreError(
      'conflict',
      `${version.rulebookId} version ${version.version} är ett utkast; viten föreslås ur publicerade regelböcker`,
      '/version_id',
    );
  const rulebook = rb.rulebook;
  const batchId = await latestBatchId(db);
  if (batchId === undefined) throw new StoreError('conflict', 'Importera en datamapp först');
  const data = await cachedBatch(db, batchId);
  const ctx = buildMonthContext(data, m, rulebook.listing.branches_may_list);
  // A scoped rulebook follows up the units its system pays among the region's systems.
  const systems = rulebook.scope ? await regionSystemsOf(db, rb, input.month) : undefined;
  const inSystem = systems
    ? assignUnits(
        data,
        systems.map((s) => s.rulebook),
      ).member[systems.indexOf(rb)]
    : undefined;
  const mine = (u: number) => ctx.active[u] && (!inSystem || inSystem[u] === 1);
  const facts = await factsOn(db, formatDate(firstDay(m)));
  const { units, events } = data;
  const candidates: Candidate[] = [];
  for (let u = 0; u < units.count; u++) {
    // A branch (filial) is followed up as part of its main unit.
    if (!mine(u) || units.branchOf[u]! >= 0) continue;
    const r = checkConformance(
      rulebook,
      ctx.listedCount[u]!,
      facts.get(units.id[u]!) ?? new Map(),
      firstDay(m),
    );
    for (const p of r.penalties) {
      const check = r.checks.find((c) => c.requirement === p.requirement)!;
      candidates.push({
        sanction: p.sanction,
        basis: 'requirement',
        subjectKey: p.requirement,
        subject: `krav ${p.requirement}`,
        unit: u,
        proposedOre: p.amount_ore,
        grounds: `Kravet ${p.requirement} är inte uppfyllt ${input.month}: ${check.reason} (krävs ${check.expected})`,
        source: p.source,
      });
    }
  }
  for (const s of rulebook.sanctions) {
    if (s.event_type === undefined || s.amount === undefined) continue;
    const amount = valueInForce(s.amount, firstDay(m));
    const type = events.types.indexOf(s.event_type);
    if (!amount?.value || type < 0) continue;
    for (let e = 0; e < events.count; e++) {
      const u = events.unit[e]!;
      if (
        events.type[e] !== type ||
        events.date[e]! < firstDay(m) ||
        events.date[e]! > lastDay(m) ||
        !mine(u)
      )
        continue;
      const day = formatDate(events.date[e]!);
      candidates.push({
        sanction: s.id,
        basis: 'event',
        subjectKey: `rad-${events.line[e]}`,
        subject: `händelse ${s.event_type} ${day}`,
        unit: u,
        proposedOre: sekToOre(amount.value),
        grounds: `Händelse ${s.event_type} den ${day} (händelsefilen rad ${events.line[e]})`,
        source: s.source,
      });
    }
  }
  const due = formatDate(answerDue(parseDate(today)!, rulebook.sanction_process));
  return inTx(db, async (tx) => {
    const created: SanctionRow[] = [];
    for (const c of candidates) {
      // An existing proposal for the same subject is left alone: the insert then returns no row.
      const [row] = await tx
        .insert(t.sanctions)
        .values({
          rulebookId: rulebook.id,
          rulebookVersionId: input.versionId,
          sanction: c.sanction,
          basis: c.basis,
          subjectKey: c.subjectKey,
          subject: c.subject,
          period: input.month,
          unitId: units.id[c.unit]!,
          providerId: units.providerId[c.unit]!,
          proposedOre: c.proposedOre,
          grounds: c.grounds,
          source: c.source,
          status: 'proposed',
          proposedAt: today,
          proposedBy: who.actor,
          answerDue: due,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) continue;
      created.push(row);
      await audit(tx, who, 'sanction.propose', `sanction:${row.id}`, {
        unit: row.unitId,
        sanction: row.sanction,
        subject: row.subject,
        period: row.period,
        proposedOre: row.proposedOre,
        answerDue: due,
      });
    }
    return { created, existing: candidates.length - created.length };
  });
}

export async function getSanction(db: Db, id: number): Promise<SanctionRow> {
  const [row] = await db.select().from(t.sanctions).where(eq(t.sanctions.id, id));
  if (!row) throw new StoreError('not_found', `Sanktion ${id} finns inte`);
  return row;
}

export async function listSanctions(db: Db, providerId?: string): Promise<SanctionRow[]> {
  const q = db.select().from(t.sanctions);
  return (providerId ? q.where(eq(t.sanctions.providerId, providerId)) : q).orderBy(desc(t.sanctions.id));
}

/** The provider's answer (yttrande), once, within the answer period. */
export async function answerSanction(db: Db, id: number, text: string, who: Who, today: string) {
  if (!text.trim()) throw new StoreError('invalid', 'Yttrandet är tomt', '/text');
  return inTx(db, async (tx) => {
    const s = await getSanction(tx, id);
    if (s.status === 'answered')
      throw new StoreError('conflict', `Vårdgivaren yttrade sig redan ${s.answeredAt}`);
    if (s.status !== 'proposed') throw new StoreError('conflict', 'Sanktionen är redan beslutad');
    if (today > s.answerDue) throw new StoreError('conflict', `Tiden för yttrande gick ut ${s.answerDue}`);
    const [row] = await tx
      .update(t.sanctions)
      .set({ status: 'answered', answer: text, answeredAt: today, answeredBy: who.actor })
      .where(and(eq(t.sanctions.id, id), eq(t.sanctions.status, 'proposed')))
      .returning();
    if (!row) throw new StoreError('conflict', 'Sanktionen ändrades samtidigt av någon annan');
    await audit(tx, who, 'sanction.answer', `sanction:${id}`, { answeredAt: today });
    return row;
  });
}

/** The first month no approved run has paid the unit yet (not before the month followed up). */
async function firstUnpaidMonth(tx: Db, unitId: string, period: string): Promise<number> {
  const [row] = await tx
    .select({ month: max(t.paymentRuns.month) })
    .from(t.paymentRuns)
    .innerJoin(t.statements, eq(t.statements.runId, t.paymentRuns.id))
    .where(and(eq(t.statements.unitId, unitId), eq(t.paymentRuns.status, 'approved')));
  const followed = parseMonth(period)!;
  const paid = row?.month ? parseMonth(row.month) : undefined;
  return paid === undefined ? followed : Math.max(addMonths(paid, 1), followed);
}

export interface SanctionDecisionInput {
  decision: SanctionDecision;
  amountOre?: number;
  reason: string;
}

/** The officer's decision, once: confirm, reduce (to a lower amount) or cancel, with a reason. */
export async function decideSanction(
  db: Db,
  id: number,
  input: SanctionDecisionInput,
  who: Who,
  today: string,
): Promise<SanctionRow> {
  return inTx(db, async (tx) => {
    const s = await getSanction(tx, id);
    const check = checkDecision(
      { status: s.status as SanctionStatus, proposedOre: s.proposedOre, answerDue: parseDate(s.answerDue)! },
      input,
      parseDate(today)!,
    );
    if (!check.ok) throw new StoreError(check.code, check.message, check.pointer);
    let settle: string | null = null;
    if (check.status !== 'cancelled') {
      const { rb } = await loadRulebookVersion(tx, s.rulebookVersionId);
      settle = formatMonth(
        settlementMonth(await firstUnpaidMonth(tx, s.unitId, s.period), rb.rulebook.sanction_process),
      );
    }
    const [row] = await tx
      .update(t.sanctions)
      .set({
        status: check.status,
        decidedOre: check.amountOre,
        decisionReason: input.reason,
        decidedAt: today,
        decidedBy: who.actor,
        settleMonth: settle,
      })
      .where(and(eq(t.sanctions.id, id), inArray(t.sanctions.status, ['proposed', 'answered'])))
      .returning();
    if (!row) throw new StoreError('conflict', 'Sanktionen beslutades samtidigt av någon annan');
    await audit(tx, who, `sanction.${check.status}`, `sanction:${id}`, {
      decidedOre: check.amountOre,
      proposedOre: s.proposedOre,
      reason: input.reason,
      settleMonth: settle,
      decidedAt: today,
    });
    return row;
  });
}
