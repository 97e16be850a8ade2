import type {
  Aggregate,
  ComparisonDataset,
  Criterion,
  CriterionGroup,
  Fact,
  FactValue,
  Reference,
  Source,
} from './dataset.js';

/** A cell of the comparison: a region's value for a criterion in the criterion's year. */
export interface Cell {
  region_code: string;
  criterion: string;
  value: FactValue;
  /** Absent exactly when the seeds say nothing about the region for this criterion. */
  source?: Source;
  note?: string;
}

function factKey(criterion: string, year: number | undefined, region: string): string {
  return `${criterion}|${year ?? ''}|${region}`;
}

function indexFacts(facts: Fact[]): Map<string, Fact> {
  return new Map(facts.map((f) => [factKey(f.criterion, f.year, f.region_code), f]));
}

function cellOf(fact: Fact | undefined, region: string, criterion: string): Cell {
  if (!fact) return { region_code: region, criterion, value: 'unknown' };
  return {
    region_code: region,
    criterion,
    value: fact.value,
    source: fact.source,
    ...(fact.note ? { note: fact.note } : {}),
  };
}

/** Every region × every criterion, in the data set's order, for the year each criterion compares. */
export function comparisonCells(ds: ComparisonDataset, criteria: Criterion[] = ds.criteria): Cell[] {
  const index = indexFacts(ds.facts);
  const cells: Cell[] = [];
  for (const region of ds.regions)
    for (const c of criteria)
      cells.push(cellOf(index.get(factKey(c.id, c.year, region.code)), region.code, c.id));
  return cells;
}

interface MatrixRow {
  criterion: Criterion;
  cells: Cell[];
  /** Counts over the regions in this row. */
  yes: number;
  no: number;
  unknown: number;
}

/** One row per criterion of a group, one cell per region (in region order). */
function criterionMatrix(ds: ComparisonDataset, group: CriterionGroup): MatrixRow[] {
  const index = indexFacts(ds.facts);
  return ds.criteria
    .filter((c) => c.group === group)
    .map((criterion) => {
      const cells = ds.regions.map((r) =>
        cellOf(index.get(factKey(criterion.id, criterion.year, r.code)), r.code, criterion.id),
      );
      return {
        criterion,
        cells,
        yes: cells.filter((c) => c.value === 'yes').length,
        no: cells.filter((c) => c.value === 'no').length,
        unknown: cells.filter((c) => c.value === 'unknown').length,
      };
    });
}

export interface HslPointRows {
  point: number;
  rows: MatrixRow[];
}

export const HSL_POINT_TITLES: Record<number, string> = {
  1: 'Tillgodose vanligt förekommande vårdbehov',
  2: 'Se till att vården är lätt tillgänglig',
  3: 'Förebyggande insatser',
  4: 'Samordna insatser för patienten',
  5: 'Möjliggöra medverkan i forskning',
};

/** The requirements per HSL 13 a kap. 1 § point × region. */
export function hslMatrix(ds: ComparisonDataset): HslPointRows[] {
  const rows = criterionMatrix(ds, 'hsl');
  return [1, 2, 3, 4, 5].map((point) => ({
    point,
    rows: rows.filter((r) => r.criterion.hsl_point === point),
  }));
}

export interface AggregateRow extends Aggregate {
  /** Regions whose fact for the criterion in that year is yes. */
  known_yes: number;
  known_no: number;
  unknown: number;
}

/** Each count a seed reports, beside what the per-region facts of the same year add up to. */
export function aggregateRows(ds: ComparisonDataset): AggregateRow[] {
  const index = indexFacts(ds.facts);
  return ds.aggregates.map((a) => {
    const values = ds.regions.map((r) => index.get(factKey(a.criterion, a.year, r.code))?.value ?? 'unknown');
    return {
      ...a,
      known_yes: values.filter((v) => v === 'yes').length,
      known_no: values.filter((v) => v === 'no').length,
      unknown: values.filter((v) => v === 'unknown').length,
    };
  });
}

/** Whether the facts contradict the count a seed reports; a message per contradiction. */
export function aggregateContradictions(ds: ComparisonDataset): string[] {
  const regions = ds.regions.length;
  const out: string[] = [];
  for (const row of aggregateRows(ds)) {
    const what = `${row.criterion} ${row.year}: källan anger ${row.reported_count}`;
    if (row.known_yes > row.reported_count) out.push(`${what}, men ${row.known_yes} regioner har ja`);
    if (regions - row.known_no < row.reported_count)
      out.push(`${what}, men ${row.known_no} av ${regions} regioner har nej`);
    if (row.unknown === 0 && row.known_yes !== row.reported_count)
      out.push(`${what}, men alla regioner är kända och ${row.known_yes} har ja`);
  }
  return out;
}

