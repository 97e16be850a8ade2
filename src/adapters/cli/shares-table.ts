import type { Statements } from '../../core/engine/run.js';
import { componentShares } from '../../core/simulation/budget-neutral.js';
import { renderTable } from './table.js';

/** One decimal always, so the column lines up; a share that rounds to nothing is 0,0 %, not -0,0 %. */
const percent = (share: number | undefined): string => {
  if (share === undefined) return '–';
  const text = (Math.round(share * 1000) / 10 || 0).toFixed(1).replace('.', ',');
  return `${text === '-0,0' ? '0,0' : text} %`;
};

/** Each component's share of the total now, in the scenario and (when made so) budget-neutral. */
export function renderShares(base: Statements, scenario: Statements, neutral?: Statements): string {
  const columns = [base, scenario, ...(neutral ? [neutral] : [])].map(
    (s) => new Map(componentShares(s).map((c) => [c.component, c])),
  );
  const ids = [...new Set(columns.flatMap((c) => [...c.keys()]))];
  const rows = ids.map((id) => {
    const label = columns.map((c) => c.get(id)?.label).find((l) => l !== undefined) ?? id;
    return [`${id} (${label})`, ...columns.map((c) => percent(c.get(id)?.share))];
  });
  return renderTable(['Komponent', 'Nu', 'Scenario', ...(neutral ? ['Budgetneutralt'] : [])], rows, [
    false,
    true,
    true,
    ...(neutral ? [true] : []),
  ]);
}
