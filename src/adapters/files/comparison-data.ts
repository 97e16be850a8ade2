import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import {
  validateComparison,
  type ComparisonDataset,
  type ComparisonFile,
  type ComparisonInput,
} from '../../core/compare/dataset.js';
import type { YamlPath } from '../../core/rulebook/validate.js';
import { InputErrors, type LocatedError } from './located-error.js';
import { formatYamlPath, locator } from './rulebook-file.js';

const FILES: ComparisonFile[] = ['regions', 'criteria', 'facts', 'aggregates'];

interface ParsedFile {
  name: string;
  value: unknown;
  locate: (path: YamlPath) => { line: number; column: number } | undefined;
}

function parseFile(dir: string, file: ComparisonFile, errors: LocatedError[]): ParsedFile {
  const path = join(dir, `${file}.yaml`);
  const name = relative(process.cwd(), path) || path;
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    errors.push({
      file: name,
      code: 'file.unreadable',
      message: `Filen kan inte läsas: ${(error as Error).message}`,
    });
    return { name, value: undefined, locate: () => undefined };
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) {
    const pos = counter.linePos(e.pos[0]);
    errors.push({
      file: name,
      line: pos.line,
      column: pos.col,
      code: `yaml.${e.code}`,
      message: `YAML-fel: ${e.message.split('\n')[0]}`,
    });
  }
  return { name, value: doc.errors.length > 0 ? undefined : doc.toJS(), locate: locator(doc, counter) };
}

/** Reads data/regions (regions, criteria, facts, aggregates) and checks it; errors name file:line:column. */
export function loadComparisonData(dir: string): ComparisonDataset {
  const errors: LocatedError[] = [];
  const parsed = Object.fromEntries(FILES.map((f) => [f, parseFile(dir, f, errors)])) as Record<
    ComparisonFile,
    ParsedFile
  >;
  if (errors.length > 0) throw new InputErrors(errors, `Jämförelsedata i ${dir} kan inte läsas`);
  const input = Object.fromEntries(FILES.map((f) => [f, parsed[f].value])) as unknown as ComparisonInput;
  const result = validateComparison(input);
  if (!result.ok) {
    throw new InputErrors(
      result.issues.map((issue) => ({
        file: parsed[issue.file].name,
        ...parsed[issue.file].locate(issue.path),
        where: formatYamlPath(issue.path),
        code: issue.code,
        message: issue.message,
      })),
      `Jämförelsedata i ${dir} innehåller fel`,
    );
  }
  return result.dataset;
}
