import { addMonths, firstDay, formatDate, lastDay, type DateInt, type MonthInt } from '../calendar.js';
import type { DataSet } from '../data/dataset.js';
import type { IndicatorDefinition, Rulebook } from '../rulebook/schema.js';
import { computeIndicator } from './indicators.js';
import { elementAt } from '../element.js';

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
    // Per period: each unit's numerator and denominator.
    const periods = periodsWithin(from, to, def.period).map(([pFrom, pTo]) => ({
      pFrom,
      pTo,
      num: new Float64Array(units.count),
      den: new Float64Array(units.count),
    }));
    const has = new Uint8Array(units.count);
    const computed = def.origin === 'computed' && def.compute !== undefined;
    for (const { pFrom, pTo, num, den } of periods) {
      if (computed) {
        const v = computeIndicator(def.compute!, data, pFrom, pTo);
        if (!v.available) continue;
        num.set(v.numerator);
        den.set(v.denominator);
        for (let u = 0; u < units.count; u++) if (v.denominator[u]! > 0) has[u] = 1;
        continue;
      }
      const ind = indicators.indicators.indexOf(def.id);
      // Over every indicator row: its unit is in range by construction.
      for (let i = 0; i < indicators.count; i++) {
        if (indicators.indicator[i] !== ind || indicators.from[i] !== pFrom || indicators.to[i] !== pTo)
          continue;
        const u = indicators.unit[i]!;
        num[u]! += indicators.numerator[i]!;
        den[u]! += indicators.denominator[i]!;
        has[u] = 1;
      }
    }
    const chosen = [...Array(units.count).keys()].filter((u) => has[u] && include(u));
    const idOf = (u: number): string => elementAt(units.id, u, 'unit id');
    chosen.sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
    const region = periods.map(({ pFrom, pTo, num, den }) => {
      let n = 0;
      let d = 0;
      for (const u of chosen) {
        n += num[u]!;
        d += den[u]!;
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
        unit_id: idOf(u),
        name: elementAt(units.name, u, 'unit name'),
        points: periods.map(({ pFrom, pTo, num, den }) => point(pFrom, pTo, num[u]!, den[u]!)),
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
