import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { addDays, formatDate, formatMonth, parseDate, parseMonth } from '../../core/calendar.js';
import { nssContractTerm, reprocurementWarnings } from '../../core/procurement/contract-term.js';
import {
  applicationTransition,
  LOV_REVIEW_INSTRUCTIONS,
  memberLeaves,
  validateGroup,
  type ApplicationEvent,
  type ApplicationState,
  type Group,
} from '../../core/procurement/lov-application.js';
import { evaluateTenders, validateCriteria, type Criterion } from '../../core/procurement/nss-evaluation.js';
import { checkAssessment, type Assessment, type Requirement } from '../../core/procurement/requirements.js';
import { maySign, standstill } from '../../core/procurement/standstill.js';
import { transitionalEligibility, type Profession } from '../../core/procurement/transitional.js';
import type { Db } from './connection.js';
import { contractMembersOn } from './contract-registry.js';
import { forgetCachedBatch, StoreError } from './runs.js';
import * as t from './schema.js';
import { writeAudit } from './users.js';

/**
 * The procurement workflow on the store: every step checks the core rule, changes rows in one
 * transaction and writes the audit log. The HTTP API and the demo seeding both go through here.
 */

export interface Who {
  actor: string;
  role: string | null;
  origin?: string | null;
}

/** A located refusal: the message in Swedish, the JSON pointer to the field at fault. */
export class ProcurementError extends StoreError {
  constructor(
    code: 'not_found' | 'conflict' | 'invalid',
    message: string,
    readonly pointer?: string,
  ) {
    super(code, message);
  }
}

export type ProcedureRow = typeof t.procedures.$inferSelect;
export type ApplicationRow = typeof t.applications.$inferSelect;

export interface Notice {
  authority_name: string;
  authority_org_nr: string;
  contact_email: string;
  documents_url: string;
  /** CPV code of the services, e.g. 85121100-4 (allmänläkartjänster). */
  cpv: string;
  open_from: string;
  /** LOV: null, applications are taken continuously; NSS: the last day for tenders. */
  open_until: string | null;
}

export interface ProcedureInput {
  kind: 'lov' | 'nss';
  title: string;
  description: string;
  rulebookId?: string | null;
  field?: string | null;
  volume?: string | null;
  location?: string | null;
  places?: number;
  requirements: Requirement[];
  criteria: Criterion[];
  notice: Notice;
}

export interface ApplicationUnit {
  unit_id: string;
  name: string;
  kommun?: string | null;
  ownership?: 'private' | 'nonprofit' | 'public';
  /** A branch (filial) names the unit it belongs to. */
  branch_of?: string | null;
}

export interface ApplicationSubcontractor {
  unit_id: string;
  org_nr: string;
  name: string;
  services: string;
}

export interface ApplicationInput {
  providerId: string;
  applicantName: string;
  group?: Group | null;
  units: ApplicationUnit[];
  subcontractors: ApplicationSubcontractor[];
}

const digits = (orgNr: string) => orgNr.replace('-', '');

/**
 * A sole trader's organisationsnummer is the owner's personnummer (month digits 01–12): the audit
 * log names such a provider without the number.
 */
function auditableId(orgNr: string): string {
  const d = digits(orgNr);
  return d.length === 10 && Number(d[2]) < 2 ? '<personnummer dolt>' : d;
}

async function audit(db: Db, who: Who, action: string, target: string, detail?: unknown) {
  await writeAudit(db, {
    actor: who.actor,
    role: who.role,
    action,
    target,
    origin: who.origin ?? null,
    detail: detail ?? null,
  });
}

function inTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db));
}

export async function getProcedure(db: Db, id: number): Promise<ProcedureRow> {
  const [row] = await db.select().from(t.procedures).where(eq(t.procedures.id, id));
  if (!row) throw new ProcurementError('not_found', `Förfarande ${id} finns inte`);
  return row;
}

