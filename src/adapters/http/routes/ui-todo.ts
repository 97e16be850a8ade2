import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { firstDay, formatDate, parseMonth } from '../../../core/calendar.js';
import { checkConformance } from '../../../core/followup/conformance.js';
import { loadRulebookVersion } from '../../store/runs.js';
import {
  branchUnitIds,
  importsWithoutRun,
  loadDraftsAwaitingApproval,
  loadRunsInEffect,
  runUnitsListed,
} from '../../store/run-views.js';
import { listQuestions } from '../../store/statement-questions.js';
import { factsOn } from '../../store/unit-facts.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import { getRoute, isoMonth, ore } from './common.js';

const Todo = z
  .object({
    runs_awaiting_approval: z.array(
      z.object({
        id: z.number(),
        month: z.string(),
        rulebook_id: z.string(),
        corrects_run_id: z.number().nullable(),
        created_by: z.string().nullable(),
        total_ore: ore,
      }),
    ),
    imports_without_run: z.array(
      z.object({ id: z.number(), label: z.string().nullable(), created_at: z.string() }),
    ),
    requirements_not_met: z
      .object({
        month: z.string(),
        units: z.array(
          z.object({
            unit_id: z.string(),
            name: z.string(),
            rulebook_id: z.string(),
            requirements: z.array(z.string()),
          }),
        ),
      })
      .nullable(),
    questions_open: z
      .array(
        z.object({
          id: z.number(),
          run_id: z.number(),
          unit_id: z.string(),
          label: z.string(),
          month: z.string(),
          asked_on: z.string(),
        }),
      )
      .openapi({ description: 'Ifrågasatta rader som väntar på svar, äldst först' }),
  })
  .openapi('UiTodo');

/**
 * The overview's "Att hantera" for the region's officers: drafts waiting for approval, imports
 * nothing has been computed from, and units that do not meet a measurable requirement (ska) in the
 * month, by the facts they have reported and the listing of the month's run.
 */
export function registerUiTodo(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  app.openapi(
    getRoute(
      {
        path: '/api/ui/todo',
        right: ACCESS.changeRuns,
        summary:
          'Att hantera: körningar som väntar på godkännande, importer utan körning och enheter som inte uppfyller krav',
        request: {
          query: z.object({
            month: isoMonth.optional().openapi({
              description: 'Månaden för kravuppföljningen; standard: den senaste med en körning',
            }),
          }),
        },
      },
      'Att hantera',
      Todo,
    ),
    async (c) => {
      const q = c.req.valid('query');
      const waiting = await loadDraftsAwaitingApproval(db);
      const imports = await importsWithoutRun(db);
      const runs = await loadRunsInEffect(db);
      const month = q.month ?? runs.at(-1)?.month;
      let notMet: z.infer<typeof Todo>['requirements_not_met'] = null;
      if (month) {
        const day = formatDate(firstDay(parseMonth(month)!));
        const facts = await factsOn(db, day);
        const units: NonNullable<z.infer<typeof Todo>['requirements_not_met']>['units'] = [];
        for (const run of runs.filter((r) => r.month === month)) {
          const { rb } = await loadRulebookVersion(db, run.rulebookVersionId);
          // A branch (filial) is followed up as part of its main unit.
          const branches = await branchUnitIds(db, run.batchId);
          const statements = await runUnitsListed(db, run.id);
          for (const s of statements) {
            if (branches.has(s.unitId)) continue;
            const r = checkConformance(
              rb.rulebook,
              s.listed,
              facts.get(s.unitId) ?? new Map(),
              firstDay(parseMonth(month)!),
            );
            const failed = r.checks.filter((x) => x.status === 'not_met' && x.level === 'ska');
            if (failed.length > 0)
              units.push({
                unit_id: s.unitId,
                name: s.name,
                rulebook_id: run.rulebookId,
                requirements: failed.map((x) => x.text),
              });
          }
        }
        notMet = { month, units };
      }
      return c.json(
        {
          runs_awaiting_approval: waiting.map((r) => ({
            id: r.id,
            month: r.month,
            rulebook_id: r.rulebookId,
            corrects_run_id: r.correctsRunId,
            created_by: r.createdBy,
            total_ore: r.totalOre,
          })),
          imports_without_run: imports.map((b) => ({
            id: b.id,
            label: b.label,
            created_at: b.createdAt.toISOString(),
          })),
          requirements_not_met: notMet,
          questions_open: (await listQuestions(db, { status: 'open' })).reverse().map((q) => ({
            id: q.id,
            run_id: q.runId,
            unit_id: q.unitId,
            label: q.label,
            month: q.month,
            asked_on: q.askedOn,
          })),
        },
        200,
      );
    },
  );
}
