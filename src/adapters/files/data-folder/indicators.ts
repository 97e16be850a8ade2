import type { IndicatorTable, UnitTable } from '../../../core/data/dataset.js';
import { intern } from './dictionaries.js';
import { readRows, type Loaded, type LoadOptions } from './read-file.js';
import { unitIndexOf, unitOfRow } from './units.js';

/** indicators.csv: one row per unit, indicator and period. */
export function readIndicators(
  dir: string,
  loaded: Loaded,
  options: LoadOptions,
  units: UnitTable,
): IndicatorTable {
  const unitIndex = unitIndexOf(units);
  const rows: { u: number; i: number; f: number; t: number; num: number; den: number; line: number }[] = [];
  const indicators: string[] = [];
  const indIndex = new Map<string, number>();
  const keys = new Map<string, number>();
  readRows(dir, 'indicators.csv', loaded, options, (ctx, c, row) => {
    const unitId = ctx.text(row, c.unit_id);
    const u = unitOfRow(ctx, row, c.unit_id, unitIndex);
    const name = ctx.requiredText(row, c.indicator, 'indicator');
    const f = ctx.date(row, c.period_from, 'period_from', true);
    const t = ctx.date(row, c.period_to, 'period_to', true);
    const num = ctx.number(row, c.numerator, 'numerator', true);
    const den = ctx.number(row, c.denominator, 'denominator', true);
    if (f > 0 && t > 0 && t < f)
      ctx.fail(row, c.period_to, 'period_to', 'data.bad_period', 'period_to ligger före period_from');
    if (u === undefined || name === undefined || f < 0 || t < 0 || Number.isNaN(num) || Number.isNaN(den))
      return;
    const key = `${unitId}\u0000${name}\u0000${f}\u0000${t}`;
    if (keys.has(key)) {
      ctx.fail(
        row,
        c.indicator,
        'indicator',
        'data.duplicate_key',
        `Indikatorn ${name} för ${unitId} och perioden finns redan på rad ${keys.get(key)}`,
      );
      return;
    }
    keys.set(key, row.line);
    rows.push({ u, i: intern(indIndex, indicators, name), f, t, num, den, line: row.line });
  });
  return {
    count: rows.length,
    unit: Int32Array.from(rows, (r) => r.u),
    indicator: Int32Array.from(rows, (r) => r.i),
    indicators,
    from: Int32Array.from(rows, (r) => r.f),
    to: Int32Array.from(rows, (r) => r.t),
    numerator: Float64Array.from(rows, (r) => r.num),
    denominator: Float64Array.from(rows, (r) => r.den),
    line: Int32Array.from(rows, (r) => r.line),
  };
}
