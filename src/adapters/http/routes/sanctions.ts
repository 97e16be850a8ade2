import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { todayOf } from '../clock.js';
import * as store from '../../store/sanctions.js';
import type { AppDeps, AppEnv, SessionUser } from '../context.js';
import { ACCESS, canSeeProvider } from '../guard.js';
import { HttpError } from '../problem.js';
import { dbIdParam, getRoute, jsonBody, ore, postCreatedRoute, postRoute, who } from './common.js';

/**
 * Sanctions with due process (vite efter yttrande): the region proposes from follow-up and events,
 * the provider answers within the rulebook's period, an officer decides once, and a confirmed or
 * reduced sanction is deducted in the payment run of its settlement month.
 */

const Sanction = z
  .object({
    id: z.number(),
    rulebook_id: z.string(),
    sanction: z.string(),
    basis: z.enum(['requirement', 'event']),
    subject: z.string(),
    period: z.string(),
    unit_id: z.string(),
    provider_id: z.string(),
    proposed_ore: ore,
    grounds: z.string(),
    source: z.string(),
    status: z.enum(['proposed', 'answered', 'confirmed', 'reduced', 'cancelled']),
    proposed_at: z.string(),
    answer_due: z.string(),
    answer: z.string().nullable(),
    answered_at: z.string().nullable(),
    decided_ore: ore.nullable(),
    decision_reason: z.string().nullable(),
    decided_at: z.string().nullable(),
    settle_month: z.string().nullable(),
  })
  .openapi('Sanction');

const sanctionJson = (s: store.SanctionRow): z.infer<typeof Sanction> => ({
  id: s.id,
  rulebook_id: s.rulebookId,
  sanction: s.sanction,
  basis: s.basis as 'requirement' | 'event',
  subject: s.subject,
  period: s.period,
  unit_id: s.unitId,
  provider_id: s.providerId,
  proposed_ore: s.proposedOre,
  grounds: s.grounds,
  source: s.source,
  status: s.status as z.infer<typeof Sanction>['status'],
  proposed_at: s.proposedAt,
  answer_due: s.answerDue,
  answer: s.answer,
  answered_at: s.answeredAt,
  decided_ore: s.decidedOre,
  decision_reason: s.decisionReason,
  decided_at: s.decidedAt,
  settle_month: s.settleMonth,
});

const id = z.object({ id: dbIdParam });
const json = <T extends z.ZodTypeAny>(schema: T) => ({ body: jsonBody(schema) });

export function registerSanctions(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const today = () => todayOf(deps);
  /** A provider reaches only its own sanctions; anyone else's is "not found", so nothing leaks. */
  async function visible(user: SessionUser, sanctionId: number) {
    const s = await store.getSanction(db, sanctionId).catch(() => undefined);
    if (!s || !canSeeProvider(user, s.providerId))
      throw new HttpError(404, 'Finns inte', `Sanktion ${sanctionId} finns inte`);
    return s;
  }

  app.openapi(
    getRoute(
      {
        path: '/api/sanctions',
        right: ACCESS.readSanctions,
        summary: 'Sanktioner (viten) med status, yttrande och beslut (en vårdgivare ser sina egna)',
      },
      'Sanktioner, nyaste först',
      z.object({ items: z.array(Sanction) }),
    ),
    async (c) => {
      const user = c.get('user');
      const rows = await store.listSanctions(
        db,
        user.role === 'provider' ? (user.providerId ?? '-') : undefined,
      );
      return c.json({ items: rows.map(sanctionJson) }, 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/sanctions/{id}',
        right: ACCESS.readSanctions,
        summary: 'En sanktion: grund, föreslaget belopp, vårdgivarens yttrande och regionens beslut',
        request: { params: id },
      },
      'Sanktionen',
      Sanction,
    ),
    async (c) => {
      return c.json(sanctionJson(await visible(c.get('user'), c.req.valid('param').id)), 200);
    },
  );

  app.openapi(
    postCreatedRoute(
      {
        path: '/api/sanctions/proposals',
        right: ACCESS.decideSanctions,
        summary:
          'Föreslå viten för en uppföljd månad: ett per ej uppfyllt ska-krav och ett per händelse av en sanktions händelsetyp; redan föreslagna föreslås inte igen',
        request: {
          ...json(
            z.object({
              version_id: z.number().int().positive().max(2_147_483_647),
              month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Månaden skrivs ÅÅÅÅ-MM'),
            }),
          ),
        },
      },
      'Föreslagna',
      z.object({ created: z.array(Sanction), existing: z.number().int() }),
    ),
    async (c) => {
      const b = c.req.valid('json');
      const r = await store.proposeSanctions(
        db,
        { versionId: b.version_id, month: b.month },
        who(c),
        today(),
      );
      return c.json({ created: r.created.map(sanctionJson), existing: r.existing }, 201);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/sanctions/{id}/answer',
        right: ACCESS.answerSanctions,
        summary: 'Vårdgivarens yttrande över ett föreslaget vite, en gång och inom svarstiden',
        request: { params: id, ...json(z.object({ text: z.string().min(1).max(5000) })) },
      },
      'Yttrandet är mottaget',
      Sanction,
    ),
    async (c) => {
      const s = await visible(c.get('user'), c.req.valid('param').id);
      const row = await store.answerSanction(db, s.id, c.req.valid('json').text, who(c), today());
      return c.json(sanctionJson(row), 200);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/sanctions/{id}/decision',
        right: ACCESS.decideSanctions,
        summary:
          'Regionens beslut, en gång och efter yttrande eller svarstid: fastställ, sätt ned (amount_ore) eller avskriv, med skäl',
        request: {
          params: id,
          ...json(
            z.object({
              decision: z.enum(['confirm', 'reduce', 'cancel']),
              amount_ore: ore.positive().max(2_147_483_647).optional(),
              reason: z.string().min(1).max(5000),
            }),
          ),
        },
      },
      'Beslutad',
      Sanction,
    ),
    async (c) => {
      const b = c.req.valid('json');
      const row = await store.decideSanction(
        db,
        c.req.valid('param').id,
        { decision: b.decision, amountOre: b.amount_ore, reason: b.reason },
        who(c),
        today(),
      );
      return c.json(sanctionJson(row), 200);
    },
  );
}
