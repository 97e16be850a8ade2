import { z } from '@hono/zod-openapi';
import { checkOrganisationNumber } from '../../../core/identity.js';
import { kommuner } from '../../files/kommuner.js';
import { ocidOf } from '../../exports/ocds-release-package.js';
import * as store from '../../store/procurement.js';
import type { Db } from '../../store/connection.js';
import type { SessionUser } from '../context.js';
import { canSeeProvider } from '../guard.js';
import { HttpError } from '../problem.js';
import { day, dbIdParam, isoDate, jsonBody, who } from './common.js';

/**
 * What the procurement routes share: identifiers, whose application or contract, who acted, and
 * procedures, applications, tenders and contract members as the API takes and answers them, with the
 * mappers from the store's rows (the web's types are generated from these schemas).
 */

export const orgNr = z
  .string()
  .regex(/^\d{6}-?\d{4}$/, 'Organisationsnumret har tio siffror')
  .refine(checkOrganisationNumber, 'Organisationsnumret har fel kontrollsiffra');
export const kommunCode = z
  .string()
  .refine(
    (code) => kommuner().has(code),
    'Välj kommunen i listan (SCB:s fyrsiffriga kommunkod, t.ex. 2303 för Ragunda)',
  );
export const id = z.object({ id: dbIdParam });
export const json = <T extends z.ZodTypeAny>(schema: T) => ({ body: jsonBody(schema) });
/** An answer's JSON body, for the open-data routes that have no login and so no error answers. */
export const ok = <T extends z.ZodTypeAny>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A provider reaches only its own applications; anyone else's is "not found", so nothing leaks. */
export async function ownApplication(db: Db, user: SessionUser, appId: number) {
  const app = await store.getApplication(db, appId).catch(() => undefined);
  if (!app || !canSeeProvider(user, app.providerId))
    throw new HttpError(404, 'Finns inte', `Ansökan ${appId} finns inte`);
  return app;
}

/** A contract the user may see: a provider its own, the region any; otherwise "not found". */
export async function ownContract(db: Db, user: SessionUser, contractId: number) {
  const contract = await store.contractOf(db, contractId);
  if (!contract || !canSeeProvider(user, contract.providerId))
    throw new HttpError(404, 'Finns inte', 'Avtalet finns inte');
  return contract;
}

export { who };

export const Requirement = z
  .object({
    id: z.string().min(1).max(40),
    kind: z.enum(['exclusion', 'qualification']),
    text: z.string().min(1).max(2000),
    source: z.string().min(1).max(200),
  })
  .openapi('Requirement');
export const Criterion = z.object({
  id: z.string().min(1).max(40),
  name: z.string().min(1).max(200),
  weight: z.number().int(),
  max_score: z.number().int(),
  basis: z.string().max(40).optional(),
});
export const Notice = z.object({
  authority_name: z.string().min(1).max(200),
  authority_org_nr: orgNr,
  contact_email: z.string().email(),
  documents_url: z.string().url(),
  cpv: z.string().regex(/^\d{8}(-\d)?$/, 'CPV-koden skrivs som 85121100-4'),
  open_from: isoDate,
  open_until: isoDate.nullable(),
});
export const ApplicationUnit = z.object({
  unit_id: z.string().min(1).max(40),
  name: z.string().min(1).max(200),
  kommun: kommunCode.nullable().optional(),
  ownership: z.enum(['private', 'nonprofit', 'public']).optional(),
  branch_of: z.string().max(40).nullable().optional(),
});
export const ApplicationSubcontractor = z.object({
  unit_id: z.string().min(1).max(40),
  org_nr: orgNr,
  name: z.string().min(1).max(200),
  services: z.string().min(1).max(2000),
});
const onMemberLeaving = z.enum(['reallocate', 'terminate']);
export const Group = z.object({
  lead_org_nr: orgNr,
  on_member_leaving: onMemberLeaving,
  members: z
    .array(z.object({ org_nr: orgNr, name: z.string().min(1).max(200), share_percent: z.number().int() }))
    .min(1),
});
export const Assessment = z.object({
  requirement_id: z.string().min(1),
  outcome: z.enum(['met', 'not_met', 'clear', 'excluded']),
  evidence: z.string().max(2000),
  reason: z.string().min(1).max(2000),
});
/** The review a decision states: where and by when it can be challenged, and the law. */
export const ReviewInstructions = z
  .object({ text: z.string(), court: z.string(), deadline: z.string(), source: z.string() })
  .openapi('ReviewInstructions');

const ProcedureAward = z.object({
  sent_at: day,
  electronic: z.boolean().nullable(),
  awarded_application_ids: z.array(z.number()),
  reason: z.string().nullable(),
  standstill_last_day: day.nullable(),
  earliest_signing: day.nullable(),
  signed_at: day.nullable(),
});

export const Procedure = z
  .object({
    id: z.number(),
    kind: z.enum(['lov', 'nss']),
    title: z.string(),
    description: z.string(),
    rulebook_id: z.string().nullable(),
    field: z.string().nullable(),
    volume: z.string().nullable(),
    location: z.string().nullable(),
    places: z.number(),
    requirements: z.array(Requirement),
    criteria: z.array(Criterion.required({ basis: true })),
    notice: Notice,
    status: z.string(),
    published_at: day.nullable(),
    award: ProcedureAward.nullable(),
    ocid: z.string(),
  })
  .openapi('Procedure');

