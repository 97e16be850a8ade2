import { TextArena, type IdTexts } from '../files/data-folder/index.js';
import { addUp, hasMagic, packSlices, stepsOf, unpackSlices, unpackStream } from './packed-bytes.js';
import { StoredPersons } from './import-prepare.js';

/**
 * The texts a batch's visit rows need beyond its columnar form (batch-cache.ts): each visit's id
 * and person id as the file had them, and the person ids stored otherwise than read (a 10-digit
 * identity number made 12, say) as they are stored. Checked and packed on the import's worker
 * thread and kept in the store (batch_visit_ids) until the visit rows are all written
 * (visit-rows.ts), so a restart can make the rest of them. The stored form of a person id is
 * fixed at import: it does not depend on the day the rows are written.
 */

export interface VisitTexts {
  visitIds: TextArena;
  visitPersons: TextArena;
  /** Row → person id as stored, for the rows where that is not the text as read. */
  personsStored: Map<number, string>;
}

/** Packed in slices (packed-bytes.ts); before the slices, one brotli stream. */
const MAGIC = 'VVVISIDP';
const MAGIC_STREAM = 'VVVISID1';

/**
 * The visits' person ids as stored where they differ from the text; a person id that is not one
 * (a 10-digit number with the wrong check digit, say) is an InputError with file and line.
 */
export function visitTextsOf(ids: IdTexts, lines: Int32Array): VisitTexts {
  const persons = new StoredPersons('visits.csv', ids.visitPersons);
  const personsStored = new Map<number, string>();
  for (let i = 0; i < ids.visitPersons.n; i++)
    if (!persons.plain(i)) personsStored.set(i, persons.text(i, lines[i]!));
  persons.done();
  return { visitIds: ids.visitIds, visitPersons: ids.visitPersons, personsStored };
}

/** An arena's offsets as their steps (each text's length: stepsOf) and its bytes. */
const used = (a: TextArena): [Int32Array, Uint8Array] => {
  const offsets = a.offsets.subarray(0, a.n + 1);
  return [stepsOf(offsets) ?? offsets, a.bytes.subarray(0, a.offsets[a.n])];
};

/** The texts as bytes: a JSON header and the arenas, packed in slices. */
export function packVisitTexts(texts: VisitTexts): Promise<Uint8Array>[] {
  const arenas = [texts.visitIds, texts.visitPersons].flatMap(used);
  const header = Buffer.from(
    JSON.stringify({
      n: texts.visitIds.n,
      lengths: arenas.map((a) => a.byteLength),
      offsets: 'steps',
      personsStored: [...texts.personsStored],
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

/** What packVisitTexts wrote, its parts in order; decompressed off the event loop. */
export async function unpackVisitTexts(parts: Uint8Array[]): Promise<VisitTexts> {
  let raw: Buffer<ArrayBuffer>;
  const first = parts[0] ?? new Uint8Array(0);
  if (hasMagic(first, MAGIC)) raw = await unpackSlices(parts);
  else if (hasMagic(first, MAGIC_STREAM)) raw = await unpackStream(Buffer.concat(parts));
  else throw new Error('batch_visit_ids: not packed visit texts');
  const headerLength = raw.readUInt32LE(0);
  const header = JSON.parse(raw.toString('utf8', 4, 4 + headerLength)) as {
    n: number;
    lengths: number[];
    /** 'steps': the offsets were packed as their steps (before, as they are). */
    offsets?: 'steps';
    personsStored: [number, string][];
  };
  let at = 4 + headerLength;
  // Copied out: the offsets need their own aligned buffer.
  const next = (): ArrayBuffer => {
    const length = header.lengths.shift()!;
    const part = raw.buffer.slice(raw.byteOffset + at, raw.byteOffset + at + length);
    at += length;
    return part;
  };
  const arena = (): TextArena => {
    const offsets = new Int32Array(next());
    if (header.offsets === 'steps') addUp(offsets);
    return TextArena.of(new Uint8Array(next()), offsets, header.n);
  };
  const visitIds = arena();
  const visitPersons = arena();
  return { visitIds, visitPersons, personsStored: new Map(header.personsStored) };
}
