import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENGINE_CHANGES, ENGINE_FINGERPRINT, ENGINE_VERSION } from './version.js';

const core = join(import.meta.dirname, '..');

/** The newest release the CHANGELOG describes. */
function newestRelease(): string {
  const changelog = readFileSync(join(core, '..', '..', 'CHANGELOG.md'), 'utf8');
  const m = /^## (\d+\.\d+\.\d+)/m.exec(changelog);
  if (!m) throw new Error('CHANGELOG.md has no release heading');
  return m[1] ?? '';
}

/** The code that decides what a statement says: the engine, its components and what they call. */
function engineSources(): string[] {
  const engine = readdirSync(join(core, 'engine'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'version.ts')
    .map((f) => join('engine', f));
  const shared = [
    'calendar.ts',
    'data/dataset.ts',
    'element.ts',
    'labels.ts',
    'money.ts',
    'rulebook/dated.ts',
    'followup/indicators.ts',
  ];
  return [...engine, ...shared].sort();
}

/** A hash of the sources' JavaScript: types, comments and layout do not count. */
function fingerprint(files: { name: string; text: string }[]): string {
  const hash = createHash('sha256');
  for (const { name, text } of files) {
    const js = ts.transpileModule(text, {
      compilerOptions: { removeComments: true, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    hash.update(`${name}\n${js.replace(/\s+/g, ' ')}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

const current = (): string =>
  fingerprint(engineSources().map((name) => ({ name, text: readFileSync(join(core, name), 'utf8') })));

describe('engine version', () => {
  it('is the newest entry of the engine changes, in release order and not past the newest release', () => {
    expect(ENGINE_VERSION).toBe(ENGINE_CHANGES.at(-1)?.version);
    const parts = (v: string): number[] => v.split('.').map(Number);
    const order = (a: string, b: string): number => {
      const [x, y] = [parts(a), parts(b)];
      return [0, 1, 2].map((k) => (x[k] ?? 0) - (y[k] ?? 0)).find((d) => d !== 0) ?? 0;
    };
    for (const c of ENGINE_CHANGES) expect(c.version).toMatch(/^\d+\.\d+\.\d+$/);
    ENGINE_CHANGES.forEach((c, i) => {
      const before = ENGINE_CHANGES[i - 1];
      if (before) expect(order(before.version, c.version)).toBeLessThan(0);
    });
    expect(order(ENGINE_VERSION, newestRelease())).toBeLessThanOrEqual(0);
  });

  it('counts a change in what is computed, not in comments, types or layout', () => {
    const base = fingerprint([{ name: 'a.ts', text: 'export const rate = (x: number): number => x * 2;' }]);
    const same = fingerprint([
      { name: 'a.ts', text: '// doubles\nexport const rate = (x: number) =>\n  x * 2;' },
    ]);
    const other = fingerprint([{ name: 'a.ts', text: 'export const rate = (x: number): number => x * 3;' }]);
    expect(same).toBe(base);
    expect(other).not.toBe(base);
  });

  it('matches the engine code it was recorded for', () => {
    const now = current();
    expect(
      ENGINE_FINGERPRINT,
      `The engine's code changed (fingerprint ${now}). If it now computes something else, add an ` +
        `entry to ENGINE_CHANGES in src/core/engine/version.ts (a new ENGINE_VERSION) and regenerate ` +
        `the golden statements; if it computes the same, set ENGINE_FINGERPRINT to '${now}'.`,
    ).toBe(now);
  });
});
