import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { NSS_REVIEW_INSTRUCTIONS } from '../../../core/procurement/award-review.js';
import type { Criterion } from '../../../core/procurement/nss-evaluation.js';
import * as nss from '../../store/procurement-nss.js';
import * as store from '../../store/procurement.js';
import { todayOf } from '../clock.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, canSeeProvider, requireRole } from '../guard.js';
import { HttpError } from '../problem.js';
import { isoDate, jsonAnswer, jsonBody } from './common.js';
import { id, orgNr, responses200, who } from './procurement-shared.js';
import { contractJson } from '../json/contracts.js';

/**
 * What the NSS and contract web pages need beside the procurement API: scoring with motivations,
 * the standstill with the days that moved it and the server's date, a tenderer's own view of its
 * tender and the decision, a member's leaving previewed, and a contract's page.
 */

const Standstill = z
  .object({
    sent_at: z.string(),
    electronic: z.boolean(),
    days: z.number(),
    nominal_last_day: z.string(),
    last_day: z.string(),
    earliest_signing: z.string(),
    moved: z.array(z.object({ date: z.string(), reason: z.string() })),
    may_sign: z.boolean(),
    signed_at: z.string().nullable(),
  })
  .openapi('Standstill');

export function registerProcurementNss(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/procedures/{id}/standstill',
      summary:
        'Avtalsspärren efter tilldelningsbeslutet: sista dag, tidigaste dag för avtal, dagarna som flyttade den (helg och helgdag) och serverns datum',
      request: { params: id },
      responses: jsonAnswer(
        'Avtalsspärren (null före tilldelning)',
        z.object({ today: z.string(), standstill: Standstill.nullable() }),
      ),
    }),
    async (c) => {
      requireRole(c, ACCESS.readRegistry);
      const today = todayOf(deps);
      const proc = await store.getProcedure(db, c.req.valid('param').id);
      return c.json({ today, standstill: nss.standstillOf(proc, today) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/applications/{id}/scoring',
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
      responses: responses200('Poängsatt'),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.decideProcurement);
      const row = await nss.scoreWithMotivations(
        db,
        c.req.valid('param').id,
        c.req.valid('json').scores.map((s) => ({
          criterionId: s.criterion_id,
          score: s.score,
          motivation: s.motivation,
        })),
        who(c, user),
      );
      return c.json({ id: row.id, scores: row.scores, motivations: row.scoreReasons }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/applications/{id}/tender',
      summary:
        'Ett NSS-anbud: poäng och motivering per kriterium, tilldelningsbeslutet med avtalsspärren och hur det överprövas (en vårdgivare ser sina egna, poängen först efter beslutet)',
      request: { params: id },
      responses: responses200('Anbudet'),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.apply);
      const a = await store.getApplication(db, c.req.valid('param').id).catch(() => undefined);
      if (!a || !canSeeProvider(user, a.providerId))
        throw new HttpError(404, 'Finns inte', `Anbud ${c.req.valid('param').id} finns inte`);
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
          criteria: (proc.criteria as Criterion[]).map((k) => ({
            id: k.id,
            name: k.name,
            weight: k.weight,
            max_score: k.maxScore,
            score: showScores ? (scores[k.id] ?? null) : null,
            motivation: showScores ? (motivations[k.id] ?? null) : null,
          })),
          decision: decided
            ? {
                outcome: a.status === 'awarded' ? 'awarded' : 'not_awarded',
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
    createRoute({
      method: 'post',
      path: '/api/contracts/{id}/members/leave-preview',
      summary:
        'Vad det innebär om en gruppmedlem lämnar: nya andelar eller att avtalet upphör, och vad som händer med enheterna (inget sparas)',
      request: {
        params: id,
        body: jsonBody(z.object({ org_nr: orgNr, left_at: isoDate })),
      },
      responses: responses200('Förhandsvisning'),
    }),
    async (c) => {
      requireRole(c, ACCESS.decideProcurement);
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
    createRoute({
      method: 'get',
      path: '/api/contracts/{id}/details',
      summary:
        'Ett avtal med löptid (NSS: 7 år och varning om ny upphandling), gruppens medlemmar, enheter och anmälda filialer',
      request: { params: id },
      responses: jsonAnswer('Avtalet', z.object({}).passthrough()),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRegistry);
      const d = await nss.contractDetails(db, c.req.valid('param').id, todayOf(deps));
      if (!d || !canSeeProvider(user, d.contract.providerId))
        throw new HttpError(404, 'Finns inte', 'Avtalet finns inte');
      return c.json(
        {
          ...contractJson(d.contract),
          term: d.term,
          members: d.members.map((m) => ({
            org_nr: m.orgNr,
            name: m.name,
            share_percent: m.sharePercent,
            lead: m.isLead,
            on_leaving: m.onLeaving,
            left_at: m.leftAt,
          })),
          units: d.units.map((u) => ({ unit_id: u.unitId, name: u.name, branch_of: u.branchOf })),
          branches: d.branches.map((b) => ({
            id: b.id,
            unit_id: b.unitId,
            branch_of: b.branchOf,
            name: b.name,
            kommun: b.kommun,
            status: b.status,
            reported_at: b.reportedAt,
            decided_at: b.decidedAt,
            reason: b.reason,
          })),
        },
        200,
      );
    },
  );
}
