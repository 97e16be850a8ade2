import {
  firstDay,
  formatMonth,
  parseDate,
  parseMonth,
  type DateInt,
  type MonthInt,
} from '../../core/calendar.js';
import type { DataSet } from '../../core/data/dataset.js';
import { runMonth, type RunDetail, type Statements } from '../../core/engine/run.js';
import { computedDefinitions } from '../../core/followup/indicators.js';
import type { Rulebook } from '../../core/rulebook/schema.js';
import { loadDataFolder, type DataFileName } from './data-folder.js';
import { InputErrors, type LocatedError } from './located-error.js';
import { formatYamlPath, loadRulebookFile, type LoadedRulebook } from './rulebook-file.js';

/** The data files a rulebook's components read. */
export function filesNeeded(rulebook: Rulebook): DataFileName[] {
  const need = new Set<DataFileName>(['units.csv', 'areas.csv', 'listings.csv']);
  for (const c of rulebook.compensation.components) {
    if (c.type === 'visit_fee' || c.type === 'coverage' || c.type === 'visits_elsewhere_charge')
      need.add('visits.csv');
    if (c.type === 'goal') need.add('indicators.csv');
    if (c.type === 'penalty') need.add('events.csv');
  }
  // A goal pays computed indicators from the data they are computed from.
  if (rulebook.compensation.components.some((c) => c.type === 'goal')) {
    for (const compute of computedDefinitions(rulebook.follow_up.indicators).values()) {
      need.add(compute.kind === 'event_share' ? 'events.csv' : 'visits.csv');
    }
  }
  return [...need];
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
): { statements: Statements; detail: RunDetail } {
  const result = runMonth({
    rulebook: rb.rulebook,
    rulebookSha256: rb.sha256,
    order: rb.order,
    data,
    month,
    parametersOn,
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
  statements: Statements;
  detail: RunDetail;
} {
  const month = requireMonth(options.month);
  const rulebook = loadRulebookFile(options.rulebookFile);
  const data = loadDataFolder(options.dataDir, {
    require: filesNeeded(rulebook.rulebook),
    onProgress: options.onProgress,
  });
  const { statements, detail } = runLoaded(rulebook, data, month);
  return { rulebook, data, statements, detail };
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
