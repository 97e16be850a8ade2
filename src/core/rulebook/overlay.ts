import type { YamlPath } from './validate.js';

/**
 * Rulebooks as overlays: a rulebook may name its base (`base:`) and hold only what it changes.
 * The overlay is merged onto the base's (resolved) document before validation:
 *
 * - maps merge key by key, recursively; a value replaces the base's value, `null` removes the key
 *   (a table such as `annual_per_listed: {glesbygd: 400}` changes one class); a dated value
 *   (`annual_amount: {2026-01-01: 2600}`) is one value and replaces the base's whole;
 * - lists of items with `id` (components, assignment, requirements, indicators, sanctions, a goal's
 *   indicators) merge by id: an item with a base item's id is merged into it, a new id is added at
 *   the end, and `{id: x, remove: true}` removes the item;
 * - a visit fee's `fees` rows merge by their key (profession and contact): a row with the key of
 *   a base row replaces its fields, a new key is added at the end, `remove: true` removes the row;
 * - every other list (weight tables, capitation parts, coverage factors, lists of codes) is
 *   replaced as a whole.
 *
 * The overlay must give its own `id`; everything it does not mention is the base's.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

export interface OverlayChange {
  /** A readable path, list items named by their key: compensation.components[kapitering].annual_amount. */
  path: string;
  kind: 'changed' | 'added' | 'removed';
}

interface OverlayIssue {
  path: YamlPath;
  code: string;
  message: string;
}

export interface MergedOverlay {
  merged: JsonMap;
  changes: OverlayChange[];
  issues: OverlayIssue[];
}

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A dated value ({2025-01-01: 2400, …}) is one value: an overlay replaces it whole. */
const isDated = (v: JsonMap): boolean => {
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => /^\d{4}-\d{2}-\d{2}$/.test(k));
};

type ListKey = (item: Json | undefined) => string | undefined;
const byId: ListKey = (item) => (isMap(item) && typeof item.id === 'string' ? item.id : undefined);
const byFeeKey: ListKey = (item) =>
  isMap(item) ? `${String(item.profession ?? '*')}/${String(item.contact ?? '*')}` : undefined;
const feeLabel = (item: JsonMap): string =>
  [item.profession, item.contact].filter((x) => x !== undefined).join(' ') || 'övriga';

/** The rulebook's lists of items with ids (a goal's indicators too). */
const KEYED_BY_ID = new Set(['components', 'assignment', 'requirements', 'indicators', 'sanctions']);

/** How a list merges: by id, by fee key, or replaced whole (undefined). */
function listKeyOf(key: string | number | undefined, base: Json[], overlay: Json[]): ListKey | undefined {
  if (key === 'fees') return byFeeKey;
  if (typeof key === 'string' && KEYED_BY_ID.has(key)) return byId;
  const items = base.length > 0 ? base : overlay;
  if (items.length > 0 && items.every((x) => byId(x) !== undefined)) return byId;
  return undefined;
}

const label = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

function mergeValue(
  base: Json | undefined,
  over: Json,
  at: { path: YamlPath; readable: string; key: string | number | undefined },
  out: MergedOverlay,
): Json {
  if (isMap(base) && isMap(over) && !isDated(base) && !isDated(over)) return mergeMap(base, over, at, out);
  if (Array.isArray(base) && Array.isArray(over)) {
    const listKey = listKeyOf(at.key, base, over);
    if (listKey) return mergeList(base, over, listKey, at, out);
  }
  if (JSON.stringify(base) !== JSON.stringify(over))
    out.changes.push({ path: at.readable, kind: base === undefined ? 'added' : 'changed' });
  return over;
}

function mergeMap(
  base: JsonMap,
  over: JsonMap,
  at: { path: YamlPath; readable: string },
  out: MergedOverlay,
): JsonMap {
  const merged: JsonMap = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const readable = label(at.readable, k);
    if (v === null) {
      if (k in merged) out.changes.push({ path: readable, kind: 'removed' });
      delete merged[k];
      continue;
    }
    merged[k] = mergeValue(base[k], v, { path: [...at.path, k], readable, key: k }, out);
  }
  return merged;
}

function mergeList(
  base: Json[],
  over: Json[],
  keyOf: ListKey,
  at: { path: YamlPath; readable: string },
  out: MergedOverlay,
): Json[] {
  const merged = [...base];
  over.forEach((item, i) => {
    const key = keyOf(item);
    if (key === undefined || !isMap(item)) {
      out.issues.push({
        path: [...at.path, i],
        code: 'rulebook.overlay_item',
        message:
          keyOf === byId
            ? 'Ett överlägg anger listans poster med id, så att de kan läggas ihop med grundens poster'
            : 'Ett överlägg anger listans rader som avgiftsrader (profession och contact)',
      });
      return;
    }
    const name = keyOf === byId ? key : feeLabel(item);
    const readable = `${at.readable}[${name}]`;
    const j = merged.findIndex((b) => keyOf(b) === key);
    if (item.remove === true) {
      if (j < 0)
        out.issues.push({
          path: [...at.path, i],
          code: 'rulebook.overlay_remove',
          message: `Posten ${name} som ska tas bort finns inte i grunden`,
        });
      else {
        merged.splice(j, 1);
        out.changes.push({ path: readable, kind: 'removed' });
      }
      return;
    }
    if (j < 0) {
      merged.push(item);
      out.changes.push({ path: readable, kind: 'added' });
    } else {
      merged[j] = mergeMap(merged[j] as JsonMap, item, { path: [...at.path, i], readable }, out);
    }
  });
  return merged;
}

