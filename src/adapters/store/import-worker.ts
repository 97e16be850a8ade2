import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { InputErrors } from '../files/located-error.js';
import { prepareImport, type PreparedImport } from './import-prepare.js';
import { IMPORT_WORKER_KIND, type ImportJob, type WorkerMessage } from './import-thread.js';

/**
 * The worker thread's entry that prepareImportOffThread starts: reads and prepares one import
 * folder and posts the result back (its large buffers moved, not copied). Only ever loaded as a
 * worker's entry; nothing imports it.
 */

/** The distinct, movable buffers under a value (small ones, possibly pooled, are copied instead). */
function transferables(value: unknown, out = new Set<ArrayBuffer>()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && value.buffer.byteLength >= 1 << 16) out.add(value.buffer);
  } else if (value instanceof Map) for (const v of value.values()) transferables(v, out);
  else if (Array.isArray(value)) {
    if (value.length && typeof value[0] !== 'string') for (const v of value) transferables(v, out);
  } else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) transferables(v, out);
  return out;
}

if (!isMainThread && (workerData as { kind?: string } | null)?.kind === IMPORT_WORKER_KIND) {
  const job = workerData as ImportJob;
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void =>
    parentPort!.postMessage(message, transfer);
  try {
    const prepared: PreparedImport = prepareImport(job.dir, (progress) =>
      post({ type: 'progress', progress }),
    );
    post({ type: 'done', prepared }, [...transferables(prepared)]);
  } catch (error) {
    if (error instanceof InputErrors)
      post({ type: 'input-errors', errors: error.errors, message: error.message });
    else post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}
