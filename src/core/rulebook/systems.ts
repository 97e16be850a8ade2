import type { DataSet } from '../data/dataset.js';
import type { DataIssue, RulebookRunIssue } from '../engine/month-context.js';
import { elementAt } from '../element.js';
import type { Rulebook, Scope } from './schema.js';

/**
 * A region's choice systems (vårdvalssystem): which rulebooks form a region's differentiated choice
 * system, and which units each of them pays. The one place these rules live; the engine, the
 * store's runs, follow-up and sanctions all ask here.
 *
 * A rulebook's scope names where it applies (kommuner, areas, area classes, or every unit the
 * other systems do not name: other_kommuner) and for which services (narrow systems, smala
 * vårdval). Without services a system pays the service vardcentral; a rulebook without a scope
 * is the whole region's vardcentral system. A unit provides the services of its `services`
 * column (units.csv or the registry), vardcentral when none is given. For each service the unit
 * provides, the one system whose scope names the service and the unit's place pays it; when none
 * names the place, the service's other_kommuner system does. A unit is paid by every system that
 * pays one of its services, so one unit can be paid by several rulebooks for different services.
 * Two systems that cover the same service in the same place are refused.
 */

const DEFAULT_SERVICE = 'vardcentral';

/** The services a rulebook's system pays. */
function scopeServices(rb: Rulebook): string[] {
  return rb.scope?.services ?? [DEFAULT_SERVICE];
}

/** The services unit u provides (vardcentral when its services column is empty). */
function unitServices(data: DataSet, u: number): string[] {
  const s = data.units.services[u];
  return s && s.length > 0 ? s : [DEFAULT_SERVICE];
}

/** The rest for its services: no scope, or other_kommuner. */
function isCatchAll(rb: Rulebook): boolean {
  return !rb.scope || rb.scope.other_kommuner === true;
}

type Dimension = 'kommuner' | 'areas' | 'area_classes';
const DIMENSIONS: readonly Dimension[] = ['kommuner', 'areas', 'area_classes'];
const DIMENSION_NAMES: Record<Dimension, string> = {
  kommuner: 'kommunen',
  areas: 'området',
  area_classes: 'områdesklassen',
};

function describeScope(scope: Scope | undefined): string {
  if (!scope || scope.other_kommuner) return 'övriga enheter';
  const parts = DIMENSIONS.filter((d) => scope[d]).map((d) => `${d} ${scope[d]!.join(', ')}`);
  return parts.length ? parts.join(' och ') : 'hela regionen';
}

type Issue = Omit<RulebookRunIssue, 'kind'>;

/**
 * Problems with the set of rulebooks itself: one region, one system kind, and no service covered
 * twice in the same place as far as the scopes alone tell (two catch-alls for a service, or two
 * scopes that name the same places in the same way). Scopes that name places in different ways
 * (a kommun and an area class) are checked unit by unit in assignUnits.
 */
export function systemSetIssues(rulebooks: readonly Rulebook[]): RulebookRunIssue[] {
  const issues: Issue[] = [];
  const regions = new Set(rulebooks.map((r) => r.region.code));
  if (regions.size > 1)
    issues.push({
      path: ['region'],
      code: 'rulebook.systems_region',
      message: `Regelböckerna hör till olika regioner (${[...regions].join(', ')}); ett differentierat vårdval är en regions`,
    });
  rulebooks.forEach((a, i) => {
    for (const b of rulebooks.slice(i + 1)) {
      const shared = scopeServices(a).filter((s) => scopeServices(b).includes(s));
      if (shared.length === 0) continue;
      const overlap = certainOverlap(a, b);
      if (overlap === undefined) continue;
      issues.push({
        path: overlap.path,
        code: 'rulebook.systems_overlap',
        message:
          `${overlap.where.charAt(0).toUpperCase()}${overlap.where.slice(1)}: både ${a.id} och ${b.id} ersätter ` +
          `${shared.join(', ')} där; en tjänst i ett område hör till ett system (ange olika services eller olika områden)`,
      });
    }
  });
  return issues.map((i) => ({ kind: 'rulebook', ...i }));
}

/** Where two systems for the same service surely cover the same places, or undefined. */
function certainOverlap(a: Rulebook, b: Rulebook): { where: string; path: (string | number)[] } | undefined {
  if (isCatchAll(a) || isCatchAll(b)) {
    if (isCatchAll(a) && isCatchAll(b))
      return { where: 'alla övriga enheter (scope saknas eller other_kommuner: true)', path: ['scope'] };
    return undefined;
  }
  const sa = a.scope!;
  const sb = b.scope!;
  const dimsA = DIMENSIONS.filter((d) => sa[d]);
  const dimsB = DIMENSIONS.filter((d) => sb[d]);
  // A system for the whole region covers every place the other names.
  if (dimsA.length === 0 || dimsB.length === 0)
    return { where: dimsA.length === 0 ? describeScope(sb) : describeScope(sa), path: ['scope'] };
  if (dimsA.join() !== dimsB.join()) return undefined;
  const common: string[] = [];
  for (const d of dimsA) {
    const both = sa[d]!.filter((x) => sb[d]!.includes(x));
    if (both.length === 0) return undefined;
    common.push(`${DIMENSION_NAMES[d]} ${both.join(', ')}`);
  }
  return { where: common.join(' och '), path: ['scope', ...dimsA.slice(0, 1)] };
}

export interface SystemAssignment {
  /** Per rulebook (in the order given): 1 for each unit the rulebook pays. */
  member: Uint8Array[];
  /** Active units no system pays, or that two systems claim for the same service. */
  issues: DataIssue[];
}

