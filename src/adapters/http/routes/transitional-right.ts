import { z, type OpenAPIHono } from '@hono/zod-openapi';
import * as store from '../../store/procurement.js';
import { todayOf } from '../clock.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, actingFor, canSeeProvider, visibleTo } from '../guard.js';
import { HttpError } from '../problem.js';
import {
  day,
  getRoute,
  isoDate,
  isoMonth,
  itemsOf,
  jsonAnswer,
  postCreatedRoute,
  postRoute,
  routeWithRight,
} from './common.js';
import { id, json, who } from './procurement-shared.js';

/** A month of national-tariff activity, as the region records it and reads it back. */
const ActivityMonth = z.object({ month: isoMonth, full_time: z.boolean(), on_national_tariff: z.boolean() });

const TransitionalRequest = z
  .object({
    id: z.number(),
    provider_id: z.string(),
    provider_name: z.string(),
    profession: z.enum(['doctor', 'physiotherapist']),
    orientation: z.string(),
    tariff_ends: day,
    status: z.enum(['requested', 'granted', 'refused', 'duplicate']),
    eligible: z.boolean(),
    result: z.object({
      eligible: z.boolean(),
      window: z.object({ from: z.string(), to: z.string() }),
      counted_months: z.array(z.string()),
      not_counted_months: z.array(z.object({ month: z.string(), reason: z.string() })),
      reasons: z.array(z.string()),
      explanation: z.string(),
    }),
    contract_id: z.number().nullable(),
    requested_at: day.nullable(),
    decided_at: day.nullable(),
    decision_reason: z.string().nullable(),
  })
  .openapi('TransitionalRequest');
type TransitionalAnswer = z.infer<typeof TransitionalRequest>;

/**
 * The NSS transitional right: national-tariff activity the region records, a provider's request,
 * and the officer's decision, once per provider; every date is the server's.
 */
export function registerTransitionalRight(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const today = () => todayOf(deps);

  const providerParam = z.object({ providerId: z.string().min(1).max(20) });

  app.openapi(
    routeWithRight({
      method: 'put',
      path: '/api/activity/{providerId}',
      right: ACCESS.recordActivity,
      summary:
        'Regionen registrerar månadsvis verksamhet enligt nationella taxan (heltid eller inte), underlaget för övergångsrätten; en vårdgivare kan inte själv redovisa den',
      request: {
        params: providerParam,
        ...json(
          z.object({
            months: z.array(ActivityMonth).min(1).max(600),
          }),
        ),
      },
      responses: jsonAnswer('Sparat', z.object({ saved: z.number() })),
    }),
    async (c) => {
      const n = await store.putActivity(
        db,
        c.req.valid('param').providerId.replace('-', ''),
        c.req.valid('json').months.map((m) => ({
          month: m.month,
          fullTime: m.full_time,
          onNationalTariff: m.on_national_tariff,
        })),
        who(c),
      );
      return c.json({ saved: n }, 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/activity/{providerId}',
        right: ACCESS.apply,
        summary: 'Registrerad verksamhet enligt nationella taxan (en vårdgivare ser sin egen)',
        request: { params: providerParam },
      },
      'Månader',
      itemsOf(ActivityMonth),
    ),
    async (c) => {
      const providerId = c.req.valid('param').providerId.replace('-', '');
      if (!canSeeProvider(c.get('user'), providerId))
        throw new HttpError(404, 'Finns inte', 'Vårdgivaren finns inte');
      const rows = await store.activityOf(db, providerId);
      return c.json(
        {
          items: rows.map((r) => ({
            month: r.month,
            full_time: r.fullTime,
            on_national_tariff: r.onNationalTariff,
          })),
        },
        200,
      );
    },
  );

  const transitionalJson = (r: store.TransitionalRow): TransitionalAnswer => ({
    id: r.id,
    provider_id: r.providerId,
    provider_name: r.providerName,
    profession: r.profession as TransitionalAnswer['profession'],
    orientation: r.orientation,
    tariff_ends: r.tariffEnds,
    status: r.status as TransitionalAnswer['status'],
    eligible: r.eligible,
    result: r.result as TransitionalAnswer['result'],
    contract_id: r.contractId,
    requested_at: r.requestedAt,
    decided_at: r.decidedAt,
    decision_reason: r.decisionReason,
  });

  app.openapi(
    postCreatedRoute(
      {
        path: '/api/transitional-requests',
        right: ACCESS.apply,
        summary:
          'Begär övergångsrätt till NSS (en gång per vårdgivare, och bara med registrerade månader enligt nationella taxan); handläggaren beslutar',
        request: json(
          z.object({
            provider_id: z.string().min(1).max(20),
            provider_name: z.string().min(1).max(200),
            profession: z.enum(['doctor', 'physiotherapist']),
            orientation: z.string().min(1).max(200),
            tariff_ends: isoDate,
          }),
        ),
      },
      'Begärd',
      TransitionalRequest,
    ),
    async (c) => {
      const b = c.req.valid('json');
      const providerId = actingFor(c.get('user'), b.provider_id, 'begär övergångsrätt');
      const row = await store.requestTransitional(
        db,
        {
          providerId,
          providerName: b.provider_name,
          profession: b.profession,
          orientation: b.orientation,
          tariffEnds: b.tariff_ends,
        },
        who(c),
        today(),
      );
      return c.json(transitionalJson(row), 201);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/transitional-requests/{id}/decision',
        right: ACCESS.decideProcurement,
        summary:
          'Handläggarens beslut om övergångsrätt, en gång: bevilja (kräver rätt enligt registrerad verksamhet; ger ett 7-årigt NSS-kontrakt och avslutar taxeavtalet dagen före) eller avslå, med skäl',
        request: {
          params: id,
          ...json(z.object({ decision: z.enum(['grant', 'refuse']), reason: z.string().min(1).max(2000) })),
        },
      },
      'Beslutad',
      TransitionalRequest,
    ),
    async (c) => {
      const row = await store.decideTransitional(
        db,
        c.req.valid('param').id,
        c.req.valid('json'),
        who(c),
        today(),
      );
      return c.json(transitionalJson(row), 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/transitional-requests',
        right: ACCESS.apply,
        summary: 'Begäran om övergångsrätt med status, beslut och förklaring (en vårdgivare ser sina egna)',
      },
      'Begäran',
      itemsOf(TransitionalRequest),
    ),
    async (c) => {
      const rows = await store.listTransitionalRequests(db);
      return c.json({ items: visibleTo(c.get('user'), rows).map(transitionalJson) }, 200);
    },
  );
}
