import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { listAudit } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, requireRole } from '../guard.js';
import { errorResponses, pageQuery } from './common.js';

const Entry = z
  .object({
    id: z.number(),
    at: z.string(),
    actor: z.string().nullable(),
    role: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    origin: z.string().nullable(),
  })
  .openapi('AuditEntry');

export function registerAudit(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/audit',
      summary: 'Granskningsloggen: vem, när, vad, varifrån (nyast först)',
      request: { query: z.object(pageQuery) },
      responses: {
        200: {
          description: 'Poster',
          content: {
            'application/json': {
              schema: z.object({ items: z.array(Entry), page: z.number(), page_size: z.number() }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      requireRole(c, ACCESS.readAudit);
      const q = c.req.valid('query');
      const rows = await listAudit(deps.conn.db, { limit: q.page_size, offset: (q.page - 1) * q.page_size });
      return c.json(
        {
          items: rows.map((r) => ({
            id: r.id,
            at: new Date(r.at).toISOString(),
            actor: r.actor ?? null,
            role: r.role ?? null,
            action: r.action,
            target: r.target ?? null,
            origin: r.origin ?? null,
          })),
          page: q.page,
          page_size: q.page_size,
        },
        200,
      );
    },
  );
}