export async function listProcedures(db: Db): Promise<ProcedureRow[]> {
  return db.select().from(t.procedures).orderBy(asc(t.procedures.id));
}

export async function createProcedure(db: Db, input: ProcedureInput, who: Who): Promise<ProcedureRow> {
  const ids = new Set<string>();
  input.requirements.forEach((r, i) => {
    if (ids.has(r.id))
      throw new ProcurementError('invalid', `Kravet ${r.id} finns två gånger`, `/requirements/${i}/id`);
    ids.add(r.id);
  });
  if (input.kind === 'nss') {
    for (const f of ['field', 'volume', 'location'] as const)
      if (!input[f]?.trim())
        throw new ProcurementError(
          'invalid',
          'Ett NSS-uppdrag anger verksamhetsområde, omfattning och plats (kommun eller område)',
          `/${f}`,
        );
    const errors = validateCriteria(input.criteria);
    if (errors.length)
      throw new ProcurementError('invalid', errors[0].message, `/criteria${errors[0].pointer}`);
  } else if (input.criteria.length > 0) {
    throw new ProcurementError(
      'invalid',
      'I ett valfrihetssystem (LOV) godkänns alla som uppfyller kraven; det finns inga tilldelningskriterier',
      '/criteria',
    );
  }
  if (input.rulebookId) {
    // A choice system opens from a published rulebook (förfrågningsunderlag), never from a draft.
    const [published] = await db
      .select({ id: t.rulebookVersions.id })
      .from(t.rulebookVersions)
      .where(
        and(eq(t.rulebookVersions.rulebookId, input.rulebookId), eq(t.rulebookVersions.status, 'published')),
      )
      .limit(1);
    if (!published)
      throw new ProcurementError(
        'invalid',
        `Regelboken ${input.rulebookId} finns inte som publicerad version; publicera förfrågningsunderlaget först`,
        '/rulebook_id',
      );
  }
  return inTx(db, async (tx) => {
    const [row] = await tx
      .insert(t.procedures)
      .values({
        kind: input.kind,
        title: input.title,
        description: input.description,
        rulebookId: input.rulebookId ?? null,
        field: input.field ?? null,
        volume: input.volume ?? null,
        location: input.location ?? null,
        places: input.places ?? 1,
        requirements: input.requirements,
        criteria: input.criteria,
        notice: input.notice,
        status: 'draft',
        createdBy: who.actor,
      })
      .returning();
    await audit(tx, who, 'procedure.create', `procedure:${row.id}`, { kind: row.kind });
    return row;
  });
}

export async function publishProcedure(db: Db, id: number, publishedAt: string, who: Who) {
  return inTx(db, async (tx) => {
    const rows = await tx
      .update(t.procedures)
      .set({ status: 'published', publishedAt })
      .where(and(eq(t.procedures.id, id), eq(t.procedures.status, 'draft')))
      .returning();
    if (!rows[0]) {
      await getProcedure(tx, id);
      throw new ProcurementError('conflict', 'Förfarandet är redan publicerat');
    }
    await audit(tx, who, 'procedure.publish', `procedure:${id}`, { publishedAt });
    return rows[0];
  });
}

export async function getApplication(db: Db, id: number): Promise<ApplicationRow> {
  const [row] = await db.select().from(t.applications).where(eq(t.applications.id, id));
  if (!row) throw new ProcurementError('not_found', `Ansökan ${id} finns inte`);
  return row;
}

export async function listApplications(db: Db, procedureId?: number): Promise<ApplicationRow[]> {
  const q = db.select().from(t.applications);
  return (procedureId ? q.where(eq(t.applications.procedureId, procedureId)) : q).orderBy(
    asc(t.applications.id),
  );
}

export async function assessmentsOf(db: Db, applicationId: number): Promise<Assessment[]> {
  const rows = await db
    .select()
    .from(t.assessments)
    .where(eq(t.assessments.applicationId, applicationId))
    .orderBy(asc(t.assessments.id));
  return rows.map((r) => ({
    requirementId: r.requirementId,
    outcome: r.outcome as Assessment['outcome'],
    evidence: r.evidence,
    reason: r.reason,
  }));
}

