import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { DataSet } from '../../core/data/dataset.js';
import type { CopyRows, Db } from './connection.js';
import { addUp, hasMagic, packSlices, stepsOf, unpackSlices, unpackStream } from './packed-bytes.js';

/**
 * The columnar form of an imported batch, kept in the store beside its rows: the data set's typed
 * columns as they lie in memory and its dictionaries as JSON, packed in parts (packed-bytes.ts), keyed
 * by the batch's content hash (its files' sha256). A run after a restart reads these few parts
 * instead of the batch's millions of rows. Written in the import's own transaction: a batch has
 * its columns or (imported before they existed) none, and then the rows are read as before.
 */

const MAGIC = 'VVBATCH1';
const ALIGN = 8;
/** The data set's shape: columns written under another layout are not read (the rows are). */
const LAYOUT = 1;

type Column = Int32Array | Uint8Array | Float64Array;
const KINDS = { Int32Array, Uint8Array, Float64Array } as const;
type Kind = keyof typeof KINDS;

interface Header {
  /** `steps`: the column is kept as the steps from each value to the next (stepsOf). */
  columns: { kind: Kind; length: number; offset: number; steps?: true }[];
  data: unknown;
}

/** The batch's content hash: the layout and each input file's name, sha256 and row count. */
export function batchContentHash(files: DataSet['files']): string {
  const text = [`layout:${LAYOUT}`, ...files.map((f) => `${f.name}:${f.sha256}:${f.rows}`)].join('\n');
  return createHash('sha256').update(text).digest('hex');
}

const isColumn = (v: unknown): v is Column =>
  v instanceof Int32Array || v instanceof Uint8Array || v instanceof Float64Array;

/**
 * A data set laid out for writing (here, and the bench's columnar cache file): `prefix` holds a
 * magic, the header's length and the JSON header (the columns' kinds, lengths and offsets, and
 * the data set with each column as a reference), padded to ALIGN; each column follows at
 * prefix.length + its offset, `bytes` in all, as it is written (a column that never goes down as
 * its steps; rebuildDataSet adds them up).
 */
export interface DataSetLayout {
  prefix: Buffer;
  columns: Column[];
  offsets: number[];
  bytes: number;
}

export function layOutDataSet(data: DataSet, magic: string): DataSetLayout {
  const columns: Column[] = [];
  const encode = (v: unknown): unknown => {
    if (isColumn(v)) {
      columns.push(v);
      return { $column: columns.length - 1 };
    }
    if (v instanceof Map) return { $map: [...v].map(([k, x]) => [k, encode(x)]) };
    if (Array.isArray(v)) return v.map(encode);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
    return v;
  };
  const encoded = encode(data);
  const layout: Header['columns'] = [];
  let offset = 0;
  columns.forEach((c, i) => {
    const steps = stepsOf(c);
    if (steps) columns[i] = steps;
    layout.push({
      kind: c.constructor.name as Kind,
      length: c.length,
      offset,
      ...(steps && { steps: true }),
    });
    offset += Math.ceil(c.byteLength / ALIGN) * ALIGN;
  });
  const header = Buffer.from(JSON.stringify({ columns: layout, data: encoded } satisfies Header), 'utf8');
  const prefix = Buffer.alloc(16 + Math.ceil(header.length / ALIGN) * ALIGN);
  prefix.write(magic, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 8);
  header.copy(prefix, 16);
  return { prefix, columns, offsets: layout.map((c) => c.offset), bytes: prefix.length + offset };
}

/** The byte length of a laid-out data set's JSON header, from its first 16 bytes; undefined when the magic differs. */
export function headerLength(first16: Buffer, magic: string): number | undefined {
  if (first16.length < 16 || !hasMagic(first16, magic)) return undefined;
  return first16.readUInt32LE(8);
}

/**
 * The data set from a laid-out header's text, its columns read by `read(column, position)` (the
 * position counted from the start of the prefix).
 */
export function rebuildDataSet(
  headerText: string,
  read: (column: Uint8Array, position: number) => void,
): DataSet {
  const header = JSON.parse(headerText) as Header;
  const headerBytes = 16 + Math.ceil(Buffer.byteLength(headerText, 'utf8') / ALIGN) * ALIGN;
  const columns = header.columns.map((c) => {
    const column = new KINDS[c.kind](c.length);
    read(new Uint8Array(column.buffer, 0, column.byteLength), headerBytes + c.offset);
    if (c.steps) addUp(column as Int32Array);
    return column;
  });
  const decode = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(decode);
    if (v !== null && typeof v === 'object') {
      if ('$column' in v) return columns[(v as { $column: number }).$column];
      if ('$map' in v)
        return new Map((v as { $map: [string, unknown][] }).$map.map(([k, x]) => [k, decode(x)]));
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
    }
    return v;
  };
  return decode(header.data) as DataSet;
}

/**
 * The data set's bytes as pieces that lie one after the other: magic, header length, JSON header,
 * then the columns where they are in memory, each followed by zeros to the next 8 bytes.
 */
