import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { NSS_REVIEW_INSTRUCTIONS } from '../../../core/procurement/award-review.js';
import type { Criterion as StoredCriterion } from '../../../core/procurement/nss-evaluation.js';
import * as nss from '../../store/procurement-nss.js';
import * as store from '../../store/procurement.js';
import { todayOf } from '../clock.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, canSeeProvider } from '../guard.js';
import { HttpError } from '../problem.js';
import { day, getRoute, isoDate, jsonBody, postRoute } from './common.js';
import {
  branchJson,
  BranchReport,
  ContractMember,
  Criterion,
  id,
  LeaveOutcome,
  memberJson,
  orgNr,
  ownApplication,
  ReviewInstructions,
  who,
} from './procurement-shared.js';
import { Contract, contractJson } from '../json/contracts.js';

/**
 * What the NSS and contract web pages need beside the procurement API: scoring with motivations,
 * the standstill with the days that moved it and the server's date, a tenderer's own view of its
 * tender and the decision, a member's leaving previewed, and a contract's page.
 */

const Standstill = z
  .object({
    sent_at: day,
    electronic: z.boolean(),
    days: z.number(),
    nominal_last_day: day,
    last_day: day,
    earliest_signing: day,
    moved: z.array(z.object({ date: day, reason: z.string() })),
    may_sign: z.boolean(),
    signed_at: day.nullable(),
  })
  .openapi('Standstill');

/** A tender as its page shows it: the scores and motivations per criterion, and the decision. */
const TenderView = z
  .object({
    procedure: z.object({ id: z.number(), title: z.string(), status: z.string() }),
    criteria: z.array(
      Criterion.omit({ basis: true }).extend({
        score: z.number().nullable(),
        motivation: z.string().nullable(),
      }),
    ),
    decision: z
      .object({
        outcome: z.enum(['awarded', 'not_awarded']),
        reason: z.string().nullable(),
        standstill: Standstill.or(z.null()),
        review: ReviewInstructions,
      })
      .nullable(),
  })
  .openapi('TenderView');

const LeavePreview = z
  .object({
    outcome: LeaveOutcome,
    explanation: z.string(),
    members: z.array(z.object({ org_nr: z.string(), name: z.string(), share_percent: z.number() })),
    units: z.array(z.object({ unit_id: z.string(), name: z.string(), consequence: z.string() })),
  })
  .openapi('LeavePreview');

const ContractDetails = Contract.extend({
  term: z
    .object({
      years: z.number(),
      end: day,
      reprocurement_from: day,
      warning: z.string().nullable(),
    })
    .nullable(),
  members: z.array(ContractMember),
  units: z.array(z.object({ unit_id: z.string(), name: z.string(), branch_of: z.string().nullable() })),
  branches: z.array(BranchReport),
}).openapi('ContractDetails');

