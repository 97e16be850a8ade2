import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KommunIndex, parseKommuner } from '../../core/kommuner.js';
import { PROJECT_ROOT } from '../store/connection.js';

const KOMMUNER_FILE = join(PROJECT_ROOT, 'data', 'kommuner', 'kommuner.csv');

// The list ships with the program and does not change while it runs: read it once.
let index: KommunIndex | undefined;

/** Sweden's 290 kommuner, from data/kommuner/kommuner.csv. */
export function kommuner(): KommunIndex {
  index ??= new KommunIndex(parseKommuner(readFileSync(KOMMUNER_FILE, 'utf8')));
  return index;
}
