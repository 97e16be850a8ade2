import { formatDate, lastDay, addMonths } from '../../calendar.js';
import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import { CONTACTS, PROFESSIONS, type ComponentOf, type Counted } from '../../rulebook/schema.js';
import {
  describeParam,
  emptyResult,
  param,
  type ComponentContext,
  type ComponentResult,
} from '../component-result.js';
import { windowBefore } from '../month-context.js';

const KINDS = PROFESSIONS.length * CONTACTS.length;
const kindOf = (profession: number, contact: number): number => profession * CONTACTS.length + contact;

/** Which profession × contact kinds count, as a lookup table. */
function countedKinds(counted: Counted | undefined): Uint8Array {
  const table = new Uint8Array(KINDS);
  PROFESSIONS.forEach((p, pi) =>
    CONTACTS.forEach((c, ci) => {
      const okP = !counted?.professions || counted.professions.includes(p);
      const okC = !counted?.contacts || counted.contacts.includes(c);
      table[kindOf(pi, ci)] = okP && okC ? 1 : 0;
    }),
  );
  return table;
}

function describeCounted(counted: Counted | undefined): string {
  const p = counted?.professions ? counted.professions.join(', ') : 'alla yrken';
  const c = counted?.contacts ? counted.contacts.join(', ') : 'alla kontaktsätt';
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
  const amounts = c.fees.map((f, i) => param(ctx, f.amount, 'fees', i, 'amount'));
  PROFESSIONS.forEach((p, pi) =>
    CONTACTS.forEach((k, ci) => {
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
      c.fees.forEach((f, i) => {
        const r = rank(f);
        if (r > bestRank) {
          bestRank = r;
          best = i;
        }
      });
      fee[kindOf(pi, ci)] = best === -1 ? fallback : amounts[best];
      feeRow[kindOf(pi, ci)] = best;
    }),
  );
  const counts = new Float64Array(units.count * KINDS);
  const { cutoff, lastDay: last, personRow, active } = month;
  const listingUnit = month.data.listings.unit;
  const mode = c.applies_to;
  // The hot loop of a national run (35 M visits): columns in locals.
  const { date, unit, person, profession, contact } = visits;
  const contacts = CONTACTS.length;
  const count = visits.count;
  const all = mode === 'all';
  const wantHere = mode === 'listed_here';
  for (let v = 0; v < count; v++) {
    const d = date[v];
    if (d < cutoff || d > last) continue;
    const u = unit[v];
    if (!all) {
      const p = person[v];
      const row = p >= 0 ? personRow[p] : -1;
      const here = row >= 0 && listingUnit[row] === u;
      if (here !== wantHere) continue;
    }
    counts[u * KINDS + profession[v] * contacts + contact[v]]++;
  }
  const r = emptyResult(units.count);
  for (let u = 0; u < units.count; u++) {
    if (!active[u]) continue;
    let n = 0;
    let sek = 0;
    for (let k = 0; k < KINDS; k++) {
      const cnt = counts[u * KINDS + k];
      n += cnt;
      sek += cnt * fee[k];
    }
    r.has[u] = 1;
    r.quantity[u] = n;
    r.amountOre[u] = sekToOre(sek);
  }
  const breakdown = (u: number): string[] => {
    const out: string[] = [];
    for (let k = 0; k < KINDS; k++) {
      const cnt = counts[u * KINDS + k];
      if (cnt === 0) continue;
      const p = PROFESSIONS[Math.floor(k / CONTACTS.length)];
      const ct = CONTACTS[k % CONTACTS.length];
      const row = feeRow[k];
      const rule = row === -1 ? 'default' : `fees[${row}]`;
      out.push(
        `${p}/${ct}: ${formatNumber(cnt)} × ${formatNumber(fee[k])} kr (${rule}) = ${formatNumber(cnt * fee[k])} kr`,
      );
    }
    return out;
  };
  return {
    ...r,
    explain: (u) =>
      `${formatNumber(r.quantity[u])} ${APPLIES_TO[mode]} i månaden: ${breakdown(u).join('; ') || 'inga besök'} → ${formatKronor(r.amountOre[u])}`,
    derive: (u) => [
      `Regel: avgift per besök i månaden, mest specifika raden i avgiftstabellen (${c.source})`,
      `Gäller: ${APPLIES_TO[mode]} (listning bedöms på brytdagen ${formatDate(cutoff)})`,
      ...c.fees.map(
        (f, i) =>
          `fees[${i}]: ${f.profession ?? 'alla yrken'} / ${f.contact ?? 'alla kontaktsätt'}: ${describeParam(f.amount, month.paramDate)}`,
      ),
      `default: ${describeParam(c.default, month.paramDate)}`,
      ...breakdown(u),
      `Summa: ${formatKronor(r.amountOre[u])}`,
    ],
  };
}

