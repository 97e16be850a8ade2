import { z } from '@hono/zod-openapi';
import { formatDate, formatMonth } from '../../core/calendar.js';
import { simulateMonth, viewOf } from '../../app/simulation.js';
import type { LoadedRulebook } from '../files/rulebook-file.js';
import { cachedBatch, loadRulebookVersion, regionSystemsOf } from '../store/runs.js';
import type { AppDeps, SessionUser } from './context.js';
import { canSeeProvider } from './guard.js';
import { HttpError } from './problem.js';
import { latestBatchId } from '../store/units.js';
import { requireMonth } from '../files/payment-run.js';
import { isoMonth, ore, RulebookVersionRef } from './routes/common.js';

/**
 * Simulation in the web interface (shared by the simulation and scenario routes): the same month of the latest import under two published
 * rulebook versions, as `vardval simulate` does with files. A scenario for another period (next
 * year's model) is applied with its values from its first valid day. Nothing is stored. A provider
 * gets its own units, and totals over them.
 */

const Total = z.object({
  key: z.string(),
  units: z.number().int(),
  base_ore: ore,
  scenario_ore: ore,
  diff_ore: ore,
});

const SimulationResult = z
  .object({
    month: z.string(),
    batch_id: z.number(),
    base: RulebookVersionRef,
    scenario: RulebookVersionRef.extend({
      /** The published version, or null for a draft scenario. */
      id: z.number().nullable(),
      parameters_on: z.string().nullable(),
    }),
    units: z.array(
      z.object({
        unit_id: z.string(),
        name: z.string(),
        ownership: z.string(),
        rural_class: z.string(),
        /** SCB kommun code; the web shows the name. */
        kommun: z.string(),
        base_ore: ore,
        scenario_ore: ore,
        diff_ore: ore,
      }),
    ),
    components: z.array(
      z.object({
        component: z.string(),
        label: z.string(),
        base_ore: ore,
        scenario_ore: ore,
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
        scenario_unscaled_total_ore: ore,
        residual_ore: ore,
      })
      .nullable(),
    by_ownership: z.array(Total),
    by_rural_class: z.array(Total),
    /** Keys are SCB kommun codes. */
    by_kommun: z.array(Total),
    total: z.object({
      base_ore: ore,
      scenario_ore: ore,
      diff_ore: ore,
    }),
  })
  .openapi('UiSimulation');

export type UiSimulationResult = z.infer<typeof SimulationResult>;
export { SimulationResult as UiSimulationSchema };

/** What every simulation request names besides its scenario: the base version, the month, budget-neutral. */
export const SimulationRequest = z.object({
  base_version_id: z.number().int().positive(),
  month: isoMonth,
  budget_neutral: z.boolean().optional(),
  /** Components to scale; without it every component but penalties, VAT and derived lines. */
  scale: z.array(z.string()).optional(),
});

type VersionRow = Awaited<ReturnType<typeof loadRulebookVersion>>['row'];

/** A published version for a simulation; a draft is refused (drafts are tried as scenarios). */
export async function publishedVersion(deps: AppDeps, id: number) {
  const v = await loadRulebookVersion(deps.conn.db, id);
  if (v.row.status !== 'published')
    throw new HttpError(
      409,
      'Regelboken är inte publicerad',
      `${v.row.rulebookId} version ${v.row.version} är ett utkast; simulera med publicerade versioner`,
    );
  return v;
}

/** A scenario: a published version, or a draft's rulebook (no row). */
type Scenario = { row: VersionRow | undefined; rb: LoadedRulebook };

/**
 * The month of the latest import under a published base and a scenario (a published version or a
 * draft's rulebook), as the reader may see it: the web's one path into `simulateMonth`.
 */
export async function simulateInStore(
  deps: AppDeps,
  user: SessionUser,
  body: z.infer<typeof SimulationRequest>,
  scenarioOf: () => Promise<Scenario> | Scenario,
): Promise<UiSimulationResult> {
  const db = deps.conn.db;
  const request = {
    month: requireMonth(body.month),
    base: await publishedVersion(deps, body.base_version_id),
    scenario: await scenarioOf(),
    budgetNeutral: body.budget_neutral,
    scale: body.scale,
  };
  const batchId = await latestBatchId(db);
  if (batchId === undefined) throw new HttpError(409, 'Inga data', 'Importera en datamapp först');
  const { base, scenario, month } = request;
  const data = await cachedBatch(db, batchId);
  // A base scoped to one of the region's choice systems is simulated for that system's units.
  const scoped = base.rb.rulebook.scope !== undefined;
  const outcome = simulateMonth({
    data,
    month,
    base: scoped ? await regionSystemsOf(db, base.rb, formatMonth(month)) : [base.rb],
    focus: scoped ? base.rb.rulebook.id : undefined,
    scenario: [scenario.rb],
    reuseBase: true,
    budgetNeutral:
      request.budgetNeutral || request.scale !== undefined
        ? { scale: request.scale, where: '/scale' }
        : undefined,
  });
  // A provider sees its own units; the region's totals are not about any one unit.
  const providerOf = new Map(data.units.id.map((id, i) => [id, data.units.providerId[i]]));
  const view = viewOf(outcome, (unitId) => canSeeProvider(user, providerOf.get(unitId) ?? ''));
  const { neutral, scenarioDate } = outcome;
  const srow = scenario.row;
  return {
    month: formatMonth(month),
    batch_id: batchId,
    base: {
      id: base.row.id,
      rulebook_id: base.row.rulebookId,
      version: base.row.version,
      title: base.row.title,
    },
    scenario: {
      id: srow?.id ?? null,
      rulebook_id: srow?.rulebookId ?? scenario.rb.rulebook.id,
      version: srow?.version ?? base.row.version,
      title: srow?.title ?? scenario.rb.rulebook.title,
      parameters_on: scenarioDate === undefined ? null : formatDate(scenarioDate),
    },
    units: view.units,
    components: view.components,
    budget_neutral: neutral
      ? {
          scale_factor: neutral.factor,
          scaled_components: neutral.scaled,
          scenario_unscaled_total_ore: neutral.unscaledOre,
          residual_ore: neutral.residualOre,
        }
      : null,
    by_ownership: view.byOwnership,
    by_rural_class: view.byRuralClass,
    by_kommun: view.byKommun,
    total: view.total,
  };
}
