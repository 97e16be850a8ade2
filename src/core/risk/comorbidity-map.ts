/**
 * A comorbidity map (Charlson, later Elixhauser) as data: which diagnosis code prefixes flag which
 * category, the categories' weights in one or more weight sets, and the hierarchy. The tables come
 * parsed from data/comorbidity (an adapter reads the files); compiling checks them against each other
 * and turns them into what the grouper runs on: a bitmask per prefix, one bit per category.
 */

/** A row of one of the map's files, for errors that point at it. */
interface TableRow {
  file: string;
  line: number;
}

export interface ComorbidityTables {
  id: string;
  label: string;
  codes: (TableRow & { category: string; prefix: string })[];
  /** One weight per weight set (by name); NaN where the file's cell is not a number. */
  categories: (TableRow & { category: string; label: string; weights: Record<string, number> })[];
  weightSets: string[];
  hierarchy: (TableRow & { milder: string; severe: string })[];
}

export interface MapIssue extends TableRow {
  where: string;
  message: string;
}

export interface ComorbidityMap {
  id: string;
  label: string;
  categories: string[];
  labels: string[];
  /** Upper case, no dot → the categories it flags (bit i is categories[i]). */
  prefixMask: Map<string, number>;
  /** Longest prefix: a code's prefixes up to this length are looked up. */
  maxPrefix: number;
  /** Bit of the milder and of the more severe category of each pair. */
  hierarchy: { milder: number; severe: number }[];
  /** Weight set name → weight per category (index as categories). */
  weightSets: Map<string, Float64Array>;
}

/** A bitmask holds one category per bit. */
const MAX_CATEGORIES = 32;

export function compileComorbidityMap(
  t: ComorbidityTables,
): { ok: true; map: ComorbidityMap } | { ok: false; issues: MapIssue[] } {
  const issues: MapIssue[] = [];
  const index = new Map<string, number>();
  for (const c of t.categories) {
    if (index.has(c.category)) {
      issues.push({ ...at(c), where: 'category', message: `Kategorin ${c.category} finns redan` });
      continue;
    }
    index.set(c.category, index.size);
    for (const set of t.weightSets)
      if (!Number.isFinite(c.weights[set]))
        issues.push({ ...at(c), where: set, message: `Vikten för ${c.category} är inget tal` });
  }
  const tooMany = t.categories[MAX_CATEGORIES];
  if (index.size > MAX_CATEGORIES && tooMany)
    issues.push({
      ...at(tooMany),
      where: 'category',
      message: `Högst ${MAX_CATEGORIES} kategorier per karta`,
    });
  const bit = (row: TableRow, where: string, category: string): number => {
    const i = index.get(category);
    if (i === undefined) {
      issues.push({ ...at(row), where, message: `Kategorin ${category} finns inte i viktfilen` });
      return 0;
    }
    return 1 << i;
  };
  const prefixMask = new Map<string, number>();
  let maxPrefix = 0;
  for (const c of t.codes) {
    const prefix = normalizeCode(c.prefix);
    if (prefix === '') {
      issues.push({ ...at(c), where: 'icd10_prefix', message: 'Prefixet är tomt' });
      continue;
    }
    prefixMask.set(prefix, (prefixMask.get(prefix) ?? 0) | bit(c, 'category', c.category));
    maxPrefix = Math.max(maxPrefix, prefix.length);
  }
  const hierarchy = t.hierarchy.map((h) => ({
    milder: bit(h, 'milder', h.milder),
    severe: bit(h, 'severe', h.severe),
  }));
  if (issues.length > 0) return { ok: false, issues };
  const categories = t.categories.map((c) => c.category);
  const weightSets = new Map(
    t.weightSets.map((set) => [set, Float64Array.from(t.categories, (c) => c.weights[set] ?? NaN)]),
  );
  return {
    ok: true,
    map: {
      id: t.id,
      label: t.label,
      categories,
      labels: t.categories.map((c) => c.label),
      prefixMask,
      maxPrefix,
      hierarchy,
      weightSets,
    },
  };
}

function at(row: TableRow): TableRow {
  return { file: row.file, line: row.line };
}

/** A diagnosis code as the map compares it: without dots and spaces, in upper case. */
function normalizeCode(code: string): string {
  return code.replace(/[.\s]/g, '').toUpperCase();
}

/** The categories one diagnosis code flags (before the hierarchy). */
export function codeMask(map: ComorbidityMap, code: string): number {
  const c = normalizeCode(code);
  let mask = 0;
  const longest = Math.min(c.length, map.maxPrefix);
  for (let n = 1; n <= longest; n++) mask |= map.prefixMask.get(c.slice(0, n)) ?? 0;
  return mask >>> 0;
}

/** The milder category of a pair counts 0 when the more severe one is flagged. */
export function applyHierarchy(map: ComorbidityMap, mask: number): number {
  let m = mask;
  for (const h of map.hierarchy) if (mask & h.severe) m &= ~h.milder;
  return m >>> 0;
}

export function scoreOf(mask: number, weights: Float64Array): number {
  let s = 0;
  for (let m = mask >>> 0, i = 0; m !== 0; m >>>= 1, i++) if (m & 1) s += weights[i]!;
  return s;
}

/** The flagged categories' ids, in the map's order. */
export function categoryNames(map: ComorbidityMap, mask: number): string[] {
  return map.categories.filter((_, i) => (mask >>> i) & 1);
}

/** Several maps by id (data/comorbidity/maps.csv). */
export type ComorbidityCatalog = ReadonlyMap<string, ComorbidityMap>;

export const DEFAULT_MAP = 'charlson_icd10_se';
