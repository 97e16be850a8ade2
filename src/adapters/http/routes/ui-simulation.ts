import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { formatDate, formatMonth } from '../../../core/calendar.js';
import { simulate, unitRuralClass } from '../../../core/simulate.js';
import { requireMonth, runLoaded, scenarioParameterDate } from '../../files/payment-run.js';
import { runBudgetNeutral } from '../../files/budget-neutral-run.js';
import { defaultScaled } from '../../../core/simulation/budget-neutral.js';
import type { ComponentAdjust, Statements } from '../../../core/engine/run.js';
import { cachedBatch, loadRulebookVersion, runOwnSystem } from '../../store/runs.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, canSeeProvider, requireRole } from '../guard.js';
import { HttpError } from '../problem.js';
import { latestBatchId } from '../../store/units.js';
import { errorResponses, isoMonth } from './common.js';

/**
 * Simulation in the web interface: the same month of the latest import under two published
 * rulebook versions, as `vardval simulate` does with files. A scenario for another period (next
 * year's model) is applied with its values from its first valid day. Nothing is stored. A provider
 * gets its own units, and totals over them.
 */

const Total = z.object({
  key: z.string(),
  units: z.number().int(),
  base_ore: z.number().int(),
  scenario_ore: z.number().int(),
  diff_ore: z.number().int(),
});

const SimulationResult = z
  .object({
    month: z.string(),
    batch_id: z.number(),
    base: z.object({ id: z.number(), rulebook_id: z.string(), version: z.number(), title: z.string() }),
    scenario: z.object({
      id: z.number(),
      rulebook_id: z.string(),
      version: z.number(),
      title: z.string(),
      parameters_on: z.string().nullable(),
    }),
    units: z.array(
      z.object({
        unit_id: z.string(),
        name: z.string(),
        ownership: z.string(),
        rural_class: z.string(),
        base_ore: z.number().int(),
        scenario_ore: z.number().int(),
        diff_ore: z.number().int(),
      }),
    ),
    components: z.array(
      z.object({
        component: z.string(),
        label: z.string(),
        base_ore: z.number().int(),
        scenario_ore: z.number().int(),
        /** Share of the total of the units shown, before (base) and after (scenario). */
        base_share: z.number(),
        scenario_share: z.number(),
        /** Can be scaled to make the scenario budget-neutral (not penalties, VAT or derived lines). */
        scalable: z.boolean(),
      }),
    ),
    budget_neutral: z
      .object({
        scale_factor: z.number(),
        scaled_components: z.array(z.string()),
        scenario_unscaled_total_ore: z.number().int(),
        residual_ore: z.number().int(),
      })
      .nullable(),
    by_ownership: z.array(Total),
    by_rural_class: z.array(Total),
    total: z.object({
      base_ore: z.number().int(),
      scenario_ore: z.number().int(),
      diff_ore: z.number().int(),
    }),
  })
  .openapi('UiSimulation');

