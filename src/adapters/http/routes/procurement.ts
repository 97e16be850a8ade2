import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { todayOf } from '../clock.js';
import { DEFAULT_PUBLIC_URL } from '../public-url.js';
import { LOV_REVIEW_INSTRUCTIONS } from '../../../core/procurement/lov-application.js';
import { ocidOf, releasePackages } from '../../ocds/release-package.js';
import * as store from '../../store/procurement.js';
import type { AppDeps, AppEnv, SessionUser } from '../context.js';
import { ACCESS, canSeeProvider, requireRole } from '../guard.js';
import { HttpError } from '../problem.js';
import { requireUnitOf } from '../ownership.js';
import { dbId, dbIdParam, errorResponses, isoDate } from './common.js';
import { id, json, kommunCode, ok, orgNr, responses200, responses201, who } from './procurement-shared.js';

/**
 * Connecting providers: LOV choice systems and NSS assignments (procedures), applications and
 * tenders, assessments, decisions, awards with standstill, signing, group members leaving, branches
 * reported during a contract, activity records and the NSS transitional right, and OCDS open data.
 */

const Requirement = z.object({
  id: z.string().min(1).max(40),
  kind: z.enum(['exclusion', 'qualification']),
  text: z.string().min(1).max(2000),
  source: z.string().min(1).max(200),
});
const Criterion = z.object({
  id: z.string().min(1).max(40),
  name: z.string().min(1).max(200),
  weight: z.number().int(),
  max_score: z.number().int(),
  basis: z.string().max(40).optional(),
});
const Notice = z.object({
  authority_name: z.string().min(1).max(200),
  authority_org_nr: orgNr,
  contact_email: z.string().email(),
  documents_url: z.string().url(),
  cpv: z.string().regex(/^\d{8}(-\d)?$/, 'CPV-koden skrivs som 85121100-4'),
  open_from: isoDate,
  open_until: isoDate.nullable(),
});
const Unit = z.object({
  unit_id: z.string().min(1).max(40),
  name: z.string().min(1).max(200),
  kommun: kommunCode.nullable().optional(),
  ownership: z.enum(['private', 'nonprofit', 'public']).optional(),
  branch_of: z.string().max(40).nullable().optional(),
});
const Sub = z.object({
  unit_id: z.string().min(1).max(40),
  org_nr: orgNr,
  name: z.string().min(1).max(200),
  services: z.string().min(1).max(2000),
});
const GroupBody = z.object({
  lead_org_nr: orgNr,
  on_member_leaving: z.enum(['reallocate', 'terminate']),
  members: z
    .array(z.object({ org_nr: orgNr, name: z.string().min(1).max(200), share_percent: z.number().int() }))
    .min(1),
});
const AssessmentBody = z.object({
  requirement_id: z.string().min(1),
  outcome: z.enum(['met', 'not_met', 'clear', 'excluded']),
  evidence: z.string().max(2000),
  reason: z.string().min(1).max(2000),
});

const Procedure = z
  .object({
    id: z.number(),
    kind: z.enum(['lov', 'nss']),
    title: z.string(),
    status: z.string(),
    ocid: z.string(),
  })
  .passthrough()
  .openapi('Procedure');
const Application = z
  .object({ id: z.number(), procedure_id: z.number(), provider_id: z.string(), status: z.string() })
  .passthrough()
  .openapi('Application');

const procedureJson = (p: store.ProcedureRow) => ({
  id: p.id,
  kind: p.kind as 'lov' | 'nss',
  title: p.title,
  description: p.description,
  rulebook_id: p.rulebookId,
  field: p.field,
  volume: p.volume,
  location: p.location,
  places: p.places,
  requirements: p.requirements,
  criteria: (
    p.criteria as { id: string; name: string; weight: number; maxScore: number; basis?: string }[]
  ).map((c) => ({
    id: c.id,
    name: c.name,
    weight: c.weight,
    max_score: c.maxScore,
    basis: c.basis ?? 'quality',
  })),
  notice: p.notice,
  status: p.status,
  published_at: p.publishedAt,
  award:
    p.awardSentAt === null
      ? null
      : {
          sent_at: p.awardSentAt,
          electronic: p.awardElectronic,
          awarded_application_ids: p.awardedIds,
          reason: p.awardReason,
          standstill_last_day: p.standstillLastDay,
          earliest_signing: p.earliestSigning,
          signed_at: p.signedAt,
        },
  ocid: ocidOf(p.id),
});

