import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Statements, StatementLine, RunIdentity } from '../../../core/engine/run.js';
import { statementsCsv } from '../../files/statements-files.js';
import { statementsPdf } from '../../exports/statement-pdf.js';
import { statementsXlsx } from '../../exports/statements-xlsx.js';
import { approveRun, createRun } from '../../store/runs.js';
import * as t from '../../store/schema.js';
import { writeAudit } from '../../store/users.js';
import type { AppDeps, AppEnv, SessionUser } from '../context.js';
import { ACCESS, canSeeProvider, requireRole } from '../guard.js';
import { HttpError } from '../problem.js';
import { TtlCache } from '../cache.js';
import { latestBatchId } from './registry.js';
import { dbId, dbIdParam, errorResponses, pageOf, pageQuery, paginate } from './common.js';

const Line = z
  .object({
    component: z.string(),
    type: z.string(),
    label: z.string(),
    quantity: z.number(),
    amount_ore: z.number().int(),
    explanation: z.string(),
  })
  .openapi('StatementLine');
const UnitStatement = z
  .object({
    unit_id: z.string(),
    name: z.string(),
    provider_id: z.string(),
    ownership: z.string(),
    listed: z.number(),
    lines: z.array(Line),
    total_ore: z.number().int(),
  })
  .openapi('UnitStatement');
const Run = z
  .object({
    id: z.number(),
    month: z.string(),
    rulebook_id: z.string(),
    rulebook_version_id: z.number(),
    batch_id: z.number(),
    status: z.enum(['draft', 'approved', 'superseded']),
    corrects_run_id: z.number().nullable(),
    total_ore: z.number().int().openapi({ description: 'Vårdgivare: summan för de egna enheterna' }),
    created_by: z.string().nullable(),
    approved_by: z.string().nullable(),
    approved_at: z.string().nullable(),
  })
  .openapi('PaymentRun');

type RunRow = typeof t.paymentRuns.$inferSelect;
type StatementRow = typeof t.statements.$inferSelect;

function runJson(run: RunRow, total: number) {
  return {
    id: run.id,
    month: run.month,
    rulebook_id: run.rulebookId,
    rulebook_version_id: run.rulebookVersionId,
    batch_id: run.batchId,
    status: run.status as 'draft' | 'approved' | 'superseded',
    corrects_run_id: run.correctsRunId,
    total_ore: total,
    created_by: run.createdBy,
    approved_by: run.approvedBy,
    approved_at: run.approvedAt ? run.approvedAt.toISOString() : null,
  };
}

function statementJson(s: StatementRow) {
  return {
    unit_id: s.unitId,
    name: s.name,
    provider_id: s.providerId,
    ownership: s.ownership,
    listed: s.listed,
    lines: s.lines as StatementLine[],
    total_ore: s.totalOre,
  };
}

