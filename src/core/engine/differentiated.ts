import { formatMonth, type DateInt, type MonthInt } from '../calendar.js';
import type { ComorbidityCatalog } from '../risk/comorbidity-map.js';
import type { DataSet } from '../data/dataset.js';
import type { Component, Rulebook } from '../rulebook/schema.js';
import type { RunIssue } from './month-context.js';
import { runMonth, type ComponentAdjust, type RunDetail, type RunResult, type Statements } from './run.js';

/**
 * Differentiated choice systems (differentierade vårdvalssystem, HSL 7 kap. 3 § as amended
 * 1 July 2022): a region runs two or more systems, each with its own rulebook, scoped by area. A
 * unit belongs to the system of its location (the kommun column of units.csv) and is paid by that
 * system's rulebook only.
 */

export interface SystemRulebook {
  rulebook: Rulebook;
  sha256: string;
  order: Component[];
  /** Simulation: the day whose parameter values apply (see RunInput.parametersOn). */
  parametersOn?: DateInt;
  /** See RunInput.comorbidity. */
  comorbidity?: ComorbidityCatalog;
  /** Simulation: see RunInput.adjust. */
  adjust?: ComponentAdjust;
}

export interface SystemRun {
  rulebook: string;
  label: string;
  detail: RunDetail;
  statements: Statements;
}

export type DifferentiatedResult =
  | { ok: true; statements: Statements; systems: SystemRun[]; systemOf: Int32Array }
  | { ok: false; issues: RunIssue[] };

/**
 * Which system each unit belongs to: the rulebook that names its kommun, else the one for other
 * kommuner. -1 for a unit no system covers (an error when the unit is active).
 */
export function systemOfUnits(data: DataSet, rulebooks: readonly Rulebook[]): Int32Array {
  const byKommun = new Map<string, number>();
  let other = -1;
  rulebooks.forEach((rb, i) => {
    if (!rb.scope) other = i;
    else if (rb.scope.other_kommuner) other = i;
    else for (const k of rb.scope.kommuner ?? []) byKommun.set(k, i);
  });
  const out = new Int32Array(data.units.count);
  for (let u = 0; u < data.units.count; u++) out[u] = byKommun.get(data.units.kommun[u]) ?? other;
  return out;
}

/** Problems with the set of rulebooks itself: one region, no kommun in two systems, one catch-all. */
export function systemSetIssues(rulebooks: readonly Rulebook[]): RunIssue[] {
  const issues: RunIssue[] = [];
  const rulebookIssue = (code: string, message: string, path: (string | number)[] = ['scope']): void => {
    issues.push({ kind: 'rulebook', path, code, message });
  };
  const regions = new Set(rulebooks.map((r) => r.region.code));
  if (regions.size > 1)
    rulebookIssue(
      'rulebook.systems_region',
      `Regelböckerna hör till olika regioner (${[...regions].join(', ')}); ett differentierat vårdval är en regions`,
      ['region'],
    );
  const seen = new Map<string, string>();
  let catchAll: string | undefined;
  for (const rb of rulebooks) {
    if (!rb.scope || rb.scope.other_kommuner) {
      if (catchAll)
        rulebookIssue(
          'rulebook.systems_overlap',
          `Både ${catchAll} och ${rb.id} gäller alla övriga kommuner (scope saknas eller other_kommuner: true)`,
        );
      catchAll = rb.id;
      continue;
    }
    for (const k of rb.scope.kommuner ?? []) {
      const before = seen.get(k);
      if (before)
        rulebookIssue(
          'rulebook.systems_overlap',
          `Kommunen ${k} hör till både ${before} och ${rb.id}; en enhet hör till ett system`,
          ['scope', 'kommuner'],
        );
      seen.set(k, rb.id);
    }
  }
  return issues;
}

/**
 * One month for a region with several systems: each rulebook runs on the same data, and each unit
 * keeps the lines of its own system's rulebook. The statements name every rulebook, and each unit
 * names the one it was paid by.
 */
export function runDifferentiated(
  systems: readonly SystemRulebook[],
  data: DataSet,
  month: MonthInt,
  combinedSha256: string,
): DifferentiatedResult {
  const rulebooks = systems.map((s) => s.rulebook);
  const setIssues = systemSetIssues(rulebooks);
  if (setIssues.length > 0) return { ok: false, issues: setIssues };
  const systemOf = systemOfUnits(data, rulebooks);
  const runs: { system: SystemRulebook; result: RunResult }[] = systems.map((system) => ({
    system,
    result: runMonth({
      rulebook: system.rulebook,
      rulebookSha256: system.sha256,
      order: system.order,
      data,
      month,
      parametersOn: system.parametersOn,
      comorbidity: system.comorbidity,
      adjust: system.adjust,
    }),
  }));
  const issues = runs.flatMap((r) => (r.result.ok ? [] : r.result.issues));
  const first = runs[0].result;
  if (first.ok) {
    const active = first.detail.month.active;
    for (let u = 0; u < data.units.count; u++) {
      if (active[u] && systemOf[u] < 0)
        issues.push({
          kind: 'data',
          file: 'units.csv',
          line: data.units.line[u],
          where: 'kommun',
          code: 'data.no_system',
          message: `Enheten ${data.units.id[u]} ligger i kommun "${data.units.kommun[u]}", som inget av regionens vårdvalssystem gäller`,
        });
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  const indexOf = new Map(data.units.id.map((id, u) => [id, u]));
  const systemRuns: SystemRun[] = [];
  const units: Statements['units'] = [];
  runs.forEach(({ system, result }, i) => {
    if (!result.ok) return;
    const own = result.statements.units.filter((s) => systemOf[indexOf.get(s.unit_id)!] === i);
    const total = own.reduce((sum, s) => sum + s.total_ore, 0);
    const statements: Statements = { ...result.statements, units: own, total_ore: total };
    systemRuns.push({
      rulebook: system.rulebook.id,
      label: system.rulebook.scope?.label ?? system.rulebook.title,
      detail: result.detail,
      statements,
    });
    for (const s of own) units.push({ ...s, rulebook: system.rulebook.id });
  });
  units.sort((a, b) => (a.unit_id < b.unit_id ? -1 : a.unit_id > b.unit_id ? 1 : 0));
  const identity = (runs[0].result as Extract<RunResult, { ok: true }>).statements.identity;
  return {
    ok: true,
    systemOf,
    systems: systemRuns,
    statements: {
      format: 'vardval-statements/1',
      identity: {
        ...identity,
        month: formatMonth(month),
        rulebook: { id: rulebooks.map((r) => r.id).join('+'), sha256: combinedSha256 },
        systems: systems.map((s) => ({
          id: s.rulebook.id,
          sha256: s.sha256,
          scope: s.rulebook.scope?.label ?? 'hela regionen',
        })),
      },
      units,
      total_ore: units.reduce((sum, s) => sum + s.total_ore, 0),
    },
  };
}