/**
 * The overlay merged onto its base (both plain documents, the base already resolved). `base` and
 * the overlay's own `base` key are left out of the result.
 */
export function mergeOverlay(base: JsonMap, overlay: JsonMap): MergedOverlay {
  const out: MergedOverlay = { merged: {}, changes: [], issues: [] };
  const withoutBase = (doc: JsonMap): JsonMap =>
    Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'base'));
  const over = withoutBase(overlay);
  const from = withoutBase(base);
  if (typeof over.id !== 'string')
    out.issues.push({
      path: ['id'],
      code: 'rulebook.overlay_id',
      message: 'Ett överlägg anger sitt eget id (region/system/år), t.ex. exempel/vardval/2026',
    });
  else if (over.id === from.id)
    out.issues.push({
      path: ['id'],
      code: 'rulebook.overlay_id',
      message: `Överlägget har samma id som grunden (${over.id}); ge det ett eget id`,
    });
  out.merged = mergeMap(from, over, { path: [], readable: '' }, out);
  out.changes = out.changes.filter((c) => c.path !== 'id');
  return out;
}

/**
 * Where a path of the merged document stands in the overlay: the longest prefix the overlay
 * writes (list items found by their key), so an error is shown on the overlay's own lines.
 */
export function overlayPath(merged: Json, overlay: Json, path: YamlPath): YamlPath {
  const out: YamlPath = [];
  let m: Json | undefined = merged;
  let o: Json | undefined = overlay;
  let key: string | number | undefined;
  for (const p of path) {
    if (typeof p === 'number') {
      if (!Array.isArray(m) || !Array.isArray(o)) break;
      const keyOf = listKeyOf(key, m, o);
      const item = m[p];
      const j: number = keyOf ? o.findIndex((x) => keyOf(x) === keyOf(item)) : p < o.length ? p : -1;
      if (j < 0) break;
      out.push(j);
      m = m[p];
      o = o[j];
    } else {
      if (!isMap(o) || !(p in o)) break;
      out.push(p);
      m = isMap(m) ? m[p] : undefined;
      o = o[p];
    }
    key = p;
  }
  return out;
}

/** The base a rulebook document names, if any. */
export function overlayBase(doc: unknown): string | undefined {
  return isMap(doc) && typeof doc.base === 'string' ? doc.base : undefined;
}

/** A map's id field alone (none when it has no id). */
const idOf = (map: JsonMap): JsonMap => (map.id === undefined ? {} : { id: map.id });

const same = (a: Json | undefined, b: Json | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The smallest overlay that turns `base` into `target` under mergeOverlay's rules (for writing an
 * overlay from two full rulebooks), or undefined when a keyed list's order cannot be kept.
 */
export function overlayOf(base: JsonMap, target: JsonMap): JsonMap | undefined {
  const diff = diffMap(base, target);
  return diff === undefined ? undefined : { ...idOf(target), ...diff };
}

function diffValue(key: string, base: Json | undefined, target: Json): Json | undefined | null {
  if (same(base, target)) return null; // nothing to write
  if (isMap(base) && isMap(target) && !isDated(base) && !isDated(target)) return diffMap(base, target);
  if (Array.isArray(base) && Array.isArray(target)) {
    const keyOf = listKeyOf(key, base, target);
    if (keyOf) return diffList(base, target, keyOf);
  }
  return target;
}

function diffMap(base: JsonMap, target: JsonMap): JsonMap | undefined {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(target)) {
    const d = diffValue(k, base[k], v);
    if (d === undefined) return undefined;
    if (d !== null) out[k] = d;
  }
  for (const k of Object.keys(base)) if (!(k in target)) out[k] = null;
  return out;
}

function diffList(base: Json[], target: Json[], keyOf: ListKey): Json[] | undefined {
  const targetKeys = target.map(keyOf);
  const kept = base.filter((b) => targetKeys.includes(keyOf(b)));
  const keptKeys = kept.map(keyOf);
  // Kept items keep the base's order, new ones come last.
  const order = [...keptKeys, ...targetKeys.filter((k) => !keptKeys.includes(k))];
  if (!same(order as Json, targetKeys as Json)) return undefined;
  const keyFields = (item: JsonMap): JsonMap =>
    keyOf === byId
      ? idOf(item)
      : Object.fromEntries(
          ['profession', 'contact'].flatMap((f) => {
            const v = item[f];
            return v === undefined ? [] : [[f, v]];
          }),
        );
  const out: Json[] = [];
  for (const b of base)
    if (!targetKeys.includes(keyOf(b))) out.push({ ...keyFields(b as JsonMap), remove: true });
  for (const t of target) {
    const b = base.find((x) => keyOf(x) === keyOf(t));
    if (b === undefined) out.push(t);
    else if (!same(b, t)) {
      const d = diffMap(b as JsonMap, t as JsonMap);
      if (d === undefined) return undefined;
      out.push({ ...keyFields(t as JsonMap), ...d });
    }
  }
  return out;
}
