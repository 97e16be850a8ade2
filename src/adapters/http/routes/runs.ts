import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { UnitContract, UnpaidUnit as UnpaidUnitRow } from '../../../core/contracts/pay.js';
import type { Statements, StatementLine, RunIdentity } from '../../../core/engine/run.js';
import { statementsCsv } from '../../exports/statements-files.js';
import { statementsPdf } from '../../exports/statement-pdf.js';
import { statementsXlsx } from '../../exports/statements-xlsx.js';
import { statementsCsvSv } from '../../exports/statements-csv-sv.js';
import { approvalText, type RunApproval } from '../../exports/common.js';
import { approveMonth, computeMonth } from '../../../app/runs.js';
import {
  findRun,
  listRuns,
  runStatements,
  unitProvidersOfBatch,
  unitStatement,
  type RunRow,
  type StatementRow,
} from '../../store/run-views.js';
import { hasApproverRight, writeAudit } from '../../store/users.js';
import { approverRightRefusal, DEFAULT_CONTROL } from '../../../core/control/approval.js';
import type { AppDeps, AppEnv, SessionUser } from '../context.js';
import { ACCESS } from '../guard.js';
import { HttpError } from '../problem.js';
import { TtlCache } from '../cache.js';
import {
  binaryFile,
  createdAnswer,
  dbId,
  dbIdParam,
  fileAnswer,
  getRoute,
  isoMonth,
  jsonAnswer,
  jsonBody,
  ore,
  pageOf,
  pageQuery,
  paginate,
  postRoute,
  refusedResponses,
  routeWithRight,
  textFile,
  who,
} from './common.js';

const Line = z
  .object({
    component: z.string(),
    type: z.string(),
    label: z.string(),
    quantity: z.number(),
    amount_ore: ore,
    explanation: z.string().openapi({ description: 'Härledningen i en mening' }),
    source: z
      .string()
      .optional()
      .openapi({ description: 'Avsnittet i förfrågningsunderlaget som regeln bygger på' }),
    derivation: z
      .object({
        rule: z.string(),
        steps: z.array(
          z.object({
            label: z.string(),
            quantity: z.number().optional(),
            rate: z.number().optional(),
            rate_unit: z.string().optional(),
            valid_from: z.string().optional(),
            result: z.number().optional(),
            result_unit: z.string().optional(),
            amount_ore: ore.optional(),
          }),
        ),
        amount_ore: ore,
      })
      .optional()
      .openapi({
        description:
          'Härledningen i steg: antal, sats eller vikt, värdets giltighetsdatum och belopp (saknas i äldre körningar)',
      }),
  })
  .openapi('StatementLine');
const StatementContract = z
  .object({
    contract_id: z.string(),
    connection_form: z.string(),
    provider_id: z.string().openapi({ description: 'Huvudmannen' }),
    start_date: z.string(),
    end_date: z.string().optional(),
    payees: z.array(z.object({ provider_id: z.string(), share_percent: z.number(), amount_ore: ore })),
  })
  .openapi('StatementContract');
const UnitStatement = z
  .object({
    unit_id: z.string(),
    name: z.string(),
    provider_id: z.string(),
    ownership: z.string(),
    listed: z.number(),
    lines: z.array(Line),
    total_ore: ore,
    contract: StatementContract.nullable().openapi({
      description:
        'Avtalet som betalar enheten och hur summan delas; en gruppmedlem som inte är huvudman ser bara sin egen andel',
    }),
  })
  .openapi('UnitStatement');
const RunIdentitySchema = z
  .object({
    month: z.string(),
    parameters_on: z.string().optional(),
    rulebook: z.object({ id: z.string(), sha256: z.string() }),
    systems: z
      .array(z.object({ id: z.string(), sha256: z.string(), scope: z.string() }))
      .optional()
      .openapi({ description: 'Differentierade vårdval: varje systems regelbok och området det gäller' }),
    inputs: z.array(z.object({ file: z.string(), sha256: z.string() })),
    engine_version: z.string(),
  })
  .openapi('RunIdentity', {
    description: 'Vad underlaget räknades fram ur, så att vem som helst kan räkna om det',
  });
