import { and, asc, eq, or } from 'drizzle-orm';
import { addDays, formatDate, parseDate } from '../../core/calendar.js';
import { nssContractTerm, reprocurementWarnings } from '../../core/procurement/contract-term.js';
import { unitsAfterLeaving } from '../../core/procurement/leaving-units.js';
import type { Criterion } from '../../core/procurement/nss-evaluation.js';
import { maySign, standstill } from '../../core/procurement/standstill.js';
import type { Db } from './connection.js';
import { contractMembersOn } from './contract-registry.js';
import {
  contractMembersOf,
  getApplication,
  getProcedure,
  planLeave,
  scoreTender,
  updateApplication,
  type ProcedureRow,
  type Who,
} from './procurement.js';
import * as t from './schema.js';
import { latestBatchId } from './units.js';
import { writeAudit } from './users.js';
import { StoreError } from './store-error.js';

/**
 * The NSS steps the web pages need beside the workflow in procurement.ts: scores with their
 * motivations, the standstill with the days that moved it, a member's leaving shown before it is
 * made, and a contract with its term, members, units and reported branches.
 */

export interface ScoreItem {
  criterionId: string;
  score: number;
  motivation: string;
}

/** Scores a tender per criterion, each with a short motivation the tenderer later reads. */
export async function scoreWithMotivations(db: Db, id: number, items: ScoreItem[], who: Who) {
  const app = await getApplication(db, id);
  const criteria = (await getProcedure(db, app.procedureId)).criteria as Criterion[];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!criteria.some((c) => c.id === item.criterionId))
      throw new StoreError(
        'invalid',
        `Kriteriet ${item.criterionId} finns inte i upphandlingen`,
        `/scores/${i}/criterion_id`,
      );
    if (seen.has(item.criterionId))
      throw new StoreError(
        'invalid',
        `Kriteriet ${item.criterionId} har poäng två gånger`,
        `/scores/${i}/criterion_id`,
      );
    seen.add(item.criterionId);
    const c = criteria.find((x) => x.id === item.criterionId)!;
    if (!Number.isInteger(item.score) || item.score < 0 || item.score > c.maxScore)
      throw new StoreError(
        'invalid',
        `Poängen för ${c.name} ska vara ett heltal 0–${c.maxScore}`,
        `/scores/${i}/score`,
      );
    if (!item.motivation.trim())
      throw new StoreError(
        'invalid',
        'Varje poäng motiveras kort; anbudsgivaren får läsa motiveringen',
        `/scores/${i}/motivation`,
      );
  });
  const missing = criteria.find((c) => !seen.has(c.id));
  if (missing) throw new StoreError('invalid', `Poäng saknas för ${missing.name}`, '/scores');
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    await scoreTender(tx, id, Object.fromEntries(items.map((x) => [x.criterionId, x.score])), who);
    const row = await updateApplication(tx, id, {
      scoreReasons: Object.fromEntries(items.map((x) => [x.criterionId, x.motivation.trim()])),
    });
    await writeAudit(tx, {
      actor: who.actor,
      role: who.role,
      action: 'tender.motivate',
      target: `application:${id}`,
      origin: who.origin ?? null,
      detail: { criteria: items.map((x) => x.criterionId) },
    });
    return row;
  });
}

/** The award's standstill as the officer and the tenderers see it: how the dates came about. */
export function standstillOf(proc: ProcedureRow, today: string) {
  if (proc.awardSentAt === null || proc.awardElectronic === null) return null;
  const s = standstill(parseDate(proc.awardSentAt)!, proc.awardElectronic);
  return {
    sent_at: proc.awardSentAt,
    electronic: proc.awardElectronic,
    days: s.days,
    nominal_last_day: formatDate(s.nominalLastDay),
    last_day: formatDate(s.lastDay),
    earliest_signing: formatDate(s.earliestSigning),
    moved: s.moved.map((m) => ({ date: formatDate(m.date), reason: m.reason })),
    may_sign: proc.status === 'awarded' && maySign(s, parseDate(today)!),
    signed_at: proc.signedAt,
  };
}

/** The units under a contract: its own unit and the branches of it in the registry's latest batch. */
async function contractUnits(db: Db, unitId: string | null) {
  if (!unitId) return [];
  const batchId = await latestBatchId(db);
  if (batchId === undefined) return [];
  return db
    .select({ unitId: t.units.unitId, name: t.units.name, branchOf: t.units.branchOf })
    .from(t.units)
    .where(and(eq(t.units.batchId, batchId), or(eq(t.units.unitId, unitId), eq(t.units.branchOf, unitId))))
    .orderBy(asc(t.units.unitId));
}

/** What leaving would do, before it is made: the new shares and what happens to the units. */
export async function previewLeave(db: Db, contractId: number, orgNr: string, leftAt: string) {
  const { contract, result } = await planLeave(db, contractId, orgNr, leftAt);
  const units = await contractUnits(db, contract.unitId);
  return {
    outcome: result.outcome,
    explanation: result.explanation,
    members: result.outcome === 'reallocated' ? result.members : [],
    units: unitsAfterLeaving(result, units, leftAt),
  };
}

/** A contract with what its page shows: term (NSS: 7 years and the warning), members, units, branches. */
export async function contractDetails(db: Db, id: number, today: string) {
  const [contract] = await db.select().from(t.contracts).where(eq(t.contracts.id, id));
  if (!contract) return undefined;
  // The shares as they stand once every recorded leaving has taken effect (or today, if later): the
  // agreed shares are kept, and the core rescales the others from the day after a member leaves.
  const lastLeft = (await contractMembersOf(db, id)).reduce<string | null>(
    (last, m) => (m.leftAt && (!last || m.leftAt > last) ? m.leftAt : last),
    null,
  );
  const after = lastLeft ? addDays(parseDate(lastLeft)!, 1) : parseDate(today)!;
  const members = (await contractMembersOn(db, contract, Math.max(after, parseDate(today)!))).sort(
    (a, b) => Number(b.isLead) - Number(a.isLead) || a.orgNr.localeCompare(b.orgNr),
  );
  const branches = await db
    .select()
    .from(t.branchReports)
    .where(eq(t.branchReports.contractId, id))
    .orderBy(asc(t.branchReports.id));
  let term = null;
  if (contract.connectionForm === 'nss') {
    const tt = nssContractTerm(parseDate(contract.startDate)!);
    const end = contract.endDate ? parseDate(contract.endDate)! : tt.end;
    const [warning] = reprocurementWarnings([{ id, start: tt.start, end }], parseDate(today)!);
    term = {
      years: 7,
      end: formatDate(end),
      reprocurement_from: formatDate(tt.reprocurementWarning),
      warning: warning?.message ?? null,
    };
  }
  return { contract, members, branches, term, units: await contractUnits(db, contract.unitId) };
}
