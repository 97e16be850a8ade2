import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { StatementLine } from '../../../core/engine/run.js';
import { PRIOR_COMPONENT } from '../../../core/runs/correction.js';
import {
  contractsEndingBetween,
  loadRunsInEffect,
  openApplicationProviders,
  rulebookTitles,
  statementsOfRuns,
  statementTotals,
  unitStatementHistory,
} from '../../store/run-views.js';
import type { AppDeps, AppEnv, SessionUser } from '../context.js';
import { ACCESS, canSeeProvider, visibleTo } from '../guard.js';
import { HttpError } from '../problem.js';
import { getRoute, isoMonth, ore } from './common.js';

/**
 * Aggregates for the web interface's overview and unit pages. A month's figure is what its
 * effective run computes: per rulebook the approved run, or the latest draft while none is
 * approved. For an approved correction, the new computation in full (the correction's lines less
 * its "tidigare utbetalt" line), so corrections never count a month twice.
 */

const MonthPoint = z.object({
  month: z.string(),
  total_ore: ore,
  listed: z.number().int(),
  units: z.number().int(),
  status: z.enum(['approved', 'draft', 'mixed']),
});

const Overview = z
  .object({
    months: z.array(MonthPoint),
    month: z.string().nullable(),
    runs: z.array(
      z.object({
        id: z.number(),
        rulebook_id: z.string(),
        status: z.string(),
        corrects_run_id: z.number().nullable(),
      }),
    ),
    total_ore: ore,
    listed: z.number().int(),
    previous: MonthPoint.nullable(),
    components: z.array(
      z.object({ component: z.string(), label: z.string(), type: z.string(), amount_ore: ore }),
    ),
    ownership: z.array(
      z.object({
        ownership: z.string(),
        units: z.number().int(),
        listed: z.number().int(),
        amount_ore: ore,
      }),
    ),
    units: z.array(
      z.object({
        unit_id: z.string(),
        name: z.string(),
        provider_id: z.string(),
        ownership: z.string(),
        listed: z.number().int(),
        total_ore: ore,
        run_id: z.number(),
      }),
    ),
    /** Applications submitted or assessed and not yet decided (a provider: its own). */
    open_applications: z.number().int(),
    /** Contracts whose end date falls within the coming twelve months, soonest first. */
    contracts_ending: z.array(
      z.object({
        id: z.number(),
        provider_id: z.string(),
        unit_id: z.string().nullable(),
        connection_form: z.string(),
        end_date: z.string(),
      }),
    ),
    /** Per rulebook paid in the month: two or more for a region with differentiated choice systems. */
    systems: z.array(
      z.object({
        rulebook_id: z.string(),
        title: z.string(),
        run_id: z.number(),
        status: z.string(),
        units: z.number().int(),
        listed: z.number().int(),
        total_ore: ore,
      }),
    ),
  })
  .openapi('UiOverview');

const UnitHistory = z
  .object({
    items: z.array(
      z.object({
        run_id: z.number(),
        month: z.string(),
        rulebook_id: z.string(),
        rulebook_version_id: z.number(),
        status: z.string(),
        corrects_run_id: z.number().nullable(),
        listed: z.number().int(),
        total_ore: ore,
        is_correction: z.boolean(),
      }),
    ),
  })
  .openapi('UiUnitStatements');

