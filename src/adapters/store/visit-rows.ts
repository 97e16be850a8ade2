import { and, eq, isNotNull } from 'drizzle-orm';
import type { DataSet } from '../../core/data/dataset.js';
import { batchContentHash, readBatchColumns, readBatchVisitIds } from './batch-cache.js';
import type { Connection, Db } from './connection.js';
import { VISIT_COLUMNS } from './import-prepare.js';
import { visitChunks } from './import-rows.js';
import * as t from './schema.js';
import { StoreError } from './store-error.js';
import { unpackVisitTexts } from './visit-id-texts.js';

/**
 * A batch's visit rows are written after its import, in the background: the import stores the
 * batch's columnar form and its visit id texts, and is usable for runs once they are in (a run
 * reads the columnar form, never the visit rows). The rows then go in a chunk per transaction, each
 * with the count written so far (import_batch.visit_rows_written), so a stop, a crash or kill -9
 * leaves whole chunks and a count that says where to go on; the next start goes on from there
 * (resumeVisitRows). The last transaction clears the count and deletes the id texts.
 */

const VISIT_COLUMN_NAMES = VISIT_COLUMNS.map(([name]) => name);

/** Bytes of binary COPY per transaction: some 40 000 visit rows (VARDVAL_VISIT_ROWS_CHUNK_KB). */
function chunkBytes(): number {
  const kb = Number(process.env.VARDVAL_VISIT_ROWS_CHUNK_KB);
  return Number.isInteger(kb) && kb > 0 ? kb * 1024 : 4 * 1024 * 1024;
}

export interface VisitRowsSource {
  /** The batch as read at import (else read from its columnar form). */
  data: DataSet;
  /** The visit id texts' parts as packVisitTexts made them (else read from batch_visit_ids). */
  visitIds: Uint8Array[];
}

/** Rows written and the batch's visit rows in all; the two equal once they are all written and the count cleared. */
export type VisitRowsProgress = (written: number, of: number) => void;

/** The batches whose visit rows this process writes, per store. */
const writing = new WeakMap<Db, Map<number, Promise<void>>>();

/**
 * Writes batch `batchId`'s remaining visit rows in the connection's background work; the same
 * promise while they are being written. Resolves when they are all written, or when the
 * connection closes first (the rest is written at the next start).
 */
export function writeVisitRows(
  conn: Connection,
  batchId: number,
  source?: VisitRowsSource,
  onProgress?: VisitRowsProgress,
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

/** Starts writing every batch's visit rows that an earlier process left unwritten; their ids. */
export async function resumeVisitRows(
  conn: Connection,
  onError: (batchId: number, error: unknown) => void,
): Promise<number[]> {
  const pending = await conn.db
    .select({ id: t.importBatches.id })
    .from(t.importBatches)
    .where(isNotNull(t.importBatches.visitRowsWritten))
    .orderBy(t.importBatches.id);
  for (const { id } of pending) writeVisitRows(conn, id).catch((error: unknown) => onError(id, error));
  return pending.map((b) => b.id);
}

/**
 * Refuses to read a batch's visit rows while some are still to be written (a run after a listing
 * change reads the rows): a conflict that says how far they have come.
 */
export function expectVisitRowsWritten(batch: typeof t.importBatches.$inferSelect): void {
  if (batch.visitRowsWritten === null) return;
  const of = (batch.counts as Record<string, number>).visits ?? 0;
  const n = (v: number) => v.toLocaleString('sv-SE');
  throw new StoreError(
    'conflict',
    `Besöksraderna i import ${batch.id} sparas ännu (${n(batch.visitRowsWritten)} av ${n(of)}). ` +
      'Körningen kan göras när de är sparade, om en stund.',
    undefined,
    'Importen sparas ännu',
  );
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function write(
  conn: Connection,
  batchId: number,
  source: VisitRowsSource | undefined,
  signal: AbortSignal,
  onProgress: VisitRowsProgress | undefined,
): Promise<void> {
  const [batch] = await conn.db.select().from(t.importBatches).where(eq(t.importBatches.id, batchId));
  if (!batch || batch.visitRowsWritten === null) return;
  const data =
    source?.data ??
    (await readBatchColumns(conn.db, batchId, batchContentHash(batch.files as DataSet['files'])));
  const packed = source?.visitIds ?? (await readBatchVisitIds(conn.db, batchId));
  if (!data || !packed)
    throw new Error(`import ${batchId}: the visit rows cannot be made again (no columnar form or id texts)`);
  const texts = await unpackVisitTexts(packed);
  let written = batch.visitRowsWritten;
  if (written < data.visits.count) onProgress?.(written, data.visits.count);
  for (const chunk of visitChunks(data, texts, batchId, written, chunkBytes())) {
    if (signal.aborted) return;
    const from = written;
    await conn.copyTransaction(async (db, copy) => {
      await advance(db, batchId, from, chunk.rows);
      await copy.binary('visit', VISIT_COLUMN_NAMES, once(chunk.bytes));
    });
    written = chunk.rows;
    // All written is said once the count is cleared, below.
    if (written < chunk.of) onProgress?.(written, chunk.of);
    // Requests waiting for the store go first: on the embedded store's one connection the next
    // transaction would otherwise take it again before them.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (signal.aborted) return;
  await conn.copyTransaction(async (db) => {
    await advance(db, batchId, written, null);
    await db.delete(t.batchVisitIds).where(eq(t.batchVisitIds.batchId, batchId));
  });
  onProgress?.(written, written);
}

/**
 * Moves the batch's count from `from` to `to` (null: all written), first in the transaction: a
 * second writer of the same batch (another server on the same database) waits for the first and
 * then finds the count moved, and stops without writing a row twice.
 */
async function advance(db: Db, batchId: number, from: number, to: number | null): Promise<void> {
  const moved = await db
    .update(t.importBatches)
    .set({ visitRowsWritten: to })
    .where(and(eq(t.importBatches.id, batchId), eq(t.importBatches.visitRowsWritten, from)))
    .returning({ id: t.importBatches.id });
  if (moved.length === 0)
    throw new Error(`import ${batchId}: its visit rows are being written by another process`);
}
