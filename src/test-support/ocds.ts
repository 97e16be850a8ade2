import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ajvDraft04 from 'ajv-draft-04';
import * as ajvFormats from 'ajv-formats';
import { PROJECT_ROOT } from '../adapters/store/connection.js';

/**
 * Validates OCDS release packages against the official 1.1.5 schemas in fixtures/ocds, offline, and
 * checks every code against its codelist (the schema's enums cover only the closed codelists).
 */
const DIR = join(PROJECT_ROOT, 'fixtures', 'ocds');
const read = (f: string) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Record<string, unknown>;
const releaseSchema = read('release-schema.json');
const packageSchema = read('release-package-schema.json');

// Both packages are CommonJS with a default export; under NodeNext it sits on `.default`.
const Ajv = ajvDraft04.default.default;
const addFormats = ajvFormats.default.default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(releaseSchema);
const validatePackage = ajv.compile(packageSchema);

/** The codes of a codelist CSV: the Code column, which comes before any quoted text. */
function codesOf(file: string): Set<string> {
  const [header = '', ...lines] = readFileSync(join(DIR, 'codelists', file), 'utf8').split('\n');
  const col = header.split(',').indexOf('Code');
  return new Set(lines.map((l) => l.split(',')[col]?.trim()).filter((c): c is string => !!c));
}
const codelists = new Map(readdirSync(join(DIR, 'codelists')).map((f) => [f, codesOf(f)]));

type Node = Record<string, unknown>;

function resolve(node: Node): Node {
  const ref = node.$ref as string | undefined;
  if (!ref) return node;
  const name = ref.split('/').pop()!;
  const target = (releaseSchema.definitions as Record<string, Node>)[name];
  if (!target) throw new Error(`OCDS release schema: no definition ${name} for ${ref}`);
  return resolve(target);
}

function walkCodes(schema: Node, value: unknown, path: string, errors: string[]): void {
  const s = resolve(schema);
  if (value === null || value === undefined) return;
  const codelist = s.codelist as string | undefined;
  if (codelist) {
    const codes = codelists.get(codelist);
    for (const v of Array.isArray(value) ? value : [value])
      if (codes && !codes.has(String(v))) errors.push(`${path}: "${String(v)}" finns inte i ${codelist}`);
    return;
  }
  if (Array.isArray(value) && s.items)
    value.forEach((v, i) => walkCodes(s.items as Node, v, `${path}/${i}`, errors));
  else if (typeof value === 'object' && s.properties)
    for (const [k, v] of Object.entries(value as Node)) {
      const child = (s.properties as Record<string, Node>)[k];
      if (child) walkCodes(child, v, `${path}/${k}`, errors);
    }
}

/** Every schema error and every code outside its codelist, as JSON pointers; empty when valid. */
export function ocdsErrors(pkg: unknown): string[] {
  const errors: string[] = [];
  if (!validatePackage(pkg))
    for (const e of validatePackage.errors ?? []) errors.push(`${e.instancePath || '/'}: ${e.message}`);
  const releases = (pkg as { releases?: unknown[] }).releases ?? [];
  releases.forEach((r, i) => walkCodes(releaseSchema, r, `/releases/${i}`, errors));
  return errors;
}
