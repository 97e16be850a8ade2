import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { synthesize, type SynthOptions } from '../adapters/synth/synthesize.js';

/** Skatteverket's test identity numbers, which the synthetic persons are drawn from. */
const IDENTITY_FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'identity');

/** What a test chooses about its synthetic region: its size, seed and months. */
export type RegionChoice = Omit<SynthOptions, 'out' | 'identityDir' | 'onProgress'>;

/**
 * A synthetic region's data folder, written to a new temporary folder (`<tmp>/vardval-<name>-…/data`)
 * from the project's test identity numbers. Remove its parent folder when done.
 */
export async function syntheticRegion(name: string, choice: RegionChoice): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), `vardval-${name}-`)), 'data');
  await synthesize({ ...choice, out, identityDir: IDENTITY_FIXTURES });
  return out;
}

/**
 * A synthetic region for the enclosing describe block (or file): written before its tests, removed
 * after them. `dir` is its data folder.
 */
export function useSyntheticRegion(name: string, choice: RegionChoice): { readonly dir: string } {
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await syntheticRegion(name, choice);
  }, 180_000);
  afterAll(() => {
    if (dir) rmSync(dirname(dir), { recursive: true, force: true });
  });
  return {
    get dir() {
      if (!dir) throw new Error(`The synthetic region ${name} is not written yet`);
      return dir;
    },
  };
}