const applicationJson = (a: store.ApplicationRow) => {
  const g = a.grouping as null | {
    leadOrgNr: string;
    onMemberLeaving: string;
    members: { orgNr: string; name: string; sharePercent: number }[];
  };
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
    units: a.units,
    subcontractors: a.subcontractors,
    scores: a.scores,
    status: a.status,
    submitted_at: a.submittedAt,
    decided_at: a.decidedAt,
    decision_reason: a.decisionReason,
    contract_id: a.contractId,
  };
};

/** A provider reaches only its own applications; anyone else's is "not found", so nothing leaks. */
async function ownApplication(db: AppDeps['conn']['db'], user: SessionUser, appId: number) {
  const app = await store.getApplication(db, appId).catch(() => undefined);
  if (!app || !canSeeProvider(user, app.providerId))
    throw new HttpError(404, 'Finns inte', `Ansökan ${appId} finns inte`);
  return app;
}

export function registerProcurement(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  // Published, submitted, decided, sent, signed, reported: always the server's day.
  const today = () => todayOf(deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/procedures',
      summary: 'Valfrihetssystem (LOV) och NSS-uppdrag: annons, krav, status',
      responses: { 200: ok('Förfaranden', z.object({ items: z.array(Procedure) })), ...errorResponses },
    }),
    async (c) => {
      requireRole(c, ACCESS.readRegistry);
      return c.json({ items: (await store.listProcedures(db)).map(procedureJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/procedures/{id}',
      summary: 'Ett förfarande med annons, krav och (NSS) kriterier och tilldelning',
      request: { params: id },
      responses: { 200: ok('Förfarandet', Procedure), ...errorResponses },
    }),
    async (c) => {
      requireRole(c, ACCESS.readRegistry);
      return c.json(procedureJson(await store.getProcedure(db, c.req.valid('param').id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/procedures',
      summary:
        'Öppna ett valfrihetssystem (LOV) eller definiera ett NSS-uppdrag (område, omfattning, plats, kvalitetskriterier; aldrig pris)',
      request: json(
        z.object({
          kind: z.enum(['lov', 'nss']),
          title: z.string().min(1).max(200),
          description: z.string().min(1).max(5000),
          rulebook_id: z.string().max(100).nullable().optional(),
          field: z.string().max(200).nullable().optional(),
          volume: z.string().max(200).nullable().optional(),
          location: z.string().max(200).nullable().optional(),
          places: z.number().int().min(1).max(100).optional(),
          requirements: z.array(Requirement).min(1),
          criteria: z.array(Criterion).default([]),
          notice: Notice,
        }),
      ),
      responses: responses201('Skapat', Procedure),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.decideProcurement);
      const b = c.req.valid('json');
      const row = await store.createProcedure(
        db,
        {
          ...b,
          rulebookId: b.rulebook_id,
          criteria: b.criteria.map((x) => ({
            id: x.id,
            name: x.name,
            weight: x.weight,
            maxScore: x.max_score,
            basis: x.basis,
          })),
          notice: { ...b.notice, authority_org_nr: b.notice.authority_org_nr.replace('-', '') },
        },
        who(c, user),
      );
      return c.json(procedureJson(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/procedures/{id}/publish',
      summary: 'Publicera annonsen (nationella annonsplatsen) i dag; ansökningar och anbud tas emot därefter',
      request: { params: id },
      responses: responses200('Publicerat', Procedure),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.decideProcurement);
      const row = await store.publishProcedure(db, c.req.valid('param').id, today(), who(c, user));
      return c.json(procedureJson(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/procedures/{id}/applications',
      summary:
        'Ansök (LOV) eller lämna anbud (NSS), ensam eller som grupp, med enheter, filialer och underleverantörer',
      request: {
        params: id,
        ...json(
          z.object({
            provider_id: orgNr,
            applicant_name: z.string().min(1).max(200),
            group: GroupBody.nullable().optional(),
            units: z.array(Unit).default([]),
            subcontractors: z.array(Sub).default([]),
          }),
        ),
      },
      responses: responses201('Skapad (utkast)', Application),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.apply);
      const b = c.req.valid('json');
      const providerId = b.provider_id.replace('-', '');
      if (!canSeeProvider(user, providerId))
        throw new HttpError(403, 'Behörighet saknas', 'En vårdgivare ansöker bara för sin egen organisation');
      const row = await store.createApplication(
        db,
        c.req.valid('param').id,
        {
          providerId,
          applicantName: b.applicant_name,
          group: b.group
            ? {
                leadOrgNr: b.group.lead_org_nr,
                onMemberLeaving: b.group.on_member_leaving,
                members: b.group.members.map((m) => ({
                  orgNr: m.org_nr,
                  name: m.name,
                  sharePercent: m.share_percent,
                })),
              }
            : null,
          units: b.units,
          subcontractors: b.subcontractors,
        },
        who(c, user),
      );
      return c.json(applicationJson(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/applications',
      summary: 'Ansökningar och anbud med status (en vårdgivare ser bara sina egna)',
      request: { query: z.object({ procedure_id: dbIdParam.optional() }) },
      responses: { 200: ok('Ansökningar', z.object({ items: z.array(Application) })), ...errorResponses },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.apply);
      const rows = await store.listApplications(db, c.req.valid('query').procedure_id);
      return c.json(
        { items: rows.filter((r) => canSeeProvider(user, r.providerId)).map(applicationJson) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/applications/{id}',
      summary: 'En ansökan med bedömningar per krav',
      request: { params: id },
      responses: { 200: ok('Ansökan', Application), ...errorResponses },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.apply);
      const a = await ownApplication(db, user, c.req.valid('param').id);
      const assessments = await store.assessmentsOf(db, a.id);
      const proc = await store.getProcedure(db, a.procedureId);
      const decided = proc.kind === 'lov' && (a.status === 'approved' || a.status === 'rejected');
      return c.json(
        {
          ...applicationJson(a),
          review: decided ? LOV_REVIEW_INSTRUCTIONS : null,
          assessments: assessments.map((x) => ({
            requirement_id: x.requirementId,
            outcome: x.outcome,
            evidence: x.evidence,
            reason: x.reason,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/applications/{id}/submit',
      summary: 'Skicka in en ansökan eller ett anbud (inkommen i dag enligt servern)',
      request: { params: id },
      responses: responses200('Inskickad', Application),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.apply);
      const a = await ownApplication(db, user, c.req.valid('param').id);
      const row = await store.submitApplication(db, a.id, today(), who(c, user));
      return c.json(applicationJson(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/applications/{id}/withdraw',
      summary: 'Återkalla en ansökan före beslut',
      request: { params: id },
      responses: responses200('Återkallad', Application),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.apply);
      const a = await ownApplication(db, user, c.req.valid('param').id);
      return c.json(applicationJson(await store.withdrawApplication(db, a.id, who(c, user))), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/applications/{id}/assessments',
      summary:
        'Bedöm uteslutningsgrunder (clear/excluded) och kvalificeringskrav (met/not_met), med underlag och motivering',
      request: { params: id, ...json(z.object({ assessments: z.array(AssessmentBody).min(1) })) },
      responses: responses200('Bedömd', Application),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.decideProcurement);
      const row = await store.assessApplication(
        db,
        c.req.valid('param').id,
        c.req.valid('json').assessments.map((a) => ({
          requirementId: a.requirement_id,
          outcome: a.outcome,
          evidence: a.evidence,
          reason: a.reason,
        })),
        who(c, user),
      );
      return c.json(applicationJson(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/applications/{id}/scores',
      summary: 'Poängsätt ett NSS-anbud per kvalitetskriterium',
      request: { params: id, ...json(z.object({ scores: z.record(z.string(), z.number().int()) })) },
      responses: responses200('Poängsatt', Application),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.decideProcurement);
      const row = await store.scoreTender(
        db,
        c.req.valid('param').id,
        c.req.valid('json').scores,
        who(c, user),
      );
      return c.json(applicationJson(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/applications/{id}/decision',
      summary:
        'Beslut om en LOV-ansökan: godkänn (alla krav bedömda och uppfyllda; blir avtal och enheter i registret) eller avslå, med skäl och överprövningshänvisning',
      request: {
        params: id,
        ...json(
          z.object({
            decision: z.enum(['approve', 'reject']),
            reason: z.string().min(1).max(5000),
            contract_start: isoDate.optional(),
          }),
        ),
      },
      responses: responses200('Beslutad'),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.decideProcurement);
      const b = c.req.valid('json');
      const r = await store.decideApplication(
        db,
        c.req.valid('param').id,
        { decision: b.decision, reason: b.reason, decidedAt: today(), contractStart: b.contract_start },
        who(c, user),
      );
      return c.json(
        { application: applicationJson(r.application), contract_id: r.contractId, review: r.review },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/procedures/{id}/evaluation',
      summary: 'Utvärdering av NSS-anbud: kvalificering, viktad kvalitetspoäng, rangordning och lika poäng',
      request: { params: id },
      responses: responses200('Utvärdering'),
    }),
    async (c) => {
      requireRole(c, ACCESS.decideProcurement);
      const r = await store.evaluateProcedure(db, c.req.valid('param').id);
      if (!r.ok) return c.json({ ok: false, code: r.code, errors: r.errors }, 200);
      return c.json(
        {
          ok: true,
          winners: r.winners.map(Number),
          tie: r.tie ? { application_ids: r.tie.tenderIds.map(Number), places: r.tie.places } : null,
          ranking: r.ranking.map((x) => ({
            application_id: Number(x.tenderId),
            tenderer: x.tendererName,
            qualified: x.qualified,
            failed: x.failed,
            weighted_score: x.weighted,
            rank: x.rank,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/procedures/{id}/award',
      summary:
        'Tilldelningsbeslut till alla anbudsgivare, skickat i dag; avtalsspärren (10 dagar elektroniskt, annars 15) räknas ut',
      request: {
        params: id,
        ...json(
          z.object({
            electronic: z.boolean(),
            tie_break: z
              .object({
                application_ids: z.array(dbId).min(1),
                reason: z.string().min(1).max(2000),
              })
              .optional(),
          }),
        ),
      },
      responses: responses200('Tilldelat', Procedure),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.decideProcurement);
      const b = c.req.valid('json');
      const r = await store.awardProcedure(
        db,
        c.req.valid('param').id,
        {
          sentAt: today(),
          electronic: b.electronic,
          tieBreak: b.tie_break
            ? { tenderIds: b.tie_break.application_ids, reason: b.tie_break.reason }
            : undefined,
        },
        who(c, user),
      );
      return c.json(procedureJson(r.procedure), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/procedures/{id}/sign',
      summary: 'Teckna kontrakt i dag, efter avtalsspärren (nekas under spärren); kontraktet löper 7 år',
      request: { params: id, ...json(z.object({ start_date: isoDate })) },
      responses: responses200('Tecknat'),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.decideProcurement);
      const b = c.req.valid('json');
      const r = await store.signProcedure(db, c.req.valid('param').id, today(), b.start_date, who(c, user));
      return c.json(
        {
          procedure: procedureJson(r.procedure),
          contract_ids: r.contractIds,
          end: r.end,
          reprocurement_warning: r.reprocurementWarning,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/procurement/warnings',
      summary: 'NSS-kontrakt som snart löper ut: ta ställning till ny upphandling',
      request: { query: z.object({ today: isoDate }) },
      responses: { 200: ok('Varningar'), ...errorResponses },
    }),
    async (c) => {
      requireRole(c, ACCESS.decideProcurement);
      return c.json({ items: await store.procurementWarnings(db, c.req.valid('query').today) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/contracts/{id}/members',
      summary: 'Gruppens medlemmar i ett avtal, deras andel och när någon lämnat',
      request: { params: id },
      responses: { 200: ok('Medlemmar'), ...errorResponses },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRegistry);
      const contract = await store.contractOf(db, c.req.valid('param').id);
      if (!contract || !canSeeProvider(user, contract.providerId))
        throw new HttpError(404, 'Finns inte', 'Avtalet finns inte');
      const rows = await store.contractMembersOf(db, contract.id);
      return c.json(
        {
          items: rows.map((m) => ({
            org_nr: m.orgNr,
            name: m.name,
            share_percent: m.sharePercent,
            lead: m.isLead,
            on_leaving: m.onLeaving,
            left_at: m.leftAt,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/contracts/{id}/members/leave',
      summary: 'En gruppmedlem lämnar: andelen fördelas på övriga eller avtalet upphör, som avtalet anger',
      request: { params: id, ...json(z.object({ org_nr: orgNr, left_at: isoDate })) },
      responses: responses200('Registrerat'),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.decideProcurement);
      const b = c.req.valid('json');
      const r = await store.leaveGroup(db, c.req.valid('param').id, b.org_nr, b.left_at, who(c, user));
      return c.json(
        {
          outcome: r.outcome,
          explanation: r.explanation,
          members: r.members.map((m) => ({
            org_nr: m.orgNr,
            share_percent: m.sharePercent,
            left_at: m.leftAt,
          })),
        },
        200,
      );
    },
  );

  const branchJson = (b: store.BranchReportRow) => ({
    id: b.id,
    contract_id: b.contractId,
    provider_id: b.providerId,
    unit_id: b.unitId,
    branch_of: b.branchOf,
    name: b.name,
    status: b.status,
    reported_at: b.reportedAt,
    decided_at: b.decidedAt,
    reason: b.reason,
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/contracts/{id}/branches',
      summary: 'Anmäl en ny filial under avtalet (vårdgivaren för sitt eget avtal, eller regionen)',
      request: {
        params: id,
        ...json(
          z.object({
            unit_id: z.string().min(1).max(40),
            branch_of: z.string().min(1).max(40),
            name: z.string().min(1).max(200),
            kommun: kommunCode.nullable().optional(),
          }),
        ),
      },
      responses: responses201('Anmäld'),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.apply);
      const contract = await store.contractOf(db, c.req.valid('param').id);
      if (!contract || !canSeeProvider(user, contract.providerId))
        throw new HttpError(404, 'Finns inte', 'Avtalet finns inte');
      const b = c.req.valid('json');
      await requireUnitOf(deps, user, b.branch_of, '/branch_of', contract.providerId);
      const row = await store.reportBranch(
        db,
        contract.id,
        {
          unitId: b.unit_id,
          branchOf: b.branch_of,
          name: b.name,
          kommun: b.kommun,
          reportedAt: today(),
        },
        who(c, user),
      );
      return c.json(branchJson(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/branches/{id}/decision',
      summary: 'Regionens beslut om en anmäld filial: godkänd (in i registret) eller avslagen, med skäl',
      request: {
        params: id,
        ...json(
          z.object({
            decision: z.enum(['approved', 'refused']),
            reason: z.string().min(1).max(2000),
          }),
        ),
      },
      responses: responses200('Beslutad'),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.decideProcurement);
      const b = c.req.valid('json');
      const row = await store.decideBranch(
        db,
        c.req.valid('param').id,
        { decision: b.decision, reason: b.reason, decidedAt: today() },
        who(c, user),
      );
      return c.json(branchJson(row), 200);
    },
  );

  // Open data: no login, since notices, awards and contracts are public (offentlighetsprincipen).
  // Links come from the configured public address, never from the Host header a caller sends.
  const baseUrl = deps.publicUrl ?? DEFAULT_PUBLIC_URL;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/ocds',
      summary: 'Öppna data: förteckning över OCDS 1.1-releasepaket, ett per förfarande (ingen inloggning)',
      responses: { 200: ok('Paket') },
    }),
    async (c) => {
      const packages = releasePackages(await store.publishedProcedures(db), { baseUrl });
      return c.json(
        {
          // Every package holds at least its procedure's tender release.
          packages: packages.map((p) => ({ ocid: p.releases[0]!.ocid, uri: p.uri })),
          license: packages[0]?.license ?? null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/ocds/packages/{id}',
      summary: 'Ett OCDS 1.1-releasepaket: annons, tilldelning och kontrakt för ett förfarande',
      request: { params: id },
      responses: { 200: ok('Releasepaket'), 404: errorResponses[404] },
    }),
    async (c) => {
      const [pkg] = releasePackages(await store.publishedProcedures(db, c.req.valid('param').id), {
        baseUrl,
      });
      if (!pkg) throw new HttpError(404, 'Finns inte', 'Förfarandet finns inte eller är inte publicerat');
      return c.json(pkg, 200);
    },
  );
}
