import type { Statements } from '../engine/run.js';
import { compare } from '../engine/run.js';
import type { MonthContext } from '../engine/month-context.js';

/** One unit and component under two rulebooks. */
interface SimulationRow {
  unit_id: string;
  name: string;
  ownership: string;
  rural_class: string;
  component: string;
  base_ore: number;
  scenario_ore: number;
  diff_ore: number;
}

export interface SimulationTotal {
  key: string;
  units: number;
  base_ore: number;
  scenario_ore: number;
  diff_ore: number;
}

/** One unit's totals under the two rulebooks. */
export interface SimulationUnit {
  unit_id: string;
  name: string;
  ownership: string;
  rural_class: string;
  /** The unit's kommun code (SCB), '' when unknown. */
  kommun: string;
  base_ore: number;
  scenario_ore: number;
  diff_ore: number;
}

export interface Simulation {
  rows: SimulationRow[];
  units: SimulationUnit[];
  byOwnership: SimulationTotal[];
  byRuralClass: SimulationTotal[];
  byKommun: SimulationTotal[];
  total: { base_ore: number; scenario_ore: number; diff_ore: number };
}

/**
 * The rural class of a unit's listed population: the class most of its listed persons live in
 * (ties go to the class named first in code-point order, so the result never depends on row order).
 */
export function unitRuralClass(month: MonthContext): string[] {
  const { units, listings, areas } = month.data;
  const width = areas.ruralClasses.length + 1;
  const counts = new Int32Array(units.count * width);
  for (const row of month.listedRows)
    counts[listings.unit[row]! * width + areas.ruralClass[listings.area[row]!]! + 1]!++;
  const names = ['okänd', ...areas.ruralClasses];
  const order = [...names.keys()].sort((a, b) => compare(names[a] ?? '', names[b] ?? ''));
  const out: string[] = [];
  for (let u = 0; u < units.count; u++) {
    let best = 0;
    let bestN = -1;
    for (const k of order) {
      const n = counts[u * width + k]!;
      if (n > bestN) {
        bestN = n;
        best = k;
      }
    }
    out.push(bestN > 0 ? (names[best] ?? 'okänd') : 'inga listade');
  }
  return out;
}

export function simulate(
  base: Statements,
  scenario: Statements,
  ruralClassOf: (unitId: string) => string,
  kommunOf: (unitId: string) => string = () => '',
): Simulation {
  const rows: SimulationRow[] = [];
  const unitRows: SimulationUnit[] = [];
  const b = new Map(base.units.map((u) => [u.unit_id, u]));
  const s = new Map(scenario.units.map((u) => [u.unit_id, u]));
  const ids = [...new Set([...b.keys(), ...s.keys()])].sort(compare);
  for (const id of ids) {
    const bu = b.get(id);
    const su = s.get(id);
    const info = (bu ?? su)!;
    const rural = ruralClassOf(id);
    const components = [
      ...new Set([
        ...(bu?.lines ?? []).map((l) => l.component),
        ...(su?.lines ?? []).map((l) => l.component),
      ]),
    ];
    for (const component of components) {
      const bo = bu?.lines.find((l) => l.component === component)?.amount_ore ?? 0;
      const so = su?.lines.find((l) => l.component === component)?.amount_ore ?? 0;
      rows.push({
        unit_id: id,
        name: info.name,
        ownership: info.ownership,
        rural_class: rural,
        component,
        base_ore: bo,
        scenario_ore: so,
        diff_ore: so - bo,
      });
    }
    const bt = bu?.total_ore ?? 0;
    const st = su?.total_ore ?? 0;
    unitRows.push({
      unit_id: id,
      name: info.name,
      ownership: info.ownership,
      rural_class: rural,
      kommun: kommunOf(id),
      base_ore: bt,
      scenario_ore: st,
      diff_ore: st - bt,
    });
  }
  return {
    rows,
    units: unitRows,
    byOwnership: totalsBy(unitRows, (u) => u.ownership),
    byRuralClass: totalsBy(unitRows, (u) => u.rural_class),
    byKommun: totalsBy(unitRows, (u) => u.kommun),
    total: grandTotal(unitRows),
  };
}

/** Units' totals grouped by a key, in code-point order of the key. */
export function totalsBy(
  units: readonly SimulationUnit[],
  key: (u: SimulationUnit) => string,
): SimulationTotal[] {
  const m = new Map<string, SimulationTotal>();
  for (const u of units) {
    const k = key(u);
    const t = m.get(k) ?? { key: k, units: 0, base_ore: 0, scenario_ore: 0, diff_ore: 0 };
    t.units++;
    t.base_ore += u.base_ore;
    t.scenario_ore += u.scenario_ore;
    t.diff_ore += u.diff_ore;
    m.set(k, t);
  }
  return [...m.values()].sort((x, y) => compare(x.key, y.key));
}

export function grandTotal(units: readonly SimulationUnit[]): Simulation['total'] {
  let base = 0;
  let scenario = 0;
  let diff = 0;
  for (const u of units) {
    base += u.base_ore;
    scenario += u.scenario_ore;
    diff += u.diff_ore;
  }
  return { base_ore: base, scenario_ore: scenario, diff_ore: diff };
}
