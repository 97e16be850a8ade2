import { formatDate } from '../../calendar.js';
import { CONTACT_SV, PROFESSION_SV } from '../../labels.js';
import { formatKronor, sekToOre } from '../../money.js';
import { CONTACTS, type ComponentOf } from '../../rulebook/schema.js';
import { componentResult, describeParam, emptyResult, param, rateStep } from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf, renderStep, type DerivationStep } from '../derivation.js';
import { forEachKind, KINDS } from './visit-kinds.js';

const APPLIES_TO: Record<ComponentOf<'visit_fee'>['applies_to'], string> = {
  all: 'alla besök',
  listed_here: 'besök av personer listade vid enheten',
  not_listed_here: 'besök av personer som inte är listade vid enheten',
};

/** Besöksersättning: per visit in the month, the most specific fee row that matches. */
export function evaluateVisitFee(c: ComponentOf<'visit_fee'>, ctx: ComponentContext): ComponentResult {
  const month = ctx.month;
  const { visits, units } = month.data;
  const fee = new Float64Array(KINDS);
  const feeRow = new Int32Array(KINDS).fill(-1);
  const fallback = param(ctx, c.default, 'default');
  const rows = c.fees.map((f, i) => ({ f, amount: param(ctx, f.amount, 'fees', i, 'amount') }));
  forEachKind((p, k, kind) => {
    const rank = (f: (typeof c.fees)[number]): number =>
      f.profession === p && f.contact === k
        ? 3
        : f.profession === p && !f.contact
          ? 2
          : !f.profession && f.contact === k
            ? 1
            : !f.profession && !f.contact
              ? 0.5
              : -1;
    let best = -1;
    let bestRank = 0;
    let amount = fallback;
    rows.forEach((row, i) => {
      const r = rank(row.f);
      if (r > bestRank) {
        bestRank = r;
        best = i;
        amount = row.amount;
      }
    });
    fee[kind] = amount;
    feeRow[kind] = best;
  });
  const counts = new Float64Array(units.count * KINDS);
  const { cutoff, lastDay: last, personRow, active } = month;
  const listingUnit = month.data.listings.unit;
  const mode = c.applies_to;
  // The hot loop of a national run (35 M visits): columns in locals. The indexes are in range:
  // v < count, and a visit's person, unit, profession and contact are checked on reading.
  const { date, unit, person, profession, contact } = visits;
  const contacts = CONTACTS.length;
  const count = visits.count;
  const all = mode === 'all';
  const wantHere = mode === 'listed_here';
  for (let v = 0; v < count; v++) {
    const d = date[v]!;
    if (d < cutoff || d > last) continue;
    const u = unit[v]!;
    if (!all) {
      const p = person[v]!;
      const row = p >= 0 ? personRow[p]! : -1;
      const here = row >= 0 && listingUnit[row] === u;
      if (here !== wantHere) continue;
    }
    counts[u * KINDS + profession[v]! * contacts + contact[v]!]!++;
  }
  const r = emptyResult(units.count);
  for (let u = 0; u < units.count; u++) {
    if (!active[u]) continue;
    let n = 0;
    let sek = 0;
    for (let k = 0; k < KINDS; k++) {
      const cnt = counts[u * KINDS + k]!;
      n += cnt;
      sek += cnt * fee[k]!;
    }
    r.has[u] = 1;
    r.quantity[u] = n;
    r.amountOre[u] = sekToOre(sek);
  }
  const rates = c.fees.map((f) => rateOf(f.amount, month.paramDate));
  const fallbackRate = rateOf(c.default, month.paramDate);
  /** A fee row by what it is: `sjuksköterska, alla kontaktsätt`; the fallback (-1) is `övriga besök`. */
  const rowName = (row: number): string => {
    const f = c.fees[row];
    if (!f) return 'övriga besök';
    if (!f.profession && !f.contact) return 'alla besök';
    return `${f.profession ? PROFESSION_SV[f.profession] : 'alla yrkesgrupper'}, ${f.contact ? CONTACT_SV[f.contact] : 'alla kontaktsätt'}`;
  };
  const breakdown = (u: number): DerivationStep[] => {
    const out: DerivationStep[] = [];
    forEachKind((p, ct, k) => {
      const cnt = counts[u * KINDS + k]!;
      if (cnt === 0) return;
      const row = feeRow[k]!;
      const name = `${PROFESSION_SV[p]}, ${CONTACT_SV[ct]}`;
      const rowText = rowName(row);
      const label = rowText === name ? name : `${name} (taxa för ${rowText})`;
      out.push(rateStep(label, cnt, rates[row] ?? fallbackRate, 'kr', sekToOre(cnt * fee[k]!)));
    });
    return out;
  };
  return componentResult(
    r,
    (u) => ({
      rule: `Avgift per besök i månaden (${APPLIES_TO[mode]}), efter yrkesgrupp och kontaktsätt`,
      steps: breakdown(u),
    }),
    (u, amount) => [
      `Regel: avgift per besök i månaden, mest specifika raden i avgiftstabellen (${c.source})`,
      `Gäller: ${APPLIES_TO[mode]} (listning bedöms på brytdagen ${formatDate(cutoff)})`,
      ...c.fees.map((f, i) => `Taxa ${rowName(i)}: ${describeParam(f.amount, month.paramDate)}`),
      `Taxa övriga besök: ${describeParam(c.default, month.paramDate)}`,
      ...breakdown(u).map(renderStep),
      `Summa: ${formatKronor(amount)}`,
    ],
  );
}