const UnpaidUnit = z
  .object({ unit_id: z.string(), reason: z.string() })
  .openapi('UnpaidUnit', { description: 'En aktiv enhet som inget avtal betalar, med skälet' });
const Run = z
  .object({
    id: z.number(),
    month: z.string(),
    rulebook_id: z.string(),
    rulebook_version_id: z.number(),
    batch_id: z.number(),
    status: z.enum(['draft', 'approved', 'superseded']),
    corrects_run_id: z.number().nullable(),
    total_ore: ore.openapi({ description: 'Vårdgivare: summan för de egna enheterna' }),
    created_by: z.string().nullable(),
    approved_by: z.string().nullable(),
    approved_at: z.string().nullable(),
    approval_comment: z.string().nullable(),
    missing_month_reason: z
      .string()
      .nullable()
      .openapi({ description: 'Varför månaden före saknar körning, skrivet av den som godkände' }),
  })
  .openapi('PaymentRun');

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
    approval_comment: run.approvalComment,
    missing_month_reason: run.missingMonthReason,
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
    contract: (s.contract as UnitContract | null) ?? null,
  };
}

/**
 * A provider sees the statements of its own units and of the contracts it is a member of; a member
 * that is not the lead sees its own share only. Others see every statement whole.
 */
function statementFor(user: SessionUser, s: ReturnType<typeof statementJson>) {
  if (user.role !== 'provider' || user.providerId === s.provider_id) return s;
  const c = s.contract;
  if (!c || !c.payees.some((p) => p.provider_id === user.providerId)) return undefined;
  if (c.provider_id === user.providerId) return s;
  return { ...s, contract: { ...c, payees: c.payees.filter((p) => p.provider_id === user.providerId) } };
}

/** NSS lines with the state's part: what the region and the state pay of these statements. */
function payerTotals(units: ReturnType<typeof statementJson>[]) {
  const lines = units.flatMap((u) => u.lines);
  if (!lines.some((l) => l.payers)) return null;
  const total = lines.reduce((s, l) => s + l.amount_ore, 0);
  const state = lines.reduce((s, l) => s + (l.payers?.state_ore ?? 0), 0);
  return { region_ore: total - state, state_ore: state };
}

/** What a provider gets of a statement: its share under a contract, else the unit's total. */
function ownAmount(user: SessionUser, s: ReturnType<typeof statementJson>): number {
  const own = s.contract?.payees.find((p) => p.provider_id === user.providerId);
  return user.role === 'provider' && own ? own.amount_ore : s.total_ore;
}

