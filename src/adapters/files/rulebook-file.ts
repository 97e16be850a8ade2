import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, isNode, parseDocument, stringify, type Document } from 'yaml';
import {
  mergeOverlay,
  overlayBase,
  overlayPath,
  type Json,
  type OverlayChange,
} from '../../core/rulebook/overlay.js';
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
  /** The document validated: the file's, or for an overlay the overlay merged onto its base. */
  document: unknown;
  /** An overlay (a rulebook with `base`): its base, what it changes, and the resolved rulebook as YAML. */
  overlay?: {
    base: string;
    baseFile: string;
    baseId: string;
    changes: OverlayChange[];
    resolvedText: string;
  };
}

export function formatYamlPath(path: YamlPath): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');
}

/**
 * Where a path of a parsed YAML document stands: the deepest node of the path that exists, so a
 * missing key points at its parent map.
 */
export function locator(doc: Document, counter: LineCounter) {
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

/** A base's text and the name its errors are shown under. */
interface BaseText {
  text: string;
  file: string;
}

/** Finds the rulebook an overlay names as its `base` (a file beside it, a path, or a rulebook id). */
export type ResolveBase = (base: string, from: string) => BaseText;

const RULEBOOK_ID = /^[a-z0-9-]+\/[a-z0-9-]+\/[a-z0-9-]+$/;

/**
 * The base named in a file: `base: vardval-2025` is vardval-2025.yaml beside the overlay,
 * `base: ../x/2025.yaml` a path from the overlay's folder, and `base: exempel/vardval/2025` the
 * rulebook with that id among the YAML files beside it.
 */
export const fileBase: ResolveBase = (base, from) => {
  const dir = dirname(from);
  let file: string | undefined;
  if (/\.ya?ml$/.test(base)) file = resolve(dir, base);
  else if (RULEBOOK_ID.test(base)) {
    const idLine = new RegExp(`^id:\\s*['"]?${base.replace(/[-/]/g, '\\$&')}['"]?\\s*(#.*)?$`, 'm');
    file = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(dir, f))
      .find((f) => f !== resolve(from) && idLine.test(readFileSync(f, 'utf8')));
  } else file = join(dir, `${base}.yaml`);
  if (file === undefined || !existsSync(file))
    throw new Error(
      RULEBOOK_ID.test(base)
        ? `ingen regelbok med id ${base} finns i ${dir}`
        : `filen ${file ?? base} finns inte`,
    );
  return { text: readFileSync(file, 'utf8'), file };
};

const noBase: ResolveBase = () => {
  throw new Error('här kan base inte slås upp; ange hela regelboken');
};

function yamlErrors(doc: Document, counter: LineCounter, file: string): InputErrors {
  return new InputErrors(
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

/**
 * Reads a rulebook. One that names a `base` is an overlay: its base is read (through `resolveBase`,
 * itself perhaps an overlay), the overlay merged onto it (core/rulebook/overlay.ts) and the result
 * validated; errors are located on the overlay's lines where the overlay writes the value.
 */
export function parseRulebookText(
  text: string,
  file: string,
  resolveBase: ResolveBase = noBase,
  chain: string[] = [],
): LoadedRulebook {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) throw yamlErrors(doc, counter, file);
  const ownLocate = locator(doc, counter);
  const raw = doc.toJS({ maxAliasCount: 100 }) as Json;
  const baseName = overlayBase(raw);
  let document = raw;
  let overlay: LoadedRulebook['overlay'];
  let locate = ownLocate;
  let elsewhere: ((path: YamlPath) => LocatedError | undefined) | undefined;
  if (baseName !== undefined) {
    const at = (message: string, code = 'rulebook.overlay_base'): InputErrors =>
      new InputErrors(
        [{ file, ...ownLocate(['base']), where: 'base', code, message }],
        `Regelboken ${file} innehåller fel`,
      );
    let source: BaseText;
    try {
      source = resolveBase(baseName, file);
    } catch (error) {
      throw at(`Grunden ${baseName} kan inte läsas: ${(error as Error).message}`);
    }
    if (chain.includes(source.file) || source.file === file || chain.length > 8)
      throw at(
        `Grunden ${baseName} bygger i sin tur på den här regelboken (en cirkel)`,
        'rulebook.overlay_cycle',
      );
    const base = parseRulebookText(source.text, source.file, resolveBase, [...chain, file]);
    const merged = mergeOverlay(base.document as { [key: string]: Json }, raw as { [key: string]: Json });
    if (merged.issues.length > 0)
      throw new InputErrors(
        merged.issues.map((i) => ({
          file,
          ...ownLocate(i.path),
          where: formatYamlPath(i.path),
          code: i.code,
          message: i.message,
        })),
        `Regelboken ${file} innehåller fel`,
      );
    document = merged.merged;
    const resolvedText = stringify(document, { lineWidth: 0 });
    overlay = {
      base: baseName,
      baseFile: source.file,
      baseId: base.rulebook.id,
      changes: merged.changes,
      resolvedText,
    };
    locate = (path) => {
      const own = overlayPath(document, raw, path);
      return ownLocate(own.length > 0 || path.length === 0 ? own : ['base']);
    };
    elsewhere = (path) => {
      if (path.length === 0 || overlayPath(document, raw, path).length > 0) return undefined;
      const pos = base.locate(path);
      return pos
        ? { file: source.file, ...pos, where: formatYamlPath(path), code: '', message: '' }
        : undefined;
    };
  }
  const result = validateRulebook(document);
  if (!result.ok) {
    const errors: LocatedError[] = result.issues.map((issue) => {
      const inBase = elsewhere?.(issue.path);
      return {
        file: inBase?.file ?? file,
        ...(inBase ? { line: inBase.line, column: inBase.column } : locate(issue.path)),
        where: formatYamlPath(issue.path),
        code: issue.code,
        message: inBase ? `${issue.message} (i grunden ${overlay!.base}, efter överlägget)` : issue.message,
      };
    });
    throw new InputErrors(errors, `Regelboken ${file} innehåller fel`);
  }
  return {
    file,
    sha256: createHash('sha256')
      .update(overlay ? overlay.resolvedText : text)
      .digest('hex'),
    rulebook: result.rulebook,
    order: result.order,
    locate,
    document,
    overlay,
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
  return parseRulebookText(text, file, fileBase);
}
