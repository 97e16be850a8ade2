import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { DEFAULT_CONTROL } from '../../../core/control/approval.js';
import { reviewRun, type ReviewLine } from '../../../core/control/review.js';
import { findRun, reviewBaseline } from '../../store/run-review.js';
import { runStatements } from '../../store/runs.js';
import type { StatementRow } from '../../store/run-views.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, visibleTo } from '../guard.js';
import { HttpError } from '../problem.js';
import { getRoute, ore } from './common.js';

const Change = {
  change_ore: ore.nullable(),
  change_percent: z.number().nullable().openapi({ description: 'Ändring i procent, en decimal' }),
};
const Review = z
  .object({
    run_id: z.number(),
    month: z.string(),
    compared_with: z
      .object({ month: z.string(), run_ids: z.array(z.number()) })
      .nullable()
      .openapi({
        description: 'Senast godkända månad (för en korrigering: den godkända körningen som rättas)',
      }),
    threshold_percent: z.number(),
    now_ore: ore,
    before_ore: ore.nullable(),
    flagged: z.number().int(),
    units: z.array(
      z.object({
        unit_id: z.string(),
        name: z.string(),
        now_ore: ore.nullable(),
        before_ore: ore.nullable(),
        ...Change,
        flags: z.array(z.enum(['threshold', 'new', 'gone', 'negative'])).openapi({
          description:
            'threshold: ändrad mer än tröskeln; new: ny sedan förra månaden; gone: finns inte längre; negative: negativ summa',
        }),
        components: z.array(
          z.object({
            component: z.string(),
            label: z.string(),
            now_ore: ore,
            before_ore: ore,
            ...Change,
          }),
        ),
      }),
    ),
  })
  .openapi('RunReview');

/** The review page's comparison: each unit and component beside the last approved month, flagged. */
export function registerRunReview(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const control = deps.control ?? DEFAULT_CONTROL;

  app.openapi(
    getRoute(
      {
        path: '/api/runs/{runId}/review',
        right: ACCESS.readRuns,
        summary:
          'Granskning före godkännande: varje enhet och komponent mot senast godkända månad, med flaggor för stora ändringar, nya och försvunna enheter och negativa summor',
        request: { params: z.object({ runId: z.coerce.number().int().positive() }) },
      },
      'Granskningen',
      Review,
    ),
    async (c) => {
      const user = c.get('user');
      const { runId } = c.req.valid('param');
      const run = await findRun(db, runId);
      if (!run) throw new HttpError(404, 'Finns inte', `Körning ${runId} finns inte`);
      const now = visibleTo(user, await runStatements(db, runId));
      if (user.role === 'provider' && now.length === 0)
        throw new HttpError(404, 'Finns inte', `Körning ${runId} finns inte`);
      const baseline = await reviewBaseline(db, run);
      const asUnit = (s: StatementRow) => ({
        unit_id: s.unitId,
        name: s.name,
        lines: s.lines as ReviewLine[],
      });
      const review = reviewRun(
        now.map(asUnit),
        baseline ? visibleTo(user, baseline.statements).map(asUnit) : undefined,
        control.reviewThresholdPercent,
      );
      return c.json(
        {
          run_id: run.id,
          month: run.month,
          compared_with: baseline ? { month: baseline.month, run_ids: baseline.runIds } : null,
          ...review,
        },
        200,
      );
    },
  );
}
