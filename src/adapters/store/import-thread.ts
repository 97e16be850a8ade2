import { Worker } from 'node:worker_threads';
import { InputErrors, type LocatedError } from '../files/located-error.js';
import type { PreparedColumns, ReadProgress } from './import-prepare.js';
import type { RowChunk } from './import-rows.js';

/**
 * Reads and prepares an import folder on a worker thread (import-worker.ts), so the server's
 * event loop keeps answering requests while a large folder is tokenised, checked and encoded.
 * Once the batch has its id, the same thread writes the listing and visit rows as binary COPY
 * chunks while this thread sends the ones before them to the store; it stays at most
 * CHUNKS_AHEAD chunks ahead, so a slow store does not fill the memory.
 */

export const IMPORT_WORKER_KIND = 'vardval.import';
export const CHUNKS_AHEAD = 8;

export interface ImportJob {
  kind: typeof IMPORT_WORKER_KIND;
  dir: string;
  /** One Int32: chunks posted and not yet written. */
  credits: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'progress'; progress: ReadProgress }
  | { type: 'prepared'; prepared: PreparedColumns }
  | { type: 'chunk'; chunk: RowChunk }
  | { type: 'rows-done'; columnar: Uint8Array }
  | { type: 'input-errors'; errors: LocatedError[]; message: string }
  | { type: 'failed'; message: string };

/** What the main thread asks once the batch row is written. */
export interface WriteRequest {
  type: 'write';
  batchId: number;
}

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
  prepared: PreparedColumns;
  /** The listing rows, then the visit rows, of batch `batchId` (call once). */
  rows(batchId: number): AsyncIterable<RowChunk>;
  /** The data set as batch-cache.ts stores it, once the rows are all read. */
  columnar(): Uint8Array;
  /** Ends the thread (done, or the write failed). */
  stop(): void;
}

function failure(m: WorkerMessage): Error | undefined {
  if (m.type === 'input-errors') {
    const cut = m.message.lastIndexOf(` (${m.errors.length} st):`);
    return new InputErrors(m.errors, cut > 0 ? m.message.slice(0, cut) : undefined);
  }
  if (m.type === 'failed') return new Error(`Importen kunde inte läsas: ${m.message}`);
  return undefined;
}

export function readImportOffThread(
  dir: string,
  onProgress?: (p: ReadProgress) => void,
): Promise<ImportReading> {
  const credits = new SharedArrayBuffer(4);
  const ahead = new Int32Array(credits);
  const worker = startWorker({ kind: IMPORT_WORKER_KIND, dir, credits });
  // Messages after 'prepared', and whoever waits for the next one.
  const queue: (WorkerMessage | Error)[] = [];
  let waiting: ((m: WorkerMessage | Error) => void) | undefined;
  let stopped = false;
  let columnar: Uint8Array | undefined;
  const stop = (): void => {
    stopped = true;
    void worker.terminate();
  };
  return new Promise((resolve, reject) => {
    let prepared = false;
    const deliver = (m: WorkerMessage | Error): void => {
      if (!prepared) {
        if (m instanceof Error) reject(m);
        else if (m.type === 'prepared') {
          prepared = true;
          resolve({
            prepared: m.prepared,
            rows,
            stop,
            columnar: () => {
              if (!columnar) throw new Error('the columnar form comes after the rows');
              return columnar;
            },
          });
          return;
        } else reject(failure(m) ?? new Error(`Importens arbetstråd svarade ${m.type}`));
        stop();
        return;
      }
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w(m);
      } else queue.push(m);
    };
    const next = (): Promise<WorkerMessage | Error> =>
      queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => (waiting = r));
    async function* rows(batchId: number): AsyncIterable<RowChunk> {
      worker.postMessage({ type: 'write', batchId } satisfies WriteRequest);
      for (;;) {
        const m = await next();
        if (m instanceof Error) throw m;
        if (m.type === 'rows-done') {
          columnar = m.columnar;
          return;
        }
        if (m.type !== 'chunk') throw failure(m) ?? new Error(`Importens arbetstråd svarade ${m.type}`);
        yield m.chunk;
        // Written: the thread may make one more.
        Atomics.sub(ahead, 0, 1);
        Atomics.notify(ahead, 0);
      }
    }
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else deliver(m);
    });
    worker.on('error', (error) => deliver(error));
    worker.on('exit', (code) => {
      if (!stopped) deliver(new Error(`Importens arbetstråd avslutades oväntat (kod ${code})`));
    });
  });
}
