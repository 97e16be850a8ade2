import { ageOn } from '../../calendar.js';
import { SEX_F, SEX_M } from '../../data/dataset.js';
import { formatKronor, formatNumber, sekToOre } from '../../money.js';
import type { ComponentOf, Weight } from '../../rulebook/schema.js';
import { componentResult, describeParam, emptyResult, param, rateStep } from '../component-result.js';
import type { ComponentContext, ComponentResult } from '../component-result.js';
import { rateOf, round6 } from '../derivation.js';
import type { MonthContext } from '../month-context.js';
import { comorbidityBuckets } from './comorbidity-weight.js';

/**
 * Kapitering. A person's weight is Σ share_k · weight_k(person); each weight kind depends on one
 * attribute (age band and sex, risk group, area), so the engine counts listed persons per unit and
 * bucket in integers and multiplies by the weights once. Integer counts make the sum independent of
 * row order, and the per-part sums are what the explanation shows.
 */

const WEIGHT_LABEL: Record<Weight['kind'], string> = {
  flat: 'lika vikt',
  age_sex: 'ålder och kön',
  risk_group: 'riskgrupp',
  cni: 'CNI',
  area_class: 'områdesklass',
  comorbidity: 'samsjuklighet',
};

export interface PartBuckets {
  buckets: number;
  /** Bucket of a listing row, or -1 when the row has no weight (reported as an error). */
  bucketOf(row: number): number;
  weightOf(bucket: number): number;
  /** What a bucket stands for, for the error when the rulebook gives it no weight. */
  bucketName(bucket: number): string;
  describe(): string;
  /** What the part counted at one unit, for the derivation (e.g. persons per score band). */
  unitDetail?(unit: number): string;
}

/** A part of the capitation with its buckets and, per unit, the sum of its weights over the unit's listed persons. */
interface PartSums {
  share: number;
  kind: Weight['kind'];
  buckets: PartBuckets;
  sums: Float64Array;
}

function partBuckets(
  weight: Weight,
  month: MonthContext,
  ctx: ComponentContext,
  partIndex: number,
): PartBuckets | undefined {
  const { listings, areas } = month.data;
  const issue = (message: string, code: string, row: number, where: string): void => {
    if (month.issues.length < 200)
      month.issues.push({
        kind: 'data',
        file: 'listings.csv',
        line: listings.line[row] ?? 0,
        where,
        code,
        message,
      });
  };
  switch (weight.kind) {
    case 'flat':
      return {
        buckets: 1,
        bucketOf: () => 0,
        weightOf: () => 1,
        bucketName: () => 'alla',
        describe: () => 'vikt 1 för alla',
      };
    case 'age_sex': {
      const table = weight.table;
      const maxAge = Math.max(...table.map((b) => b.to));
      const bandOfAge = new Int32Array(maxAge + 1).fill(-1);
      table.forEach((band, i) => {
        for (let a = band.from; a < band.to && a <= maxAge; a++) if (bandOfAge[a] === -1) bandOfAge[a] = i;
      });
      return {
        buckets: table.length * 3,
        bucketOf(row) {
          // Per listed row: the row and age are in range.
          const age = ageOn(listings.birth[row]!, month.cutoff);
          const band = age >= 0 && age <= maxAge ? bandOfAge[age]! : -1;
          if (band === -1) {
            issue(
              `Åldern ${age} år på brytdagen finns inte i kapiteringens åldersband (compensation.components[${ctx.componentIndex}].parts[${partIndex}])`,
              'data.age_outside_table',
              row,
              'birth_date',
            );
            return -1;
          }
          return band * 3 + listings.sex[row]!;
        },
        weightOf(bucket) {
          const band = table[Math.floor(bucket / 3)];
          if (!band) throw new RangeError(`No age band for bucket ${bucket}`);
          const sex = bucket % 3;
          return sex === SEX_F ? band.F : sex === SEX_M ? band.M : (band.F + band.M) / 2;
        },
        bucketName: (bucket) => `åldersband ${Math.floor(bucket / 3)}`,
        describe: () =>
          table
            .map((b) => `${b.from}–${b.to - 1} år: K ${formatNumber(b.F)}, M ${formatNumber(b.M)}`)
            .join('; ') + ' (okänt kön: medel av K och M)',
      };
    }
    case 'risk_group': {
      const groups = listings.riskGroups;
      return {
        buckets: groups.length + 1,
        bucketOf: (row) => listings.riskGroup[row]! + 1,
        // Bucket 0 is the persons without a group.
        weightOf(bucket) {
          const group = groups[bucket - 1];
          return group === undefined ? weight.missing : (weight.table[group] ?? weight.default);
        },
        bucketName(bucket) {
          const group = groups[bucket - 1];
          return group === undefined ? 'saknad riskgrupp' : `riskgrupp ${group}`;
        },
        describe: () =>
          `${Object.entries(weight.table)
            .map(([k, v]) => `${k} ${formatNumber(v)}`)
            .join(
              ', ',
            )}; övriga grupper ${formatNumber(weight.default)}; utan grupp ${formatNumber(weight.missing)}`,
      };
    }
    case 'cni': {
      return {
        buckets: areas.count,
        bucketOf(row) {
          const a = listings.area[row]!;
          if (Number.isNaN(areas.cni[a]!)) {
            issue(
              `Området ${areas.code[a]} saknar cni i areas.csv, men regelboken viktar kapiteringen med CNI`,
              'data.missing_cni',
              row,
              'area',
            );
            return -1;
          }
          return a;
        },
        weightOf(a) {
          const cni = areas.cni[a] ?? NaN;
          if (weight.reference !== undefined) return cni / weight.reference;
          const band = (weight.bands ?? []).find((b) => cni >= b.from && cni < b.to);
          return band ? band.weight : NaN;
        },
        bucketName: (a) =>
          `CNI ${formatNumber(areas.cni[a] ?? NaN)} (område ${areas.code[a]}), som inget band täcker`,
        describe: () =>
          weight.reference !== undefined
            ? `områdets CNI ÷ referens ${formatNumber(weight.reference)}`
            : (weight.bands ?? [])
                .map((b) => `CNI ${formatNumber(b.from)}–${formatNumber(b.to)}: ${formatNumber(b.weight)}`)
                .join('; '),
      };
    }
    case 'area_class': {
      return {
        buckets: areas.ruralClasses.length + 1,
        bucketOf: (row) => areas.ruralClass[listings.area[row]!]! + 1,
        // Bucket 0 is the areas without a class.
        weightOf(bucket) {
          const cls = areas.ruralClasses[bucket - 1];
          const w = cls === undefined ? undefined : weight.table[cls];
          return w ?? weight.default ?? NaN;
        },
        bucketName(bucket) {
          const cls = areas.ruralClasses[bucket - 1];
          return cls === undefined ? 'områden utan rural_class' : `områdesklassen ${cls}`;
        },
        describe: () =>
          Object.entries(weight.table)
            .map(([k, v]) => `${k} ${formatNumber(v)}`)
            .join(', ') + (weight.default === undefined ? '' : `; övriga ${formatNumber(weight.default)}`),
      };
    }
    case 'comorbidity':
      return comorbidityBuckets(weight, month, ctx, partIndex);
  }
  return undefined;
}

