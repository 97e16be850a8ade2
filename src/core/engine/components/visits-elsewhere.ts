import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import type { ComponentOf } from '../../rulebook/schema.js';
import { componentResult, describeParam, param, perActiveUnit, rateStep } from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf } from '../derivation.js';
import { countedKinds, describeCounted, kindOf } from './visit-kinds.js';

/** Kostnadsansvar: the listing unit pays for its listed persons' visits elsewhere in the month. */
export function evaluateVisitsElsewhereCharge(
  c: ComponentOf<'visits_elsewhere_charge'>,
  ctx: ComponentContext,
): ComponentResult {
  const month = ctx.month;
  const { visits, units } = month.data;
  const charge = param(ctx, c.charge, 'charge');
  const counted = countedKinds(c.counted);
  const only = c.at_units ? new Set(c.at_units) : undefined;
  const atUnit = new Uint8Array(units.count).fill(only ? 0 : 1);
  if (only) units.id.forEach((id, i) => (atUnit[i] = only.has(id) ? 1 : 0));
  const n = new Float64Array(units.count);
  const { cutoff, lastDay: last, personRow } = month;
  const listingUnit = month.data.listings.unit;
  // Over every visit; the indexes are in range as in evaluateVisitFee.
  for (let v = 0; v < visits.count; v++) {
    const d = visits.date[v]!;
    if (d < cutoff || d > last) continue;
    const p = visits.person[v]!;
    if (p < 0) continue;
    const row = personRow[p]!;
    if (row < 0) continue;
    const u = visits.unit[v]!;
    const lu = listingUnit[row]!;
    if (u === lu || !atUnit[u] || !counted[kindOf(visits.profession[v]!, visits.contact[v]!)]) continue;
    n[lu]!++;
  }
  const r = perActiveUnit(month, n, (count) => -sekToOre(count * charge));
  const where = c.at_units ? `vid ${c.at_units.join(', ')}` : 'vid andra enheter';
  const chargeRate = rateOf(c.charge, month.paramDate);
  return componentResult(
    r,
    (u, amount) => ({
      rule: `Enheten debiteras per besök i månaden av dess listade ${where} (${describeCounted(c.counted)})`,
      steps: [rateStep(`Besök av enhetens listade ${where}`, n[u] ?? 0, chargeRate, 'kr', amount, -1)],
    }),
    (u, amount) => [
      `Regel: listningsenheten debiteras per besök i månaden av dess listade vid annan enhet (${c.source})`,
      `Räknas: ${describeCounted(c.counted)}; ${where}`,
      `Avgift: ${describeParam(c.charge, month.paramDate)} per besök`,
      `Besök: ${formatNumber(n[u] ?? 0)}; belopp ${formatKronor(amount)}`,
    ],
  );
}
