import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateRows, factRows, formatSource, formatValue } from '../../core/compare/compare.js';
import type { ComparisonDataset } from '../../core/compare/dataset.js';
import { csvCell } from './statements-files.js';

/** A byte-order mark, so Excel opens the Swedish letters as UTF-8. */
const BOM = '\ufeff';

function csv(header: string[], rows: (string | number)[][]): string {
  const line = (r: (string | number)[]) =>
    r.map((c) => (typeof c === 'number' ? String(c) : csvCell(c))).join(',');
  return `${BOM}${[header.join(','), ...rows.map(line)].join('\r\n')}\r\n`;
}

/**
 * facts.csv: one row per region and criterion for the year the criterion compares, followed by the
 * region's facts of other years (e.g. 2022 beside 2024); value is yes, no, unknown or a number,
 * quote the source's words and note what the value leaves out.
 */
export function factsCsv(ds: ComparisonDataset): string {
  return csv(
    ['region_code', 'criterion', 'year', 'value', 'note', 'source', 'quote'],
    factRows(ds).map((c) => [
      c.region_code,
      c.criterion,
      c.year ?? '',
      formatValue(c.value),
      c.note ?? '',
      formatSource(c.source),
      c.source?.quote ?? '',
    ]),
  );
}

/** aggregates.csv: the count a seed reports, beside the number of regions whose fact is yes. */
export function aggregatesCsv(ds: ComparisonDataset): string {
  return csv(
    ['criterion', 'year', 'reported_count', 'known_yes', 'source'],
    aggregateRows(ds).map((a) => [
      a.criterion,
      a.year,
      a.reported_count,
      a.known_yes,
      formatSource(a.source),
    ]),
  );
}

/** Writes facts.csv and aggregates.csv, each to a temporary name first so a reader never sees half a file. */
export function writeComparison(dir: string, ds: ComparisonDataset): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['facts.csv', factsCsv(ds)],
    ['aggregates.csv', aggregatesCsv(ds)],
  ];
  for (const [name, body] of files) writeFileSync(join(dir, `.${name}.tmp`), body);
  for (const [name] of files) renameSync(join(dir, `.${name}.tmp`), join(dir, name));
  return files.map(([name]) => join(dir, name));
}