export function registerUiOverview(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  /** Per statement of the given runs the user may see: listed, and the month's computed amount (see above). */
  const visibleTotals = async (user: SessionUser, runIds: number[]) =>
    (await statementTotals(db, runIds))
      .filter((r) => canSeeProvider(user, r.providerId))
      .map((r) => ({ runId: r.runId, listed: r.listed, amount: r.total - r.prior }));

  app.openapi(
    getRoute(
      {
        path: '/api/ui/overview',
        right: ACCESS.readRuns,
        summary:
          'Månaden i överblick: summa, per komponent, per ägarform och per enhet, och utvecklingen månad för månad (vårdgivare: de egna enheterna)',
        request: {
          query: z.object({
            month: isoMonth
              .optional()
              .openapi({ description: 'Standard: den senaste månaden med en körning' }),
          }),
        },
      },
      'Överblicken',
      Overview,
    ),
    async (c) => {
      const user = c.get('user');
      const q = c.req.valid('query');
      const runs = await loadRunsInEffect(db);
      const totals = await visibleTotals(
        user,
        runs.map((r) => r.id),
      );
      const perRun = new Map<number, { listed: number; amount: number; units: number }>();
      for (const s of totals) {
        const acc = perRun.get(s.runId) ?? { listed: 0, amount: 0, units: 0 };
        acc.listed += s.listed;
        acc.amount += s.amount;
        acc.units++;
        perRun.set(s.runId, acc);
      }
      const monthMap = new Map<string, z.infer<typeof MonthPoint>>();
      for (const run of runs) {
        const r = perRun.get(run.id);
        if (!r) continue; // a provider without units in this run
        const point = monthMap.get(run.month) ?? {
          month: run.month,
          total_ore: 0,
          listed: 0,
          units: 0,
          status: run.status as 'approved' | 'draft',
        };
        point.total_ore += r.amount;
        point.listed += r.listed;
        point.units += r.units;
        if (point.status !== run.status) point.status = 'mixed';
        monthMap.set(run.month, point);
      }
      const months = [...monthMap.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
      const month = q.month ?? months.at(-1)?.month ?? null;
      const index = months.findIndex((m) => m.month === month);
      const monthRuns = runs.filter((r) => r.month === month && perRun.has(r.id));

      const components = new Map<
        string,
        { component: string; label: string; type: string; amount_ore: number }
      >();
      const ownership = new Map<
        string,
        { ownership: string; units: number; listed: number; amount_ore: number }
      >();
      const units: z.infer<typeof Overview>['units'] = [];
      if (monthRuns.length) {
        const rows = await statementsOfRuns(
          db,
          monthRuns.map((r) => r.id),
        );
        for (const s of rows) {
          if (!canSeeProvider(user, s.providerId)) continue;
          let amount = 0;
          for (const line of s.lines as StatementLine[]) {
            if (line.component === PRIOR_COMPONENT) continue;
            amount += line.amount_ore;
            const acc = components.get(line.component) ?? {
              component: line.component,
              label: line.label,
              type: line.type,
              amount_ore: 0,
            };
            acc.amount_ore += line.amount_ore;
            components.set(line.component, acc);
          }
          const o = ownership.get(s.ownership) ?? {
            ownership: s.ownership,
            units: 0,
            listed: 0,
            amount_ore: 0,
          };
          o.units++;
          o.listed += s.listed;
          o.amount_ore += amount;
          ownership.set(s.ownership, o);
          units.push({
            unit_id: s.unitId,
            name: s.name,
            provider_id: s.providerId,
            ownership: s.ownership,
            listed: s.listed,
            total_ore: amount,
            run_id: s.runId,
          });
        }
      }
      const titles = await rulebookTitles(
        db,
        monthRuns.map((r) => r.rulebookVersionId),
      );
      const systems = monthRuns.map((r) => {
        const own = units.filter((u) => u.run_id === r.id);
        return {
          rulebook_id: r.rulebookId,
          title: titles.get(r.rulebookVersionId) ?? r.rulebookId,
          run_id: r.id,
          status: r.status,
          units: own.length,
          listed: own.reduce((n, u) => n + u.listed, 0),
          total_ore: own.reduce((n, u) => n + u.total_ore, 0),
        };
      });
      // What needs the office's attention soon: undecided applications and contracts running out.
      const today = new Date().toISOString().slice(0, 10);
      const inAYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
      const open = (await openApplicationProviders(db)).filter((p) => canSeeProvider(user, p)).length;
      const ending = (await contractsEndingBetween(db, today, inAYear))
        .filter((k) => canSeeProvider(user, k.providerId))
        .map((k) => ({
          id: k.id,
          provider_id: k.providerId,
          unit_id: k.unitId,
          connection_form: k.connectionForm,
          end_date: k.endDate!,
        }));
      const ownershipOrder = ['public', 'private', 'nonprofit'];
      return c.json(
        {
          months,
          month,
          runs: monthRuns.map((r) => ({
            id: r.id,
            rulebook_id: r.rulebookId,
            status: r.status,
            corrects_run_id: r.correctsRunId,
          })),
          total_ore: months[index]?.total_ore ?? 0,
          listed: months[index]?.listed ?? 0,
          previous: months[index - 1] ?? null,
          components: [...components.values()].sort((a, b) => b.amount_ore - a.amount_ore),
          ownership: [...ownership.values()].sort(
            (a, b) => ownershipOrder.indexOf(a.ownership) - ownershipOrder.indexOf(b.ownership),
          ),
          units,
          systems,
          open_applications: open,
          contracts_ending: ending,
        },
        200,
      );
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/ui/units/{unitId}/statements',
        right: ACCESS.readRuns,
        summary: 'En enhets utbetalningsunderlag i alla körningar (nyast först)',
        request: { params: z.object({ unitId: z.string().max(40) }) },
      },
      'Underlagen',
      UnitHistory,
    ),
    async (c) => {
      const { unitId } = c.req.valid('param');
      const rows = await unitStatementHistory(db, unitId);
      const visible = visibleTo(c.get('user'), rows);
      if (rows.length > 0 && visible.length === 0)
        throw new HttpError(404, 'Finns inte', `Enheten ${unitId} finns inte`);
      return c.json(
        {
          items: visible.map((r) => ({
            run_id: r.runId,
            month: r.month,
            rulebook_id: r.rulebookId,
            rulebook_version_id: r.rulebookVersionId,
            status: r.status,
            corrects_run_id: r.correctsRunId,
            listed: r.listed,
            total_ore: r.total,
            is_correction: r.isCorrection,
          })),
        },
        200,
      );
    },
  );
}
