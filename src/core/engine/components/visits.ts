import { formatDate, lastDay, addMonths } from '../../calendar.js';
import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import { CONTACTS, PROFESSIONS, type ComponentOf, type Counted } from '../../rulebook/schema.js';
import {
  describeParam,
  emptyResult,
  explained,
  param,
  type ComponentContext,
  type ComponentResult,
} from '../component-result.js';
import { rateOf, renderStep, round6, type DerivationStep } from '../derivation.js';
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

/** Professions and contact kinds as a provider reads them. */
export const PROFESSION_SV: Record<(typeof PROFESSIONS)[number], string> = {
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
export const CONTACT_SV: Record<(typeof CONTACTS)[number], string> = {
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
  const rates = c.fees.map((f) => rateOf(f.amount, month.paramDate));
  const fallbackRate = rateOf(c.default, month.paramDate);
  /** A fee row by what it is: `sjuksköterska, alla kontaktsätt`; the fallback is `övriga besök`. */
  const rowName = (row: number): string => {
    if (row === -1) return 'övriga besök';
    const f = c.fees[row];
    if (!f.profession && !f.contact) return 'alla besök';
    return `${f.profession ? PROFESSION_SV[f.profession] : 'alla yrkesgrupper'}, ${f.contact ? CONTACT_SV[f.contact] : 'alla kontaktsätt'}`;
  };
  const breakdown = (u: number): DerivationStep[] => {
    const out: DerivationStep[] = [];
    for (let k = 0; k < KINDS; k++) {
      const cnt = counts[u * KINDS + k];
      if (cnt === 0) continue;
      const p = PROFESSIONS[Math.floor(k / CONTACTS.length)];
      const ct = CONTACTS[k % CONTACTS.length];
      const row = feeRow[k];
      const name = `${PROFESSION_SV[p]}, ${CONTACT_SV[ct]}`;
      const rowText = rowName(row);
      const { valid_from } = row === -1 ? fallbackRate : rates[row];
      out.push({
        label: rowText === name ? name : `${name} (taxa för ${rowText})`,
        quantity: cnt,
        rate: fee[k],
        rate_unit: 'kr',
        valid_from,
        amount_ore: sekToOre(cnt * fee[k]),
      });
    }
    return out;
  };
  return {
    ...r,
    ...explained((u) => ({
      rule: `Avgift per besök i månaden (${APPLIES_TO[mode]}), efter yrkesgrupp och kontaktsätt`,
      steps: breakdown(u),
      amount_ore: r.amountOre[u],
    })),
    derive: (u) => [
      `Regel: avgift per besök i månaden, mest specifika raden i avgiftstabellen (${c.source})`,
      `Gäller: ${APPLIES_TO[mode]} (listning bedöms på brytdagen ${formatDate(cutoff)})`,
      ...c.fees.map((f, i) => `Taxa ${rowName(i)}: ${describeParam(f.amount, month.paramDate)}`),
      `Taxa övriga besök: ${describeParam(c.default, month.paramDate)}`,
      ...breakdown(u).map(renderStep),
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
  const baseLabel = ctx.labelOf?.(c.base) ?? c.base;
  return {
    ...r,
    ...explained((u) => ({
      rule: `(faktor − 1) × ${baseLabel}; faktorn ur täckningsgraden: besök vid egen enhet ÷ alla besök av de listade ${windowText}`,
      steps:
        all[u] > 0
          ? [
              { label: `Besök av de listade vid egen enhet ${windowText}`, quantity: here[u] },
              { label: 'Alla räknade besök av de listade', quantity: all[u] },
              { label: 'Täckningsgrad', result: coverage[u], result_unit: '%' },
              { label: 'Faktor ur faktortabellen', result: round6(factor[u]) },
              {
                label: `(faktor − 1) × ${baseLabel}`,
                quantity: round6(factor[u] - 1),
                rate: base.amountOre[u] / 100,
                rate_unit: 'kr',
                amount_ore: r.amountOre[u],
              },
            ]
          : [{ label: `Inga räknade besök av de listade ${windowText}: faktor 1, ingen justering` }],
      amount_ore: r.amountOre[u],
    })),
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
  const chargeRate = rateOf(c.charge, month.paramDate);
  return {
    ...r,
    ...explained((u) => ({
      rule: `Enheten debiteras per besök i månaden av dess listade ${where} (${describeCounted(c.counted)})`,
      steps: [
        {
          label: `Besök av enhetens listade ${where}`,
          quantity: n[u],
          rate: -chargeRate.rate,
          rate_unit: 'kr',
          valid_from: chargeRate.valid_from,
          amount_ore: r.amountOre[u],
        },
      ],
      amount_ore: r.amountOre[u],
    })),
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
  const classRates = classes.map((cls) =>
    c.annual_per_listed[cls] === undefined ? undefined : rateOf(c.annual_per_listed[cls], month.paramDate),
  );
  const steps = (u: number): DerivationStep[] =>
    classes
      .map((cls, k) => ({ cls, k, n: counts[u * width + k + 1], a: annual[k] }))
      .filter((x) => x.n > 0)
      .map((x) => ({
        label: `Listade i ${RURAL_SV[x.cls] ?? x.cls}`,
        quantity: x.n,
        rate: x.a,
        rate_unit: 'kr per år ÷ 12',
        valid_from: classRates[x.k]?.valid_from,
        amount_ore: sekToOre((x.n * x.a) / 12),
      }));
  return {
    ...r,
    ...explained((u) => ({
      rule: 'Årsbelopp per listad efter områdesklassen där den listade bor, ÷ 12',
      steps: steps(u),
      amount_ore: r.amountOre[u],
    })),
    derive: (u) => [
      `Regel: årsbelopp per listad efter områdets rural_class ÷ 12 (${c.source})`,
      ...Object.entries(c.annual_per_listed).map(
        ([cls, v]) => `${cls}: ${describeParam(v, month.paramDate, 'kr per år')}`,
      ),
      ...steps(u).map(renderStep),
      `Belopp: ${formatKronor(r.amountOre[u])}`,
    ],
  };
}
