import {
  addMonths,
  firstDay,
  formatDate,
  formatMonth,
  lastDay,
  monthOf,
  monthsBetween,
} from '../../calendar.js';
import { ownershipOf } from '../../data/dataset.js';
import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import { computeIndicator } from '../../followup/indicators.js';
import type { ComponentOf, Ownership } from '../../rulebook/schema.js';
import {
  componentResult,
  describeParam,
  emptyResult,
  param,
  perActiveUnit,
  rateStep,
} from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf, renderDerivation, round6, type Derivation } from '../derivation.js';

const OWNERSHIP_SV: Record<Ownership, string> = {
  public: 'offentlig',
  private: 'privat',
  nonprofit: 'idéburen',
};

/** One goal indicator at one unit: its value (NaN when missing) and how far it reaches (0–1). */
interface Fulfilment {
  value: number;
  f: number;
}

/** Målrelaterad ersättning: paid for a whole period, lag_months after it ends. */
export function evaluateGoal(c: ComponentOf<'goal'>, ctx: ComponentContext): ComponentResult {
  const month = ctx.month;
  const { units, indicators } = month.data;
  const annual = param(ctx, c.annual_per_listed, 'annual_per_listed');
  const r = emptyResult(units.count);
  const periodEnd = addMonths(month.month, -c.lag_months);
  const isPayMonth = (periodEnd % 100) % c.period_months === 0;
  const periodStart = addMonths(periodEnd, -(c.period_months - 1));
  const pFrom = firstDay(periodStart);
  const pTo = lastDay(periodEnd);
  const periodText = `${formatDate(pFrom)}–${formatDate(pTo)}`;
  const notPaid = (): string =>
    `Utbetalas ${c.lag_months} månad(er) efter periodens slut; ${formatMonth(month.month)} är ingen utbetalningsmånad`;
  if (!isPayMonth) {
    return componentResult(
      r,
      () => ({ rule: notPaid(), steps: [] }),
      () => [notPaid()],
    );
  }
  const indIndex = new Map(indicators.indicators.map((name, i) => [name, i]));
  const rowOf = new Map<number, number>();
  const stride = indicators.indicators.length + 1;
  for (let i = 0; i < indicators.count; i++) {
    if (indicators.from[i] === pFrom && indicators.to[i] === pTo)
      rowOf.set(indicators.unit[i]! * stride + indicators.indicator[i]!, i);
  }
  // Indicators the rulebook computes are paid from the data (the values follow-up shows); the
  // others from indicators.csv, as before.
  const goals = c.indicators.map((ind) => {
    const compute = ctx.computed?.get(ind.id);
    return {
      ind,
      values: compute ? computeIndicator(compute, month.data, pFrom, pTo) : undefined,
      column: indIndex.get(ind.id),
    };
  });
  /** An indicator's numerator and denominator at a unit (NaN and 0 when there is none). */
  const measured = (goal: (typeof goals)[number], u: number): [number, number] => {
    const { values, column } = goal;
    if (values) return values.available ? [values.numerator[u]!, values.denominator[u]!] : [NaN, 0];
    const row = column === undefined ? undefined : rowOf.get(u * stride + column);
    return row === undefined ? [NaN, 0] : [indicators.numerator[row]!, indicators.denominator[row]!];
  };
  const detail: Fulfilment[][] = [];
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    let fulfilment = 0;
    const parts = goals.map((goal): Fulfilment => {
      const { ind } = goal;
      const [num, den] = measured(goal, u);
      let value = NaN;
      let f = 0;
      if (den !== 0) {
        value = num / den;
        const t =
          ind.direction === 'higher'
            ? (value - ind.floor) / (ind.target - ind.floor)
            : (ind.floor - value) / (ind.floor - ind.target);
        f = Math.min(1, Math.max(0, t));
      }
      fulfilment += ind.weight * f;
      return { value, f };
    });
    detail[u] = parts;
    const listed = month.listedCount[u]!;
    r.has[u] = 1;
    r.quantity[u] = listed;
    r.amountOre[u] = sekToOre(((annual * c.period_months) / 12) * listed * fulfilment);
  }
  const partsAt = (u: number): Fulfilment[] => {
    const parts = detail[u];
    if (!parts) throw new RangeError(`Unit ${u} has no goal line this month`);
    return parts;
  };
  const pct = (x: number): string =>
    Number.isNaN(x) ? 'saknas' : `${formatNumber(Math.round(x * 10000) / 100)} %`;
  /** An indicator's value, target and floor at a unit, and where a computed value came from. */
  const indicatorText = (goal: (typeof goals)[number], d: Fulfilment, u: number): string => {
    const { ind, values } = goal;
    const how = values
      ? ` (beräknat ur data ${formatDate(values.from)}–${formatDate(values.to)}: ${formatNumber(values.numerator[u]!)}/${formatNumber(values.denominator[u]!)})`
      : '';
    return `värde ${pct(d.value)}${how}, mål ${pct(ind.target)}, golv ${pct(ind.floor)}${ind.direction === 'lower' ? ' (lägre är bättre)' : ''}`;
  };
  const annualRate = rateOf(c.annual_per_listed, month.paramDate);
  const indicatorName = (id: string): string => ctx.indicatorLabelOf?.(id) ?? id;
  return componentResult(
    r,
    (u, amount) => {
      const listed = month.listedCount[u]!;
      const parts = partsAt(u);
      const fulfilment = goals.reduce((s, { ind }, k) => s + ind.weight * (parts[k]?.f ?? 0), 0);
      return {
        rule: `Årsbelopp per listad × ${c.period_months}/12 × listade × uppfyllelse av målen för perioden ${periodText}`,
        steps: [
          {
            label: `Mätperiod ${periodText}, utbetalas ${c.lag_months} ${c.lag_months === 1 ? 'månad' : 'månader'} efter`,
          },
          ...goals.flatMap((goal, k) => {
            const d = parts[k];
            if (!d) return [];
            return [
              {
                label: `${indicatorName(goal.ind.id)}: ${indicatorText(goal, d, u)}; uppfyllelse × vikt`,
                quantity: round6(d.f),
                rate: goal.ind.weight,
                result: round6(d.f * goal.ind.weight),
              },
            ];
          }),
          { label: 'Uppfyllelse sammantaget', result: round6(fulfilment) },
          rateStep(
            `Listade på brytdagen × årsbelopp × ${c.period_months}/12 × uppfyllelse`,
            listed,
            annualRate,
            `kr per år × ${c.period_months}/12 × ${formatNumber(round6(fulfilment))}`,
            amount,
          ),
        ],
      };
    },
    (u, amount) => [
      `Regel: årsbelopp × periodlängd/12 × listade på brytdagen × Σ vikt × uppfyllelse (${c.source})`,
      `Period: ${periodText} (${c.period_months} mån), utbetalas med ${c.lag_months} månads fördröjning`,
      `Årsbelopp: ${describeParam(c.annual_per_listed, month.paramDate, 'kr per listad')}`,
      `Listade på brytdagen: ${formatNumber(month.listedCount[u]!)}`,
      ...goals.flatMap((goal, k) => {
        const d = partsAt(u)[k];
        return d
          ? [
              `${goal.ind.id}: ${indicatorText(goal, d, u)} → uppfyllelse ${formatNumber(Math.round(d.f * 1e6) / 1e6)} × vikt ${formatNumber(goal.ind.weight)}`,
            ]
          : [];
      }),
      goals.some((g) => g.values)
        ? 'Beräknade indikatorer räknas ur besöks-, listnings- och händelsefilerna som regelbokens uppföljning anger; övriga läses ur indicators.csv. Saknat värde eller nämnare 0 ger uppfyllelse 0'
        : 'Saknad indikatorrad eller nämnare 0 ger uppfyllelse 0',
      `Belopp: ${formatKronor(amount)}`,
    ],
  );
}

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

