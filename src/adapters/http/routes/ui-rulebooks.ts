import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { loadRulebookVersion } from '../../store/runs.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import { dbIdParam, getRoute } from './common.js';

/**
 * A rulebook version as the validated document (defaults filled in, components in file order and
 * in evaluation order), for the web interface to render as a readable Swedish document and to
 * compare two versions.
 */
export function registerUiRulebooks(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    getRoute(
      {
        path: '/api/ui/rulebooks/{id}/document',
        right: ACCESS.readRulebooks,
        summary: 'En regelboksversion som granskat dokument (för att visa och jämföra)',
        request: { params: z.object({ id: dbIdParam }) },
      },
      'Dokumentet',
      z
        .object({
          id: z.number(),
          rulebook_id: z.string(),
          version: z.number(),
          status: z.string(),
          sha256: z.string(),
          published_at: z.string().nullable(),
          evaluation_order: z.array(z.string()),
          overlay: z
            .object({
              base_id: z.string(),
              base_version: z.number(),
              changes: z.array(z.object({ path: z.string(), kind: z.enum(['changed', 'added', 'removed']) })),
              text: z.string(),
            })
            .nullable()
            .openapi({
              description:
                'Sparad som överlägg (base): grundens version, vad överlägget ändrar och överläggets text',
            }),
          rulebook: z.record(z.string(), z.unknown()),
        })
        .openapi('UiRulebookDocument'),
    ),
    async (c) => {
      const { row, rb } = await loadRulebookVersion(deps.conn.db, c.req.valid('param').id);
      return c.json(
        {
          id: row.id,
          rulebook_id: row.rulebookId,
          version: row.version,
          status: row.status,
          sha256: row.sha256,
          published_at: row.publishedAt ? row.publishedAt.toISOString() : null,
          evaluation_order: rb.order.map((c) => c.id),
          overlay: row.overlay ?? null,
          rulebook: rb.rulebook as unknown as Record<string, unknown>,
        },
        200,
      );
    },
  );
}