/**
 * Which units each rulebook pays. `active` (the month's active units) limits the errors to units
 * that are paid in the month; without it every unit is checked.
 */
export function assignUnits(
  data: DataSet,
  rulebooks: readonly Rulebook[],
  active?: Uint8Array,
): SystemAssignment {
  const { units, areas } = data;
  const member = rulebooks.map(() => new Uint8Array(units.count));
  const issues: DataIssue[] = [];
  const areaIndex = new Map(areas.code.map((c, i) => [c, i]));
  const byService = new Map<string, { specific: number[]; rest: number[] }>();
  rulebooks.forEach((rb, i) => {
    for (const s of scopeServices(rb)) {
      const e = byService.get(s) ?? { specific: [], rest: [] };
      (isCatchAll(rb) ? e.rest : e.specific).push(i);
      byService.set(s, e);
    }
  });
  const usesAreas = rulebooks.some((rb) => rb.scope?.areas || rb.scope?.area_classes);
  const issue = (u: number, where: string, code: string, message: string): void => {
    if (issues.length < 200)
      issues.push({ kind: 'data', file: 'units.csv', line: units.line[u] ?? 0, where, code, message });
  };
  for (let u = 0; u < units.count; u++) {
    const checked = !active || active[u] === 1;
    const area = units.area[u] ?? '';
    const a = area === '' ? -1 : (areaIndex.get(area) ?? -1);
    if (checked && usesAreas && area !== '' && a < 0)
      issue(
        u,
        'area',
        'data.unknown_reference',
        `area: området ${area} för enheten ${units.id[u]} finns inte i areas.csv`,
      );
    const areaClass = areas.ruralClasses[areas.ruralClass[a] ?? -1] ?? '';
    let paid = false;
    for (const service of unitServices(data, u)) {
      const entry = byService.get(service);
      if (!entry) continue;
      const claims: number[] = [];
      let needsArea = false;
      for (const i of entry.specific) {
        const scope = elementAt(rulebooks, i, 'rulebook').scope!;
        if (scope.kommuner && !scope.kommuner.includes(units.kommun[u] ?? '')) continue;
        if ((scope.areas || scope.area_classes) && area === '') {
          needsArea = true;
          continue;
        }
        if (scope.areas && !scope.areas.includes(area)) continue;
        if (scope.area_classes && !scope.area_classes.includes(areaClass)) continue;
        claims.push(i);
      }
      if (checked && needsArea && claims.length === 0)
        issue(
          u,
          'area',
          'data.missing_area',
          `Enheten ${units.id[u]} saknar area i units.csv; regionens system för ${service} avgränsas per område eller områdesklass`,
        );
      if (checked && claims.length > 1)
        issue(
          u,
          'services',
          'data.systems_overlap',
          `Enheten ${units.id[u]} ersätts för ${service} av både ${rulebooks[claims[0] ?? -1]?.id} och ${rulebooks[claims[1] ?? -1]?.id}; en tjänst i ett område hör till ett system`,
        );
      const i = claims.length > 0 ? claims[0] : entry.rest[0];
      if (i === undefined) continue;
      elementAt(member, i, 'system')[u] = 1;
      paid = true;
    }
    if (checked && !paid && active)
      issue(
        u,
        'kommun',
        'data.no_system',
        `Enheten ${units.id[u]} (kommun "${units.kommun[u]}", tjänster ${unitServices(data, u).join(', ')}) hör inte till något av regionens vårdvalssystem`,
      );
  }
  return { member, issues };
}

/** What regionSystems needs to know of a stored or loaded rulebook version. */
export interface RulebookCandidate<T> {
  rulebook: Rulebook;
  item: T;
}

/**
 * The rulebooks that form own's region's differentiated choice system on `day` (YYYY-MM-DD): own,
 * and of every other rulebook id the first candidate (give them newest first) of the same region
 * and system kind, with a scope, valid on the day. A rulebook without a scope is its own system.
 */
export function regionSystems<T>(
  own: RulebookCandidate<T>,
  candidates: readonly RulebookCandidate<T>[],
  day: string,
): T[] {
  if (!own.rulebook.scope) return [own.item];
  const chosen = new Map<string, T>([[own.rulebook.id, own.item]]);
  for (const c of candidates) {
    const rb = c.rulebook;
    if (chosen.has(rb.id) || !rb.scope) continue;
    if (rb.region.code !== own.rulebook.region.code || rb.system !== own.rulebook.system) continue;
    if (rb.valid_from > day || rb.valid_to < day) continue;
    chosen.set(rb.id, c.item);
  }
  return [...chosen.values()];
}

/**
 * Scoped rulebooks grouped into the differentiated systems they form (same region, system kind
 * and first valid day), for choosing them together; groups of two or more.
 */
export function differentiatedGroups<T>(
  candidates: readonly RulebookCandidate<T>[],
): { year: string; labels: string[]; items: T[] }[] {
  const groups = new Map<string, { year: string; labels: string[]; items: T[] }>();
  for (const { rulebook: rb, item } of candidates) {
    if (!rb.scope) continue;
    const key = `${rb.region.code} ${rb.system} ${rb.valid_from}`;
    const g = groups.get(key) ?? { year: rb.valid_from.slice(0, 4), labels: [], items: [] };
    g.labels.push(rb.scope.label);
    g.items.push(item);
    groups.set(key, g);
  }
  return [...groups.values()].filter((g) => g.items.length > 1);
}
