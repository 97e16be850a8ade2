import { formatMonth, type DateInt, type MonthInt } from '../calendar.js';
import type { ComorbidityCatalog } from '../risk/comorbidity-map.js';
import type { DataSet } from '../data/dataset.js';
import type { Component, Rulebook } from '../rulebook/schema.js';
import { assignUnits, systemSetIssues } from '../rulebook/systems.js';
import type { RunIssue } from './month-context.js';
import { runMonth, type ComponentAdjust, type RunDetail, type RunResult, type Statements } from './run.js';

/**
 * Differentiated choice systems (differentierade vårdvalssystem, HSL 7 kap. 3 § as amended
 * 1 July 2022): a region runs two or more systems, each with its own rulebook, scoped by area and
 * service. Which units each rulebook pays is decided in core/rulebook/systems.ts; a unit is paid
 * by its system's rulebook only, or by several for different services (narrow systems).
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
  | { ok: true; statements: Statements; systems: SystemRun[]; member: Uint8Array[] }
  | { ok: false; issues: RunIssue[] };

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
  const first = runs[0]?.result;
  if (!first) throw new Error('A differentiated run needs at least one system');
  let member: Uint8Array[] = [];
  if (first.ok) {
    const assigned = assignUnits(data, rulebooks, first.detail.month.active);
    member = assigned.member;
    issues.push(...assigned.issues);
  }
  if (issues.length > 0 || !first.ok) return { ok: false, issues };
  const indexOf = new Map(data.units.id.map((id, u) => [id, u]));
  const systemRuns: SystemRun[] = [];
  const units: Statements['units'] = [];
  runs.forEach(({ system, result }, i) => {
    if (!result.ok) return;
    const own = result.statements.units.filter((s) => member[i]?.[indexOf.get(s.unit_id)!] === 1);
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
  // A unit paid by several systems (narrow systems, one per service) keeps one statement per rulebook.
  units.sort((a, b) => (a.unit_id < b.unit_id ? -1 : a.unit_id > b.unit_id ? 1 : 0));
  const identity = first.statements.identity;
  return {
    ok: true,
    member,
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