export async function createApplication(
  db: Db,
  procedureId: number,
  input: ApplicationInput,
  who: Who,
): Promise<ApplicationRow> {
  const proc = await getProcedure(db, procedureId);
  if (proc.status !== 'published')
    throw new ProcurementError('conflict', 'Förfarandet tar inte emot ansökningar (det är inte publicerat)');
  if (input.group) {
    const errors = validateGroup(input.group);
    if (errors.length) throw new ProcurementError('invalid', errors[0].message, `/group${errors[0].pointer}`);
    if (digits(input.group.leadOrgNr) !== digits(input.providerId))
      throw new ProcurementError(
        'invalid',
        'Gruppens huvudman är sökanden och regionens enda motpart',
        '/group/lead_org_nr',
      );
  }
  const unitIds = new Set(input.units.map((u) => u.unit_id));
  input.units.forEach((u, i) => {
    if (u.branch_of && !unitIds.has(u.branch_of))
      throw new ProcurementError(
        'invalid',
        `Filialen hör till ${u.branch_of}, som inte finns i ansökan`,
        `/units/${i}/branch_of`,
      );
  });
  input.subcontractors.forEach((s, i) => {
    if (!unitIds.has(s.unit_id))
      throw new ProcurementError(
        'invalid',
        `Underleverantören anges för ${s.unit_id}, som inte finns i ansökan`,
        `/subcontractors/${i}/unit_id`,
      );
  });
  return inTx(db, async (tx) => {
    const [row] = await tx
      .insert(t.applications)
      .values({
        procedureId,
        providerId: digits(input.providerId),
        applicantName: input.applicantName,
        grouping: input.group
          ? {
              ...input.group,
              leadOrgNr: digits(input.group.leadOrgNr),
              members: input.group.members.map((m) => ({ ...m, orgNr: digits(m.orgNr) })),
            }
          : null,
        units: input.units,
        subcontractors: input.subcontractors.map((s) => ({ ...s, org_nr: digits(s.org_nr) })),
        scores: {},
        status: 'draft',
        createdBy: who.actor,
      })
      .returning();
    await audit(
      tx,
      who,
      proc.kind === 'nss' ? 'tender.create' : 'application.create',
      `application:${row.id}`,
      {
        procedureId,
        group: input.group ? input.group.members.length : 0,
      },
    );
    return row;
  });
}

/** Applies a state-machine event, refusing illegal ones as conflicts with the core's Swedish message. */
async function transition(
  tx: Db,
  app: ApplicationRow,
  proc: ProcedureRow,
  event: ApplicationEvent,
): Promise<ApplicationState> {
  const r = applicationTransition(
    app.status as ApplicationState,
    event,
    proc.requirements as Requirement[],
    await assessmentsOf(tx, app.id),
  );
  if (!r.ok) throw new ProcurementError(r.code === 'reason_missing' ? 'invalid' : 'conflict', r.message);
  return r.state;
}

export async function submitApplication(db: Db, id: number, submittedAt: string, who: Who) {
  return inTx(db, async (tx) => {
    const app = await getApplication(tx, id);
    const proc = await getProcedure(tx, app.procedureId);
    const deadline = (proc.notice as Notice).open_until;
    if (deadline && submittedAt > deadline)
      throw new ProcurementError(
        'conflict',
        `Sista dag för anbud var ${deadline}; anbudet kom in ${submittedAt}`,
        '/submitted_at',
      );
    const state = await transition(tx, app, proc, { type: 'submit' });
    const [row] = await tx
      .update(t.applications)
      .set({ status: state, submittedAt })
      .where(eq(t.applications.id, id))
      .returning();
    await audit(tx, who, 'application.submit', `application:${id}`);
    return row;
  });
}

