import { ownershipOf } from '../../data/dataset.js';
import { OWNERSHIP_SV } from '../../labels.js';
import { formatKronor, sekToOre } from '../../money.js';
import type { ComponentOf } from '../../rulebook/schema.js';
import { componentResult, describeParam, emptyResult, param, rateStep } from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf } from '../derivation.js';

/** Momskompensation: a rate on the unit's other lines, for the ownerships named. */
export function evaluateVat(
  c: ComponentOf<'vat_compensation'>,
  ctx: ComponentContext,
  allIds: { id: string; type: string }[],
): ComponentResult {
  const month = ctx.month;
  const { units } = month.data;
  const rate = param(ctx, c.rate, 'rate');
  const baseIds =
    c.base ?? allIds.filter((x) => x.type !== 'penalty' && x.type !== 'vat_compensation').map((x) => x.id);
  const owners = new Set(c.ownership);
  const r = emptyResult(units.count);
  const baseSum = new Float64Array(units.count);
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u] || !owners.has(ownershipOf(units, u))) continue;
    let s = 0;
    for (const id of baseIds) s += ctx.lines.get(id)?.amountOre[u] ?? 0;
    baseSum[u] = s;
    r.has[u] = 1;
    r.quantity[u] = s / 100;
    r.amountOre[u] = sekToOre((rate * s) / 100);
  }
  const vatRate = rateOf(c.rate, month.paramDate);
  const baseLabels = baseIds.map((id) => ctx.labelOf?.(id) ?? id).join(', ');
  const ownersText = c.ownership.map((o) => OWNERSHIP_SV[o]).join(', ');
  return componentResult(
    r,
    (u, amount) => ({
      rule: `Sats × summan av enhetens rader (${baseLabels}), för ägarform ${ownersText}`,
      steps: [rateStep(`Underlag i kronor (${baseLabels})`, (baseSum[u] ?? 0) / 100, vatRate, '%', amount)],
    }),
    (u, amount) => [
      `Regel: sats × summan av enhetens rader ${baseIds.join(', ')}, för ägarform ${ownersText} (${c.source})`,
      `Sats: ${describeParam(c.rate, month.paramDate, '')}`,
      `Underlag: ${formatKronor(baseSum[u] ?? 0)}`,
      `Belopp: ${formatKronor(amount)}`,
    ],
  );
}
