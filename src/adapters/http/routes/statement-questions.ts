import { z, type OpenAPIHono } from '@hono/zod-openapi';
import * as store from '../../store/statement-questions.js';
import type { Role } from '../../store/users.js';
import { todayOf } from '../clock.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, canSeeProvider } from '../guard.js';
import { requireUnitOf } from '../ownership.js';
import { HttpError } from '../problem.js';
import { dbId, dbIdParam, getRoute, jsonBody, postCreatedRoute, postRoute, who } from './common.js';

/**
 * Questioning a statement line (Ifrågasätt raden): the provider asks about a line of its unit's
 * approved statement, an officer answers and confirms the line or links a correction run. Both
 * sides read the thread; the analyst and the auditor do not (it is correspondence, in the audit log).
 */

/** Who asks: the provider of the unit. */
const ASK: readonly Role[] = ['provider'];
/** Who reads the threads: the provider (its own) and the region's officers. */
const READ: readonly Role[] = ['admin', 'officer', 'provider'];

const Message = z
  .object({
    kind: z.enum(['question', 'answer', 'confirm', 'correction']),
    text: z.string(),
    author: z.string(),
    role: z.string(),
    written_on: z.string(),
  })
  .openapi('StatementQuestionMessage');

const Thread = z
  .object({
    id: z.number(),
    run_id: z.number(),
    unit_id: z.string(),
    provider_id: z.string(),
    component: z.string(),
    label: z.string(),
    month: z.string(),
    rulebook_id: z.string(),
    status: z.enum(['open', 'confirmed', 'corrected']),
    asked_on: z.string(),
    asked_by: z.string(),
    closed_on: z.string().nullable(),
    closed_by: z.string().nullable(),
    correction_run_id: z.number().nullable(),
    messages: z.array(Message),
  })
  .openapi('StatementQuestion');

type ThreadJson = z.infer<typeof Thread>;

function threadJson({ question: q, messages }: store.Thread): ThreadJson {
  return {
    id: q.id,
    run_id: q.runId,
    unit_id: q.unitId,
    provider_id: q.providerId,
    component: q.component,
    label: q.label,
    month: q.month,
    rulebook_id: q.rulebookId,
    status: q.status as ThreadJson['status'],
    asked_on: q.askedOn,
    asked_by: q.askedBy,
    closed_on: q.closedOn,
    closed_by: q.closedBy,
    correction_run_id: q.correctionRunId,
    messages: messages.map((m) => ({
      kind: m.kind as ThreadJson['messages'][number]['kind'],
      text: m.text,
      author: m.author,
      role: m.role,
      written_on: m.writtenOn,
    })),
  };
}

const statementParams = z.object({ runId: dbIdParam, unitId: z.string().min(1).max(40) });
const json = <T extends z.ZodTypeAny>(schema: T) => ({ body: jsonBody(schema) });

export function registerStatementQuestions(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  app.openapi(
    postCreatedRoute(
      {
        path: '/api/runs/{runId}/statements/{unitId}/questions',
        right: ASK,
        summary:
          'Ifrågasätt en rad i ett godkänt utbetalningsunderlag (vårdgivaren, för sina egna enheter och inom regelbokens frist)',
        request: {
          params: statementParams,
          ...json(
            z.object({
              component: z.string().min(1).max(100).openapi({ description: 'Radens komponent' }),
              text: z.string().min(1).max(5000).openapi({ description: 'Vad vårdgivaren ifrågasätter' }),
            }),
          ),
        },
      },
      'Frågan',
      Thread,
    ),
    async (c) => {
      const user = c.get('user');
      const { runId, unitId } = c.req.valid('param');
      const body = c.req.valid('json');
      // Checked the way reads are: a unit of another provider is "not found".
      await requireUnitOf(deps, user, unitId, '/unit_id');
      const thread = await store.askQuestion(
        db,
        { runId, unitId, component: body.component, text: body.text },
        { ...who(c), providerId: user.providerId ?? '' },
        todayOf(deps),
      );
      return c.json(threadJson(thread), 201);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/runs/{runId}/statements/{unitId}/questions',
        right: READ,
        summary: 'Frågorna om ett utbetalningsunderlags rader, med svar och beslut',
        request: { params: statementParams },
      },
      'Trådarna, äldst först',
      z.object({ items: z.array(Thread) }),
    ),
    async (c) => {
      const { runId, unitId } = c.req.valid('param');
      const items = (await store.statementThreads(db, runId, unitId)).filter((t) =>
        canSeeProvider(c.get('user'), t.question.providerId),
      );
      return c.json({ items: items.map(threadJson) }, 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/questions',
        right: READ,
        summary: 'Frågor om rader i utbetalningsunderlag (en vårdgivare ser sina egna), nyaste först',
        request: {
          query: z.object({ status: z.enum(['open', 'confirmed', 'corrected']).optional() }),
        },
      },
      'Frågorna',
      z.object({ items: z.array(Thread) }),
    ),
    async (c) => {
      const user = c.get('user');
      const rows = await store.listQuestions(db, {
        status: c.req.valid('query').status,
        ...(user.role === 'provider' ? { providerId: user.providerId ?? '-' } : {}),
      });
      const items = await Promise.all(rows.slice(0, 200).map((q) => store.getThread(db, q.id)));
      return c.json({ items: items.map(threadJson) }, 200);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/questions/{id}/answer',
        right: ACCESS.changeRuns,
        summary:
          'Regionens svar på en ifrågasatt rad: svara (frågan förblir öppen), bekräfta raden, eller gör en korrigeringskörning för månaden och länka den',
        request: {
          params: z.object({ id: dbIdParam }),
          ...json(
            z.object({
              text: z.string().min(1).max(5000),
              outcome: z.enum(['reply', 'confirm', 'correct']),
              correction_run_id: dbId.optional().openapi({
                description: 'En redan beräknad korrigering att länka; utan den beräknas en ny',
              }),
              rulebook_version_id: dbId.optional().openapi({
                description: 'Regelboksversion för en ny korrigering; standard: den ifrågasatta körningens',
              }),
            }),
          ),
        },
      },
      'Tråden',
      Thread,
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      if (body.outcome !== 'correct' && (body.correction_run_id || body.rulebook_version_id))
        throw new HttpError(400, 'Ogiltig begäran', 'En korrigering anges bara med outcome correct', {
          pointer: '/correction_run_id',
        });
      const thread = await store.answerQuestion(
        db,
        id,
        {
          text: body.text,
          outcome: body.outcome,
          correctionRunId: body.correction_run_id,
          rulebookVersionId: body.rulebook_version_id,
        },
        who(c),
        todayOf(deps),
      );
      return c.json(threadJson(thread), 200);
    },
  );
}