export async function withdrawApplication(db: Db, id: number, who: Who) {
  return inTx(db, async (tx) => {
    const app = await getApplication(tx, id);
    const state = await transition(tx, app, await getProcedure(tx, app.procedureId), { type: 'withdraw' });
    const [row] = await tx
      .update(t.applications)
      .set({ status: state })
      .where(eq(t.applications.id, id))
      .returning();
    await audit(tx, who, 'application.withdraw', `application:${id}`);
    return row;
  });
}

export async function assessApplication(db: Db, id: number, items: Assessment[], who: Who) {
  return inTx(db, async (tx) => {
    const app = await getApplication(tx, id);
    const proc = await getProcedure(tx, app.procedureId);
    items.forEach((a, i) => {
      const problem = checkAssessment(proc.requirements as Requirement[], a);
      if (problem) throw new ProcurementError('invalid', problem, `/assessments/${i}`);
    });
    const state = await transition(tx, app, proc, { type: 'assess', assessments: items });
    for (const a of items)
      await tx.insert(t.assessments).values({
        applicationId: id,
        requirementId: a.requirementId,
        outcome: a.outcome,
        evidence: a.evidence,
        reason: a.reason,
        assessedBy: who.actor,
      });
    const [row] = await tx
      .update(t.applications)
      .set({ status: state })
      .where(eq(t.applications.id, id))
      .returning();
    await audit(tx, who, 'application.assess', `application:${id}`, {
      assessed: items.map((a) => ({ requirement: a.requirementId, outcome: a.outcome })),
    });
    return row;
  });
}

/** NSS: the officer's score per quality criterion for a tender. */
export async function scoreTender(db: Db, id: number, scores: Record<string, number>, who: Who) {
  return inTx(db, async (tx) => {
    const app = await getApplication(tx, id);
    const proc = await getProcedure(tx, app.procedureId);
    if (proc.kind !== 'nss')
      throw new ProcurementError('conflict', 'Poäng sätts bara på anbud i NSS-upphandlingar');
    if (app.status !== 'submitted' && app.status !== 'assessed')
      throw new ProcurementError('conflict', 'Bara inskickade anbud poängsätts');
    for (const c of proc.criteria as Criterion[]) {
      const s = scores[c.id];
      if (s === undefined || !Number.isInteger(s) || s < 0 || s > c.maxScore)
        throw new ProcurementError(
          'invalid',
          `Poängen för ${c.name} ska vara ett heltal 0–${c.maxScore}`,
          `/scores/${c.id}`,
        );
    }
    const [row] = await tx
      .update(t.applications)
      .set({ scores })
      .where(eq(t.applications.id, id))
      .returning();
    await audit(tx, who, 'tender.score', `application:${id}`, { scores });
    return row;
  });
}

async function latestBatch(tx: Db): Promise<number | undefined> {
  const [row] = await tx
    .select({ id: t.importBatches.id })
    .from(t.importBatches)
    .orderBy(desc(t.importBatches.id))
    .limit(1);
  return row?.id;
}

/** Puts an approved unit (or branch) into the registry's latest batch, so it is listable from its start. */
async function registerUnit(tx: Db, providerId: string, u: ApplicationUnit, start: string): Promise<boolean> {
  const batchId = await latestBatch(tx);
  if (batchId === undefined) return false;
  const existing = await tx
    .select({ unitId: t.units.unitId })
    .from(t.units)
    .where(and(eq(t.units.batchId, batchId), eq(t.units.unitId, u.unit_id)));
  if (existing.length) throw new ProcurementError('conflict', `Enheten ${u.unit_id} finns redan i registret`);
  const [{ next }] = await tx
    .select({ next: sql<number>`coalesce(max(${t.units.row}), -1)::int + 1` })
    .from(t.units)
    .where(eq(t.units.batchId, batchId));
  await tx.insert(t.units).values({
    batchId,
    row: Number(next),
    unitId: u.unit_id,
    providerId,
    name: u.name,
    ownership: u.ownership ?? 'private',
    kommun: u.kommun ?? null,
    startDate: start,
    endDate: null,
    branchOf: u.branch_of ?? null,
    extra: { source: 'application' },
    line: 0,
  });
  forgetCachedBatch(tx);
  return true;
}

