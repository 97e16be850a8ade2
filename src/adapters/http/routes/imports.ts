import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import { ImportJobs } from '../import-jobs.js';
import { findImportBatch, listImportBatches, type ImportBatchRow } from '../../store/import-batch.js';
import { HttpError } from '../problem.js';
import { declaredDataFiles, zipLimitsFromEnv } from '../zip-upload.js';
import { errorResponses, jsonAnswer, routeWithRight, who } from './common.js';

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
    listing_rows_written: z.number().nullable().openapi({
      description:
        'Listningsrader sparade hittills medan de sparas i bakgrunden efter importen; null när alla är sparade',
    }),
    visit_rows_written: z.number().nullable().openapi({
      description:
        'Besöksrader sparade hittills medan de sparas i bakgrunden efter importen; null när alla är sparade',
    }),
  })
  .openapi('ImportBatch');

const batchView = (b: ImportBatchRow): z.infer<typeof Batch> => ({
  id: b.id,
  created_at: b.createdAt.toISOString(),
  created_by: b.createdBy,
  label: b.label,
  files: b.files as { name: string; sha256: string; rows: number }[],
  counts: b.counts as Record<string, number>,
  listing_rows_written: b.listingRowsWritten,
  visit_rows_written: b.visitRowsWritten,
});

const ImportJob = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    phase: z.enum(['unpacking', 'reading', 'writing', 'saving-rows', 'done', 'failed']),
    label: z.string().nullable(),
    started_by: z.string(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    files: z.array(
      z.object({
        name: z.string(),
        bytes: z.number(),
        bytes_read: z.number(),
        rows_read: z.number(),
        rows_written: z.number(),
        rows: z.number().nullable(),
      }),
    ),
    batch_id: z.number().nullable(),
    errors: z.array(z.object({ detail: z.string(), code: z.string() })),
    error: z.string().nullable(),
  })
  .openapi('ImportJob');

/** One job list per store the app serves. */
const jobLists = new WeakMap<AppDeps['conn'], ImportJobs>();

export function registerImports(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const limits = zipLimitsFromEnv();
  let jobs = jobLists.get(deps.conn);
  if (!jobs) jobLists.set(deps.conn, (jobs = new ImportJobs(deps.conn)));
  const importJobs = jobs;

  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/imports',
      right: ACCESS.readRuns,
      summary: 'Importer (datamappar) med filernas kontrollsummor',
      responses: jsonAnswer('Importer', z.object({ items: z.array(Batch) })),
    }),
    async (c) => {
      const rows = await listImportBatches(db);
      return c.json({ items: rows.map(batchView) }, 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/imports',
      right: ACCESS.changeRuns,
      summary:
        'Importera en datamapp som zip: granskas först, skrivs sedan helt eller inte alls. Med Prefer: respond-async svarar servern 202 med ett importjobb att följa',
      request: {
        query: z.object({ label: z.string().max(200).optional() }),
        body: {
          required: true,
          content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } },
        },
      },
      responses: {
        201: { description: 'Importerad', content: { 'application/json': { schema: Batch } } },
        202: {
          description: 'Importen har startat (Prefer: respond-async); följ den på Location',
          content: { 'application/json': { schema: ImportJob } },
        },
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
      const user = c.get('user');
      const zip = new Uint8Array(await c.req.arrayBuffer());
      // Checked against the zip's declared sizes before anything is unpacked or stored.
      declaredDataFiles(zip, limits);
      const label = c.req.valid('query').label;
      const { job, done } = importJobs.start({
        zip,
        limits,
        label,
        user,
        audit: { ...who(c), action: 'import' },
      });
      if (/\brespond-async\b/i.test(c.req.header('prefer') ?? '')) {
        c.header('location', `/api/import-jobs/${job.id}`);
        c.header('preference-applied', 'respond-async');
        return c.json(job, 202);
      }
      const batch = await done;
      return c.json(batchView((await findImportBatch(db, batch.id))!), 201);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/import-jobs',
      right: ACCESS.changeRuns,
      summary: 'Pågående och nyss avslutade importer, med rader lästa och skrivna per fil',
      responses: jsonAnswer('Importjobb, nyaste först', z.object({ items: z.array(ImportJob) })),
    }),
    (c) => {
      return c.json({ items: importJobs.list() }, 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/import-jobs/{id}',
      right: ACCESS.changeRuns,
      summary: 'Ett importjobb: fas, rader lästa och skrivna per fil, och resultatet',
      request: { params: z.object({ id: z.string().uuid() }) },
      responses: jsonAnswer('Importjobbet', ImportJob),
    }),
    (c) => {
      const job = importJobs.get(c.req.valid('param').id);
      if (!job)
        throw new HttpError(
          404,
          'Finns inte',
          'Importjobbet finns inte (servern minns jobb tills den startas om)',
        );
      return c.json(job, 200);
    },
  );
}
