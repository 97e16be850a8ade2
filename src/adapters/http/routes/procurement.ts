import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { todayOf } from '../clock.js';
import { DEFAULT_PUBLIC_URL } from '../public-url.js';
import { LOV_REVIEW_INSTRUCTIONS } from '../../../core/procurement/lov-application.js';
import { releasePackages } from '../../exports/ocds-release-package.js';
import * as store from '../../store/procurement.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, actingFor, visibleTo } from '../guard.js';
import { HttpError } from '../problem.js';
import { requireUnitOf } from '../ownership.js';
import {
  ReportDecision,
  conflictResponse,
  day,
  dbId,
  dbIdParam,
  errorResponses,
  getRoute,
  isoDate,
  itemsOf,
  jsonAnswer,
  postCreatedRoute,
  postRoute,
  routeWithRight,
} from './common.js';
import {
  Application,
  applicationJson,
  ApplicationSubcontractor,
  ApplicationUnit,
  Assessment,
  BranchReport,
  branchJson,
  ContractMember,
  Criterion,
  Evaluation,
  Group,
  LeaveOutcome,
  memberJson,
  Notice,
  Procedure,
  procedureJson,
  Requirement,
  ReviewInstructions,
  id,
  json,
  kommunCode,
  ok,
  orgNr,
  ownApplication,
  ownContract,
  who,
} from './procurement-shared.js';

/**
 * Connecting providers: LOV choice systems and NSS assignments (procedures), applications and
 * tenders, assessments, decisions, awards with standstill, signing, group members leaving, branches
 * reported during a contract, activity records and the NSS transitional right, and OCDS open data.
 */