export function registerProcurementNss(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  app.openapi(
    getRoute(
      {
        path: '/api/procedures/{id}/standstill',
        right: ACCESS.readRegistry,
        summary:
          'Avtalsspärren efter tilldelningsbeslutet: sista dag, tidigaste dag för avtal, dagarna som flyttade den (helg och helgdag) och serverns datum',
        request: { params: id },
      },

      'Avtalsspärren (null före tilldelning)',
      z.object({ today: z.string(), standstill: Standstill.or(z.null()) }),
    ),
    async (c) => {
      const today = todayOf(deps);
      const proc = await store.getProcedure(db, c.req.valid('param').id);
      return c.json({ today, standstill: nss.standstillOf(proc, today) }, 200);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/applications/{id}/scoring',
        right: ACCESS.decideProcurement,
        summary: 'Poängsätt ett NSS-anbud per kvalitetskriterium, varje poäng med en kort motivering',
        request: {
          params: id,
          body: jsonBody(
            z.object({
              scores: z
                .array(
                  z.object({
                    criterion_id: z.string().min(1).max(40),
                    score: z.number().int(),
                    motivation: z.string().max(1000),
                  }),
                )
                .min(1),
            }),
          ),
        },
      },
      'Poängsatt',
      z.object({
        id: z.number(),
        scores: z.record(z.string(), z.number()),
        motivations: z.record(z.string(), z.string()),
      }),
    ),
    async (c) => {
      const row = await nss.scoreWithMotivations(
        db,
        c.req.valid('param').id,
        c.req.valid('json').scores.map((s) => ({
          criterionId: s.criterion_id,
          score: s.score,
          motivation: s.motivation,
        })),
        who(c),
      );
      return c.json(
        {
          id: row.id,
          scores: row.scores as Record<string, number>,
          motivations: row.scoreReasons as Record<string, string>,
        },
        200,
      );
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/applications/{id}/tender',
        right: ACCESS.apply,
        summary:
          'Ett NSS-anbud: poäng och motivering per kriterium, tilldelningsbeslutet med avtalsspärren och hur det överprövas (en vårdgivare ser sina egna, poängen först efter beslutet)',
        request: { params: id },
      },
      'Anbudet',
      TenderView,
    ),
    async (c) => {
      const user = c.get('user');
      const a = await ownApplication(db, user, c.req.valid('param').id);
      const proc = await store.getProcedure(db, a.procedureId);
      if (proc.kind !== 'nss') throw new HttpError(404, 'Finns inte', 'Ansökan är inget NSS-anbud');
      const decided = proc.awardSentAt !== null;
      // Until the decision is sent the evaluation is the region's working material.
      const showScores = decided || user.role === 'officer' || user.role === 'admin';
      const scores = a.scores as Record<string, number>;
      const motivations = a.scoreReasons as Record<string, string>;
      const today = todayOf(deps);
      return c.json(
        {
          procedure: { id: proc.id, title: proc.title, status: proc.status },
          criteria: (proc.criteria as StoredCriterion[]).map((k) => ({
            id: k.id,
            name: k.name,
            weight: k.weight,
            max_score: k.maxScore,
            score: showScores ? (scores[k.id] ?? null) : null,
            motivation: showScores ? (motivations[k.id] ?? null) : null,
          })),
          decision: decided
            ? {
                outcome: a.status === 'awarded' ? ('awarded' as const) : ('not_awarded' as const),
                reason: proc.awardReason,
                standstill: nss.standstillOf(proc, today),
                review: NSS_REVIEW_INSTRUCTIONS,
              }
            : null,
        },
        200,
      );
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/contracts/{id}/members/leave-preview',
        right: ACCESS.decideProcurement,
        summary:
          'Vad det innebär om en gruppmedlem lämnar: nya andelar eller att avtalet upphör, och vad som händer med enheterna (inget sparas)',
        request: {
          params: id,
          body: jsonBody(z.object({ org_nr: orgNr, left_at: isoDate })),
        },
      },
      'Förhandsvisning',
      LeavePreview,
    ),
    async (c) => {
      const b = c.req.valid('json');
      const r = await nss.previewLeave(db, c.req.valid('param').id, b.org_nr, b.left_at);
      return c.json(
        {
          outcome: r.outcome,
          explanation: r.explanation,
          members: r.members.map((m) => ({ org_nr: m.orgNr, name: m.name, share_percent: m.sharePercent })),
          units: r.units.map((u) => ({ unit_id: u.unitId, name: u.name, consequence: u.consequence })),
        },
        200,
      );
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/contracts/{id}/details',
        right: ACCESS.readRegistry,
        summary:
          'Ett avtal med löptid (NSS: 7 år och varning om ny upphandling), gruppens medlemmar, enheter och anmälda filialer',
        request: { params: id },
      },
      'Avtalet',
      ContractDetails,
    ),
    async (c) => {
      const d = await nss.contractDetails(db, c.req.valid('param').id, todayOf(deps));
      if (!d || !canSeeProvider(c.get('user'), d.contract.providerId))
        throw new HttpError(404, 'Finns inte', 'Avtalet finns inte');
      return c.json(
        {
          ...contractJson(d.contract),
          term: d.term,
          members: d.members.map(memberJson),
          units: d.units.map((u) => ({ unit_id: u.unitId, name: u.name, branch_of: u.branchOf })),
          branches: d.branches.map(branchJson),
        },
        200,
      );
    },
  );
}
