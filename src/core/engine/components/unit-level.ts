import {
  addMonths,
  firstDay,
  formatDate,
  formatMonth,
  lastDay,
  monthOf,
  monthsBetween,
} from '../../calendar.js';
import { OWNERSHIP_CODES } from '../../data/dataset.js';
import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import { computeIndicator } from '../../followup/indicators.js';
import type { ComponentOf } from '../../rulebook/schema.js';
import {
  describeParam,
  emptyResult,
  explained,
  param,
  type ComponentContext,
  type ComponentResult,
} from '../component-result.js';
import { rateOf, renderDerivation, round6, type Derivation } from '../derivation.js';

const OWNERSHIP_SV: Record<string, string> = {
  public: 'offentlig',
  private: 'privat',
  nonprofit: 'idéburen',
};

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
    return {
      ...r,
      ...explained(() => ({ rule: notPaid(), steps: [], amount_ore: 0 })),
      derive: () => [notPaid()],
    };
  }
  const indIndex = new Map(indicators.indicators.map((name, i) => [name, i]));
  const rowOf = new Map<number, number>();
  const stride = indicators.indicators.length + 1;
  for (let i = 0; i < indicators.count; i++) {
    if (indicators.from[i] === pFrom && indicators.to[i] === pTo)
      rowOf.set(indicators.unit[i] * stride + indicators.indicator[i], i);
  }
  // Indicators the rulebook computes are paid from the data (the values follow-up shows); the
  // others from indicators.csv, as before.
  const computed = c.indicators.map((ind) => {
    const compute = ctx.computed?.get(ind.id);
    return compute ? computeIndicator(compute, month.data, pFrom, pTo) : undefined;
  });
  const detail: { value: number; f: number; row: number }[][] = [];
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    let fulfilment = 0;
    const parts: { value: number; f: number; row: number }[] = [];
    for (let k = 0; k < c.indicators.length; k++) {
      const ind = c.indicators[k];
      const values = computed[k];
      const ii = indIndex.get(ind.id);
      const row = values || ii === undefined ? undefined : rowOf.get(u * stride + ii);
      let num = NaN;
      let den = 0;
      if (values) {
        if (values.available) {
          num = values.numerator[u];
          den = values.denominator[u];
        }
      } else if (row !== undefined) {
        num = indicators.numerator[row];
        den = indicators.denominator[row];
      }
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
      parts.push({ value, f, row: row ?? -1 });
      fulfilment += ind.weight * f;
    }
    detail[u] = parts;
    const listed = month.listedCount[u];
    r.has[u] = 1;
    r.quantity[u] = listed;
    r.amountOre[u] = sekToOre(((annual * c.period_months) / 12) * listed * fulfilment);
  }
  const pct = (x: number): string =>
    Number.isNaN(x) ? 'saknas' : `${formatNumber(Math.round(x * 10000) / 100)} %`;
  const describe = (u: number): string[] =>
    c.indicators.map((ind, k) => {
      const d = detail[u][k];
      const values = computed[k];
      const how = values
        ? ` (beräknat ur data ${formatDate(values.from)}–${formatDate(values.to)}: ${formatNumber(values.numerator[u])}/${formatNumber(values.denominator[u])})`
        : '';
      return `${ind.id}: värde ${pct(d.value)}${how}, mål ${pct(ind.target)}, golv ${pct(ind.floor)}${ind.direction === 'lower' ? ' (lägre är bättre)' : ''} → uppfyllelse ${formatNumber(Math.round(d.f * 1e6) / 1e6)} × vikt ${formatNumber(ind.weight)}`;
    });
  const annualRate = rateOf(c.annual_per_listed, month.paramDate);
  const indicatorName = (id: string): string => ctx.indicatorLabelOf?.(id) ?? id;
  return {
    ...r,
    ...explained((u) => {
      const listed = month.listedCount[u];
      const fulfilment = c.indicators.reduce((s, ind, k) => s + ind.weight * detail[u][k].f, 0);
      return {
        rule: `Årsbelopp per listad × ${c.period_months}/12 × listade × uppfyllelse av målen för perioden ${periodText}`,
        steps: [
          {
            label: `Mätperiod ${periodText}, utbetalas ${c.lag_months} ${c.lag_months === 1 ? 'månad' : 'månader'} efter`,
          },
          ...c.indicators.map((ind, k) => {
            const d = detail[u][k];
            const values = computed[k];
            const how = values
              ? ` (beräknat ur data ${formatDate(values.from)}–${formatDate(values.to)}: ${formatNumber(values.numerator[u])}/${formatNumber(values.denominator[u])})`
              : '';
            return {
              label: `${indicatorName(ind.id)}: värde ${pct(d.value)}${how}, mål ${pct(ind.target)}, golv ${pct(ind.floor)}${ind.direction === 'lower' ? ' (lägre är bättre)' : ''}; uppfyllelse × vikt`,
              quantity: round6(d.f),
              rate: ind.weight,
              result: round6(d.f * ind.weight),
            };
          }),
          { label: 'Uppfyllelse sammantaget', result: round6(fulfilment) },
          {
            label: `Listade på brytdagen × årsbelopp × ${c.period_months}/12 × uppfyllelse`,
            quantity: listed,
            rate: annualRate.rate,
            rate_unit: `kr per år × ${c.period_months}/12 × ${formatNumber(round6(fulfilment))}`,
            valid_from: annualRate.valid_from,
            amount_ore: r.amountOre[u],
          },
        ],
        amount_ore: r.amountOre[u],
      };
    }),
    derive: (u) => [
      `Regel: årsbelopp × periodlängd/12 × listade på brytdagen × Σ vikt × uppfyllelse (${c.source})`,
      `Period: ${periodText} (${c.period_months} mån), utbetalas med ${c.lag_months} månads fördröjning`,
      `Årsbelopp: ${describeParam(c.annual_per_listed, month.paramDate, 'kr per listad')}`,
      `Listade på brytdagen: ${formatNumber(month.listedCount[u])}`,
      ...describe(u),
      computed.some((v) => v)
        ? 'Beräknade indikatorer räknas ur besöks-, listnings- och händelsefilerna som regelbokens uppföljning anger; övriga läses ur indicators.csv. Saknat värde eller nämnare 0 ger uppfyllelse 0'
        : 'Saknad indikatorrad eller nämnare 0 ger uppfyllelse 0',
      `Belopp: ${formatKronor(r.amountOre[u])}`,
    ],
  };
}

