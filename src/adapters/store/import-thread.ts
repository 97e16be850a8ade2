import { Worker } from 'node:worker_threads';
import type { ArrivingFiles, ArrivingFilesShared } from '../files/arriving-files.js';
import { InputErrors, type LocatedError } from '../files/located-error.js';
import type { PartTable } from './batch-cache.js';
import type { FolderSummary, PreparedColumns, ReadProgress } from './import-prepare.js';

/**
 * Reads and prepares an import folder on a worker thread (import-worker.ts), so the server's
 * event loop keeps answering requests while a large folder is tokenised, checked and encoded. Once
 * the whole folder is read without errors the main thread opens the transaction and writes the
 * batch and its small tables while the thread packs the columnar form and the texts the listing
 * and visit rows are made from (those rows come after the import, batch-rows.ts); each part is
 * stored as soon as it is packed. A folder with errors stores nothing.
 */

export const IMPORT_WORKER_KIND = 'vardval.import';

export interface ImportJob {
  kind: typeof IMPORT_WORKER_KIND;
  dir: string;
  /** The folder's files are still being unpacked (arriving-files.ts). */
  arriving?: ArrivingFilesShared;
}

export type WorkerMessage =
  | { type: 'progress'; progress: ReadProgress }
  | { type: 'folder-read'; summary: FolderSummary }
  | { type: 'part'; table: PartTable; bytes: Uint8Array }
  | { type: 'parts-done'; table: PartTable }
  | { type: 'read-done'; prepared: PreparedColumns }
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

export interface ImportReading {
  /**
   * The folder read and checked, but for the listing and visit columns (they come with prepared):
   * the transaction may start. Rejects with the folder's errors.
   */
  folderRead: Promise<FolderSummary>;
  /** The folder read and checked, after the parts. */
  prepared: Promise<PreparedColumns>;
  /**
   * A table's parts as they are packed: the columnar form (batch-cache.ts), and the texts the
   * rows are made from (batch-texts.ts) (call once each).
   */
  parts(table: PartTable): AsyncIterable<Uint8Array>;
  /** The texts' parts that parts('batch_visit_ids') gave. */
  textParts(): Uint8Array[];
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

/** What the thread sends of one kind, in order, for one reader: an error ends it at once. */
class Mailbox<T> {
  private readonly items: T[] = [];
  private ended = false;
  private error: Error | undefined;
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    this.poke();
  }
  end(): void {
    this.ended = true;
    this.poke();
  }
  fail(error: Error): void {
    this.error ??= error;
    this.poke();
  }
  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.error) throw this.error;
      if (this.items.length > 0) yield this.items.shift()!;
      else if (this.ended) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

export function readImportOffThread(
  dir: string,
  onProgress?: (p: ReadProgress) => void,
  arriving?: ArrivingFiles,
): ImportReading {
  const worker = startWorker({ kind: IMPORT_WORKER_KIND, dir, arriving: arriving?.shared });
  const folderRead = later<FolderSummary>();
  const prepared = later<PreparedColumns>();
  const parts = { batch_columns: new Mailbox<Uint8Array>(), batch_visit_ids: new Mailbox<Uint8Array>() };
  const textParts: Uint8Array[] = [];
  let stopped = false;
  let finished = false;
  const stop = (): void => {
    stopped = true;
    void worker.terminate();
  };
  const fail = (error: Error): void => {
    for (const settle of [folderRead, prepared]) settle.reject(error);
    for (const box of [parts.batch_columns, parts.batch_visit_ids]) box.fail(error);
  };
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'progress') onProgress?.(m.progress);
    else if (m.type === 'folder-read') folderRead.resolve(m.summary);
    else if (m.type === 'part') parts[m.table].push(m.bytes);
    else if (m.type === 'parts-done') parts[m.table].end();
    else if (m.type === 'read-done') {
      finished = true;
      prepared.resolve(m.prepared);
    } else fail(failure(m));
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => {
    // The thread ends by itself once it has posted the folder as read, or the folder's errors.
    if (!stopped && !finished) fail(new Error(`Importens arbetstråd avslutades oväntat (kod ${code})`));
  });
  return {
    folderRead: folderRead.promise,
    prepared: prepared.promise,
    async *parts(table) {
      for await (const part of parts[table]) {
        if (table === 'batch_visit_ids') textParts.push(part);
        yield part;
      }
    },
    textParts: () => textParts,
    stop,
  };
}
