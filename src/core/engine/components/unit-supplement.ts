import { ownershipOf } from '../../data/dataset.js';
import { OWNERSHIP_SV } from '../../labels.js';
import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import type { ComponentOf } from '../../rulebook/schema.js';
import {
  componentResult,
  describeParam,
  emptyResult,
  param,
  perActiveUnit,
  rateStep,
} from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf } from '../derivation.js';

/** Enhetstillägg: a monthly amount per item counted from a column of units.csv. */
export function evaluateUnitSupplement(
  c: ComponentOf<'unit_supplement'>,
  ctx: ComponentContext,
): ComponentResult {
  const month = ctx.month;
  const { units } = month.data;
  const perItem = param(ctx, c.monthly_per_item, 'monthly_per_item');
  const counts = new Float64Array(units.count);
  if (c.count === 'branches') {
    for (let u = 0; u < units.count; u++) {
      const main = units.branchOf[u]!;
      if (main >= 0) counts[main]!++;
    }
  } else {
    const column = units.extra.get(c.count);
    if (!column) {
      month.issues.push({
        kind: 'data',
        file: 'units.csv',
        line: 1,
        where: c.count,
        code: 'data.missing_column',
        message: `Kolumnen ${c.count} saknas, men regelbokens komponent ${c.id} räknar den`,
      });
      return componentResult(
        emptyResult(units.count),
        () => ({ rule: '', steps: [] }),
        () => [],
      );
    }
    column.forEach((text, u) => {
      const v = text === '' ? 0 : Number(text.replace(',', '.'));
      if (!Number.isFinite(v)) {
        month.issues.push({
          kind: 'data',
          file: 'units.csv',
          line: units.line[u] ?? 0,
          where: c.count,
          code: 'data.bad_number',
          message: `${c.count} ska vara ett tal, inte "${text.slice(0, 20)}"`,
        });
      } else counts[u] = v;
    });
  }
  const allowed = c.only_ownership ? new Set(c.only_ownership) : undefined;
  const r = perActiveUnit(
    month,
    counts,
    (n) => sekToOre(n * perItem),
    allowed && ((u) => allowed.has(ownershipOf(units, u))),
  );
  const countText = c.count === 'branches' ? 'filialer (enheter med branch_of = enheten)' : c.count;
  const perItemRate = rateOf(c.monthly_per_item, month.paramDate);
  const owners = c.only_ownership?.map((o) => OWNERSHIP_SV[o]).join(', ');
  return componentResult(
    r,
    (u, amount) => ({
      rule: `Belopp per månad och styck × antal ${countText}${owners === undefined ? '' : `, för ägarform ${owners}`}`,
      steps: [rateStep(`Antal ${countText}`, counts[u] ?? 0, perItemRate, 'kr per månad', amount)],
    }),
    (u, amount) => [
      `Regel: belopp per månad och styck × antal ur units.csv (${c.source})`,
      `Antal: ${countText} = ${formatNumber(counts[u] ?? 0)}`,
      `Belopp per styck: ${describeParam(c.monthly_per_item, month.paramDate, 'kr per månad')}`,
      ...(owners === undefined ? [] : [`Gäller endast ägarform: ${owners}`]),
      `Belopp: ${formatKronor(amount)}`,
    ],
  );
}
