import { addMonths, formatDate, lastDay } from '../../calendar.js';
import { formatNumber } from '../../money.js';
import { parseBand, sortBands, type ScoreBand } from '../../risk/bands.js';
import type { UnitRisk } from '../../risk/grouper.js';
import { monthPersonRisk, monthUnitRisk, resolveRisk } from '../../risk/month-risk.js';
import type { Weight } from '../../rulebook/schema.js';
import type { ComponentContext } from '../component-result.js';
import { windowBefore, type MonthContext } from '../month-context.js';
import type { PartBuckets } from './capitation.js';

type ComorbidityWeight = Extract<Weight, { kind: 'comorbidity' }>;

/** Integer scores up to this are looked up in an array; others (a map with fractional weights) search the bands. */
const DIRECT_SCORES = 64;

/**
 * The capitation weight by comorbidity score: the open grouper's score per listed person (see
 * src/core/risk), a weight per score band. Bucket 0 is a score no band covers (the default weight),
 * bucket b + 1 band b.
 */
export function comorbidityBuckets(
  weight: ComorbidityWeight,
  month: MonthContext,
  ctx: ComponentContext,
  partIndex: number,
): PartBuckets | undefined {
  const path = ['compensation', 'components', ctx.componentIndex, 'parts', partIndex, 'weight'];
  const settings = { map: weight.map, weights: weight.weights, windowMonths: weight.window_months };
  const resolved = resolveRisk(ctx.comorbidity, settings);
  if ('error' in resolved) {
    const field = ctx.comorbidity?.has(weight.map) ? 'weights' : 'map';
    ctx.issues.push({
      kind: 'rulebook',
      path: [...path, field],
      code: 'rulebook.unknown_weights',
      message: resolved.error,
    });
    return undefined;
  }
  const { data } = month;
  if (!data.visits.diagnoses) {
    if (
      !month.issues.some(
        (i) => i.code === 'data.missing_column' && i.kind === 'data' && i.where === 'diagnoses',
      )
    )
      month.issues.push({
        kind: 'data',
        file: 'visits.csv',
        line: 1,
        where: 'diagnoses',
        code: 'data.missing_column',
        message:
          'Kolumnen diagnoses saknas i rubrikraden; regelboken viktar kapiteringen med samsjuklighet ur diagnoserna',
      });
    return undefined;
  }
  const bands = sortBands(Object.keys(weight.table).map((k) => parseBand(k)!)).bands;
  const risk = monthPersonRisk(month, resolved.map, resolved.weights, settings);
  const direct = new Int32Array(DIRECT_SCORES + 1);
  for (let s = 0; s <= DIRECT_SCORES; s++) direct[s] = bucketOfScore(bands, s);
  const { person } = data.listings;
  const score = risk.score;
  let perUnit: UnitRisk | undefined;
  const window = windowBefore(month.month, weight.window_months);
  const last = formatDate(lastDay(addMonths(month.month, -1)));
  const bandText = (b: ScoreBand) => `poäng ${b.label}`;
  return {
    buckets: bands.length + 1,
    // Per listed row: the row and its person are in range, and so is a direct score.
    bucketOf(row) {
      const s = score[person[row]!]!;
      return Number.isInteger(s) && s >= 0 && s <= DIRECT_SCORES ? direct[s]! : bucketOfScore(bands, s);
    },
    // Bucket 0 is the scores no band covers.
    weightOf(bucket) {
      const band = bands[bucket - 1];
      return band === undefined ? weight.default : (weight.table[band.key] ?? NaN);
    },
    bucketName(bucket) {
      const band = bands[bucket - 1];
      return band === undefined ? 'poäng som inget band täcker' : bandText(band);
    },
    describe: () =>
      `${resolved.map.label}, vikter ${weight.weights}, diagnoser ${formatDate(window.from)}–${last}: ` +
      bands.map((b) => `${bandText(b)} ${formatNumber(weight.table[b.key] ?? NaN)}`).join(', ') +
      `; övriga ${formatNumber(weight.default)}`,
    unitDetail(u) {
      perUnit ??= monthUnitRisk(month, risk, bands);
      const nb = bands.length;
      const counted = perUnit.bandCounts.subarray(u * nb, (u + 1) * nb);
      const listed = perUnit.listed[u] ?? 0;
      const others = listed - counted.reduce((a, b) => a + b, 0);
      const mean = listed ? (perUnit.scoreSum[u] ?? 0) / listed : 0;
      return (
        `personer per poängband: ${bands.map((b, i) => `${b.label}: ${formatNumber(counted[i] ?? 0)}`).join(', ')}` +
        `${others > 0 ? `, övriga: ${formatNumber(others)}` : ''}; medelpoäng ${formatNumber(Math.round(mean * 1000) / 1000)}`
      );
    },
  };
}

function bucketOfScore(bands: readonly ScoreBand[], score: number): number {
  for (let i = 0; i < bands.length; i++) {
    const band = bands[i]!;
    if (score >= band.from && score < band.to) return i + 1;
  }
  return 0;
}
