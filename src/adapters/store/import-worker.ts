import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ArrivingFiles } from '../files/arriving-files.js';
import { IdTexts } from '../files/data-folder/index.js';
import { InputErrors } from '../files/located-error.js';
import { packDataSet, type PartTable } from './batch-cache.js';
import { batchTextsOf, packBatchTexts } from './batch-texts.js';
import { prepareColumns, summaryOf } from './import-prepare.js';
import { IMPORT_WORKER_KIND, type ImportJob, type WorkerMessage } from './import-thread.js';

/**
 * The worker thread's entry that readImportOffThread starts: reads and checks one import folder,
 * keeping the id texts the rows need; checks every person id; then posts the folder as read (its
 * small tables), the packed parts of the columnar form and of the texts that the listing and visit
 * rows are made from after the import, each as soon as it is packed, and last the folder's large
 * columns (buffers moved, not copied). Only ever loaded as a worker's entry; nothing imports it.
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

/** The large buffers behind a value's typed arrays (once each), so they can be moved. */
function buffersOf(value: unknown, found = new Set<ArrayBuffer>(), seen = new Set<object>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && value.buffer.byteLength >= 1 << 16) found.add(value.buffer);
  } else if (typeof value === 'object' && value !== null && !seen.has(value)) {
    seen.add(value);
    const inner = value instanceof Map ? [...value.values()] : Object.values(value);
    for (const v of inner) buffersOf(v, found, seen);
  }
  return [...found];
}

/** Posts a table's parts in order, each as soon as it and those before it are packed. */
async function sendParts(table: PartTable, parts: Promise<Uint8Array>[]): Promise<void> {
  // Awaited in order below; a later part's failure meanwhile is not unhandled.
  for (const part of parts) part.catch(() => {});
  for (const part of parts) {
    const bytes = await part;
    post({ type: 'part', table, bytes }, whole(bytes));
  }
  post({ type: 'parts-done', table });
}

if (!isMainThread && (workerData as { kind?: string } | null)?.kind === IMPORT_WORKER_KIND) void run();

async function run(): Promise<void> {
  const job = workerData as ImportJob;
  const ids = new IdTexts();
  try {
    const prepared = prepareColumns(job.dir, (progress) => post({ type: 'progress', progress }), {
      ids,
      arriving: job.arriving && new ArrivingFiles(job.arriving),
    });
    // The columnar form is packed on zlib's thread pool while the person ids are checked here.
    const columns = sendParts('batch_columns', packDataSet(prepared.data));
    // Awaited below; a failure meanwhile is not unhandled.
    columns.catch(() => {});
    const texts = batchTextsOf(ids, prepared.data.listings.line, prepared.data.visits.line);
    post({ type: 'folder-read', summary: summaryOf(prepared) });
    await Promise.all([columns, sendParts('batch_visit_ids', packBatchTexts(texts))]);
    // The folder as read goes last, moved rather than copied: copying a region's data set took this
    // thread 1.8 s and the main thread as long again.
    post({ type: 'read-done', prepared }, buffersOf(prepared));
  } catch (error) {
    fail(error);
  }
}