/** Startbidrag: the first `months` months from the unit's start (the start month is month 1). */
export function evaluateStartGrant(c: ComponentOf<'start_grant'>, ctx: ComponentContext): ComponentResult {
  const month = ctx.month;
  const { units } = month.data;
  const amount = param(ctx, c.monthly_amount, 'monthly_amount');
  const amountOre = sekToOre(amount);
  const r = emptyResult(units.count);
  const monthNo = new Int32Array(units.count);
  const replaced = new Float64Array(units.count);
  const replacedLines = c.replaces.flatMap((id) => {
    const line = ctx.lines.get(id);
    return line ? [line] : [];
  });
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    const k = monthsBetween(monthOf(units.start[u]!), month.month) + 1;
    if (k < 1 || k > c.months) continue;
    monthNo[u] = k;
    let sum = 0;
    for (const id of c.replaces) sum += ctx.lines.get(id)?.amountOre[u] ?? 0;
    replaced[u] = sum;
    r.has[u] = 1;
    r.quantity[u] = 1;
    if (c.mode === 'guarantee') r.amountOre[u] = Math.max(0, amountOre - sum);
    else r.amountOre[u] = amountOre;
    if (c.mode === 'replace') {
      // The replaced lines' derivations are taken before any is zeroed: coverage reads capitation,
      // and the statement should show the computed amount and then its removal.
      const computed = replacedLines.map((line) => line.derivation(u));
      replacedLines.forEach((line, i) => {
        const d = computed[i];
        if (!d) return;
        line.amountOre[u] = 0;
        const before = line.derivation;
        const replacedBy = c.label;
        line.derivation = (x): Derivation =>
          x !== u
            ? before(x)
            : {
                rule: d.rule,
                steps: [
                  ...d.steps,
                  {
                    label: `Ersätts av ${replacedBy} under startperioden (månad ${k} av ${c.months}); beräknat belopp dras bort`,
                    amount_ore: -d.amount_ore,
                  },
                ],
                amount_ore: 0,
              };
        line.explain = (x) => renderDerivation(line.derivation(x));
      });
    }
  }
  const modeText = {
    add: 'betalas utöver övrig ersättning',
    replace: `ersätter ${c.replaces.join(', ')}`,
    guarantee: `garanterar minst beloppet tillsammans med ${c.replaces.join(', ')}`,
  }[c.mode];
  const grantRate = rateOf(c.monthly_amount, month.paramDate);
  const replacedLabels = c.replaces.map((id) => ctx.labelOf?.(id) ?? id).join(', ');
  const modeWords = {
    add: 'betalas utöver övrig ersättning',
    replace: `ersätter ${replacedLabels}`,
    guarantee: `garanterar minst beloppet tillsammans med ${replacedLabels}`,
  }[c.mode];
  const startOf = (u: number): string => formatDate(units.start[u] ?? 0);
  return componentResult(
    r,
    (u, amount) => ({
      rule: `Belopp per månad de första ${c.months} månaderna från enhetens startdatum; ${modeWords}`,
      steps: [
        rateStep(
          `Startmånad ${monthNo[u]} av ${c.months} (start ${startOf(u)})`,
          1,
          grantRate,
          'kr per månad',
          amountOre,
        ),
        ...(c.mode === 'guarantee'
          ? [
              { label: `Avgår: ${replacedLabels} denna månad`, amount_ore: -(replaced[u] ?? 0) },
              { label: 'Garantin, lägst 0', amount_ore: amount },
            ]
          : []),
      ],
    }),
    (u, amount) => [
      `Regel: ${describeParam(c.monthly_amount, month.paramDate, 'kr per månad')} de första ${c.months} månaderna från enhetens startdatum; ${modeText} (${c.source})`,
      `Startdatum ${startOf(u)}; ${formatMonth(month.month)} är månad ${monthNo[u]}`,
      ...(c.mode === 'guarantee'
        ? [`Summa av ${c.replaces.join(', ')}: ${formatKronor(replaced[u] ?? 0)}`]
        : []),
      `Belopp: ${formatKronor(amount)}`,
    ],
  );
}

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
