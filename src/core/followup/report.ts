import { addMonths, firstDay, formatDate, lastDay, type DateInt, type MonthInt } from '../calendar.js';
import type { DataSet } from '../data/dataset.js';
import type { IndicatorDefinition, Rulebook } from '../rulebook/schema.js';
import { computeIndicator } from './indicators.js';

/**
 * Follow-up as trends: every indicator the rulebook follows up, per period of its length inside a
 * range of months, per unit and for the region (pooled: the sum of numerators over the sum of
 * denominators). Computed indicators come from the data, imported ones from indicators.csv.
 */

export interface IndicatorPoint {
  from: string;
  to: string;
  numerator: number;
  denominator: number;
  /** numerator / denominator; null when nothing was counted or no value was imported. */
  value: number | null;
}

export interface IndicatorSeries {
  id: string;
  label: string;
  origin: IndicatorDefinition['origin'];
  computed: boolean;
  direction: IndicatorDefinition['direction'];
  period_months: number;
  target: number | null;
  floor: number | null;
  source: string;
  region: IndicatorPoint[];
  units: { unit_id: string; name: string; points: IndicatorPoint[] }[];
}

/** Calendar-aligned periods of `months` months lying wholly inside [from, to]. */
export function periodsWithin(from: MonthInt, to: MonthInt, months: number): [DateInt, DateInt][] {
  const out: [DateInt, DateInt][] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) {
    if (((m % 100) - 1) % months !== 0) continue;
    const end = addMonths(m, months - 1);
    if (end > to) break;
    out.push([firstDay(m), lastDay(end)]);
  }
  return out;
}

const point = (from: DateInt, to: DateInt, numerator: number, denominator: number): IndicatorPoint => ({
  from: formatDate(from),
  to: formatDate(to),
  numerator,
  denominator,
  value: denominator > 0 ? numerator / denominator : null,
});

/**
 * Series for the units `include` selects (e.g. the units of one system in a differentiated region,
 * or one provider's own units). Units without anything counted in the range are left out.
 */
export function followUpSeries(
  rulebook: Rulebook,
  data: DataSet,
  from: MonthInt,
  to: MonthInt,
  include: (unit: number) => boolean = () => true,
): IndicatorSeries[] {
  const { units, indicators } = data;
  return rulebook.follow_up.indicators.map((def) => {
    const periods = periodsWithin(from, to, def.period);
    const num = periods.map(() => new Float64Array(units.count));
    const den = periods.map(() => new Float64Array(units.count));
    const has = new Uint8Array(units.count);
    const computed = def.origin === 'computed' && def.compute !== undefined;
    periods.forEach(([pFrom, pTo], k) => {
      if (computed) {
        const v = computeIndicator(def.compute!, data, pFrom, pTo);
        if (!v.available) return;
        num[k].set(v.numerator);
        den[k].set(v.denominator);
        for (let u = 0; u < units.count; u++) if (v.denominator[u] > 0) has[u] = 1;
        return;
      }
      const ind = indicators.indicators.indexOf(def.id);
      for (let i = 0; i < indicators.count; i++) {
        if (indicators.indicator[i] !== ind || indicators.from[i] !== pFrom || indicators.to[i] !== pTo)
          continue;
        const u = indicators.unit[i];
        num[k][u] += indicators.numerator[i];
        den[k][u] += indicators.denominator[i];
        has[u] = 1;
      }
    });
    const chosen = [...Array(units.count).keys()].filter((u) => has[u] && include(u));
    chosen.sort((a, b) => (units.id[a] < units.id[b] ? -1 : units.id[a] > units.id[b] ? 1 : 0));
    const region = periods.map(([pFrom, pTo], k) => {
      let n = 0;
      let d = 0;
      for (const u of chosen) {
        n += num[k][u];
        d += den[k][u];
      }
      return point(pFrom, pTo, n, d);
    });
    return {
      id: def.id,
      label: def.label,
      origin: def.origin,
      computed,
      direction: def.direction,
      period_months: def.period,
      target: def.target ?? goalLevel(rulebook, def.id, 'target'),
      floor: def.floor ?? goalLevel(rulebook, def.id, 'floor'),
      source: def.source,
      region,
      units: chosen.map((u) => ({
        unit_id: units.id[u],
        name: units.name[u],
        points: periods.map(([pFrom, pTo], k) => point(pFrom, pTo, num[k][u], den[k][u])),
      })),
    };
  });
}

/** A goal component's level for the indicator, when the definition gives none. */
function goalLevel(rulebook: Rulebook, id: string, key: 'target' | 'floor'): number | null {
  for (const c of rulebook.compensation.components)
    if (c.type === 'goal') for (const ind of c.indicators) if (ind.id === id) return ind[key];
  return null;
}
