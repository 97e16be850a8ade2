import type { Simulation } from '../../core/simulation/simulate.js';
import { componentShares, type BudgetNeutralResult } from '../../core/simulation/budget-neutral.js';
import type { Statements } from '../../core/engine/run.js';
import { csvCell } from './statements-files.js';

/** The simulation as CSV files: per unit and component, per unit, and the two kinds of totals. */
export function simulationCsv(sim: Simulation): Record<string, string> {
  const csv = (header: string[], rows: (string | number)[][]): string =>
    `${[header.join(','), ...rows.map((r) => r.map((c) => (typeof c === 'number' ? String(c) : csvCell(c))).join(','))].join('\n')}\n`;
  return {
    'simulation.csv': csv(
      ['unit_id', 'name', 'ownership', 'rural_class', 'component', 'base_ore', 'scenario_ore', 'diff_ore'],
      sim.rows.map((r) => [
        r.unit_id,
        r.name,
        r.ownership,
        r.rural_class,
        r.component,
        r.base_ore,
        r.scenario_ore,
        r.diff_ore,
      ]),
    ),
    'simulation-units.csv': csv(
      ['unit_id', 'name', 'ownership', 'rural_class', 'base_ore', 'scenario_ore', 'diff_ore'],
      sim.units.map((u) => [
        u.unit_id,
        u.name,
        u.ownership,
        u.rural_class,
        u.base_ore,
        u.scenario_ore,
        u.diff_ore,
      ]),
    ),
    'simulation-totals.csv': csv(
      ['grouping', 'key', 'units', 'base_ore', 'scenario_ore', 'diff_ore'],
      [
        ...sim.byOwnership.map((t) => ['ownership', t.key, t.units, t.base_ore, t.scenario_ore, t.diff_ore]),
        ...sim.byRuralClass.map((t) => [
          'rural_class',
          t.key,
          t.units,
          t.base_ore,
          t.scenario_ore,
          t.diff_ore,
        ]),
        ['all', 'all', sim.units.length, sim.total.base_ore, sim.total.scenario_ore, sim.total.diff_ore],
      ],
    ),
  };
}

/** `simulation-summary.json`: the totals, the factor and the component shares before and after. */
export function simulationSummary(
  base: Statements,
  scenario: Statements,
  neutral: BudgetNeutralResult | undefined,
): string {
  const shares = (s: Statements) =>
    componentShares(s).map((c) => ({
      component: c.component,
      label: c.label,
      ore: c.ore,
      share: Math.round(c.share * 1e6) / 1e6,
    }));
  return `${JSON.stringify(
    {
      base_total_ore: base.total_ore,
      scenario_total_ore: scenario.total_ore,
      budget_neutral: neutral !== undefined,
      scale_factor: neutral?.factor ?? 1,
      scaled_components: neutral?.scaled ?? [],
      ...(neutral
        ? { scenario_unscaled_total_ore: neutral.unscaledOre, residual_ore: neutral.residualOre }
        : {}),
      shares: { base: shares(base), scenario: shares(scenario) },
    },
    null,
    2,
  )}\n`;
}
