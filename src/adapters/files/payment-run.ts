import {
  firstDay,
  formatMonth,
  parseDate,
  parseMonth,
  type DateInt,
  type MonthInt,
} from '../../core/calendar.js';
import { createHash } from 'node:crypto';
import type { DataSet } from '../../core/data/dataset.js';
import { runDifferentiated, type SystemRun } from '../../core/engine/differentiated.js';
import type { RunIssue } from '../../core/engine/month-context.js';
import {
  runMonth,
  type ComponentAdjust,
  type RunDetail,
  type RunMemo,
  type Statements,
} from '../../core/engine/run.js';
import { filesNeeded, needsComorbidity } from '../../core/rulebook/files-needed.js';
import type { ComorbidityCatalog } from '../../core/risk/comorbidity-map.js';
import type { Rulebook } from '../../core/rulebook/schema.js';
import { payByContracts } from '../../core/contracts/pay.js';
import { loadComorbidityCatalog } from './comorbidity-files.js';
import { loadContracts, type LoadedContracts } from './contracts-files.js';
import { loadDataFolder } from './data-folder/index.js';
import { InputErrors, type LocatedError } from './located-error.js';
import { formatYamlPath, loadRulebookFile, type LoadedRulebook } from './rulebook-file.js';

export { filesNeeded };

/** The comorbidity maps of data/comorbidity, read only for a rulebook that weights by them. */
function comorbidityFor(rulebook: Rulebook): ComorbidityCatalog | undefined {
  return needsComorbidity(rulebook) ? loadComorbidityCatalog() : undefined;
}

export function requireMonth(text: string): MonthInt {
  const m = parseMonth(text);
  if (m === undefined)
    throw new InputErrors([
      { file: '--month', code: 'cli.bad_month', message: `Månaden skrivs ÅÅÅÅ-MM, inte "${text}"` },
    ]);
  return m;
}

/** Runs a loaded rulebook on loaded data; run-time problems become located errors. */
export function runLoaded(
  rb: LoadedRulebook,
  data: DataSet,
  month: MonthInt,
  parametersOn?: DateInt,
  adjust?: ComponentAdjust,
  memo?: RunMemo,
): { statements: Statements; detail: RunDetail } {
  const result = runMonth({
    rulebook: rb.rulebook,
    rulebookSha256: rb.sha256,
    order: rb.order,
    data,
    month,
    parametersOn,
    comorbidity: comorbidityFor(rb.rulebook),
    adjust,
    memo,
  });
  if (!result.ok) {
    const errors: LocatedError[] = result.issues.map((i) =>
      i.kind === 'rulebook'
        ? {
            file: rb.file,
            ...rb.locate(i.path),
            where: formatYamlPath(i.path),
            code: i.code,
            message: i.message,
          }
        : { file: i.file, line: i.line || undefined, where: i.where, code: i.code, message: i.message },
    );
    throw new InputErrors(errors, `Körningen för ${formatMonth(month)} kan inte göras`);
  }
  return result;
}

export interface PayOptions {
  rulebookFile: string;
  dataDir: string;
  month: string;
  onProgress?: (file: string, done: number, total: number) => void;
}

export function pay(options: PayOptions): {
  rulebook: LoadedRulebook;
  data: DataSet;
  contracts: LoadedContracts | undefined;
  statements: Statements;
  detail: RunDetail;
} {
  const month = requireMonth(options.month);
  const rulebook = loadRulebookFile(options.rulebookFile);
  const data = loadDataFolder(options.dataDir, {
    require: filesNeeded(rulebook.rulebook),
    onProgress: options.onProgress,
  });
  const contracts = loadContracts(options.dataDir, data.units);
  const run = runLoaded(rulebook, data, month);
  const statements = applyContracts(run.statements, data, month, contracts, rulebook.rulebook.system);
  return { rulebook, data, contracts, statements, detail: run.detail };
}

/**
 * With contracts, a run pays only the units a contract in force on the cut-off day pays (each
 * exactly as without contracts) and lists the others; the contract files join the run's inputs.
 * Without them the statements are returned unchanged.
 */
export function applyContracts(
  statements: Statements,
  data: DataSet,
  month: MonthInt,
  contracts: LoadedContracts | undefined,
  system: Rulebook['system'],
): Statements {
  if (!contracts) return statements;
  const paid = payByContracts(statements, data.units, contracts.registry, month, system);
  const inputs = [
    ...paid.identity.inputs,
    ...contracts.files.map((f) => ({ file: f.name, sha256: f.sha256 })),
  ];
  inputs.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { ...paid, identity: { ...paid.identity, inputs } };
}

