import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import type { ComponentOf } from '../../rulebook/schema.js';
import { componentResult, describeParam, param, perActiveUnit, rateStep } from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf } from '../derivation.js';

/** Vite: an amount per event of a type dated in the month (a deduction). */
export function evaluatePenalty(c: ComponentOf<'penalty'>, ctx: ComponentContext): ComponentResult {
  const month = ctx.month;
  const { units, events } = month.data;
  const amount = param(ctx, c.amount, 'amount');
  const type = events.types.indexOf(c.event_type);
  const n = new Float64Array(units.count);
  if (type >= 0) {
    for (let e = 0; e < events.count; e++) {
      const date = events.date[e]!;
      if (events.type[e] === type && date >= month.cutoff && date <= month.lastDay) n[events.unit[e]!]!++;
    }
  }
  const r = perActiveUnit(month, n, (count) => -sekToOre(count * amount));
  const penaltyRate = rateOf(c.amount, month.paramDate);
  return componentResult(
    r,
    (u, amountOre) => ({
      rule: `Avdrag per händelse av typen ${c.event_type} daterad i månaden`,
      steps: [
        rateStep(`Händelser av typen ${c.event_type} i månaden`, n[u] ?? 0, penaltyRate, 'kr', amountOre, -1),
      ],
    }),
    (u, amountOre) => [
      `Regel: vite per händelse av typen ${c.event_type} daterad i månaden (${c.source})`,
      `Vite: ${describeParam(c.amount, month.paramDate)} per händelse; händelser: ${formatNumber(n[u] ?? 0)}`,
      `Belopp: ${formatKronor(amountOre)}`,
    ],
  );
}