/** Enhetstillägg: a monthly amount per item counted from a column of units.csv. */
export function evaluateUnitSupplement(
  c: ComponentOf<'unit_supplement'>,
  ctx: ComponentContext,
): ComponentResult {
  const month = ctx.month;
  const { units } = month.data;
  const perItem = param(ctx, c.monthly_per_item, 'monthly_per_item');
  const r = emptyResult(units.count);
  const counts = new Float64Array(units.count);
  if (c.count === 'branches') {
    for (let u = 0; u < units.count; u++) if (units.branchOf[u] >= 0) counts[units.branchOf[u]]++;
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
      return {
        ...r,
        ...explained(() => ({ rule: '', steps: [], amount_ore: 0 })),
        derive: () => [],
      };
    }
    column.forEach((text, u) => {
      const v = text === '' ? 0 : Number(text.replace(',', '.'));
      if (!Number.isFinite(v)) {
        month.issues.push({
          kind: 'data',
          file: 'units.csv',
          line: units.line[u],
          where: c.count,
          code: 'data.bad_number',
          message: `${c.count} ska vara ett tal, inte "${text.slice(0, 20)}"`,
        });
      } else counts[u] = v;
    });
  }
  const allowed = c.only_ownership ? new Set(c.only_ownership) : undefined;
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    if (allowed && !allowed.has(OWNERSHIP_CODES[units.ownership[u]])) continue;
    r.has[u] = 1;
    r.quantity[u] = counts[u];
    r.amountOre[u] = sekToOre(counts[u] * perItem);
  }
  const countText = c.count === 'branches' ? 'filialer (enheter med branch_of = enheten)' : c.count;
  const perItemRate = rateOf(c.monthly_per_item, month.paramDate);
  return {
    ...r,
    ...explained((u) => ({
      rule: `Belopp per månad och styck × antal ${countText}${c.only_ownership ? `, för ägarform ${c.only_ownership.map((o) => OWNERSHIP_SV[o]).join(', ')}` : ''}`,
      steps: [
        {
          label: `Antal ${countText}`,
          quantity: counts[u],
          rate: perItemRate.rate,
          rate_unit: 'kr per månad',
          valid_from: perItemRate.valid_from,
          amount_ore: r.amountOre[u],
        },
      ],
      amount_ore: r.amountOre[u],
    })),
    derive: (u) => [
      `Regel: belopp per månad och styck × antal ur units.csv (${c.source})`,
      `Antal: ${countText} = ${formatNumber(counts[u])}`,
      `Belopp per styck: ${describeParam(c.monthly_per_item, month.paramDate, 'kr per månad')}`,
      ...(c.only_ownership
        ? [`Gäller endast ägarform: ${c.only_ownership.map((o) => OWNERSHIP_SV[o]).join(', ')}`]
        : []),
      `Belopp: ${formatKronor(r.amountOre[u])}`,
    ],
  };
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
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    const k = monthsBetween(monthOf(units.start[u]), month.month) + 1;
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
      const lines = c.replaces.flatMap((id) => {
        const line = ctx.lines.get(id);
        return line ? [line] : [];
      });
      const computed = lines.map((line) => line.derivation(u));
      lines.forEach((line, i) => {
        line.amountOre[u] = 0;
        const before = line.derivation;
        const d = computed[i];
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
  return {
    ...r,
    ...explained((u) => ({
      rule: `Belopp per månad de första ${c.months} månaderna från enhetens startdatum; ${modeWords}`,
      steps: [
        {
          label: `Startmånad ${monthNo[u]} av ${c.months} (start ${formatDate(units.start[u])})`,
          quantity: 1,
          rate: grantRate.rate,
          rate_unit: 'kr per månad',
          valid_from: grantRate.valid_from,
          amount_ore: amountOre,
        },
        ...(c.mode === 'guarantee'
          ? [
              { label: `Avgår: ${replacedLabels} denna månad`, amount_ore: -replaced[u] },
              { label: 'Garantin, lägst 0', amount_ore: r.amountOre[u] },
            ]
          : []),
      ],
      amount_ore: r.amountOre[u],
    })),
    derive: (u) => [
      `Regel: ${describeParam(c.monthly_amount, month.paramDate, 'kr per månad')} de första ${c.months} månaderna från enhetens startdatum; ${modeText} (${c.source})`,
      `Startdatum ${formatDate(units.start[u])}; ${formatMonth(month.month)} är månad ${monthNo[u]}`,
      ...(c.mode === 'guarantee' ? [`Summa av ${c.replaces.join(', ')}: ${formatKronor(replaced[u])}`] : []),
      `Belopp: ${formatKronor(r.amountOre[u])}`,
    ],
  };
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
      if (events.type[e] === type && events.date[e] >= month.cutoff && events.date[e] <= month.lastDay)
        n[events.unit[e]]++;
    }
  }
  const r = emptyResult(units.count);
  for (let u = 0; u < units.count; u++) {
    if (!month.active[u]) continue;
    r.has[u] = 1;
    r.quantity[u] = n[u];
    r.amountOre[u] = -sekToOre(n[u] * amount);
  }
  const penaltyRate = rateOf(c.amount, month.paramDate);
  return {
    ...r,
    ...explained((u) => ({
      rule: `Avdrag per händelse av typen ${c.event_type} daterad i månaden`,
      steps: [
        {
          label: `Händelser av typen ${c.event_type} i månaden`,
          quantity: n[u],
          rate: -penaltyRate.rate,
          rate_unit: 'kr',
          valid_from: penaltyRate.valid_from,
          amount_ore: r.amountOre[u],
        },
      ],
      amount_ore: r.amountOre[u],
    })),
    derive: (u) => [
      `Regel: vite per händelse av typen ${c.event_type} daterad i månaden (${c.source})`,
      `Vite: ${describeParam(c.amount, month.paramDate)} per händelse; händelser: ${formatNumber(n[u])}`,
      `Belopp: ${formatKronor(r.amountOre[u])}`,
    ],
  };
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
    if (!month.active[u] || !owners.has(OWNERSHIP_CODES[units.ownership[u]])) continue;
    let s = 0;
    for (const id of baseIds) s += ctx.lines.get(id)?.amountOre[u] ?? 0;
    baseSum[u] = s;
    r.has[u] = 1;
    r.quantity[u] = s / 100;
    r.amountOre[u] = sekToOre((rate * s) / 100);
  }
  const vatRate = rateOf(c.rate, month.paramDate);
  const baseLabels = baseIds.map((id) => ctx.labelOf?.(id) ?? id).join(', ');
  return {
    ...r,
    ...explained((u) => ({
      rule: `Sats × summan av enhetens rader (${baseLabels}), för ägarform ${c.ownership.map((o) => OWNERSHIP_SV[o]).join(', ')}`,
      steps: [
        {
          label: `Underlag i kronor (${baseLabels})`,
          quantity: baseSum[u] / 100,
          rate: vatRate.rate,
          rate_unit: '%',
          valid_from: vatRate.valid_from,
          amount_ore: r.amountOre[u],
        },
      ],
      amount_ore: r.amountOre[u],
    })),
    derive: (u) => [
      `Regel: sats × summan av enhetens rader ${baseIds.join(', ')}, för ägarform ${c.ownership.map((o) => OWNERSHIP_SV[o]).join(', ')} (${c.source})`,
      `Sats: ${describeParam(c.rate, month.paramDate, '')}`,
      `Underlag: ${formatKronor(baseSum[u])}`,
      `Belopp: ${formatKronor(r.amountOre[u])}`,
    ],
  };
}