/**
 * A scenario rulebook valid for another period (next year's model) is applied to the month's data
 * with the values in force on its first valid day; inside its validity, the cut-off day as usual.
 */
export function scenarioParameterDate(rb: Rulebook, month: MonthInt): DateInt | undefined {
  const from = parseDate(rb.valid_from)!;
  const to = parseDate(rb.valid_to)!;
  const cutoff = firstDay(month);
  return cutoff >= firstDay(Math.floor(from / 100)) && cutoff <= to ? undefined : from;
}

/** Located errors from a run's issues, for rulebooks named by id (differentiated systems). */
function locatedIssues(issues: RunIssue[], rulebooks: LoadedRulebook[]): LocatedError[] {
  return issues.map((i) => {
    if (i.kind === 'data')
      return { file: i.file, line: i.line || undefined, where: i.where, code: i.code, message: i.message };
    const rb = rulebooks[0];
    if (!rb) throw new Error('A rulebook issue without a rulebook');
    return {
      file: rb.file,
      ...rb.locate(i.path),
      where: formatYamlPath(i.path),
      code: i.code,
      message: i.message,
    };
  });
}

/**
 * A region with differentiated choice systems: every rulebook on the same data, each unit paid by
 * the rulebook of its kommun. One rulebook is an ordinary run.
 */
export function runSystems(
  rulebooks: LoadedRulebook[],
  data: DataSet,
  month: MonthInt,
  parametersOn?: (rb: Rulebook) => DateInt | undefined,
  adjust?: ComponentAdjust,
): { statements: Statements; systems: SystemRun[]; member: Uint8Array[] } {
  const combined = createHash('sha256')
    .update(rulebooks.map((r) => r.sha256).join('\n'))
    .digest('hex');
  const result = runDifferentiated(
    rulebooks.map((r) => ({
      rulebook: r.rulebook,
      sha256: r.sha256,
      order: r.order,
      parametersOn: parametersOn?.(r.rulebook),
      comorbidity: comorbidityFor(r.rulebook),
      adjust,
    })),
    data,
    month,
    combined,
  );
  if (!result.ok) {
    // A rulebook's own problem is located in its file: run it alone to get the located error.
    for (const rb of rulebooks) runLoaded(rb, data, month, parametersOn?.(rb.rulebook));
    throw new InputErrors(
      locatedIssues(result.issues, rulebooks),
      `Körningen för ${formatMonth(month)} kan inte göras`,
    );
  }
  return result;
}

export function payDifferentiated(options: Omit<PayOptions, 'rulebookFile'> & { rulebookFiles: string[] }): {
  rulebooks: LoadedRulebook[];
  data: DataSet;
  contracts: LoadedContracts | undefined;
  statements: Statements;
  systems: SystemRun[];
  member: Uint8Array[];
} {
  const month = requireMonth(options.month);
  const rulebooks = options.rulebookFiles.map((f) => loadRulebookFile(f));
  const need = [...new Set(rulebooks.flatMap((r) => filesNeeded(r.rulebook)))];
  const data = loadDataFolder(options.dataDir, { require: need, onProgress: options.onProgress });
  const contracts = loadContracts(options.dataDir, data.units);
  return { rulebooks, data, contracts, ...runSystemsWithContracts(rulebooks, data, month, contracts) };
}

/** runSystems, each system's statements and the region's paid by contracts when there are any. */
export function runSystemsWithContracts(
  rulebooks: LoadedRulebook[],
  data: DataSet,
  month: MonthInt,
  contracts: LoadedContracts | undefined,
  parametersOn?: (rb: Rulebook) => DateInt | undefined,
  adjust?: ComponentAdjust,
): { statements: Statements; systems: SystemRun[]; member: Uint8Array[] } {
  const run = runSystems(rulebooks, data, month, parametersOn, adjust);
  if (!contracts) return run;
  const [first] = rulebooks;
  if (!first) throw new Error('A payment run needs at least one rulebook');
  const system = first.rulebook.system;
  return {
    ...run,
    statements: applyContracts(run.statements, data, month, contracts, system),
    systems: run.systems.map((s) => ({
      ...s,
      statements: applyContracts(
        { ...s.statements, units: s.statements.units.map((u) => ({ ...u, rulebook: s.rulebook })) },
        data,
        month,
        contracts,
        system,
      ),
    })),
  };
}