const NO_BUCKETS: PartBuckets = {
  buckets: 0,
  bucketOf: () => -1,
  weightOf: () => 0,
  bucketName: () => '',
  describe: () => '',
};

/** Up to this many unit × bucket counts (2 MB) are kept in one table. */
const DENSE_COUNTS = 1 << 18;

function capitationSums(c: ComponentOf<'capitation'>, ctx: ComponentContext): PartSums[] {
  const month = ctx.month;
  const units = month.data.units.count;
  const { listedRows } = month;
  const unitOfRow = month.data.listings.unit;
  // Every part's buckets before any is counted. A part without buckets has reported why; the run
  // stops with that issue.
  const found = c.parts.map(({ share, weight }, k) => ({
    share,
    kind: weight.kind,
    part: partBuckets(weight, month, ctx, k) ?? NO_BUCKETS,
  }));
  return found.map(({ share, kind, part }, k): PartSums => {
    const buckets = part.buckets;
    const weights = new Float64Array(buckets);
    for (let b = 0; b < buckets; b++) weights[b] = part.weightOf(b);
    const sums = new Float64Array(units);
    // The hot loops of a national run (every listed person): the indexes are in range, listed rows'
    // units and buckets (bucketOf gives -1 or a bucket below `buckets`) by construction.
    /** Σ count × weight over one unit's buckets, in bucket order (the same sum whichever way counted). */
    const sumUnit = (u: number, counts: Int32Array, base: number): void => {
      let s = 0;
      for (let b = 0; b < buckets; b++) {
        const n = counts[base + b]!;
        if (n === 0) continue;
        const w = weights[b]!;
        if (Number.isNaN(w)) {
          const message = `Ingen vikt för ${part.bucketName(b)}; lägg till den eller default i regelboken`;
          if (!ctx.issues.some((i) => i.message === message)) {
            ctx.issues.push({
              kind: 'rulebook',
              path: ['compensation', 'components', ctx.componentIndex, 'parts', k, 'weight'],
              code: 'rulebook.no_weight',
              message,
            });
          }
          continue;
        }
        s += n * w;
      }
      sums[u] = s;
    };
    const rows = listedRows.length;
    if (units * buckets <= DENSE_COUNTS) {
      const counts = new Int32Array(units * buckets);
      for (let i = 0; i < rows; i++) {
        const row = listedRows[i]!;
        const b = part.bucketOf(row);
        if (b >= 0) counts[unitOfRow[row]! * buckets + b]!++;
      }
      for (let u = 0; u < units; u++) sumUnit(u, counts, u * buckets);
    } else {
      // Many buckets (CNI by area): a units × buckets table would not fit in the CPU cache and every
      // count would miss it. Group the rows' buckets by unit instead (counting sort), then count one
      // unit at a time in a small array. Same counts, same sums.
      const bucketOf = new Int32Array(rows);
      const first = new Int32Array(units + 1);
      for (let i = 0; i < rows; i++) {
        const row = listedRows[i]!;
        const b = part.bucketOf(row);
        bucketOf[i] = b;
        if (b >= 0) first[unitOfRow[row]! + 1]!++;
      }
      for (let u = 0; u < units; u++) first[u + 1]! += first[u]!;
      const next = first.slice(0, units);
      const grouped = new Int32Array(first[units]!);
      for (let i = 0; i < rows; i++) {
        const b = bucketOf[i]!;
        if (b >= 0) grouped[next[unitOfRow[listedRows[i]!]!]!++] = b;
      }
      const counts = new Int32Array(buckets);
      for (let u = 0; u < units; u++) {
        const start = first[u]!;
        const end = first[u + 1]!;
        for (let j = start; j < end; j++) counts[grouped[j]!]!++;
        sumUnit(u, counts, 0);
        for (let j = start; j < end; j++) counts[grouped[j]!] = 0;
      }
    }
    return { share, kind, buckets: part, sums };
  });
}

