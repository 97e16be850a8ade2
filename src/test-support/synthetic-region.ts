import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize, type SynthOptions } from '../adapters/synth/synthesize.js';

/** Skatteverket's test identity numbers, which the synthetic persons are drawn from. */
const IDENTITY_FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'identity');

/** What a test chooses about its synthetic region: its size, seed and months. */
export type RegionChoice = Omit<SynthOptions, 'out' | 'identityDir' | 'onProgress'>;

/**
 * A synthetic region's data folder, written to a new temporary folder (`<tmp>/<prefix>…/data`) from the
 * project's test identity numbers. The caller removes its parent when done, if it cares to.
 */
export async function syntheticRegion(prefix: string, choice: RegionChoice): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), prefix)), 'data');
  await synthesize({ ...choice, out, identityDir: IDENTITY_FIXTURES });
  return out;
}