export function registerUiSimulation(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/ui/simulations',
      summary:
        'Simulera en månad under två publicerade regelboksversioner: per enhet, per ägarform och per områdesklass (sparas inte)',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                base_version_id: z.number().int().positive(),
                scenario_version_id: z.number().int().positive(),
                month: isoMonth,
                budget_neutral: z.boolean().optional(),
                /** Components to scale; without it every component but penalties, VAT and derived lines. */
                scale: z.array(z.string()).optional(),
              }),
            },
          },
        },
      },
      responses: {
        200: { description: 'Simuleringen', content: { 'application/json': { schema: SimulationResult } } },
        ...errorResponses,
        409: errorResponses[404],
        422: errorResponses[400],
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRulebooks);
      const body = c.req.valid('json');
      const month = requireMonth(body.month);
      const batchId = await latestBatchId(deps.conn.db);
      if (batchId === undefined) throw new HttpError(409, 'Inga data', 'Importera en datamapp först');
      const base = await loadRulebookVersion(db, body.base_version_id);
      const scenario = await loadRulebookVersion(db, body.scenario_version_id);
      for (const v of [base, scenario])
        if (v.row.status !== 'published')
          throw new HttpError(
            409,
            'Regelboken är inte publicerad',
            `${v.row.rulebookId} version ${v.row.version} är ett utkast; simulera med publicerade versioner`,
          );
      const data = await cachedBatch(db, batchId);
      // A base scoped to one of the region's choice systems is simulated for that system's units.
      const b = base.rb.rulebook.scope
        ? await runOwnSystem(db, base.rb, data, month, formatMonth(month))
        : runLoaded(base.rb, data, month);
      const scenarioDate = scenarioParameterDate(scenario.rb.rulebook, month);
      const own = new Set(b.statements.units.map((u) => u.unit_id));
      // A base scoped to one system is compared with the scenario on that system's units only.
      const runScenario = (adjust?: ComponentAdjust): Statements => {
        const st = runLoaded(scenario.rb, data, month, scenarioDate, adjust).statements;
        if (!base.rb.rulebook.scope) return st;
        const units = st.units.filter((u) => own.has(u.unit_id));
        return { ...st, units, total_ore: units.reduce((sum, u) => sum + u.total_ore, 0) };
      };
      const s = { statements: runScenario() };
      const neutral =
        body.budget_neutral || body.scale !== undefined
          ? runBudgetNeutral({
              run: runScenario,
              base: b.statements,
              scenarioRulebooks: [scenario.rb.rulebook],
              scale: body.scale,
              unitIds: data.units.id,
              where: '/scale',
            })
          : undefined;
      if (neutral) s.statements = neutral.statements;
      const rural = unitRuralClass(b.detail.month);
      const indexOf = new Map(data.units.id.map((id, i) => [id, i]));
      const sim = simulate(b.statements, s.statements, (id) => rural[indexOf.get(id)!] ?? 'okänd');

      // A provider sees its own units; the region's totals are not about any one unit.
      const providerOf = new Map(data.units.id.map((id, i) => [id, data.units.providerId[i]]));
      const visible = (unitId: string) => canSeeProvider(user, providerOf.get(unitId) ?? '');
      const labels = new Map<string, string>();
      for (const st of [s.statements, b.statements])
        for (const u of st.units) for (const line of u.lines) labels.set(line.component, line.label);
      const scalable = new Set(defaultScaled([scenario.rb.rulebook]));
      const components = new Map<
        string,
        {
          component: string;
          label: string;
          base_ore: number;
          scenario_ore: number;
          base_share: number;
          scenario_share: number;
          scalable: boolean;
        }
      >();
      for (const row of sim.rows) {
        if (!visible(row.unit_id)) continue;
        const acc = components.get(row.component) ?? {
          component: row.component,
          label: labels.get(row.component) ?? row.component,
          base_ore: 0,
          scenario_ore: 0,
          base_share: 0,
          scenario_share: 0,
          scalable: scalable.has(row.component),
        };
        acc.base_ore += row.base_ore;
        acc.scenario_ore += row.scenario_ore;
        components.set(row.component, acc);
      }
      const units = sim.units.filter((u) => visible(u.unit_id));
      const totals = (key: (u: (typeof units)[number]) => string) => {
        const m = new Map<string, z.infer<typeof Total>>();
        for (const u of units) {
          const k = key(u);
          const acc = m.get(k) ?? { key: k, units: 0, base_ore: 0, scenario_ore: 0, diff_ore: 0 };
          acc.units++;
          acc.base_ore += u.base_ore;
          acc.scenario_ore += u.scenario_ore;
          acc.diff_ore += u.diff_ore;
          m.set(k, acc);
        }
        return [...m.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      };
      const sum = (f: (u: (typeof units)[number]) => number) => units.reduce((a, u) => a + f(u), 0);
      const baseTotal = sum((u) => u.base_ore);
      const scenarioTotal = sum((u) => u.scenario_ore);
      for (const acc of components.values()) {
        acc.base_share = baseTotal === 0 ? 0 : acc.base_ore / baseTotal;
        acc.scenario_share = scenarioTotal === 0 ? 0 : acc.scenario_ore / scenarioTotal;
      }
      return c.json(
        {
          month: formatMonth(month),
          batch_id: batchId,
          base: {
            id: base.row.id,
            rulebook_id: base.row.rulebookId,
            version: base.row.version,
            title: base.row.title,
          },
          scenario: {
            id: scenario.row.id,
            rulebook_id: scenario.row.rulebookId,
            version: scenario.row.version,
            title: scenario.row.title,
            parameters_on: scenarioDate === undefined ? null : formatDate(scenarioDate),
          },
          units,
          components: [...components.values()],
          budget_neutral: neutral
            ? {
                scale_factor: neutral.factor,
                scaled_components: neutral.scaled,
                scenario_unscaled_total_ore: neutral.unscaledOre,
                residual_ore: neutral.residualOre,
              }
            : null,
          by_ownership: totals((u) => u.ownership),
          by_rural_class: totals((u) => u.rural_class),
          total: {
            base_ore: baseTotal,
            scenario_ore: scenarioTotal,
            diff_ore: sum((u) => u.diff_ore),
          },
        },
        200,
      );
    },
  );
}