async function insertMembers(tx: Db, contractId: number, group: Group) {
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

export interface DecisionInput {
  decision: 'approve' | 'reject';
  reason: string;
  decidedAt: string;
  /** Approval: the day the contract starts (default the decision day). */
  contractStart?: string;
}

/**
 * The region's decision on a LOV application. Approval needs every requirement assessed and met; it
 * creates the contract (with the group's members), enters the units and branches into the registry
 * and the subcontractors as approved. Every decision carries the review instructions.
 */
export async function decideApplication(db: Db, id: number, input: DecisionInput, who: Who) {
  return inTx(db, async (tx) => {
    const app = await getApplication(tx, id);
    const proc = await getProcedure(tx, app.procedureId);
    if (proc.kind !== 'lov')
      throw new ProcurementError(
        'conflict',
        'Anbud i NSS avgörs genom tilldelning, inte genom beslut per ansökan',
      );
    const event: ApplicationEvent =
      input.decision === 'approve' ? { type: 'approve' } : { type: 'reject', reason: input.reason };
    const state = await transition(tx, app, proc, event);
    let contractId: number | null = null;
    if (state === 'approved') {
      const start = input.contractStart ?? input.decidedAt;
      const [contract] = await tx
        .insert(t.contracts)
        .values({
          providerId: app.providerId,
          unitId: (app.units as ApplicationUnit[]).find((u) => !u.branch_of)?.unit_id ?? null,
          connectionForm: 'lov',
          rulebookId: proc.rulebookId,
          startDate: start,
          createdBy: who.actor,
        })
        .returning();
      contractId = contract.id;
      await tx
        .insert(t.providers)
        .values({ id: app.providerId, name: app.applicantName })
        .onConflictDoNothing();
      if (app.grouping) await insertMembers(tx, contract.id, app.grouping as Group);
      const registered: string[] = [];
      for (const u of app.units as ApplicationUnit[])
        if (await registerUnit(tx, app.providerId, u, start)) registered.push(u.unit_id);
      for (const s of app.subcontractors as ApplicationSubcontractor[])
        await tx.insert(t.subcontractors).values({
          providerId: app.providerId,
          unitId: s.unit_id,
          orgNr: s.org_nr,
          name: s.name,
          services: s.services,
          status: 'approved',
          reportedAt: app.submittedAt ?? input.decidedAt,
          decidedAt: input.decidedAt,
          decidedBy: who.actor,
          reason: 'Godkänd med ansökan',
        });
      await audit(tx, who, 'contract.create', `contract:${contract.id}`, {
        application: id,
        units: registered,
      });
    }
    const [row] = await tx
      .update(t.applications)
      .set({
        status: state,
        decidedAt: input.decidedAt,
        decidedBy: who.actor,
        decisionReason: input.reason,
        contractId,
      })
      .where(eq(t.applications.id, id))
      .returning();
    await audit(tx, who, `application.${state}`, `application:${id}`, { reason: input.reason });
    return { application: row, contractId, review: LOV_REVIEW_INSTRUCTIONS };
  });
}

async function tendersOf(tx: Db, proc: ProcedureRow) {
  const apps = (await listApplications(tx, proc.id)).filter((a) =>
    ['submitted', 'assessed', 'awarded', 'not_awarded'].includes(a.status),
  );
  return Promise.all(
    apps.map(async (a) => ({
      id: String(a.id),
      tendererName: a.applicantName,
      assessments: await assessmentsOf(tx, a.id),
      scores: a.scores as Record<string, number>,
    })),
  );
}

export async function evaluateProcedure(db: Db, id: number) {
  const proc = await getProcedure(db, id);
  if (proc.kind !== 'nss')
    throw new ProcurementError('conflict', 'Bara NSS-upphandlingar utvärderas mot kriterier');
  return evaluateTenders(
    proc.requirements as Requirement[],
    proc.criteria as Criterion[],
    await tendersOf(db, proc),
    proc.places,
  );
}

export interface AwardInput {
  sentAt: string;
  electronic: boolean;
  /** Only when the evaluation reports a tie: the officer's choice among the tied, with a stated reason. */
  tieBreak?: { tenderIds: number[]; reason: string };
}

/** The award decision (tilldelningsbeslut), sent to every tenderer; the standstill starts. */
export async function awardProcedure(db: Db, id: number, input: AwardInput, who: Who) {
  return inTx(db, async (tx) => {
    const proc = await getProcedure(tx, id);
    if (proc.kind !== 'nss') throw new ProcurementError('conflict', 'Bara NSS-upphandlingar tilldelas');
    if (proc.status !== 'published')
      throw new ProcurementError('conflict', 'Upphandlingen är inte publicerad eller redan tilldelad');
    const result = evaluateTenders(
      proc.requirements as Requirement[],
      proc.criteria as Criterion[],
      await tendersOf(tx, proc),
      proc.places,
    );
    if (!result.ok) throw new ProcurementError('conflict', result.errors[0].message);
    let winners = result.winners;
    let reason = 'Högst viktad kvalitetspoäng';
    if (result.tie) {
      const chosen = (input.tieBreak?.tenderIds ?? []).map(String);
      if (
        !input.tieBreak?.reason.trim() ||
        chosen.length !== result.tie.places ||
        chosen.some((c) => !result.tie!.tenderIds.includes(c))
      )
        throw new ProcurementError(
          'conflict',
          `Anbuden ${result.tie.tenderIds.join(', ')} har lika poäng om ${result.tie.places} plats(er); välj bland dem i tie_break med en motivering`,
          '/tie_break',
        );
      winners = [...winners, ...chosen];
      reason = `Lika poäng mellan ${result.tie.tenderIds.join(', ')}; handläggarens val: ${input.tieBreak.reason}`;
    }
    if (winners.length === 0)
      throw new ProcurementError('conflict', 'Inget kvalificerat anbud finns att tilldela');
    const sent = parseDate(input.sentAt)!;
    const s = standstill(sent, input.electronic);
    const [row] = await tx
      .update(t.procedures)
      .set({
        status: 'awarded',
        awardSentAt: input.sentAt,
        awardElectronic: input.electronic,
        standstillLastDay: formatDate(s.lastDay),
        earliestSigning: formatDate(s.earliestSigning),
        awardedIds: winners.map(Number),
        awardReason: reason,
      })
      .where(eq(t.procedures.id, id))
      .returning();
    for (const r of result.ranking)
      await tx
        .update(t.applications)
        .set({
          status: winners.includes(r.tenderId) ? 'awarded' : 'not_awarded',
          decidedAt: input.sentAt,
          decidedBy: who.actor,
        })
        .where(eq(t.applications.id, Number(r.tenderId)));
    await audit(tx, who, 'procedure.award', `procedure:${id}`, {
      winners,
      tie: result.tie,
      standstillLastDay: row.standstillLastDay,
      earliestSigning: row.earliestSigning,
    });
    return { procedure: row, evaluation: result, standstill: s };
  });
}

/** Signs the NSS contracts of an award: refused while the standstill runs. Each runs 7 years. */
export async function signProcedure(db: Db, id: number, signedAt: string, startDate: string, who: Who) {
  return inTx(db, async (tx) => {
    const proc = await getProcedure(tx, id);
    if (proc.status !== 'awarded')
      throw new ProcurementError(
        'conflict',
        'Avtal tecknas först efter tilldelningsbeslut, och bara en gång',
      );
    const s = standstill(parseDate(proc.awardSentAt!)!, proc.awardElectronic!);
    if (!maySign(s, parseDate(signedAt)!))
      throw new ProcurementError(
        'conflict',
        `Avtalsspärr råder till och med ${formatDate(s.lastDay)}; avtal får tecknas tidigast ${formatDate(s.earliestSigning)}`,
        '/signed_at',
      );
    if (startDate < signedAt)
      throw new ProcurementError('invalid', 'Avtalet kan inte börja före den dag det tecknas', '/start_date');
    const term = nssContractTerm(parseDate(startDate)!);
    const contracts: number[] = [];
    for (const appId of proc.awardedIds as number[]) {
      const app = await getApplication(tx, appId);
      const [c] = await tx
        .insert(t.contracts)
        .values({
          providerId: app.providerId,
          unitId: (app.units as ApplicationUnit[])[0]?.unit_id ?? null,
          connectionForm: 'nss',
          rulebookId: proc.rulebookId,
          startDate,
          endDate: formatDate(term.end),
          createdBy: who.actor,
        })
        .returning();
      await tx
        .insert(t.providers)
        .values({ id: app.providerId, name: app.applicantName })
        .onConflictDoNothing();
      if (app.grouping) await insertMembers(tx, c.id, app.grouping as Group);
      await tx.update(t.applications).set({ contractId: c.id }).where(eq(t.applications.id, appId));
      contracts.push(c.id);
      await audit(tx, who, 'contract.sign', `contract:${c.id}`, {
        procedure: id,
        signedAt,
        end: formatDate(term.end),
      });
    }
    const [row] = await tx
      .update(t.procedures)
      .set({ status: 'contracted', signedAt })
      .where(eq(t.procedures.id, id))
      .returning();
    return {
      procedure: row,
      contractIds: contracts,
      end: formatDate(term.end),
      reprocurementWarning: formatDate(term.reprocurementWarning),
    };
  });
}

export async function contractMembersOf(db: Db, contractId: number) {
  return db
    .select()
    .from(t.contractMembers)
    .where(eq(t.contractMembers.contractId, contractId))
    .orderBy(asc(t.contractMembers.orgNr));
}

/** A group member leaves: its share goes to the others, or the contract ends, as the contract says. */
export async function leaveGroup(db: Db, contractId: number, orgNr: string, leftAt: string, who: Who) {
  return inTx(db, async (tx) => {
    const [contract] = await tx.select().from(t.contracts).where(eq(t.contracts.id, contractId));
    if (!contract) throw new ProcurementError('not_found', `Avtal ${contractId} finns inte`);
    if (contract.endDate && contract.endDate < leftAt)
      throw new ProcurementError('conflict', `Avtalet upphörde redan ${contract.endDate}`);
    const current = (await contractMembersOf(tx, contractId)).filter((m) => m.leftAt === null);
    if (!current.length) throw new ProcurementError('conflict', 'Avtalet har ingen grupp av vårdgivare');
    if (!current.some((m) => m.orgNr === digits(orgNr)))
      throw new ProcurementError('not_found', 'Organisationen är inte medlem i avtalets grupp', '/org_nr');
    const lead = current.find((m) => m.isLead)!;
    const result = memberLeaves(
      {
        leadOrgNr: lead.orgNr,
        members: current.map((m) => ({ orgNr: m.orgNr, name: m.name, sharePercent: m.sharePercent })),
        onMemberLeaving: lead.onLeaving as Group['onMemberLeaving'],
      },
      digits(orgNr),
    );
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
    if (!contract) throw new ProcurementError('not_found', `Avtal ${contractId} finns inte`);
    const [row] = await tx
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
      .returning();
    await audit(tx, who, 'branch.report', `branch:${row.id}`, { contractId, unitId: input.unitId });
    return row;
  });
}

export async function contractOf(db: Db, id: number) {
  const [row] = await db.select().from(t.contracts).where(eq(t.contracts.id, id));
  return row;
}

export async function branchReport(db: Db, id: number) {
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
        ? new ProcurementError(
            'conflict',
            `Filialen är redan ${existing.status === 'approved' ? 'godkänd' : 'avslagen'}`,
          )
        : new ProcurementError('not_found', `Filialanmälan ${id} finns inte`);
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

export async function putActivity(
  db: Db,
  providerId: string,
  months: { month: string; fullTime: boolean; onNationalTariff: boolean }[],
  who: Who,
) {
  months.forEach((m, i) => {
    if (parseMonth(m.month) === undefined)
      throw new ProcurementError('invalid', 'Månaden skrivs ÅÅÅÅ-MM', `/months/${i}/month`);
  });
  return inTx(db, async (tx) => {
    for (const m of months)
      await tx
        .insert(t.activityRecords)
        .values({ providerId, month: m.month, fullTime: m.fullTime, onNationalTariff: m.onNationalTariff })
        .onConflictDoUpdate({
          target: [t.activityRecords.providerId, t.activityRecords.month],
          set: { fullTime: m.fullTime, onNationalTariff: m.onNationalTariff },
        });
    await audit(tx, who, 'activity.record', `provider:${auditableId(providerId)}`, { months: months.length });
    return months.length;
  });
}

export async function activityOf(db: Db, providerId: string) {
  return db
    .select()
    .from(t.activityRecords)
    .where(eq(t.activityRecords.providerId, providerId))
    .orderBy(asc(t.activityRecords.month));
}

/**
 * A national-tariff practitioner asks to join NSS under the transitional right. The result is decided
 * from the activity records alone; when eligible the 7-year contract is created at once, since the
 * region cannot refuse.
 */
export async function requestTransitional(
  db: Db,
  input: {
    providerId: string;
    providerName: string;
    profession: Profession;
    orientation: string;
    tariffEnds: string;
  },
  who: Who,
) {
  return inTx(db, async (tx) => {
    const activity = (await activityOf(tx, input.providerId)).map((a) => ({
      month: parseMonth(a.month)!,
      fullTime: a.fullTime,
      onNationalTariff: a.onNationalTariff,
    }));
    const result = transitionalEligibility({
      profession: input.profession,
      tariffEnds: parseDate(input.tariffEnds)!,
      activity,
    });
    let contractId: number | null = null;
    let term: { start: string; end: string } | null = null;
    if (result.eligible) {
      // The first NSS contract starts the day after the tariff ends and runs 7 years.
      const start = formatDate(addDays(parseDate(input.tariffEnds)!, 1));
      const tt = nssContractTerm(parseDate(start)!);
      const [c] = await tx
        .insert(t.contracts)
        .values({
          providerId: input.providerId,
          connectionForm: 'nss',
          startDate: start,
          endDate: formatDate(tt.end),
          createdBy: who.actor,
        })
        .returning();
      contractId = c.id;
      term = { start, end: formatDate(tt.end) };
      await tx
        .insert(t.providers)
        .values({ id: input.providerId, name: input.providerName })
        .onConflictDoNothing();
    }
    const stored = {
      eligible: result.eligible,
      window: { from: formatMonth(result.window.from), to: formatMonth(result.window.to) },
      counted_months: result.countedMonths.map(formatMonth),
      not_counted_months: result.notCountedMonths.map((m) => ({
        month: formatMonth(m.month),
        reason: m.reason,
      })),
      reasons: result.reasons,
      explanation: result.explanation,
      orientation: input.orientation,
      contract: term,
    };
    const [row] = await tx
      .insert(t.transitionalRequests)
      .values({
        providerId: input.providerId,
        providerName: input.providerName,
        profession: input.profession,
        orientation: input.orientation,
        tariffEnds: input.tariffEnds,
        eligible: result.eligible,
        result: stored,
        contractId,
        createdBy: who.actor,
      })
      .returning();
    await audit(tx, who, 'transitional.request', `transitional:${row.id}`, {
      eligible: result.eligible,
      counted: result.countedMonths.length,
      contractId,
    });
    return row;
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
