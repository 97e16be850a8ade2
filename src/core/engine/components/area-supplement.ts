import { RURAL_SV } from '../../labels.js';
import { formatKronor, sekToOre } from '../../money.js';
import type { ComponentOf } from '../../rulebook/schema.js';
import { componentResult, describeParam, emptyResult, param } from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf, renderStep, type DerivationStep } from '../derivation.js';

/** Geografiskt tillägg: per listed person by the rural class of the person's area. */
export function evaluateAreaSupplement(
  c: ComponentOf<'area_supplement'>,
  ctx: ComponentContext,
): ComponentResult {
  const month = ctx.month;
  const { units, areas, listings } = month.data;
  /** Per rural class of areas.csv: the annual amount per listed (0 when the rulebook names none). */
  const classes = areas.ruralClasses.map((cls) => {
    const value = c.annual_per_listed[cls];
    return value === undefined
      ? { cls, annual: 0, rate: undefined }
      : {
          cls,
          annual: param(ctx, value, 'annual_per_listed', cls),
          rate: rateOf(value, month.paramDate),
        };
  });
  const width = classes.length + 1;
  const counts = new Float64Array(units.count * width);
  for (const row of month.listedRows) {
    counts[listings.unit[row]! * width + areas.ruralClass[listings.area[row]!]! + 1]!++;
  }
  const r = emptyResult(units.count);
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    let q = 0;
    let sek = 0;
    classes.forEach(({ annual }, k) => {
      const n = counts[u * width + k + 1]!;
      if (annual !== 0) q += n;
      sek += (n * annual) / 12;
    });
    r.has[u] = 1;
    r.quantity[u] = q;
    r.amountOre[u] = sekToOre(sek);
  }
  const steps = (u: number): DerivationStep[] =>
    classes
      .map((x, k) => ({ ...x, n: counts[u * width + k + 1] ?? 0 }))
      .filter((x) => x.n > 0)
      .map((x) => ({
        label: `Listade i ${RURAL_SV[x.cls] ?? x.cls}`,
        quantity: x.n,
        rate: x.annual,
        rate_unit: 'kr per år ÷ 12',
        valid_from: x.rate?.valid_from,
        amount_ore: sekToOre((x.n * x.annual) / 12),
      }));
  return componentResult(
    r,
    (u) => ({ rule: 'Årsbelopp per listad efter områdesklassen där den listade bor, ÷ 12', steps: steps(u) }),
    (u, amount) => [
      `Regel: årsbelopp per listad efter områdets rural_class ÷ 12 (${c.source})`,
      ...Object.entries(c.annual_per_listed).map(
        ([cls, v]) => `${cls}: ${describeParam(v, month.paramDate, 'kr per år')}`,
      ),
      ...steps(u).map(renderStep),
      `Belopp: ${formatKronor(amount)}`,
    ],
  );
}
