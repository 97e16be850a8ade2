import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { InputErrors } from '../files/located-error.js';
import { packDataSet } from './batch-cache.js';
import { prepareColumns } from './import-prepare.js';
import { writeRowChunks } from './import-rows.js';
import {
  CHUNKS_AHEAD,
  IMPORT_WORKER_KIND,
  type ImportJob,
  type WorkerMessage,
  type WriteRequest,
} from './import-thread.js';

/**
 * The worker thread's entry that readImportOffThread starts: reads and prepares one import folder
 * and posts the result back, then, given the batch's id, its listing and visit rows as binary COPY
 * chunks and its columnar form (their buffers moved, not copied). Only ever loaded as a worker's entry; nothing imports it.
 */

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(message, transfer);
}

function fail(error: unknown): void {
  if (error instanceof InputErrors)
    post({ type: 'input-errors', errors: error.errors, message: error.message });
  else post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}

/** The buffer behind a view, when the view is all of it (so it can be moved). */
function whole(bytes: Uint8Array): ArrayBuffer[] {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.buffer.byteLength >= 1 << 16
    ? [bytes.buffer]
    : [];
}

if (!isMainThread && (workerData as { kind?: string } | null)?.kind === IMPORT_WORKER_KIND) {
  const job = workerData as ImportJob;
  const ahead = new Int32Array(job.credits);
  try {
    const prepared = prepareColumns(job.dir, (progress) => post({ type: 'progress', progress }));
    // The data set is copied: this thread writes the rows from it, then its stored form.
    post({ type: 'prepared', prepared });
    parentPort!.once('message', (request: WriteRequest) => {
      try {
        writeRowChunks(job.dir, prepared.data, request.batchId, (chunk) => {
          for (let n = Atomics.load(ahead, 0); n >= CHUNKS_AHEAD; n = Atomics.load(ahead, 0))
            Atomics.wait(ahead, 0, n, 1000);
          Atomics.add(ahead, 0, 1);
          post({ type: 'chunk', chunk }, whole(chunk.bytes));
        });
        const columnar = packDataSet(prepared.data);
        post({ type: 'rows-done', columnar }, whole(columnar));
      } catch (error) {
        fail(error);
      }
    });
  } catch (error) {
    fail(error);
  }
}