/** Piecewise-linear factor, clamped at the ends. */
export function interpolate(points: [number, number][], x: number): number {
  if (x <= points[0][0]) return points[0][1];
  const lastPoint = points[points.length - 1];
  if (x >= lastPoint[0]) return lastPoint[1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i];
    if (x <= x1) {
      const [x0, y0] = points[i - 1];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return lastPoint[1];
}

/** Täckningsgrad: the share of listed persons' visits (in the window) made at their own unit. */
export function evaluateCoverage(c: ComponentOf<'coverage'>, ctx: ComponentContext): ComponentResult {
  const month = ctx.month;
  const { visits, units } = month.data;
  const base = ctx.lines.get(c.base)!;
  const window = windowBefore(month.month, c.window_months);
  const counted = countedKinds(c.counted);
  const here = new Float64Array(units.count);
  const all = new Float64Array(units.count);
  const { personUnit } = month;
  // The hot loop of a national run (35 M visits): columns and bounds in locals, the cheap tests
  // (date, kind) before the person's unit.
  const { date, person, profession, contact, unit } = visits;
  const from = window.from;
  const to = window.to;
  const contacts = CONTACTS.length;
  const count = visits.count;
  for (let v = 0; v < count; v++) {
    const d = date[v];
    if (d < from || d >= to) continue;
    if (counted[profession[v] * contacts + contact[v]] === 0) continue;
    const p = person[v];
    if (p < 0) continue;
    const lu = personUnit[p];
    if (lu < 0) continue;
    all[lu]++;
    if (unit[v] === lu) here[lu]++;
  }
  const r = emptyResult(units.count);
  const coverage = new Float64Array(units.count);
  const factor = new Float64Array(units.count);
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    coverage[u] = all[u] > 0 ? here[u] / all[u] : NaN;
    factor[u] = all[u] > 0 ? interpolate(c.factor, coverage[u]) : 1;
    r.has[u] = 1;
    r.quantity[u] = all[u];
    r.amountOre[u] = sekToOre(((factor[u] - 1) * base.amountOre[u]) / 100);
  }
  const windowText = `${formatDate(window.from)}–${formatDate(lastDay(addMonths(month.month, -1)))}`;
  const pct = (x: number): string => `${formatNumber(Math.round(x * 10000) / 100)} %`;
  return {
    ...r,
    explain: (u) =>
      all[u] > 0
        ? `Täckningsgrad ${pct(coverage[u])} (${formatNumber(here[u])} av ${formatNumber(all[u])} besök ${windowText} vid egen enhet) → faktor ${formatNumber(round6(factor[u]))}; (faktor − 1) × ${c.base} ${formatKronor(base.amountOre[u])} = ${formatKronor(r.amountOre[u])}`
        : `Inga räknade besök ${windowText} för enhetens listade: faktor 1, ingen justering`,
    derive: (u) => [
      `Regel: (faktor − 1) × avrundad rad för ${c.base}; täckningsgrad = besök vid egen enhet ÷ alla besök av de listade (${c.source})`,
      `Fönster: ${c.window_months} månader, ${windowText}; räknas: ${describeCounted(c.counted)}`,
      `Faktortabell: ${c.factor.map(([x, y]) => `${pct(x)} → ${formatNumber(y)}`).join(', ')} (linjär mellan punkterna, konstant utanför)`,
      `Besök vid egen enhet: ${formatNumber(here[u])}; alla besök: ${formatNumber(all[u])}`,
      all[u] > 0
        ? `Täckningsgrad: ${pct(coverage[u])}; faktor ${formatNumber(round6(factor[u]))}`
        : 'Inga besök: faktor 1',
      `${c.base}: ${formatKronor(base.amountOre[u])}; belopp ${formatKronor(r.amountOre[u])}`,
    ],
  };
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
  for (let v = 0; v < visits.count; v++) {
    const d = visits.date[v];
    if (d < cutoff || d > last) continue;
    const p = visits.person[v];
    if (p < 0) continue;
    const row = personRow[p];
    if (row < 0) continue;
    const u = visits.unit[v];
    const lu = listingUnit[row];
    if (u === lu || !atUnit[u] || !counted[kindOf(visits.profession[v], visits.contact[v])]) continue;
    n[lu]++;
  }
  const r = emptyResult(units.count);
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    r.has[u] = 1;
    r.quantity[u] = n[u];
    r.amountOre[u] = -sekToOre(n[u] * charge);
  }
  const where = c.at_units ? `vid ${c.at_units.join(', ')}` : 'vid andra enheter';
  return {
    ...r,
    explain: (u) =>
      `${formatNumber(n[u])} besök av enhetens listade ${where} (${describeCounted(c.counted)}) × ${describeParam(c.charge, month.paramDate)} debiteras: ${formatKronor(r.amountOre[u])}`,
    derive: (u) => [
      `Regel: listningsenheten debiteras per besök i månaden av dess listade vid annan enhet (${c.source})`,
      `Räknas: ${describeCounted(c.counted)}; ${where}`,
      `Avgift: ${describeParam(c.charge, month.paramDate)} per besök`,
      `Besök: ${formatNumber(n[u])}; belopp ${formatKronor(r.amountOre[u])}`,
    ],
  };
}

