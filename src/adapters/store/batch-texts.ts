import { TextArena, type IdTexts } from '../files/data-folder/index.js';
import { addUp, hasMagic, packSlices, stepsOf, unpackSlices, unpackStream } from './packed-bytes.js';
import { InputErrors, type LocatedError } from '../files/located-error.js';
import { StoredPersons } from './import-prepare.js';

/**
 * The texts a batch's listing and visit rows need beyond its columnar form (batch-cache.ts): each
 * listed person's id, each visit's id and person id as the file had them, and the person ids stored
 * otherwise than read (a 10-digit identity number made 12, say) as they are stored. Checked and
 * packed on the import's worker thread, and kept in the store (batch_visit_ids) until the rows are
 * all written after the import (batch-rows.ts), so a restart can make the rest of them. The stored
 * form of a person id is fixed at import: it does not depend on the day the rows are written.
 */

/** One file's person ids: as read, and row → as stored where that differs from the text. */
export interface PersonTexts {
  persons: TextArena;
  stored: Map<number, string>;
}

export interface BatchTexts {
  /** listings.csv's persons; absent in texts packed before the listing rows came after the import. */
  listings?: PersonTexts;
  visitIds: TextArena;
  visits: PersonTexts;
}

/** Packed in slices (packed-bytes.ts); before the slices, one brotli stream. */
const MAGIC = 'VVVISIDP';
const MAGIC_STREAM = 'VVVISID1';

/** A file's person ids as stored, and those that are not person ids as errors with file and line. */
function personTextsOf(
  file: string,
  arena: TextArena,
  lines: Int32Array,
): { texts: PersonTexts; errors: LocatedError[] } {
  const persons = new StoredPersons(file, arena);
  const stored = new Map<number, string>();
  for (let i = 0; i < arena.n; i++) if (!persons.plain(i)) stored.set(i, persons.text(i, lines[i]!));
  return { texts: { persons: arena, stored }, errors: persons.errors };
}

/** The texts the folder's rows need, every person id checked (both files' errors at once). */
export function batchTextsOf(ids: IdTexts, listingLines: Int32Array, visitLines: Int32Array): BatchTexts {
  const listings = personTextsOf('listings.csv', ids.listingPersons, listingLines);
  const visits = personTextsOf('visits.csv', ids.visitPersons, visitLines);
  const errors = [...listings.errors, ...visits.errors];
  if (errors.length) throw new InputErrors(errors);
  return { listings: listings.texts, visitIds: ids.visitIds, visits: visits.texts };
}

/** An arena's offsets as their steps (each text's length: stepsOf) and its bytes. */
const used = (a: TextArena): [Int32Array, Uint8Array] => {
  const offsets = a.offsets.subarray(0, a.n + 1);
  return [stepsOf(offsets) ?? offsets, a.bytes.subarray(0, a.offsets[a.n])];
};

/** The texts as bytes: a JSON header and the arenas, packed in slices. */
export function packBatchTexts(texts: BatchTexts): Promise<Uint8Array>[] {
  const listed = texts.listings ? [texts.listings.persons] : [];
  const arenas = [texts.visitIds, texts.visits.persons, ...listed].flatMap(used);
  const header = Buffer.from(
    JSON.stringify({
      n: texts.visitIds.n,
      lengths: arenas.map((a) => a.byteLength),
      offsets: 'steps',
      personsStored: [...texts.visits.stored],
      ...(texts.listings && {
        listings: texts.listings.persons.n,
        listingPersonsStored: [...texts.listings.stored],
      }),
    }),
    'utf8',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length, 0);
  return packSlices(MAGIC, [
    length,
    header,
    ...arenas.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)),
  ]);
}

/** What packBatchTexts wrote, its parts in order; decompressed off the event loop. */
export async function unpackBatchTexts(parts: Uint8Array[]): Promise<BatchTexts> {
  let raw: Buffer<ArrayBuffer>;
  const first = parts[0] ?? new Uint8Array(0);
  if (hasMagic(first, MAGIC)) raw = await unpackSlices(parts);
  else if (hasMagic(first, MAGIC_STREAM)) raw = await unpackStream(Buffer.concat(parts));
  else throw new Error('batch_visit_ids: not packed batch texts');
  const headerLength = raw.readUInt32LE(0);
  const header = JSON.parse(raw.toString('utf8', 4, 4 + headerLength)) as {
    n: number;
    lengths: number[];
    /** 'steps': the offsets were packed as their steps (before, as they are). */
    offsets?: 'steps';
    personsStored: [number, string][];
    /** listings.csv's rows, when its persons follow the visits' arenas. */
    listings?: number;
    listingPersonsStored?: [number, string][];
  };
  let at = 4 + headerLength;
  // Copied out: the offsets need their own aligned buffer.
  const next = (): ArrayBuffer => {
    const length = header.lengths.shift()!;
    const part = raw.buffer.slice(raw.byteOffset + at, raw.byteOffset + at + length);
    at += length;
    return part;
  };
  const arena = (n: number): TextArena => {
    const offsets = new Int32Array(next());
    if (header.offsets === 'steps') addUp(offsets);
    return TextArena.of(new Uint8Array(next()), offsets, n);
  };
  const visitIds = arena(header.n);
  const visits = { persons: arena(header.n), stored: new Map(header.personsStored) };
  if (header.listings === undefined) return { visitIds, visits };
  const listings = { persons: arena(header.listings), stored: new Map(header.listingPersonsStored) };
  return { listings, visitIds, visits };
}
