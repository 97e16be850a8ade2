import { addMonths, formatDate, lastDay } from '../../calendar.js';
import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import { CONTACTS, type ComponentOf } from '../../rulebook/schema.js';
import { componentResult, emptyResult } from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { round6 } from '../derivation.js';
import { windowBefore } from '../month-context.js';
import { countedKinds, describeCounted } from './visit-kinds.js';

/** Piecewise-linear factor, clamped at the ends. */
export function interpolate(points: [number, number][], x: number): number {
  const first = points[0];
  const lastPoint = points[points.length - 1];
  if (!first || !lastPoint) throw new RangeError('A factor table needs at least one point');
  if (x <= first[0]) return first[1];
  if (x >= lastPoint[0]) return lastPoint[1];
  let [x0, y0] = first;
  for (const [x1, y1] of points) {
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    [x0, y0] = [x1, y1];
  }
  return lastPoint[1];
}

/** Täckningsgrad: the share of listed persons' visits (in the window) made at their own unit. */
export function evaluateCoverage(c: ComponentOf<'coverage'>, ctx: ComponentContext): ComponentResult {
  const month = ctx.month;
  const { visits, units } = month.data;
  const base = ctx.lines.get(c.base);
  if (!base) throw new Error(`Täckningsgraden ${c.id} räknas på ${c.base}, som inte är beräknad före den`);
  const window = windowBefore(month.month, c.window_months);
  const counted = countedKinds(c.counted);
  const here = new Float64Array(units.count);
  const all = new Float64Array(units.count);
  const { personUnit } = month;
  // The hot loop of a national run (35 M visits): columns and bounds in locals, the cheap tests
  // (date, kind) before the person's unit. The indexes are in range as in evaluateVisitFee.
  const { date, person, profession, contact, unit } = visits;
  const from = window.from;
  const to = window.to;
  const contacts = CONTACTS.length;
  const count = visits.count;
  for (let v = 0; v < count; v++) {
    const d = date[v]!;
    if (d < from || d >= to) continue;
    if (counted[profession[v]! * contacts + contact[v]!] === 0) continue;
    const p = person[v]!;
    if (p < 0) continue;
    const lu = personUnit[p]!;
    if (lu < 0) continue;
    all[lu]!++;
    if (unit[v] === lu) here[lu]!++;
  }
  const r = emptyResult(units.count);
  const coverage = new Float64Array(units.count);
  const factor = new Float64Array(units.count);
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    const n = all[u]!;
    coverage[u] = n > 0 ? here[u]! / n : NaN;
    factor[u] = n > 0 ? interpolate(c.factor, coverage[u]!) : 1;
    r.has[u] = 1;
    r.quantity[u] = n;
    r.amountOre[u] = sekToOre(((factor[u]! - 1) * base.amountOre[u]!) / 100);
  }
  const windowText = `${formatDate(window.from)}–${formatDate(lastDay(addMonths(month.month, -1)))}`;
  const pct = (x: number): string => `${formatNumber(Math.round(x * 10000) / 100)} %`;
  const baseLabel = ctx.labelOf?.(c.base) ?? c.base;
  /** The unit's counts, share and factor, and the amount of its base line. */
  const at = (u: number) => ({
    here: here[u] ?? 0,
    all: all[u] ?? 0,
    coverage: coverage[u] ?? NaN,
    factor: factor[u] ?? 1,
    base: base.amountOre[u] ?? 0,
  });
  return componentResult(
    r,
    (u, amount) => {
      const x = at(u);
      return {
        rule: `(faktor − 1) × ${baseLabel}; faktorn ur täckningsgraden: besök vid egen enhet ÷ alla besök av de listade ${windowText}`,
        steps:
          x.all > 0
            ? [
                { label: `Besök av de listade vid egen enhet ${windowText}`, quantity: x.here },
                { label: 'Alla räknade besök av de listade', quantity: x.all },
                { label: 'Täckningsgrad', result: x.coverage, result_unit: '%' },
                { label: 'Faktor ur faktortabellen', result: round6(x.factor) },
                {
                  label: `(faktor − 1) × ${baseLabel}`,
                  quantity: round6(x.factor - 1),
                  rate: x.base / 100,
                  rate_unit: 'kr',
                  amount_ore: amount,
                },
              ]
            : [{ label: `Inga räknade besök av de listade ${windowText}: faktor 1, ingen justering` }],
      };
    },
    (u, amount) => {
      const x = at(u);
      return [
        `Regel: (faktor − 1) × avrundad rad för ${c.base}; täckningsgrad = besök vid egen enhet ÷ alla besök av de listade (${c.source})`,
        `Fönster: ${c.window_months} månader, ${windowText}; räknas: ${describeCounted(c.counted)}`,
        `Faktortabell: ${c.factor.map(([fx, fy]) => `${pct(fx)} → ${formatNumber(fy)}`).join(', ')} (linjär mellan punkterna, konstant utanför)`,
        `Besök vid egen enhet: ${formatNumber(x.here)}; alla besök: ${formatNumber(x.all)}`,
        x.all > 0
          ? `Täckningsgrad: ${pct(x.coverage)}; faktor ${formatNumber(round6(x.factor))}`
          : 'Inga besök: faktor 1',
        `${c.base}: ${formatKronor(x.base)}; belopp ${formatKronor(amount)}`,
      ];
    },
  );
}
