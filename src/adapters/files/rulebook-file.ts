import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { validateRulebook, type YamlPath } from '../../core/rulebook/validate.js';
import type { Component, Rulebook } from '../../core/rulebook/schema.js';
import { InputErrors, type LocatedError } from './located-error.js';

export interface LoadedRulebook {
  file: string;
  sha256: string;
  rulebook: Rulebook;
  /** Components in evaluation order (dependencies first). */
  order: Component[];
  /** Where a YAML path stands in the file, for errors found later (e.g. no value in force). */
  locate: (path: YamlPath) => { line: number; column: number } | undefined;
}

export function formatYamlPath(path: YamlPath): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');
}

/** The deepest node of the path that exists, so a missing key points at its parent map. */
function locator(doc: Document, counter: LineCounter) {
  return (path: YamlPath) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = counter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return undefined;
  };
}

export function parseRulebookText(text: string, file: string): LoadedRulebook {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputErrors(
      doc.errors.map((e) => {
        const pos = counter.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          code: `yaml.${e.code}`,
          message: `YAML-fel: ${e.message.split('\n')[0]}`,
        };
      }),
      `Regelboken ${file} kan inte läsas`,
    );
  }
  const locate = locator(doc, counter);
  const result = validateRulebook(doc.toJS({ maxAliasCount: 100 }));
  if (!result.ok) {
    const errors: LocatedError[] = result.issues.map((issue) => ({
      file,
      ...locate(issue.path),
      where: formatYamlPath(issue.path),
      code: issue.code,
      message: issue.message,
    }));
    throw new InputErrors(errors, `Regelboken ${file} innehåller fel`);
  }
  return {
    file,
    sha256: createHash('sha256').update(text).digest('hex'),
    rulebook: result.rulebook,
    order: result.order,
    locate,
  };
}

export function loadRulebookFile(file: string): LoadedRulebook {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputErrors([
      { file, code: 'file.unreadable', message: `Filen kan inte läsas: ${(error as Error).message}` },
    ]);
  }
  return parseRulebookText(text, file);
}