function dataSetPieces(data: DataSet): Uint8Array[] {
  const { prefix, columns, offsets, bytes } = layOutDataSet(data, MAGIC);
  const pieces: Uint8Array[] = [prefix];
  let at = prefix.length;
  columns.forEach((c, i) => {
    const start = prefix.length + offsets[i]!;
    if (start > at) pieces.push(new Uint8Array(start - at));
    pieces.push(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
    at = start + c.byteLength;
  });
  if (bytes > at) pieces.push(new Uint8Array(bytes - at));
  return pieces;
}

/** Packed in slices (packed-bytes.ts); batches imported before the slices have one brotli stream. */
const PACKED = 'VVBATCHP';
const PACKED_STREAM = 'VVBATCHZ';
const joined = (parts: Uint8Array[]): Uint8Array => (parts.length === 1 ? parts[0]! : Buffer.concat(parts));

/**
 * The data set as it is stored: dataSetPieces' bytes packed in slices (read from the columns where
 * they lie), a part each. Made on the import's worker thread.
 */
export function packDataSet(data: DataSet): Promise<Uint8Array>[] {
  return packSlices(PACKED, dataSetPieces(data));
}

/**
 * What packDataSet wrote (or, for batches stored before it, the same bytes unpacked or packed in
 * one stream); off the event loop.
 */
async function unpackDataSet(parts: Uint8Array[]): Promise<DataSet | undefined> {
  if (parts.length > 0 && hasMagic(parts[0]!, PACKED)) return decodeDataSet(await unpackSlices(parts));
  const bytes = joined(parts);
  if (hasMagic(bytes, PACKED_STREAM)) return decodeDataSet(await unpackStream(bytes));
  return decodeDataSet(bytes);
}

/** Reads dataSetPieces' bytes; undefined when the bytes are not such a data set. */
export function decodeDataSet(bytes: Uint8Array): DataSet | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = headerLength(buf.subarray(0, 16), MAGIC);
  if (length === undefined) return undefined;
  return rebuildDataSet(buf.toString('utf8', 16, 16 + length), (column, at) =>
    column.set(buf.subarray(at, at + column.byteLength)),
  );
}

/** The tables that keep a batch's bytes in parts: its columnar form, and the texts of its rows (batch-texts.ts). */
export type PartTable = 'batch_columns' | 'batch_visit_ids';

/**
 * Stores a batch's parts, in order as they come, in the import's transaction through binary COPY
 * (one chunk a part): PGlite takes a large bytea parameter a byte at a time, and hex text doubles
 * the bytes. The columnar form's parts carry its content hash.
 */
async function saveParts(
  copy: CopyRows,
  table: PartTable,
  batchId: number,
  given: AsyncIterable<Uint8Array>,
  contentHash?: string,
): Promise<void> {
  const hash = contentHash === undefined ? undefined : Buffer.from(contentHash, 'utf8');
  async function* parts(): AsyncIterable<Uint8Array> {
    let part = 0;
    for await (const chunk of given) {
      // The row: two integers, the hash if any, then the part's length and bytes.
      const head = Buffer.alloc(2 + 8 + 8 + (hash ? 4 + hash.length : 0) + 4);
      let end = head.writeInt16BE(hash ? 4 : 3, 0);
      for (const v of [batchId, part]) end = head.writeInt32BE(v, head.writeInt32BE(4, end));
      if (hash) {
        end = head.writeInt32BE(hash.length, end);
        end += hash.copy(head, end);
      }
      head.writeInt32BE(chunk.length, end);
      yield Buffer.concat([head, chunk]);
      part++;
    }
  }
  const columns = ['batch_id', 'part', ...(hash ? ['content_hash'] : []), 'bytes'];
  await copy.binary(table, columns, parts());
}

/** Stores a batch's columnar form (packDataSet's parts) under its content hash. */
export async function saveBatchColumns(
  batchId: number,
  contentHash: string,
  parts: AsyncIterable<Uint8Array>,
  copy: CopyRows,
): Promise<void> {
  await saveParts(copy, 'batch_columns', batchId, parts, contentHash);
}

/** Stores the texts of a batch's rows (packBatchTexts' parts) until its listing and visit rows are written. */
export async function saveBatchTexts(
  batchId: number,
  parts: AsyncIterable<Uint8Array>,
  copy: CopyRows,
): Promise<void> {
  await saveParts(copy, 'batch_visit_ids', batchId, parts);
}

/** The parts' bytes, in order: on PGlite through COPY TO its /dev/blob (one read, no per-byte decoding). */
async function readParts(db: Db, table: PartTable, batchId: number): Promise<Uint8Array[]> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof PGlite) {
    const copied = await client.query(
      `COPY (SELECT encode(bytes, 'base64') FROM ${table} WHERE batch_id = ${Number(batchId)} ORDER BY part) TO '/dev/blob'`,
    );
    const text = copied.blob ? await copied.blob.text() : '';
    // One line a part; COPY writes base64's own line breaks as the two characters \n.
    return text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => Buffer.from(line.replaceAll('\\n', ''), 'base64'));
  }
  const rows = await db.execute<{ bytes: Uint8Array }>(
    sql`SELECT bytes FROM ${sql.identifier(table)} WHERE batch_id = ${batchId} ORDER BY part`,
  );
  return ((rows as unknown as { rows: { bytes: Uint8Array }[] }).rows ?? []).map((r) => r.bytes);
}

/** The batch's texts' parts as stored; undefined when there are none (its rows are all written). */
export async function readBatchTexts(db: Db, batchId: number): Promise<Uint8Array[] | undefined> {
  const parts = await readParts(db, 'batch_visit_ids', batchId);
  return parts.length ? parts : undefined;
}

/** The batch's columnar form when it was stored under this content hash. */
export async function readBatchColumns(
  db: Db,
  batchId: number,
  contentHash: string,
): Promise<DataSet | undefined> {
  const result = await db.execute<{ content_hash: string }>(
    sql`SELECT content_hash FROM batch_columns WHERE batch_id = ${batchId} ORDER BY part`,
  );
  const hashes = ((result as unknown as { rows?: { content_hash: string }[] }).rows ?? []).map(
    (r) => r.content_hash,
  );
  if (hashes.length === 0 || hashes.some((h) => h !== contentHash)) return undefined;
  const parts = await readParts(db, 'batch_columns', batchId);
  if (parts.length !== hashes.length) return undefined;
  return unpackDataSet(parts);
}
