import { addMonths, firstDay, formatDate, formatMonth, lastDay } from '../../calendar.js';
import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import { computeIndicator } from '../../followup/indicators.js';
import type { ComponentOf } from '../../rulebook/schema.js';
import { componentResult, describeParam, emptyResult, param, rateStep } from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf, round6 } from '../derivation.js';

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