export interface BudgetShare {
  region_code: string;
  name: string;
  share: Cell;
  change: Cell;
}

/** Primary care's share of the health budget per region, beside the 25 % target and the national average. */
export function budgetShares(ds: ComparisonDataset): {
  year: number | undefined;
  regions: BudgetShare[];
  references: Reference[];
} {
  const index = indexFacts(ds.facts);
  const share = ds.criteria.find((c) => c.id === 'primary_care_budget_share_percent');
  const change = ds.criteria.find((c) => c.id === 'primary_care_budget_share_change_pp');
  const cell = (c: Criterion | undefined, region: string): Cell =>
    c
      ? cellOf(index.get(factKey(c.id, c.year, region)), region, c.id)
      : { region_code: region, criterion: '', value: 'unknown' };
  return {
    year: share?.year,
    regions: ds.regions.map((r) => ({
      region_code: r.code,
      name: r.name,
      share: cell(share, r.code),
      change: cell(change, r.code),
    })),
    references: ds.references.filter((r) => r.id.startsWith('primary_care_budget_share')),
  };
}

/** "seed-fil, avsnitt Rubrik" — how a source is written in CSV files and tooltips. */
export function formatSource(source: Source | undefined): string {
  return source ? `${source.seed}, avsnitt ${source.section}` : '';
}

/** How a value is written in facts.csv: yes, no, unknown or a plain number with a point. */
export function formatValue(value: FactValue): string {
  return typeof value === 'number' ? String(value) : value;
}

/** A fact of facts.csv: every region × criterion in the criterion's year, and every fact of another year. */
export interface FactRow extends Cell {
  year: number | undefined;
}

/** The rows of facts.csv: per region and criterion, the compared year first, then the other years. */
export function factRows(ds: ComparisonDataset): FactRow[] {
  const others = new Map<string, Fact[]>();
  for (const f of ds.facts) {
    const c = ds.criteria.find((x) => x.id === f.criterion);
    if (!c || f.year === c.year) continue;
    const key = `${f.region_code}|${f.criterion}`;
    others.set(key, [...(others.get(key) ?? []), f]);
  }
  const year = new Map(ds.criteria.map((c) => [c.id, c.year]));
  const rows: FactRow[] = [];
  for (const cell of comparisonCells(ds)) {
    rows.push({ ...cell, year: year.get(cell.criterion) });
    const earlier = (others.get(`${cell.region_code}|${cell.criterion}`) ?? []).sort(
      (a, b) => (b.year ?? 0) - (a.year ?? 0),
    );
    for (const f of earlier) rows.push({ ...cellOf(f, f.region_code, f.criterion), year: f.year });
  }
  return rows;
}

/** A region's value for a criterion in an earlier year beside the value in the compared year. */
export interface YearChange {
  region_code: string;
  criterion: string;
  label: string;
  before: { year: number; value: FactValue; note?: string; source: Source };
  now: { year: number | undefined; value: FactValue; note?: string; source?: Source };
  /** Whether the value differs (an unknown on either side is no change, only not known). */
  changed: boolean;
}

/**
 * What changed between the years, per region: every fact of an earlier year than the criterion's
 * beside the region's value in the criterion's year, in region and criterion order.
 */
export function changesOverTime(ds: ComparisonDataset): YearChange[] {
  const index = indexFacts(ds.facts);
  const out: YearChange[] = [];
  for (const region of ds.regions)
    for (const c of ds.criteria) {
      const earlier = ds.facts
        .filter(
          (f) =>
            f.region_code === region.code &&
            f.criterion === c.id &&
            f.year !== undefined &&
            (c.year === undefined || f.year < c.year),
        )
        .sort((a, b) => a.year! - b.year!);
      if (earlier.length === 0) continue;
      const now = cellOf(index.get(factKey(c.id, c.year, region.code)), region.code, c.id);
      for (const f of earlier)
        out.push({
          region_code: region.code,
          criterion: c.id,
          label: c.label,
          before: { year: f.year!, value: f.value, ...(f.note ? { note: f.note } : {}), source: f.source },
          now: {
            year: c.year,
            value: now.value,
            ...(now.note ? { note: now.note } : {}),
            ...(now.source ? { source: now.source } : {}),
          },
          changed: f.value !== 'unknown' && now.value !== 'unknown' && f.value !== now.value,
        });
    }
  return out;
}
