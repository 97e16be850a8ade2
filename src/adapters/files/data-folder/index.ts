import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { emptyEvents, emptyIndicators, type DataSet } from '../../../core/data/dataset.js';
import { DATA_FILES, type DataFileName } from '../../../core/data/files.js';
import { BACKGROUND_HASH_BYTES, hashFilesInBackground, type FileHashes } from '../csv-tokenizer.js';
import { InputErrors } from '../located-error.js';
import { emptyAreas, readAreas } from './areas.js';
import { ByteKeys } from './byte-keys.js';
import { Dictionary } from './dictionaries.js';
import { readEvents } from './events.js';
import { readIndicators } from './indicators.js';
import { emptyListings, readListings } from './listings.js';
import { PersonIndex } from './person-index.js';
import { fileSize, type Loaded, type LoadOptions } from './read-file.js';
import { readUnits } from './units.js';
import { emptyVisits, readVisits } from './visits.js';

export { DATA_FILES, type DataFileName } from '../../../core/data/files.js';
export { MAX_ERRORS_PER_FILE } from './file-context.js';
export type { LoadOptions } from './read-file.js';
export { IdTexts, TextArena } from './id-texts.js';
export { unitIndexOf } from './units.js';

/**
 * Reads a data folder (spec/data-exchange.md; its files and columns in core/data/files.ts) into
 * columnar tables, one reader per file. Every error is located as file:line:column; all errors of
 * a file are reported (up to MAX_ERRORS_PER_FILE) and nothing is returned from a folder with
 * errors. Identity numbers never appear in a message.
 *
 * National scale (10 M persons, 35 M visits; see src/bench): codes and ids are looked up straight
 * from the CSV bytes (byte-keys.ts; no string per cell), visit ids are checked for uniqueness
 * without a string per id (unique-ids.ts), large files are hashed on a worker thread and
 * listings.csv and visits.csv above 128 MB are read in two parts on two threads (two-parts.ts).
 * The result is the same, error for error, as reading the files one row at a time.
 */

/**
 * The order readFolder reads the files in; the background hasher takes large files in the same
 * order, and an uploaded zip is unpacked in it.
 */
export const READ_ORDER: readonly DataFileName[] = [
  'areas.csv',
  'units.csv',
  'listings.csv',
  'visits.csv',
  'indicators.csv',
  'events.csv',
];

export function loadDataFolder(dir: string, options: LoadOptions = {}): DataSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputErrors([{ file: dir, code: 'data.no_folder', message: 'Datamappen finns inte' }]);
  }
  const required = new Set<DataFileName>(options.require ?? ['units.csv', 'areas.csv', 'listings.csv']);
  required.add('units.csv');
  const present = (f: DataFileName): boolean => existsSync(join(dir, f));
  // Large files are hashed by a worker thread, in the order they are read, while this thread parses.
  const large = READ_ORDER.map((f) => join(dir, f)).filter(
    (p) => existsSync(p) && fileSize(p, options) >= BACKGROUND_HASH_BYTES,
  );
  const hashes = hashFilesInBackground(large, options.arriving);
  try {
    return readFolder(dir, options, required, present, hashes);
  } finally {
    hashes.cancel();
  }
}

function readFolder(
  dir: string,
  options: LoadOptions,
  required: Set<DataFileName>,
  present: (f: DataFileName) => boolean,
  hashes: FileHashes,
): DataSet {
  const loaded: Loaded = { files: [], errors: [], truncated: [], hashes };
  for (const f of DATA_FILES) {
    if (required.has(f) && !present(f))
      loaded.errors.push({
        file: f,
        code: 'data.missing_file',
        message: `Filen ${f} saknas i datamappen ${dir}`,
      });
  }
  if (loaded.errors.length > 0) throw new InputErrors(loaded.errors);

  const areas = present('areas.csv') ? readAreas(dir, loaded, options) : emptyAreas();
  const units = readUnits(dir, loaded, options);
  const unitKeys = ByteKeys.of(units.id);
  const persons = new PersonIndex();
  const doctors = new Dictionary([]);
  const listings = present('listings.csv')
    ? readListings(dir, loaded, options, unitKeys, units, areas, persons, doctors)
    : emptyListings();
  const visits = present('visits.csv')
    ? readVisits(dir, loaded, options, unitKeys, units, persons, doctors)
    : emptyVisits();
  const indicators = present('indicators.csv')
    ? readIndicators(dir, loaded, options, units)
    : emptyIndicators();
  const events = present('events.csv') ? readEvents(dir, loaded, options, units) : emptyEvents();

  if (loaded.errors.length > 0) {
    const extra = loaded.truncated.map((t) => ({
      file: t.file,
      code: 'data.more_errors',
      message: `ytterligare ${t.count} fel i filen visas inte`,
    }));
    throw new InputErrors(
      [...loaded.errors, ...extra],
      `Datamappen ${dir} innehåller fel; inget har beräknats`,
    );
  }
  loaded.files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    units,
    areas,
    listings,
    visits,
    indicators,
    events,
    personCount: persons.count,
    doctors: doctors.list,
    files: loaded.files,
  };
}
