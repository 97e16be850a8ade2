import { isMainThread, workerData } from 'node:worker_threads';
import { readPart } from './part-reader.js';
import { WORKER_KIND, type PartJob, type PartResult } from './two-parts.js';

/**
 * The worker thread's entry that readInTwoParts starts: reads the second part of a file and posts
 * it back. Only ever loaded as a worker's entry; nothing imports it.
 */
if (!isMainThread && (workerData as { kind?: string } | null)?.kind === WORKER_KIND) {
  const job = workerData as PartJob;
  let result: PartResult;
  try {
    result = readPart(job);
  } catch (error) {
    result = {
      ok: false,
      failure: String(error),
      n: 0,
      columns: [],
      errors: [],
      errorCount: 0,
      rows: 0,
      line: 1,
      doctors: [],
    };
  }
  job.port.postMessage(
    result,
    result.columns.map((c) => c.buffer as ArrayBuffer),
  );
  const done = new Int32Array(job.done);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}
