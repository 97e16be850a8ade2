import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { DataSet } from '../../core/data/dataset.js';
import { ArrivingFiles } from '../files/arriving-files.js';
import { IdTexts } from '../files/data-folder/index.js';
import { InputErrors } from '../files/located-error.js';
import { packDataSet, type PartTable } from './batch-cache.js';
import { prepareColumns, summaryOf } from './import-prepare.js';
import { listingChunks, type RowChunk } from './import-rows.js';
import {
  BATCH_ID,
  CHUNKS_AHEAD,
  CREDITS,
  IMPORT_WORKER_KIND,
  type ImportJob,
  type WorkerMessage,
} from './import-thread.js';
import { packVisitTexts, visitTextsOf } from './visit-id-texts.js';

/**
 * The worker thread's entry that readImportOffThread starts: reads and checks one import folder,
 * keeping the id texts the rows need; once listings.csv is read it says so, and once the main
 * thread has written the batch row (its id in the shared cells) it posts the listing rows as
 * binary COPY chunks between the steps of reading visits.csv, never waiting there. Then the rest of
 * the listing rows while the columnar form is packed; the visits' person ids checked; the packed
 * parts of the columnar form and of the visit id texts that the visit rows are made from after the
 * import, each as soon as it is packed; and last the folder as read (buffers moved, not copied).
 * Only ever loaded as a worker's entry; nothing imports it.
 */

/** Atomics.waitAsync (Node 16 and later; not in TypeScript's ES2023 library). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync: (
      cells: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ) => { value: Promise<string> | string };
  }
).waitAsync;

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

/** The folder's errors with those of the listing rows' person ids (found while visits.csv was read). */
function withListingErrors(error: unknown, listing: unknown): unknown {
  if (!(listing instanceof InputErrors)) return error;
  if (!(error instanceof InputErrors)) return listing;
  return new InputErrors([...listing.errors, ...error.errors]);
}

if (!isMainThread && (workerData as { kind?: string } | null)?.kind === IMPORT_WORKER_KIND) void run();

async function run(): Promise<void> {
  const job = workerData as ImportJob;
  const cells = new Int32Array(job.shared);
  const ids = new IdTexts();
  let listingsRead: Pick<DataSet, 'units' | 'areas' | 'listings' | 'doctors'> | undefined;
  let listing: Iterator<RowChunk> | undefined;
  let listingDone = false;
  let listingError: unknown;

  const send = (chunk: RowChunk): void => {
    Atomics.add(cells, CREDITS, 1);
    post({ type: 'chunk', chunk }, whole(chunk.bytes));
  };
  /** The next listing chunk when the batch has its id; false when there is none (yet). */
  const nextListing = (): boolean => {
    if (!listingsRead || listingDone) return false;
    const batchId = Atomics.load(cells, BATCH_ID);
    if (batchId === 0) return false;
    listing ??= listingChunks(listingsRead, ids.listingPersons, batchId);
    const r = listing.next();
    if (r.done) listingDone = true;
    else send(r.value);
    return !r.done;
  };
  /** While visits.csv is read: listing chunks as long as the store has room, without waiting. */
  const pump = (): void => {
    if (listingError !== undefined) return;
    try {
      while (Atomics.load(cells, CREDITS) < CHUNKS_AHEAD && nextListing());
    } catch (error) {
      listingError = error;
    }
  };
  /**
   * Waits until the store has room for one more chunk (and the batch has its id), letting this
   * thread's event loop run meanwhile: the packing on zlib's threads needs it between its steps.
   */
  const room = async (): Promise<void> => {
    for (let n = Atomics.load(cells, BATCH_ID); n === 0; n = Atomics.load(cells, BATCH_ID))
      await waitAsync(cells, BATCH_ID, 0, 1000).value;
    for (let n = Atomics.load(cells, CREDITS); n >= CHUNKS_AHEAD; n = Atomics.load(cells, CREDITS))
      await waitAsync(cells, CREDITS, n, 1000).value;
  };

  try {
    let prepared;
    try {
      prepared = prepareColumns(
        job.dir,
        (progress) => {
          post({ type: 'progress', progress });
          pump();
        },
        {
          ids,
          // While a file is still arriving, the listing rows go to the store.
          arriving: job.arriving && new ArrivingFiles(job.arriving, pump),
          onListings: (read) => {
            listingsRead = read;
            post({ type: 'listings-read' });
          },
        },
      );
    } catch (error) {
      throw withListingErrors(error, listingError);
    }
    if (listingError !== undefined) throw withListingErrors(undefined, listingError);
    post({ type: 'folder-read', summary: summaryOf(prepared) });
    // The columnar form is packed on zlib's thread pool while the rest of the listing rows go to the
    // store (on the embedded store that waits for the main thread), and each part goes to the store
    // as soon as it is packed and the listing rows are out.
    const columns = sendParts('batch_columns', packDataSet(prepared.data));
    // Awaited below; a failure meanwhile is not unhandled.
    columns.catch(() => {});
    // A pending waitAsync does not keep a thread's event loop alive; this does.
    const alive = setInterval(() => {}, 1000);
    try {
      for (;;) {
        await room();
        if (!nextListing()) break;
      }
    } finally {
      clearInterval(alive);
    }
    post({ type: 'listing-done' });
    // The visits' person ids are checked once the listing rows are out (an error still stores
    // nothing: the transaction is rolled back), and packed beside the columnar form's end.
    const visitIds = sendParts(
      'batch_visit_ids',
      packVisitTexts(visitTextsOf(ids, prepared.data.visits.line)),
    );
    await Promise.all([columns, visitIds]);
    // The folder as read goes last, moved rather than copied: copying a region's data set took this
    // thread 1.8 s and the main thread as long again.
    post({ type: 'read-done', prepared }, buffersOf(prepared));
  } catch (error) {
    fail(error);
  }
}