export function evaluateCapitation(c: ComponentOf<'capitation'>, ctx: ComponentContext): ComponentResult {
  const month = ctx.month;
  const annual = param(ctx, c.annual_amount, 'annual_amount');
  const parts = capitationSums(c, ctx);
  const listed = month.listedCount;
  const units = month.data.units.count;
  const r = emptyResult(units);
  const weightSum = new Float64Array(units);
  for (let u = 0; u < units; u++) {
    if (!month.active[u]) continue;
    let s = 0;
    for (const part of parts) s += part.share * part.sums[u]!;
    weightSum[u] = s;
    r.has[u] = 1;
    r.quantity[u] = listed[u]!;
    r.amountOre[u] = sekToOre((annual / 12) * s);
  }
  const annualText = describeParam(c.annual_amount, month.paramDate, 'kr per år');
  const annualRate = rateOf(c.annual_amount, month.paramDate);
  /** A unit's listed persons and weight sum. */
  const at = (u: number): { n: number; weights: number } => ({
    n: listed[u] ?? 0,
    weights: weightSum[u] ?? 0,
  });
  return componentResult(
    r,
    (u, amount) => {
      const { n, weights } = at(u);
      return {
        rule: 'Årsbelopp ÷ 12 × viktsumma: varje dels andel × summan av de listades vikter',
        steps: [
          { label: 'Listade på brytdagen', quantity: n },
          ...parts.map((p, k) => ({
            label: `Del ${k + 1}, ${WEIGHT_LABEL[p.kind]}: viktsumma × andel`,
            quantity: round6(p.sums[u] ?? 0),
            rate: p.share,
            result: round6(p.share * (p.sums[u] ?? 0)),
          })),
          {
            label: 'Medelvikt per listad',
            result: n ? round6(weights / n) : 0,
          },
          rateStep('Viktsumma × årsbelopp ÷ 12', round6(weights), annualRate, 'kr per år ÷ 12', amount),
        ],
      };
    },
    (u, amount) => {
      const { n, weights } = at(u);
      return [
        `Regel: kapitering = årsbelopp ÷ 12 × Σ andel × Σ vikt över listade (${c.source})`,
        `Årsbelopp: ${annualText}`,
        `Listade på brytdagen: ${formatNumber(n)}`,
        ...parts.map((p, k) => {
          const sum = p.sums[u] ?? 0;
          const detail = p.buckets.unitDetail?.(u);
          return `Del ${k + 1}: andel ${formatNumber(p.share)}, ${WEIGHT_LABEL[p.kind]} (${p.buckets.describe()}); Σ vikt ${formatNumber(round6(sum))}, medel ${formatNumber(n ? round6(sum / n) : 0)}${detail === undefined ? '' : `; ${detail}`}`;
        }),
        `Viktsumma: ${formatNumber(round6(weights))}`,
        `Belopp: ${formatNumber(annual)} ÷ 12 × ${formatNumber(round6(weights))} = ${formatNumber(round6((annual / 12) * weights))} kr, avrundat ${formatKronor(amount)}`,
      ];
    },
  );
}
