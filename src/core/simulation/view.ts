import type { Statements } from '../engine/run.js';
import {
  grandTotal,
  totalsBy,
  type Simulation,
  type SimulationTotal,
  type SimulationUnit,
} from './simulate.js';

/** One component in a simulation's view: amounts and shares of the total before and after. */
export interface SimulationComponent {
  component: string;
  label: string;
  base_ore: number;
  scenario_ore: number;
  /** Share of the total of the units shown, before (base) and after (scenario). */
  base_share: number;
  scenario_share: number;
  /** Can be scaled to make the scenario budget-neutral (not penalties, VAT or derived lines). */
  scalable: boolean;
}

export interface SimulationView {
  units: SimulationUnit[];
  components: SimulationComponent[];
  byOwnership: SimulationTotal[];
  byRuralClass: SimulationTotal[];
  byKommun: SimulationTotal[];
  total: Simulation['total'];
}

/**
 * A simulation as one reader sees it: the units `visible` lets through, with totals and each
 * component's share of the total over those units only (a provider sees its own units; the
 * region's totals are not about any one unit).
 */
export function simulationView(
  sim: Simulation,
  statements: readonly Statements[],
  scalable: ReadonlySet<string>,
  visible: (unitId: string) => boolean = () => true,
): SimulationView {
  const labels = new Map<string, string>();
  for (const st of statements)
    for (const u of st.units) for (const line of u.lines) labels.set(line.component, line.label);
  const components = new Map<string, SimulationComponent>();
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
  const total = grandTotal(units);
  for (const acc of components.values()) {
    acc.base_share = total.base_ore === 0 ? 0 : acc.base_ore / total.base_ore;
    acc.scenario_share = total.scenario_ore === 0 ? 0 : acc.scenario_ore / total.scenario_ore;
  }
  return {
    units,
    components: [...components.values()],
    byOwnership: totalsBy(units, (u) => u.ownership),
    byRuralClass: totalsBy(units, (u) => u.rural_class),
    byKommun: totalsBy(units, (u) => u.kommun),
    total,
  };
}