export function registerRuns(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  // Kept serialised: under load the same few statements are sent thousands of times a second.
  const approvedStatements = new TtlCache<{ providerId: string; body: string }>(10 * 60_000);

  const visibleStatements = async (user: SessionUser, runId: number): Promise<StatementRow[]> => {
    const rows = await db
      .select()
      .from(t.statements)
      .where(eq(t.statements.runId, runId))
      .orderBy(asc(t.statements.unitId));
    return rows.filter((s) => canSeeProvider(user, s.providerId));
  };
  const getRun = async (runId: number): Promise<RunRow> => {
    const [run] = await db.select().from(t.paymentRuns).where(eq(t.paymentRuns.id, runId));
    if (!run) throw new HttpError(404, 'Finns inte', `Körning ${runId} finns inte`);
    return run;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/runs',
      summary: 'Utbetalningskörningar',
      request: {
        query: z.object({
          month: z
            .string()
            .regex(/^\d{4}-\d{2}$/)
            .optional(),
          status: z.enum(['draft', 'approved', 'superseded']).optional(),
          rulebook_id: z.string().optional(),
          ...pageQuery,
        }),
      },
      responses: {
        200: { description: 'Körningar', content: { 'application/json': { schema: pageOf(Run) } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRuns);
      const q = c.req.valid('query');
      const conditions = [];
      if (q.month) conditions.push(eq(t.paymentRuns.month, q.month));
      if (q.status) conditions.push(eq(t.paymentRuns.status, q.status));
      if (q.rulebook_id) conditions.push(eq(t.paymentRuns.rulebookId, q.rulebook_id));
      const runs = await db
        .select()
        .from(t.paymentRuns)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(desc(t.paymentRuns.month), desc(t.paymentRuns.id));
      const page = paginate(runs, q.page, q.page_size);
      const items = [];
      for (const run of page.items) {
        const total =
          user.role === 'provider'
            ? (await visibleStatements(user, run.id)).reduce((s, x) => s + x.totalOre, 0)
            : run.totalOre;
        items.push(runJson(run, total));
      }
      return c.json({ ...page, items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/runs',
      summary:
        'Beräkna en körning (utkast) ur lagrade data; en ny körning för en godkänd månad blir en korrigering',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                month: z.string().regex(/^\d{4}-\d{2}$/, 'Månaden skrivs ÅÅÅÅ-MM'),
                rulebook_version_id: dbId,
                batch_id: dbId
                  .optional()
                  .openapi({ description: 'Import att räkna på; standard: den senaste' }),
              }),
            },
          },
        },
      },
      responses: {
        201: { description: 'Utkast skapat', content: { 'application/json': { schema: Run } } },
        ...errorResponses,
        409: errorResponses[404],
        422: errorResponses[400],
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.changeRuns);
      const body = c.req.valid('json');
      const batchId = body.batch_id ?? (await latestBatchId(deps));
      if (batchId === undefined) throw new HttpError(409, 'Inga data', 'Importera en datamapp först');
      const created = await createRun(db, body.month, body.rulebook_version_id, batchId, user.username);
      await writeAudit(db, {
        actor: user.username,
        role: user.role,
        action: 'create_run',
        target: `run:${created.runId}`,
        origin: c.get('origin'),
        detail: body,
      });
      return c.json(runJson(await getRun(created.runId), (await getRun(created.runId)).totalOre), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/runs/{runId}',
      summary: 'En körning med enheternas utbetalningsunderlag',
      request: { params: z.object({ runId: dbIdParam }) },
      responses: {
        200: {
          description: 'Körningen',
          content: {
            'application/json': { schema: Run.extend({ identity: z.any(), units: z.array(UnitStatement) }) },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRuns);
      const run = await getRun(c.req.valid('param').runId);
      const units = await visibleStatements(user, run.id);
      if (user.role === 'provider' && units.length === 0)
        throw new HttpError(404, 'Finns inte', `Körning ${run.id} finns inte`);
      const total = user.role === 'provider' ? units.reduce((s, x) => s + x.totalOre, 0) : run.totalOre;
      return c.json({ ...runJson(run, total), identity: run.identity, units: units.map(statementJson) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/runs/{runId}/approve',
      summary: 'Godkänn en körning (högst en godkänd per regelbok och månad)',
      request: { params: z.object({ runId: dbIdParam }) },
      responses: {
        200: { description: 'Godkänd', content: { 'application/json': { schema: Run } } },
        ...errorResponses,
        409: errorResponses[404],
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.changeRuns);
      const { runId } = c.req.valid('param');
      await getRun(runId);
      await approveRun(db, runId, user.username, {
        actor: user.username,
        role: user.role,
        action: 'approve_run',
        target: `run:${runId}`,
        origin: c.get('origin'),
      });
      const run = await getRun(runId);
      return c.json(runJson(run, run.totalOre), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/runs/{runId}/statements/{unitId}',
      summary: 'En enhets utbetalningsunderlag med förklaring per rad',
      request: {
        params: z.object({ runId: dbIdParam, unitId: z.string().max(40) }),
      },
      responses: {
        200: { description: 'Underlaget', content: { 'application/json': { schema: UnitStatement } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRuns);
      const { runId, unitId } = c.req.valid('param');
      const key = `${runId}/${unitId}`;
      const s = await approvedStatements.getOrLoad(key, async () => {
        const [row] = await db
          .select()
          .from(t.statements)
          .where(and(eq(t.statements.runId, runId), eq(t.statements.unitId, unitId)));
        if (!row) return { value: undefined, keep: false };
        // Statements of an approved run never change: keep them.
        return {
          value: { providerId: row.providerId, body: JSON.stringify(statementJson(row)) },
          keep: (await getRun(runId)).status !== 'draft',
        };
      });
      if (!s || !canSeeProvider(user, s.providerId))
        throw new HttpError(404, 'Finns inte', `Inget underlag för ${unitId} i körning ${runId}`);
      // The body is statementJson's output, already serialised; the typed route cannot see that.
      return new Response(s.body, {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }) as unknown as ReturnType<typeof c.json<ReturnType<typeof statementJson>, 200>>;
    },
  );

  const FORMATS = {
    csv: 'text/csv; charset=utf-8',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    pdf: 'application/pdf',
  } as const;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/runs/{runId}/export/{format}',
      summary: 'Utbetalningsunderlag som CSV, XLSX (svenska talformat) eller PDF (ett underlag per enhet)',
      request: {
        params: z.object({
          runId: dbIdParam,
          format: z.enum(['csv', 'xlsx', 'pdf']),
        }),
        query: z.object({ unit: z.string().max(40).optional().openapi({ description: 'Bara denna enhet' }) }),
      },
      responses: {
        200: {
          description: 'Filen',
          content: {
            'text/csv': { schema: z.string() },
            [FORMATS.xlsx]: { schema: z.string().openapi({ format: 'binary' }) },
            'application/pdf': { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRuns);
      const { runId, format } = c.req.valid('param');
      const { unit } = c.req.valid('query');
      const run = await getRun(runId);
      let units = await visibleStatements(user, runId);
      if (unit) units = units.filter((u) => u.unitId === unit);
      if (units.length === 0)
        throw new HttpError(
          404,
          'Finns inte',
          unit ? `Inget underlag för ${unit} i körning ${runId}` : `Körning ${runId} finns inte`,
        );
      const statements: Statements = {
        format: 'vardval-statements/1',
        identity: run.identity as RunIdentity,
        units: units.map((u) => ({
          unit_id: u.unitId,
          name: u.name,
          provider_id: u.providerId,
          ownership: u.ownership as 'public',
          lines: u.lines as StatementLine[],
          total_ore: u.totalOre,
        })),
        total_ore: units.reduce((s, u) => s + u.totalOre, 0),
      };
      const name = `utbetalning-${run.month}-korning-${run.id}${unit ? `-${unit}` : ''}.${format}`;
      const body =
        format === 'csv'
          ? Buffer.from(`\ufeff${statementsCsv(statements)}`)
          : format === 'xlsx'
            ? await statementsXlsx(statements)
            : await statementsPdf(statements);
      return new Response(new Uint8Array(body), {
        status: 200,
        headers: { 'content-type': FORMATS[format], 'content-disposition': `attachment; filename="${name}"` },
      });
    },
  );
}