export function registerProcurement(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  // Published, submitted, decided, sent, signed, reported: always the server's day.
  const today = () => todayOf(deps);

  app.openapi(
    getRoute(
      {
        path: '/api/procedures',
        right: ACCESS.readRegistry,
        summary: 'Valfrihetssystem (LOV) och NSS-uppdrag: annons, krav, status',
      },
      'Förfaranden',
      itemsOf(Procedure),
    ),
    async (c) => {
      return c.json({ items: (await store.listProcedures(db)).map(procedureJson) }, 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/procedures/{id}',
        right: ACCESS.readRegistry,
        summary: 'Ett förfarande med annons, krav och (NSS) kriterier och tilldelning',
        request: { params: id },
      },
      'Förfarandet',
      Procedure,
    ),
    async (c) => {
      return c.json(procedureJson(await store.getProcedure(db, c.req.valid('param').id)), 200);
    },
  );

  app.openapi(
    postCreatedRoute(
      {
        path: '/api/procedures',
        right: ACCESS.decideProcurement,
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
      },
      'Skapat',
      Procedure,
    ),
    async (c) => {
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
        who(c),
      );
      return c.json(procedureJson(row), 201);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/procedures/{id}/publish',
        right: ACCESS.decideProcurement,
        summary:
          'Publicera annonsen (nationella annonsplatsen) i dag; ansökningar och anbud tas emot därefter',
        request: { params: id },
      },
      'Publicerat',
      Procedure,
    ),
    async (c) => {
      const row = await store.publishProcedure(db, c.req.valid('param').id, today(), who(c));
      return c.json(procedureJson(row), 200);
    },
  );

  app.openapi(
    postCreatedRoute(
      {
        path: '/api/procedures/{id}/applications',
        right: ACCESS.apply,
        summary:
          'Ansök (LOV) eller lämna anbud (NSS), ensam eller som grupp, med enheter, filialer och underleverantörer',
        request: {
          params: id,
          ...json(
            z.object({
              provider_id: orgNr,
              applicant_name: z.string().min(1).max(200),
              group: Group.nullable().optional(),
              units: z.array(ApplicationUnit).default([]),
              subcontractors: z.array(ApplicationSubcontractor).default([]),
            }),
          ),
        },
      },
      'Skapad (utkast)',
      Application,
    ),
    async (c) => {
      const b = c.req.valid('json');
      const providerId = actingFor(c.get('user'), b.provider_id, 'ansöker');
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
        who(c),
      );
      return c.json(applicationJson(row), 201);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/applications',
        right: ACCESS.apply,
        summary: 'Ansökningar och anbud med status (en vårdgivare ser bara sina egna)',
        request: { query: z.object({ procedure_id: dbIdParam.optional() }) },
      },
      'Ansökningar',
      itemsOf(Application),
    ),
    async (c) => {
      const rows = await store.listApplications(db, c.req.valid('query').procedure_id);
      return c.json({ items: visibleTo(c.get('user'), rows).map(applicationJson) }, 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/applications/{id}',
        right: ACCESS.apply,
        summary: 'En ansökan med bedömningar per krav',
        request: { params: id },
      },
      'Ansökan',
      Application.extend({ review: ReviewInstructions.or(z.null()), assessments: z.array(Assessment) }),
    ),
    async (c) => {
      const a = await ownApplication(db, c.get('user'), c.req.valid('param').id);
      const assessments = await store.assessmentsOf(db, a.id);
      const proc = await store.getProcedure(db, a.procedureId);
      const decided = proc.kind === 'lov' && (a.status === 'approved' || a.status === 'rejected');
      return c.json(
        {
          ...applicationJson(a),
          review: decided ? LOV_REVIEW_INSTRUCTIONS : null,
          assessments: assessments.map((x) => ({
            requirement_id: x.requirementId,
            outcome: x.outcome as z.infer<typeof Assessment>['outcome'],
            evidence: x.evidence,
            reason: x.reason,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/applications/{id}/submit',
        right: ACCESS.apply,
        summary: 'Skicka in en ansökan eller ett anbud (inkommen i dag enligt servern)',
        request: { params: id },
      },
      'Inskickad',
      Application,
    ),
    async (c) => {
      const a = await ownApplication(db, c.get('user'), c.req.valid('param').id);
      const row = await store.submitApplication(db, a.id, today(), who(c));
      return c.json(applicationJson(row), 200);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/applications/{id}/withdraw',
        right: ACCESS.apply,
        summary: 'Återkalla en ansökan före beslut',
        request: { params: id },
      },
      'Återkallad',
      Application,
    ),
    async (c) => {
      const a = await ownApplication(db, c.get('user'), c.req.valid('param').id);
      return c.json(applicationJson(await store.withdrawApplication(db, a.id, who(c))), 200);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/applications/{id}/assessments',
        right: ACCESS.decideProcurement,
        summary:
          'Bedöm uteslutningsgrunder (clear/excluded) och kvalificeringskrav (met/not_met), med underlag och motivering',
        request: { params: id, ...json(z.object({ assessments: z.array(Assessment).min(1) })) },
      },
      'Bedömd',
      Application,
    ),
    async (c) => {
      const row = await store.assessApplication(
        db,
        c.req.valid('param').id,
        c.req.valid('json').assessments.map((a) => ({
          requirementId: a.requirement_id,
          outcome: a.outcome,
          evidence: a.evidence,
          reason: a.reason,
        })),
        who(c),
      );
      return c.json(applicationJson(row), 200);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/applications/{id}/scores',
        right: ACCESS.decideProcurement,
        summary: 'Poängsätt ett NSS-anbud per kvalitetskriterium',
        request: { params: id, ...json(z.object({ scores: z.record(z.string(), z.number().int()) })) },
      },
      'Poängsatt',
      Application,
    ),
    async (c) => {
      const row = await store.scoreTender(db, c.req.valid('param').id, c.req.valid('json').scores, who(c));
      return c.json(applicationJson(row), 200);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/applications/{id}/decision',
        right: ACCESS.decideProcurement,
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
      },
      'Beslutad',
      z.object({ application: Application, contract_id: z.number().nullable(), review: ReviewInstructions }),
    ),
    async (c) => {
      const b = c.req.valid('json');
      const r = await store.decideApplication(
        db,
        c.req.valid('param').id,
        { decision: b.decision, reason: b.reason, decidedAt: today(), contractStart: b.contract_start },
        who(c),
      );
      return c.json(
        { application: applicationJson(r.application), contract_id: r.contractId, review: r.review },
        200,
      );
    },
  );

  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/procedures/{id}/evaluation',
      right: ACCESS.decideProcurement,
      summary: 'Utvärdering av NSS-anbud: kvalificering, viktad kvalitetspoäng, rangordning och lika poäng',
      request: { params: id },
      responses: jsonAnswer('Utvärdering', Evaluation, conflictResponse),
    }),
    async (c) => {
      const r = await store.evaluateProcedure(db, c.req.valid('param').id);
      if (!r.ok) return c.json({ ok: false as const, code: r.code, errors: r.errors }, 200);
      return c.json(
        {
          ok: true as const,
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
    postRoute(
      {
        path: '/api/procedures/{id}/award',
        right: ACCESS.decideProcurement,
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
      },
      'Tilldelat',
      Procedure,
    ),
    async (c) => {
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
        who(c),
      );
      return c.json(procedureJson(r.procedure), 200);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/procedures/{id}/sign',
        right: ACCESS.decideProcurement,
        summary: 'Teckna kontrakt i dag, efter avtalsspärren (nekas under spärren); kontraktet löper 7 år',
        request: { params: id, ...json(z.object({ start_date: isoDate })) },
      },
      'Tecknat',
      z.object({
        procedure: Procedure,
        contract_ids: z.array(z.number()),
        end: day,
        reprocurement_warning: day,
      }),
    ),
    async (c) => {
      const b = c.req.valid('json');
      const r = await store.signProcedure(db, c.req.valid('param').id, today(), b.start_date, who(c));
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
    getRoute(
      {
        path: '/api/procurement/warnings',
        right: ACCESS.decideProcurement,
        summary: 'NSS-kontrakt som snart löper ut: ta ställning till ny upphandling',
        request: { query: z.object({ today: isoDate }) },
      },
      'Varningar',
      itemsOf(
        z
          .object({ contract_id: z.number(), end: day, warning_from: day, message: z.string() })
          .openapi('ProcurementWarning'),
      ),
    ),
    async (c) => {
      return c.json({ items: await store.procurementWarnings(db, c.req.valid('query').today) }, 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/contracts/{id}/members',
        right: ACCESS.readRegistry,
        summary: 'Gruppens medlemmar i ett avtal, deras andel och när någon lämnat',
        request: { params: id },
      },
      'Medlemmar',
      itemsOf(ContractMember),
    ),
    async (c) => {
      const contract = await ownContract(db, c.get('user'), c.req.valid('param').id);
      const rows = await store.contractMembersOf(db, contract.id);
      return c.json(
        {
          items: rows.map(memberJson),
        },
        200,
      );
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/contracts/{id}/members/leave',
        right: ACCESS.decideProcurement,
        summary: 'En gruppmedlem lämnar: andelen fördelas på övriga eller avtalet upphör, som avtalet anger',
        request: { params: id, ...json(z.object({ org_nr: orgNr, left_at: isoDate })) },
      },
      'Registrerat',
      z.object({
        outcome: LeaveOutcome,
        explanation: z.string(),
        members: z.array(
          z.object({ org_nr: z.string(), share_percent: z.number(), left_at: day.nullable() }),
        ),
      }),
    ),
    async (c) => {
      const b = c.req.valid('json');
      const r = await store.leaveGroup(db, c.req.valid('param').id, b.org_nr, b.left_at, who(c));
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

  app.openapi(
    postCreatedRoute(
      {
        path: '/api/contracts/{id}/branches',
        right: ACCESS.apply,
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
      },
      'Anmäld',
      BranchReport,
    ),
    async (c) => {
      const user = c.get('user');
      const contract = await ownContract(db, user, c.req.valid('param').id);
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
        who(c),
      );
      return c.json(branchJson(row), 201);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/branches/{id}/decision',
        right: ACCESS.decideProcurement,
        summary: 'Regionens beslut om en anmäld filial: godkänd (in i registret) eller avslagen, med skäl',
        request: {
          params: id,
          ...json(ReportDecision),
        },
      },
      'Beslutad',
      BranchReport,
    ),
    async (c) => {
      const b = c.req.valid('json');
      const row = await store.decideBranch(
        db,
        c.req.valid('param').id,
        { decision: b.decision, reason: b.reason, decidedAt: today() },
        who(c),
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
      responses: {
        200: ok(
          'Paket',
          z.object({
            packages: z.array(z.object({ ocid: z.string(), uri: z.string() })),
            license: z.string().nullable(),
          }),
        ),
      },
    }),
    async (c) => {
      const packages = releasePackages(await store.publishedProcedures(db), { baseUrl });
      return c.json(
        {
          // Every package holds at least its procedure's tender release.
          packages: packages.map((p) => ({ ocid: String(p.releases[0]!.ocid), uri: p.uri })),
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
      responses: {
        // The package follows the OCDS 1.1 release package schema (standard.open-contracting.org).
        200: ok('Releasepaket (OCDS 1.1)', z.object({ uri: z.string() }).passthrough()),
        404: errorResponses[404],
      },
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
