import { and, eq, isNotNull, or } from 'drizzle-orm';
import type { DataSet } from '../../core/data/dataset.js';
import { batchContentHash, readBatchColumns, readBatchTexts } from './batch-cache.js';
import { unpackBatchTexts } from './batch-texts.js';
import type { Connection, Db } from './connection.js';
import { LISTING_COLUMNS, VISIT_COLUMNS } from './import-prepare.js';
import { listingChunks, visitChunks, type LargeTable, type RowChunk } from './import-rows.js';
import * as t from './schema.js';
import { StoreError } from './store-error.js';

/**
 * A batch's listing and visit rows are written after its import, in the background: the import
 * stores the batch's columnar form and the texts its rows need (batch-texts.ts), and the batch can
 * be run once they are in (a run reads the columnar form, never these rows). The rows then go in a
 * chunk per transaction, each with the count written so far (import_batch.listing_rows_written,
 * then visit_rows_written), so a stop, a crash or kill -9 leaves whole chunks and counts that say
 * where to go on; the next start goes on from there (resumeBatchRows). The last transaction clears
 * the visit count and deletes the texts. What reads the rows before they are in gets a conflict
 * (expectRowsWritten).
 */

/** Bytes of binary COPY per transaction: some 40 000 rows (VARDVAL_VISIT_ROWS_CHUNK_KB). */
function chunkBytes(): number {
  const kb = Number(process.env.VARDVAL_VISIT_ROWS_CHUNK_KB);
  return Number.isInteger(kb) && kb > 0 ? kb * 1024 : 4 * 1024 * 1024;
}

export interface BatchRowsSource {
  /** The batch as read at import (else read from its columnar form). */
  data: DataSet;
  /** The texts' parts as packBatchTexts made them (else read from batch_visit_ids). */
  texts: Uint8Array[];
}

/** A file's rows written and its rows in all; the two equal once they are all written. */
export type BatchRowsProgress = (file: 'listings.csv' | 'visits.csv', written: number, of: number) => void;

/** The batches whose rows this process writes, per store. */
const writing = new WeakMap<Db, Map<number, Promise<void>>>();

/**
 * Writes batch `batchId`'s remaining listing and visit rows in the connection's background work;
 * the same promise while they are being written. Resolves when they are all written, or when the
 * connection closes first (the rest is written at the next start).
 */
export function writeBatchRows(
  conn: Connection,
  batchId: number,
  source?: BatchRowsSource,
  onProgress?: BatchRowsProgress,
): Promise<void> {
  let batches = writing.get(conn.db);
  if (!batches) writing.set(conn.db, (batches = new Map()));
  const under = batches.get(batchId);
  if (under) return under;
  const done = conn.background.run((signal) => write(conn, batchId, source, signal, onProgress));
  batches.set(batchId, done);
  const forget = (): void => void batches.delete(batchId);
  done.then(forget, forget);
  return done;
}

/** Starts writing every batch's rows that an earlier process left unwritten; their ids. */
export async function resumeBatchRows(
  conn: Connection,
  onError: (batchId: number, error: unknown) => void,
): Promise<number[]> {
  const pending = await conn.db
    .select({ id: t.importBatches.id })
    .from(t.importBatches)
    .where(or(isNotNull(t.importBatches.listingRowsWritten), isNotNull(t.importBatches.visitRowsWritten)))
    .orderBy(t.importBatches.id);
  for (const { id } of pending) writeBatchRows(conn, id).catch((error: unknown) => onError(id, error));
  return pending.map((b) => b.id);
}

const TABLES = {
  listing: {
    file: 'listings.csv',
    what: 'Listningsraderna',
    count: 'listings',
    written: t.importBatches.listingRowsWritten,
    key: 'listingRowsWritten',
    columns: LISTING_COLUMNS.map(([name]) => name),
  },
  visit: {
    file: 'visits.csv',
    what: 'Besöksraderna',
    count: 'visits',
    written: t.importBatches.visitRowsWritten,
    key: 'visitRowsWritten',
    columns: VISIT_COLUMNS.map(([name]) => name),
  },
} as const;

/**
 * Refuses to read a batch's rows of `table` while some are still to be written (a person lookup
 * reads the listing rows; a run after a listing change reads both): a conflict that says how far
 * they have come.
 */