export function registerRuns(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const control = deps.control ?? DEFAULT_CONTROL;
  // Kept serialised: under load the same few statements are sent thousands of times a second.
  const approvedStatements = new TtlCache<{ statement: ReturnType<typeof statementJson>; body: string }>(
    10 * 60_000,
  );

  const visibleStatements = async (user: SessionUser, runId: number) => {
    const rows = await runStatements(db, runId);
    return rows.flatMap((row) => {
      const s = statementFor(user, statementJson(row));
      return s ? [s] : [];
    });
  };
  const getRun = async (runId: number): Promise<RunRow> => {
    const run = await findRun(db, runId);
    if (!run) throw new HttpError(404, 'Finns inte', `Körning ${runId} finns inte`);
    return run;
  };

  app.openapi(
    getRoute(
      {
        path: '/api/runs',
        right: ACCESS.readRuns,
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
      },
      'Körningar',
      pageOf(Run),
    ),
    async (c) => {
      const user = c.get('user');
      const q = c.req.valid('query');
      const runs = await listRuns(db, { month: q.month, status: q.status, rulebookId: q.rulebook_id });
      const page = paginate(runs, q.page, q.page_size);
      const items = [];
      for (const run of page.items) {
        const total =
          user.role === 'provider'
            ? (await visibleStatements(user, run.id)).reduce((s, x) => s + ownAmount(user, x), 0)
            : run.totalOre;
        items.push(runJson(run, total));
      }
      return c.json({ ...page, items }, 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/runs',
      right: ACCESS.changeRuns,
      summary:
        'Beräkna en körning (utkast) ur lagrade data; en ny körning för en godkänd månad blir en korrigering',
      request: {
        body: jsonBody(
          z.object({
            month: isoMonth,
            rulebook_version_id: dbId,
            batch_id: dbId.optional().openapi({ description: 'Import att räkna på; standard: den senaste' }),
          }),
        ),
      },
      responses: createdAnswer('Utkast skapat', Run, refusedResponses),
    }),
    async (c) => {
      const body = c.req.valid('json');
      const created = await computeMonth(db, {
        month: body.month,
        rulebookVersionId: body.rulebook_version_id,
        batchId: body.batch_id,
        by: c.get('user').username,
      });
      await writeAudit(db, {
        ...who(c),
        action: 'create_run',
        target: `run:${created.runId}`,
        detail: body,
      });
      return c.json(runJson(await getRun(created.runId), (await getRun(created.runId)).totalOre), 201);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/runs/{runId}',
      right: ACCESS.readRuns,
      summary: 'En körning med enheternas utbetalningsunderlag',
      request: { params: z.object({ runId: dbIdParam }) },
      responses: jsonAnswer(
        'Körningen',
        Run.extend({
          identity: RunIdentitySchema,
          units: z.array(UnitStatement),
          unpaid_units: z.array(UnpaidUnit).nullable().openapi({
            description: 'Betalning enligt registrets avtal: aktiva enheter utan utbetalning och skälet',
          }),
          payer_totals: z
            .object({ region_ore: ore, state_ore: ore })
            .nullable()
            .openapi({ description: 'NSS med statlig medfinansiering: regionens och statens del' }),
        }),
      ),
    }),
    async (c) => {
      const user = c.get('user');
      const run = await getRun(c.req.valid('param').runId);
      const units = await visibleStatements(user, run.id);
      if (user.role === 'provider' && units.length === 0)
        throw new HttpError(404, 'Finns inte', `Körning ${run.id} finns inte`);
      const total =
        user.role === 'provider' ? units.reduce((s, x) => s + ownAmount(user, x), 0) : run.totalOre;
      // Which units go unpaid is the region's list; a provider sees its own units in it.
      const providerOfUnit =
        user.role === 'provider' ? await unitProvidersOfBatch(db, run.batchId) : new Map<string, string>();
      const unpaid = (run.unpaidUnits as UnpaidUnitRow[] | null)?.filter(
        (u) => user.role !== 'provider' || providerOfUnit.get(u.unit_id) === user.providerId,
      );
      return c.json(
        {
          ...runJson(run, total),
          identity: run.identity as RunIdentity,
          units,
          unpaid_units: unpaid ?? null,
          payer_totals: payerTotals(units),
        },
        200,
      );
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/runs/{runId}/approve',
        right: ACCESS.changeRuns,
        summary:
          'Godkänn (attestera) en körning: av någon annan än den som beräknade den och den som publicerade regelboken, och efter månaden före (högst en godkänd per regelbok och månad)',
        request: {
          params: z.object({ runId: dbIdParam }),
          body: {
            required: false,
            content: {
              'application/json': {
                schema: z.object({
                  comment: z.string().max(2000).optional().openapi({ description: 'Attestantens kommentar' }),
                  missing_month_reason: z.string().max(2000).optional().openapi({
                    description: 'Skälet till att månaden före saknar körning (krävs bara då)',
                  }),
                }),
              },
            },
          },
        },
      },
      'Godkänd',
      Run,
    ),
    async (c) => {
      const user = c.get('user');
      const { runId } = c.req.valid('param');
      const body = (c.req.valid('json') ?? {}) as { comment?: string; missing_month_reason?: string };
      await getRun(runId);
      const refusal = approverRightRefusal(
        { ...user, approverRight: await hasApproverRight(db, user.username) },
        control,
      );
      if (refusal) throw new HttpError(403, 'Attesträtt saknas', refusal);
      await approveMonth(db, runId, user.username, {
        comment: body.comment,
        missingMonthReason: body.missing_month_reason,
        settings: control,
        audit: (missingMonths) => ({
          ...who(c),
          action: 'approve_run',
          target: `run:${runId}`,
          detail: {
            comment: body.comment?.trim() || null,
            ...(missingMonths.length > 0 && {
              missing_months: missingMonths,
              missing_month_reason: body.missing_month_reason?.trim(),
            }),
          },
        }),
      });
      const run = await getRun(runId);
      return c.json(runJson(run, run.totalOre), 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/runs/{runId}/statements/{unitId}',
        right: ACCESS.readRuns,
        summary: 'En enhets utbetalningsunderlag med förklaring per rad',
        request: {
          params: z.object({ runId: dbIdParam, unitId: z.string().max(40) }),
        },
      },
      'Underlaget',
      UnitStatement,
    ),
    async (c) => {
      const { runId, unitId } = c.req.valid('param');
      const key = `${runId}/${unitId}`;
      const s = await approvedStatements.getOrLoad(key, async () => {
        const row = await unitStatement(db, runId, unitId);
        if (!row) return { value: undefined, keep: false };
        // Statements of an approved run never change: keep them.
        const statement = statementJson(row);
        return {
          value: { statement, body: JSON.stringify(statement) },
          keep: (await getRun(runId)).status !== 'draft',
        };
      });
      const visible = s && statementFor(c.get('user'), s.statement);
      if (!s || !visible)
        throw new HttpError(404, 'Finns inte', `Inget underlag för ${unitId} i körning ${runId}`);
      // The body is statementJson's output, already serialised; the typed route cannot see that.
      return new Response(visible === s.statement ? s.body : JSON.stringify(visible), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }) as unknown as ReturnType<typeof c.json<ReturnType<typeof statementJson>, 200>>;
    },
  );

  const FORMATS = {
    csv: 'text/csv; charset=utf-8',
    'csv-excel': 'text/csv; charset=utf-8',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    pdf: 'application/pdf',
  } as const;
  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/runs/{runId}/export/{format}',
      right: ACCESS.readRuns,
      summary:
        'Utbetalningsunderlag som CSV (maskinläsbar), CSV för svenska Excel (semikolon, kronor med decimalkomma), XLSX eller PDF (ett underlag per enhet, taggad); ett utkast märks UTKAST, en godkänd körning med attestant och datum',
      request: {
        params: z.object({
          runId: dbIdParam,
          format: z.enum(['csv', 'csv-excel', 'xlsx', 'pdf']),
        }),
        query: z.object({ unit: z.string().max(40).optional().openapi({ description: 'Bara denna enhet' }) }),
      },
      responses: fileAnswer('Filen', {
        'text/csv': textFile,
        [FORMATS.xlsx]: binaryFile,
        'application/pdf': binaryFile,
      }),
    }),
    async (c) => {
      const { runId, format } = c.req.valid('param');
      const { unit } = c.req.valid('query');
      const run = await getRun(runId);
      let units = await visibleStatements(c.get('user'), runId);
      if (unit) units = units.filter((u) => u.unit_id === unit);
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
          unit_id: u.unit_id,
          name: u.name,
          provider_id: u.provider_id,
          ownership: u.ownership as 'public',
          lines: u.lines,
          total_ore: u.total_ore,
          ...(u.contract ? { contract: u.contract } : {}),
        })),
        total_ore: units.reduce((s, u) => s + u.total_ore, 0),
      };
      const approval: RunApproval =
        run.status === 'draft'
          ? { status: 'draft' }
          : { status: run.status as 'approved' | 'superseded', by: run.approvedBy, at: run.approvedAt };
      const draft = run.status === 'draft' ? '-UTKAST' : '';
      const extension = format === 'csv-excel' ? 'excel.csv' : format;
      const name = `utbetalning-${run.month}-korning-${run.id}${unit ? `-${unit}` : ''}${draft}.${extension}`;
      const body =
        format === 'csv'
          ? Buffer.from(`\ufeff# ${approvalText(approval)}\n${statementsCsv(statements)}`)
          : format === 'csv-excel'
            ? Buffer.from(statementsCsvSv(statements, { approval }))
            : format === 'xlsx'
              ? await statementsXlsx(statements, { approval })
              : await statementsPdf(statements, undefined, undefined, approval);
      return new Response(new Uint8Array(body), {
        status: 200,
        headers: { 'content-type': FORMATS[format], 'content-disposition': `attachment; filename="${name}"` },
      });
    },
  );
}
