import { join, relative, resolve } from 'node:path';
import {
  compileComorbidityMap,
  type ComorbidityCatalog,
  type ComorbidityMap,
  type ComorbidityTables,
  type MapIssue,
} from '../../core/risk/comorbidity-map.js';
import { CsvSyntaxError, fieldText, tokenizeCsvFile } from './csv-tokenizer.js';
import { InputErrors, type LocatedError } from './located-error.js';

/** data/comorbidity in the checkout (found from this file, src/ or dist/ alike). */
const COMORBIDITY_DIR = resolve(
  import.meta.dirname ?? new URL('.', import.meta.url).pathname,
  '../../..',
  'data',
  'comorbidity',
);

interface Row {
  line: number;
  get(name: string): string;
}

/** A small CSV with a header; a missing column is an error at line 1. */
function readTable(path: string, columns: string[], errors: LocatedError[]): Row[] {
  const file = relative(process.cwd(), path) || path;
  const rows: Row[] = [];
  let index = new Map<string, number>();
  try {
    tokenizeCsvFile(path, {
      onHeader(names) {
        index = new Map(names.map((n, i) => [n.trim().toLowerCase(), i]));
        for (const c of columns)
          if (!index.has(c))
            errors.push({
              file,
              line: 1,
              code: 'data.missing_column',
              message: `Kolumnen ${c} saknas i rubrikraden`,
            });
      },
      onRow(row) {
        const cells = Array.from({ length: row.count }, (_, i) => fieldText(row, i).trim());
        rows.push({ line: row.line, get: (name) => cells[index.get(name) ?? -1] ?? '' });
      },
    });
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      errors.push({ file, line: error.line, code: 'data.csv_syntax', message: error.message });
    else
      errors.push({
        file,
        code: 'file.unreadable',
        message: `Filen kan inte läsas: ${(error as Error).message}`,
      });
  }
  return rows;
}

function readTables(dir: string, map: Row, errors: LocatedError[]): ComorbidityTables {
  const name = (column: string) => join(dir, map.get(column));
  const codesFile = name('codes');
  const weightsFile = name('weights');
  const hierarchyFile = name('hierarchy');
  const shown = (p: string) => relative(process.cwd(), p) || p;
  const codes = readTable(codesFile, ['category', 'icd10_prefix'], errors);
  const weightRows = readTable(weightsFile, ['category', 'label_sv'], errors);
  const hierarchy = map.get('hierarchy') === '' ? [] : readTable(hierarchyFile, ['milder', 'severe'], errors);
  let weightSets: string[] = [];
  // The weight sets are the weight file's other columns.
  tokenizeCsvFile(weightsFile, {
    onHeader: (names) =>
      (weightSets = names.map((n) => n.trim()).filter((n) => !['category', 'label_sv'].includes(n))),
    onRow: () => {},
  });
  return {
    id: map.get('map'),
    label: map.get('label_sv'),
    codes: codes.map((r) => ({
      file: shown(codesFile),
      line: r.line,
      category: r.get('category'),
      prefix: r.get('icd10_prefix'),
    })),
    categories: weightRows.map((r) => ({
      file: shown(weightsFile),
      line: r.line,
      category: r.get('category'),
      label: r.get('label_sv'),
      weights: Object.fromEntries(weightSets.map((s) => [s, r.get(s) === '' ? NaN : Number(r.get(s))])),
    })),
    weightSets,
    hierarchy: hierarchy.map((r) => ({
      file: shown(hierarchyFile),
      line: r.line,
      milder: r.get('milder'),
      severe: r.get('severe'),
    })),
  };
}

const cache = new Map<string, ComorbidityCatalog>();

/**
 * Every map in the folder's maps.csv, compiled. Read once per folder: the files are the project's
 * reference data and do not change while it runs.
 */
export function loadComorbidityCatalog(dir = COMORBIDITY_DIR): ComorbidityCatalog {
  const hit = cache.get(dir);
  if (hit) return hit;
  const errors: LocatedError[] = [];
  const maps = readTable(join(dir, 'maps.csv'), ['map', 'label_sv', 'codes', 'weights', 'hierarchy'], errors);
  const catalog = new Map<string, ComorbidityMap>();
  if (errors.length === 0)
    for (const m of maps) {
      const tables = readTables(dir, m, errors);
      if (errors.length > 0) break;
      const compiled = compileComorbidityMap(tables);
      if (compiled.ok) catalog.set(compiled.map.id, compiled.map);
      else errors.push(...compiled.issues.map(located));
    }
  if (errors.length > 0) throw new InputErrors(errors, `Samsjuklighetskartorna i ${dir} innehåller fel`);
  cache.set(dir, catalog);
  return catalog;
}

function located(i: MapIssue): LocatedError {
  return { file: i.file, line: i.line, where: i.where, code: 'data.comorbidity_map', message: i.message };
}
