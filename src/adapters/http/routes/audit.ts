import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { checkPersonId } from '../../../core/identity.js';
import { searchAudit } from '../../store/audit-search.js';
import { todayOf } from '../clock.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import { personDigest } from '../person-digest.js';
import {
  actionLabel,
  AUDIT_ACTION_LABEL,
  AUDIT_ROLE_LABEL,
  AUDIT_TARGET_LABEL,
  keysLabelled,
  targetLabel,
} from '../audit-labels.js';
import { getRoute, isoDate, pageQuery } from './common.js';

const Entry = z
  .object({
    id: z.number(),
    at: z.string(),
    actor: z.string().nullable(),
    role: z.string().nullable(),
    action: z.string(),
    /** The action in Swedish, as the page shows it. */
    action_label: z.string(),
    target: z.string().nullable(),
    /** The target in Swedish, e.g. `Körning 12` for `run:12`. */
    target_label: z.string().nullable(),
    origin: z.string().nullable(),
  })
  .openapi('AuditEntry');

export function registerAudit(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    getRoute(
      {
        path: '/api/audit',
        right: ACCESS.readAudit,
        summary:
          'Granskningsloggen: vem, när, vad, varifrån (nyast först), sökbar över hela loggen; ett personnummer i sökningen hittar läsningar av personen',
        request: {
          query: z.object({
            q: z.string().max(200, 'Sökningen får vara högst 200 tecken').optional().openapi({
              description:
                'Söker i vem, roll, händelse (även på svenska, t.ex. "godkände"), vad det gäller och varifrån; ett personnummer i valfri stavning hittar läsningar av personen',
            }),
            from: isoDate.optional().openapi({ description: 'Från och med dag (ÅÅÅÅ-MM-DD)' }),
            to: isoDate.optional().openapi({ description: 'Till och med dag (ÅÅÅÅ-MM-DD)' }),
            ...pageQuery,
          }),
        },
      },
      'Poster',
      z.object({
        items: z.array(Entry),
        page: z.number(),
        page_size: z.number(),
        /** Posts that match the search in the whole log. */
        total: z.number(),
      }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      const text = q.q?.trim() ?? '';
      // A personnummer is audited as a hash of its 12 digits: search under that, however typed.
      const person = /\d{6}/.test(text)
        ? checkPersonId(text, { today: todayOf(deps), typed: true })
        : undefined;
      const { rows, total } = await searchAudit(deps.conn.db, {
        text,
        actions: text ? keysLabelled(AUDIT_ACTION_LABEL, text) : [],
        roles: text ? keysLabelled(AUDIT_ROLE_LABEL, text) : [],
        targetPrefixes: text ? keysLabelled(AUDIT_TARGET_LABEL, text).map((k) => `${k}:`) : [],
        targets: person?.ok ? [`person:${personDigest(person.normalized)}`] : [],
        from: q.from,
        to: q.to,
        limit: q.page_size,
        offset: (q.page - 1) * q.page_size,
      });
      return c.json(
        {
          items: rows.map((r) => ({
            id: r.id,
            at: new Date(r.at).toISOString(),
            actor: r.actor ?? null,
            role: r.role ?? null,
            action: r.action,
            action_label: actionLabel(r.action),
            target: r.target ?? null,
            target_label: targetLabel(r.target ?? null),
            origin: r.origin ?? null,
          })),
          page: q.page,
          page_size: q.page_size,
          total,
        },
        200,
      );
    },
  );
}
