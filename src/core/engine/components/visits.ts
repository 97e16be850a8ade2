import { formatDate, lastDay, addMonths } from '../../calendar.js';
import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import {
  CONTACTS,
  PROFESSIONS,
  type ComponentOf,
  type Contact,
  type Counted,
  type Profession,
} from '../../rulebook/schema.js';
import {
  componentResult,
  describeParam,
  emptyResult,
  param,
  perActiveUnit,
  rateStep,
} from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf, renderStep, round6, type DerivationStep } from '../derivation.js';
import { windowBefore } from '../month-context.js';

const KINDS = PROFESSIONS.length * CONTACTS.length;
const kindOf = (profession: number, contact: number): number => profession * CONTACTS.length + contact;

/** Every profession × contact kind with its index in the kinds' tables, in index order. */
function forEachKind(visit: (profession: Profession, contact: Contact, kind: number) => void): void {
  PROFESSIONS.forEach((p, pi) => CONTACTS.forEach((c, ci) => visit(p, c, kindOf(pi, ci))));
}

/** Which profession × contact kinds count, as a lookup table. */
function countedKinds(counted: Counted | undefined): Uint8Array {
  const table = new Uint8Array(KINDS);
  forEachKind((p, c, k) => {
    const okP = !counted?.professions || counted.professions.includes(p);
    const okC = !counted?.contacts || counted.contacts.includes(c);
    table[k] = okP && okC ? 1 : 0;
  });
  return table;
}

/** Professions and contact kinds as a provider reads them. */
export const PROFESSION_SV: Record<Profession, string> = {
  lakare: 'läkare',
  sjukskoterska: 'sjuksköterska',
  distriktsskoterska: 'distriktssköterska',
  fysioterapeut: 'fysioterapeut',
  arbetsterapeut: 'arbetsterapeut',
  psykolog: 'psykolog',
  kurator: 'kurator',
  dietist: 'dietist',
  barnmorska: 'barnmorska',
  annan: 'annan yrkesgrupp',
};
export const CONTACT_SV: Record<Contact, string> = {
  fysiskt: 'fysiskt besök',
  digitalt: 'digital kontakt',
  telefon: 'telefonkontakt',
  hembesok: 'hembesök',
};

/** Area classes (rural_class in areas.csv) as written in Swedish. */
const RURAL_SV: Record<string, string> = { tatort: 'tätort', landsbygd: 'landsbygd', glesbygd: 'glesbygd' };

function describeCounted(counted: Counted | undefined): string {
  const p = counted?.professions ? counted.professions.map((x) => PROFESSION_SV[x]).join(', ') : 'alla yrken';
  const c = counted?.contacts ? counted.contacts.map((x) => CONTACT_SV[x]).join(', ') : 'alla kontaktsätt';
  return `${p}; ${c}`;
}

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
