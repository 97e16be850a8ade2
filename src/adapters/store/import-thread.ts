import { Worker } from 'node:worker_threads';
import type { ArrivingFiles, ArrivingFilesShared } from '../files/arriving-files.js';
import { InputErrors, type LocatedError } from '../files/located-error.js';
import type { PreparedColumns, ReadProgress } from './import-prepare.js';
import type { RowChunk } from './import-rows.js';

/**
 * Reads and prepares an import folder on a worker thread (import-worker.ts), so the server's
 * event loop keeps answering requests while a large folder is tokenised, checked and encoded.
 * Reading and writing overlap: once listings.csv is read without errors the main thread opens the
 * transaction and writes the batch row; given its id, the thread makes the listing rows as binary
 * COPY chunks while it reads visits.csv, and this thread sends them to the store. The visit rows
 * are made after the import (visit-rows.ts) from what the thread hands over at the end. The thread
 * stays at most CHUNKS_AHEAD chunks ahead, so a slow store does not fill the memory. An error found
 * later (in visits.csv, say) ends the rows with the folder's errors and the transaction is rolled
 * back: nothing is stored.
 */

export const IMPORT_WORKER_KIND = 'vardval.import';
export const CHUNKS_AHEAD = 8;

export interface ImportJob {
  kind: typeof IMPORT_WORKER_KIND;
  dir: string;
  /** Two Int32: chunks posted and not yet written (CREDITS), and the batch's id once known (BATCH_ID). */
  shared: SharedArrayBuffer;
  /** The folder's files are still being unpacked (arriving-files.ts). */
  arriving?: ArrivingFilesShared;
}
export const CREDITS = 0;
export const BATCH_ID = 1;

export type WorkerMessage =
  | { type: 'progress'; progress: ReadProgress }
  | { type: 'listings-read' }
  | { type: 'chunk'; chunk: RowChunk }
  | { type: 'rows-done'; prepared: PreparedColumns; columnar: Uint8Array; visitIds: Uint8Array }
  | { type: 'input-errors'; errors: LocatedError[]; message: string }
  | { type: 'failed'; message: string };

const ENTRY = new URL('./import-worker.js', import.meta.url);

/**
 * The worker: compiled JavaScript as shipped; under a TypeScript test runner (the module is .ts)
 * the same entry is loaded through tsx, which the tests have as a development dependency.
 */
function startWorker(job: ImportJob): Worker {
  if (import.meta.url.endsWith('.js')) return new Worker(ENTRY, { workerData: job });
  const entry = new URL('./import-worker.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true, workerData: job },
  );
}

export interface StoredForm {
  columnar: Uint8Array;
  visitIds: Uint8Array;
}

export interface ImportReading {
  /** listings.csv is read without errors: the transaction may start. Rejects with the folder's errors. */
  listingsRead: Promise<void>;
  /** The folder read and checked (all of it), with the end of the listing rows. */
  prepared: Promise<PreparedColumns>;
  /** The listing rows of batch `batchId` (call once). */
  rows(batchId: number): AsyncIterable<RowChunk>;
  /** The data set as batch-cache.ts stores it, and the visit id texts as visit-id-texts.ts packs them, after the rows. */
  stored(): StoredForm;
  /** Ends the thread (done, or the write failed). */
  stop(): void;
}

function failure(m: WorkerMessage): Error {
  if (m.type === 'input-errors') {
    const cut = m.message.lastIndexOf(` (${m.errors.length} st):`);
    return new InputErrors(m.errors, cut > 0 ? m.message.slice(0, cut) : undefined);
  }
  if (m.type === 'failed') return new Error(`Importen kunde inte läsas: ${m.message}`);
  return new Error(`Importens arbetstråd svarade ${m.type}`);
}

/** A promise and its settling, for a message that has not come yet. */
function later<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Whoever awaits it sees the rejection; until then it is not unhandled.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export function readImportOffThread(
  dir: string,
  onProgress?: (p: ReadProgress) => void,
  arriving?: ArrivingFiles,
): ImportReading {
  const shared = new SharedArrayBuffer(8);
  const cells = new Int32Array(shared);
  const worker = startWorker({ kind: IMPORT_WORKER_KIND, dir, shared, arriving: arriving?.shared });
  const listingsRead = later<void>();
  const prepared = later<PreparedColumns>();
  // Chunks and the end of the rows (or an error), and whoever waits for the next one.
  const queue: (WorkerMessage | Error)[] = [];
  let waiting: ((m: WorkerMessage | Error) => void) | undefined;
  let stopped = false;
  let stored: StoredForm | undefined;
  const stop = (): void => {
    stopped = true;
    void worker.terminate();
  };
  const deliver = (m: WorkerMessage | Error): void => {
    if (m instanceof Error || m.type === 'input-errors' || m.type === 'failed') {
      const error = m instanceof Error ? m : failure(m);
      listingsRead.reject(error);
      prepared.reject(error);
      m = error;
    } else if (m.type === 'listings-read') return listingsRead.resolve();
    else if (m.type === 'rows-done') prepared.resolve(m.prepared);
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(m);
    } else queue.push(m);
  };
  const next = (): Promise<WorkerMessage | Error> =>
    queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => (waiting = r));
  async function* rows(batchId: number): AsyncIterable<RowChunk> {
    Atomics.store(cells, BATCH_ID, batchId);
    Atomics.notify(cells, BATCH_ID);
    for (;;) {
      const m = await next();
      if (m instanceof Error) throw m;
      if (m.type === 'rows-done') {
        stored = { columnar: m.columnar, visitIds: m.visitIds };
        return;
      }
      if (m.type !== 'chunk') throw failure(m);
      yield m.chunk;
      // Written: the thread may make one more.
      Atomics.sub(cells, CREDITS, 1);
      Atomics.notify(cells, CREDITS);
    }
  }
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'progress') onProgress?.(m.progress);
    else deliver(m);
  });
  worker.on('error', (error) => deliver(error));
  worker.on('exit', (code) => {
    // The thread ends by itself once it has posted the rows' end or the folder's errors.
    if (!stopped && !stored) deliver(new Error(`Importens arbetstråd avslutades oväntat (kod ${code})`));
  });
  return {
    listingsRead: listingsRead.promise,
    prepared: prepared.promise,
    rows,
    stop,
    stored: () => {
      if (!stored) throw new Error('the stored form comes after the rows');
      return stored;
    },
  };
}
