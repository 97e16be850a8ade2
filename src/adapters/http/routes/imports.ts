import { rmSync } from 'node:fs';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { desc } from 'drizzle-orm';
import { InputErrors } from '../../files/located-error.js';
import { importFolderInto } from '../../store/import-batch.js';
import * as t from '../../store/schema.js';
import { writeAudit } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, requireRole } from '../guard.js';
import { declaredDataFiles, importWorkFolder, unpackDataZip, zipLimitsFromEnv } from '../zip-upload.js';
import { errorResponses } from './common.js';

/** A zip of a data folder may be large; this route alone accepts up to this many bytes. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

const Batch = z
  .object({
    id: z.number(),
    created_at: z.string(),
    created_by: z.string().nullable(),
    label: z.string().nullable(),
    files: z.array(z.object({ name: z.string(), sha256: z.string(), rows: z.number() })),
    counts: z.record(z.string(), z.number()),
  })
  .openapi('ImportBatch');

export function registerImports(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const limits = zipLimitsFromEnv();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/imports',
      summary: 'Importer (datamappar) med filernas kontrollsummor',
      responses: {
        200: {
          description: 'Importer',
          content: { 'application/json': { schema: z.object({ items: z.array(Batch) }) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      requireRole(c, ACCESS.readRuns);
      const rows = await db.select().from(t.importBatches).orderBy(desc(t.importBatches.id));
      return c.json(
        {
          items: rows.map((b) => ({
            id: b.id,
            created_at: b.createdAt.toISOString(),
            created_by: b.createdBy,
            label: b.label,
            files: b.files as { name: string; sha256: string; rows: number }[],
            counts: b.counts as Record<string, number>,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/imports',
      summary: 'Importera en datamapp som zip: granskas först, skrivs sedan helt eller inte alls',
      request: {
        query: z.object({ label: z.string().max(200).optional() }),
        body: {
          required: true,
          content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } },
        },
      },
      responses: {
        201: { description: 'Importerad', content: { 'application/json': { schema: Batch } } },
        ...errorResponses,
        422: {
          description: 'Fel i data: varje fel med fil:rad:kolumn',
          content: {
            'application/problem+json': {
              schema: z.object({ errors: z.array(z.object({ detail: z.string() })) }),
            },
          },
        },
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.changeRuns);
      const zip = new Uint8Array(await c.req.arrayBuffer());
      // Checked against the zip's declared sizes before anything is unpacked or stored.
      declaredDataFiles(zip, limits);
      const dir = importWorkFolder();
      try {
        unpackDataZip(zip, dir, limits);
        const label = c.req.valid('query').label;
        let batch;
        try {
          batch = await importFolderInto(deps.conn, dir, user.username, label, {
            actor: user.username,
            role: user.role,
            action: 'import',
            origin: c.get('origin'),
          });
        } catch (error) {
          await writeAudit(db, {
            actor: user.username,
            role: user.role,
            action: 'import_rejected',
            origin: c.get('origin'),
          });
          // The server's temporary folder means nothing to the user: name the upload instead.
          if (error instanceof InputErrors) {
            throw new InputErrors(
              error.errors,
              'Datamappen i zip-filen innehåller fel; inget har importerats',
            );
          }
          throw error;
        }
        const [row] = await db.select().from(t.importBatches).orderBy(desc(t.importBatches.id)).limit(1);
        return c.json(
          {
            id: batch.id,
            created_at: row.createdAt.toISOString(),
            created_by: user.username,
            label: label ?? null,
            files: batch.files,
            counts: batch.counts,
          },
          201,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