export const Application = z
  .object({
    id: z.number(),
    procedure_id: z.number(),
    provider_id: z.string(),
    applicant_name: z.string(),
    group: Group.nullable(),
    units: z.array(ApplicationUnit),
    subcontractors: z.array(ApplicationSubcontractor),
    scores: z.record(z.string(), z.number()),
    status: z.string(),
    submitted_at: day.nullable(),
    decided_at: day.nullable(),
    decision_reason: z.string().nullable(),
    contract_id: z.number().nullable(),
  })
  .openapi('Application');

type StoredCriterion = { id: string; name: string; weight: number; maxScore: number; basis?: string };
type StoredGroup = {
  leadOrgNr: string;
  onMemberLeaving: z.infer<typeof onMemberLeaving>;
  members: { orgNr: string; name: string; sharePercent: number }[];
};

export const procedureJson = (p: store.ProcedureRow): z.infer<typeof Procedure> => ({
  id: p.id,
  kind: p.kind as 'lov' | 'nss',
  title: p.title,
  description: p.description,
  rulebook_id: p.rulebookId,
  field: p.field,
  volume: p.volume,
  location: p.location,
  places: p.places,
  requirements: p.requirements as z.infer<typeof Requirement>[],
  criteria: (p.criteria as StoredCriterion[]).map((c) => ({
    id: c.id,
    name: c.name,
    weight: c.weight,
    max_score: c.maxScore,
    basis: c.basis ?? 'quality',
  })),
  notice: p.notice as z.infer<typeof Notice>,
  status: p.status,
  published_at: p.publishedAt,
  award:
    p.awardSentAt === null
      ? null
      : {
          sent_at: p.awardSentAt,
          electronic: p.awardElectronic,
          awarded_application_ids: (p.awardedIds ?? []) as number[],
          reason: p.awardReason,
          standstill_last_day: p.standstillLastDay,
          earliest_signing: p.earliestSigning,
          signed_at: p.signedAt,
        },
  ocid: ocidOf(p.id),
});

export const applicationJson = (a: store.ApplicationRow): z.infer<typeof Application> => {
  const g = a.grouping as StoredGroup | null;
  return {
    id: a.id,
    procedure_id: a.procedureId,
    provider_id: a.providerId,
    applicant_name: a.applicantName,
    group: g
      ? {
          lead_org_nr: g.leadOrgNr,
          on_member_leaving: g.onMemberLeaving,
          members: g.members.map((m) => ({ org_nr: m.orgNr, name: m.name, share_percent: m.sharePercent })),
        }
      : null,
    units: a.units as z.infer<typeof ApplicationUnit>[],
    subcontractors: a.subcontractors as z.infer<typeof ApplicationSubcontractor>[],
    scores: a.scores as Record<string, number>,
    status: a.status,
    submitted_at: a.submittedAt,
    decided_at: a.decidedAt,
    decision_reason: a.decisionReason,
    contract_id: a.contractId,
  };
};

/** A member of a group's contract: its share, whether it leads, and when it left. */
export const ContractMember = z
  .object({
    org_nr: z.string(),
    name: z.string(),
    share_percent: z.number(),
    lead: z.boolean(),
    on_leaving: onMemberLeaving,
    left_at: day.nullable(),
  })
  .openapi('ContractMember');

type MemberRow = Awaited<ReturnType<typeof store.contractMembersOf>>[number];
export const memberJson = (m: MemberRow): z.infer<typeof ContractMember> => ({
  org_nr: m.orgNr,
  name: m.name,
  share_percent: m.sharePercent,
  lead: m.isLead,
  on_leaving: m.onLeaving as z.infer<typeof onMemberLeaving>,
  left_at: m.leftAt,
});

/** A branch (filial) reported under a contract and the region's decision on it. */
export const BranchReport = z
  .object({
    id: z.number(),
    contract_id: z.number(),
    provider_id: z.string(),
    unit_id: z.string(),
    branch_of: z.string(),
    name: z.string(),
    kommun: z.string().nullable(),
    status: z.enum(['reported', 'approved', 'refused']),
    reported_at: day,
    decided_at: day.nullable(),
    reason: z.string().nullable(),
  })
  .openapi('BranchReport');

export const branchJson = (b: store.BranchReportRow): z.infer<typeof BranchReport> => ({
  id: b.id,
  contract_id: b.contractId,
  provider_id: b.providerId,
  unit_id: b.unitId,
  branch_of: b.branchOf,
  name: b.name,
  kommun: b.kommun,
  status: b.status as z.infer<typeof BranchReport>['status'],
  reported_at: b.reportedAt,
  decided_at: b.decidedAt,
  reason: b.reason,
});

/** The NSS evaluation: the ranking and winners, or why the tenders cannot be ranked yet. */
export const Evaluation = z
  .discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      winners: z.array(z.number()),
      tie: z.object({ application_ids: z.array(z.number()), places: z.number() }).nullable(),
      ranking: z.array(
        z.object({
          application_id: z.number(),
          tenderer: z.string(),
          qualified: z.boolean(),
          failed: z.array(z.string()),
          weighted_score: z.number(),
          rank: z.number().nullable(),
        }),
      ),
    }),
    z.object({
      ok: z.literal(false),
      code: z.enum(['invalid_criteria', 'not_assessed', 'invalid_score']),
      errors: z.array(z.object({ pointer: z.string(), message: z.string() })),
    }),
  ])
  .openapi('Evaluation');

/** What a member's leaving does to a group's contract. */
export const LeaveOutcome = z.enum(['reallocated', 'contract_ends']);