/** Geografiskt tillägg: per listed person by the rural class of the person's area. */
export function evaluateAreaSupplement(
  c: ComponentOf<'area_supplement'>,
  ctx: ComponentContext,
): ComponentResult {
  const month = ctx.month;
  const { units, areas, listings } = month.data;
  const classes = areas.ruralClasses;
  const annual = classes.map((cls) =>
    c.annual_per_listed[cls] === undefined
      ? 0
      : param(ctx, c.annual_per_listed[cls], 'annual_per_listed', cls),
  );
  const counts = new Float64Array(units.count * (classes.length + 1));
  const width = classes.length + 1;
  for (const row of month.listedRows) {
    counts[listings.unit[row] * width + areas.ruralClass[listings.area[row]] + 1]++;
  }
  const r = emptyResult(units.count);
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    let q = 0;
    let sek = 0;
    classes.forEach((_, k) => {
      const n = counts[u * width + k + 1];
      if (annual[k] !== 0) q += n;
      sek += (n * annual[k]) / 12;
    });
    r.has[u] = 1;
    r.quantity[u] = q;
    r.amountOre[u] = sekToOre(sek);
  }
  const parts = (u: number): string[] =>
    classes
      .map((cls, k) => ({ cls, n: counts[u * width + k + 1], a: annual[k] }))
      .filter((x) => x.n > 0)
      .map((x) => `${x.cls}: ${formatNumber(x.n)} listade × ${formatNumber(x.a)} kr/år ÷ 12`);
  return {
    ...r,
    explain: (u) => `${parts(u).join('; ') || 'inga listade'} → ${formatKronor(r.amountOre[u])}`,
    derive: (u) => [
      `Regel: årsbelopp per listad efter områdets rural_class ÷ 12 (${c.source})`,
      ...Object.entries(c.annual_per_listed).map(
        ([cls, v]) => `${cls}: ${describeParam(v, month.paramDate, 'kr per år')}`,
      ),
      ...parts(u),
      `Belopp: ${formatKronor(r.amountOre[u])}`,
    ],
  };
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
