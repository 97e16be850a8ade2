import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { desc } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { DATA_FILES } from '../../../core/data/files.js';
import { InputErrors } from '../../files/located-error.js';
import { importFolderInto } from '../../store/import-batch.js';
import * as t from '../../store/schema.js';
import { writeAudit } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, requireRole } from '../guard.js';
import { HttpError } from '../problem.js';
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

/** The data files in a zip, wherever they sit in it (a zipped folder has them one level down). */
export function dataFilesFromZip(zip: Uint8Array): Map<string, Uint8Array> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch {
    throw new HttpError(
      400,
      'Filen är ingen giltig zip',
      'Filen kunde inte packas upp; ladda upp datamappen som en zip-fil',
    );
  }
  const out = new Map<string, Uint8Array>();
  for (const [path, bytes] of Object.entries(entries)) {
    const name = basename(path).toLowerCase();
    if (path.includes('__MACOSX') || !(DATA_FILES as readonly string[]).includes(name)) continue;
    if (out.has(name))
      throw new HttpError(400, 'Zip-filen innehåller två datamappar', `${name} finns mer än en gång`);
    out.set(name, bytes);
  }
  if (out.size === 0)
    throw new HttpError(400, 'Inga datafiler i zip-filen', `Väntade några av ${DATA_FILES.join(', ')}`);
  return out;
}

export function registerImports(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

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
      const files = dataFilesFromZip(zip);
      const dir = mkdtempSync(join(tmpdir(), 'vardval-import-'));
      try {
        for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
        const label = c.req.valid('query').label;
        let batch;
        try {
          batch = await importFolderInto(deps.conn, dir, user.username, label);
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
        await writeAudit(db, {
          actor: user.username,
          role: user.role,
          action: 'import',
          target: `batch:${batch.id}`,
          origin: c.get('origin'),
          detail: batch.counts,
        });
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
