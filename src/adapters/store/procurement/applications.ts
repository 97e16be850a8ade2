import { asc, eq } from 'drizzle-orm';
import {
  applicationTransition,
  LOV_REVIEW_INSTRUCTIONS,
  validateGroup,
  type ApplicationEvent,
  type ApplicationState,
  type Group,
} from '../../../core/procurement/lov-application.js';
import type { Criterion } from '../../../core/procurement/nss-evaluation.js';
import {
  checkAssessment,
  type Assessment,
  type Requirement,
} from '../../../core/procurement/requirements.js';
import type { Db } from '../connection.js';
import * as t from '../schema.js';
import { audit, digits, inTx, type Who } from './shared.js';
import { getProcedure, type ProcedureRow, type Notice } from './procedures.js';
import { insertMembers, registerUnit } from './contracts.js';
import { StoreError } from '../store-error.js';
import { returned } from '../returned.js';

/** Applications (LOV) and tenders (NSS): drafted, submitted, assessed per requirement, scored, and LOV decisions that make contracts. */

export type ApplicationRow = typeof t.applications.$inferSelect;

/** Changes application `id` and gives back its row. */
export function updateApplication(
  db: Db,
  id: number,
  values: Partial<typeof t.applications.$inferInsert>,
): Promise<ApplicationRow> {
  return db.update(t.applications).set(values).where(eq(t.applications.id, id)).returning().then(returned);
}

export interface ApplicationUnit {
  unit_id: string;
  name: string;
  kommun?: string | null;
  ownership?: 'private' | 'nonprofit' | 'public';
  /** A branch (filial) names the unit it belongs to. */
  branch_of?: string | null;
  /** The area (DeSO) the unit lies in, for systems scoped by area or area class. */
  area?: string | null;
  /** The services the unit provides (vardcentral, bvc …), for narrow choice systems. */
  services?: string[] | null;
}

interface ApplicationSubcontractor {
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

export async function getApplication(db: Db, id: number): Promise<ApplicationRow> {
  const [row] = await db.select().from(t.applications).where(eq(t.applications.id, id));
  if (!row) throw new StoreError('not_found', `Ansökan ${id} finns inte`);
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
    throw new StoreError('conflict', 'Förfarandet tar inte emot ansökningar (det är inte publicerat)');
  if (input.group) {
    const errors = validateGroup(input.group);
    const [first] = errors;
    if (first) throw new StoreError('invalid', first.message, `/group${first.pointer}`);
    if (digits(input.group.leadOrgNr) !== digits(input.providerId))
      throw new StoreError(
        'invalid',
        'Gruppens huvudman är sökanden och regionens enda motpart',
        '/group/lead_org_nr',
      );
  }
  const unitIds = new Set(input.units.map((u) => u.unit_id));
  input.units.forEach((u, i) => {
    if (u.branch_of && !unitIds.has(u.branch_of))
      throw new StoreError(
        'invalid',
        `Filialen hör till ${u.branch_of}, som inte finns i ansökan`,
        `/units/${i}/branch_of`,
      );
  });
  input.subcontractors.forEach((s, i) => {
    if (!unitIds.has(s.unit_id))
      throw new StoreError(
        'invalid',
        `Underleverantören anges för ${s.unit_id}, som inte finns i ansökan`,
        `/subcontractors/${i}/unit_id`,
      );
  });
  return inTx(db, async (tx) => {
    const row = await tx
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
      .returning()
      .then(returned);
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
  if (!r.ok) throw new StoreError(r.code === 'reason_missing' ? 'invalid' : 'conflict', r.message);
  return r.state;
}

export async function submitApplication(db: Db, id: number, submittedAt: string, who: Who) {
  return inTx(db, async (tx) => {
    const app = await getApplication(tx, id);
    const proc = await getProcedure(tx, app.procedureId);
    const deadline = (proc.notice as Notice).open_until;
    if (deadline && submittedAt > deadline)
      throw new StoreError('conflict', `Sista dag för anbud var ${deadline}; anbudet kom in ${submittedAt}`);
    const state = await transition(tx, app, proc, { type: 'submit' });
    const row = await updateApplication(tx, id, { status: state, submittedAt });
    await audit(tx, who, 'application.submit', `application:${id}`);
    return row;
  });
}

export async function withdrawApplication(db: Db, id: number, who: Who) {
  return inTx(db, async (tx) => {
    const app = await getApplication(tx, id);
    const state = await transition(tx, app, await getProcedure(tx, app.procedureId), { type: 'withdraw' });
    const row = await updateApplication(tx, id, { status: state });
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
      if (problem) throw new StoreError('invalid', problem, `/assessments/${i}`);
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
    const row = await updateApplication(tx, id, { status: state });
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
      throw new StoreError('conflict', 'Poäng sätts bara på anbud i NSS-upphandlingar');
    if (app.status !== 'submitted' && app.status !== 'assessed')
      throw new StoreError('conflict', 'Bara inskickade anbud poängsätts');
    for (const c of proc.criteria as Criterion[]) {
      const s = scores[c.id];
      if (s === undefined || !Number.isInteger(s) || s < 0 || s > c.maxScore)
        throw new StoreError(
          'invalid',
          `Poängen för ${c.name} ska vara ett heltal 0–${c.maxScore}`,
          `/scores/${c.id}`,
        );
    }
    const row = await updateApplication(tx, id, { scores });
    await audit(tx, who, 'tender.score', `application:${id}`, { scores });
    return row;
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
      throw new StoreError('conflict', 'Anbud i NSS avgörs genom tilldelning, inte genom beslut per ansökan');
    const event: ApplicationEvent =
      input.decision === 'approve' ? { type: 'approve' } : { type: 'reject', reason: input.reason };
    const state = await transition(tx, app, proc, event);
    let contractId: number | null = null;
    if (state === 'approved') {
      const start = input.contractStart ?? input.decidedAt;
      const contract = await tx
        .insert(t.contracts)
        .values({
          providerId: app.providerId,
          unitId: (app.units as ApplicationUnit[]).find((u) => !u.branch_of)?.unit_id ?? null,
          connectionForm: 'lov',
          rulebookId: proc.rulebookId,
          startDate: start,
          createdBy: who.actor,
        })
        .returning()
        .then(returned);
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
    const row = await updateApplication(tx, id, {
      status: state,
      decidedAt: input.decidedAt,
      decidedBy: who.actor,
      decisionReason: input.reason,
      contractId,
    });
    await audit(tx, who, `application.${state}`, `application:${id}`, { reason: input.reason });
    return { application: row, contractId, review: LOV_REVIEW_INSTRUCTIONS };
  });
}