export function expectRowsWritten(batch: typeof t.importBatches.$inferSelect, table: LargeTable): void {
  const { what, count, key } = TABLES[table];
  const written = batch[key];
  if (written === null) return;
  const of = (batch.counts as Record<string, number>)[count] ?? 0;
  const n = (v: number) => v.toLocaleString('sv-SE');
  throw new StoreError(
    'conflict',
    `${what} i import ${batch.id} sparas ännu (${n(written)} av ${n(of)}). ` +
      'Försök igen när de är sparade, om en stund.',
    undefined,
    'Importen sparas ännu',
  );
}

/** The files whose rows are written after the import, in the order they are written. */
export const ROWS_AFTER_IMPORT = Object.values(TABLES).map((table) => table.file);

/** expectRowsWritten for the listing rows of batch `batchId`, as the store has it now. */
export async function expectListingRows(db: Db, batchId: number): Promise<void> {
  const [batch] = await db.select().from(t.importBatches).where(eq(t.importBatches.id, batchId));
  if (batch) expectRowsWritten(batch, 'listing');
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function write(
  conn: Connection,
  batchId: number,
  source: BatchRowsSource | undefined,
  signal: AbortSignal,
  onProgress: BatchRowsProgress | undefined,
): Promise<void> {
  const [batch] = await conn.db.select().from(t.importBatches).where(eq(t.importBatches.id, batchId));
  if (!batch || (batch.listingRowsWritten === null && batch.visitRowsWritten === null)) return;
  const data =
    source?.data ??
    (await readBatchColumns(conn.db, batchId, batchContentHash(batch.files as DataSet['files'])));
  const packed = source?.texts ?? (await readBatchTexts(conn.db, batchId));
  if (!data || !packed)
    throw new Error(`import ${batchId}: its rows cannot be made again (no columnar form or texts)`);
  const texts = await unpackBatchTexts(packed);
  if (batch.listingRowsWritten !== null) {
    if (!texts.listings) throw new Error(`import ${batchId}: its listing rows' texts are not kept`);
    const from = batch.listingRowsWritten;
    const chunks = listingChunks(data, texts.listings, batchId, from, chunkBytes());
    if (!(await writeChunks(conn, batchId, 'listing', chunks, from, data.listings.count, signal, onProgress)))
      return;
  }
  if (batch.visitRowsWritten === null) return;
  const from = batch.visitRowsWritten;
  const chunks = visitChunks(data, texts, batchId, from, chunkBytes());
  await writeChunks(conn, batchId, 'visit', chunks, from, data.visits.count, signal, onProgress);
}

/**
 * One table's remaining rows, a chunk per transaction, then its count cleared (for the visits,
 * the last table, with the texts deleted); false when stopped before.
 */
async function writeChunks(
  conn: Connection,
  batchId: number,
  table: LargeTable,
  chunks: Iterable<RowChunk>,
  from: number,
  of: number,
  signal: AbortSignal,
  onProgress: BatchRowsProgress | undefined,
): Promise<boolean> {
  const { file, columns } = TABLES[table];
  let written = from;
  if (written < of) onProgress?.(file, written, of);
  for (const chunk of chunks) {
    if (signal.aborted) return false;
    const before = written;
    await conn.copyTransaction(async (db, copy) => {
      await advance(db, batchId, table, before, chunk.rows);
      await copy.binary(table, [...columns], once(chunk.bytes));
    });
    written = chunk.rows;
    // All written is said once the count is cleared, below.
    if (written < of) onProgress?.(file, written, of);
    // Requests waiting for the store go first: on the embedded store's one connection the next
    // transaction would otherwise take it again before them.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (signal.aborted) return false;
  await conn.copyTransaction(async (db) => {
    await advance(db, batchId, table, written, null);
    if (table === 'visit') await db.delete(t.batchVisitIds).where(eq(t.batchVisitIds.batchId, batchId));
  });
  onProgress?.(file, written, written);
  return true;
}

/**
 * Moves the batch's count of `table` from `from` to `to` (null: all written), first in the
 * transaction: a second writer of the same batch (another server on the same database) waits for
 * the first and then finds the count moved, and stops without writing a row twice.
 */
async function advance(
  db: Db,
  batchId: number,
  table: LargeTable,
  from: number,
  to: number | null,
): Promise<void> {
  const { written, key } = TABLES[table];
  const moved = await db
    .update(t.importBatches)
    .set({ [key]: to })
    .where(and(eq(t.importBatches.id, batchId), eq(written, from)))
    .returning({ id: t.importBatches.id });
  if (moved.length === 0)
    throw new Error(`import ${batchId}: its ${table} rows are being written by another process`);
}
