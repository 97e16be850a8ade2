import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { LocatedError } from '../located-error.js';
import { CsvSyntaxError, tokenizeCsvRange, waitForWorker } from '../csv-tokenizer.js';
import type { Column } from './columns.js';
import { FileContext } from './file-context.js';
import type { PersonLog, SharedPersons } from './person-index.js';
import { report, type Loaded, type LoadOptions, type PartReader } from './read-file.js';
import type { AscendingIds } from './unique-ids.js';

/**
 * A large file on two threads. The file is cut at the first newline after its middle; this thread
 * reads the first part while a worker (part-worker.ts) reads the second with the same row handler
 * (persons looked up in the shared person tables, or numbered afresh and renumbered here). The
 * second part's rows, errors (line numbers moved) and codes (renumbered in order of first
 * appearance) are appended to the first part's, which is exactly what one thread reading the whole
 * file gives. When that cannot be known cheaply (the cut falls inside a quoted field; for visits,
 * ids that are not ascending ids of one shape), the caller reads the file again on one thread.
 */

/** listings.csv and visits.csv of at least this size are read on two threads. */
export const PARALLEL_BYTES = 128 * 1024 * 1024;

/**
 * Whether a file of `bytes` is read in two parts: with a second core, and not for the import,
 * which keeps the id texts row by row and may read files still being unpacked.
 */
export function readsInTwoParts(bytes: number, options: LoadOptions): boolean {
  return (
    !options.ids &&
    !options.arriving &&
    bytes >= (options.parallelBytes ?? PARALLEL_BYTES) &&
    availableParallelism() > 1
  );
}
export const WORKER_KIND = 'vardval.csv-part';
/** The worker's entry module, next to this one. */
const PART_WORKER = new URL('./part-worker.js', import.meta.url);

export interface PartJob {
  kind: typeof WORKER_KIND;
  file: 'listings.csv' | 'visits.csv';
  path: string;
  start: number;
  end: number;
  names: string[];
  delimiter: ',' | ';';
  unitIds: string[];
  areaCodes?: string[];
  persons?: SharedPersons;
  done: SharedArrayBuffer;
  port: MessagePort;
}

export interface PartResult {
  ok: boolean;
  failure?: string;
  n: number;
  columns: Column[];
  errors: LocatedError[];
  errorCount: number;
  syntaxError?: { line: number; message: string };
  rows: number;
  /** Line number after the part (the part's first line is 1). */
  line: number;
  doctors: string[];
  riskGroups?: string[];
  /** Visits: the distinct diagnoses cells, numbered as the part's column numbers them. */
  diagnosisCells?: string[];
  /** Visits: the ids, when ascending. */
  ids?: AscendingIds;
  /** Listings: the part's persons, numbered from 0 in order of first appearance, and their shape. */
  persons?: PersonLog;
  personShape?: { prefix: number[] | undefined; length: number };
}

export interface TwoParts {
  second: PartResult;
  /** Add to the second part's line numbers. */
  lineOffset: number;
}

/**
 * Reads a file in two parts (see above). Returns the second part to append after the first (which
 * the reader has filled), 'stopped' when the first part ended the file's reading (a CSV syntax
 * error, reported), or undefined when the file must be read again on one thread.
 */
export function readInTwoParts(
  file: 'listings.csv' | 'visits.csv',
  path: string,
  bytes: number,
  loaded: Loaded,
  options: LoadOptions,
  data: Pick<PartJob, 'unitIds' | 'areaCodes' | 'persons'>,
  reader: (ctx: FileContext, bytes: number) => PartReader,
  /** Whether the second part can be appended as it is (checked before anything is reported). */
  accept: (second: PartResult) => boolean,
): TwoParts | 'stopped' | undefined {
  // The worker's module runs as plain JavaScript only (not under a TypeScript loader such as the tests').
  if (!import.meta.url.endsWith('.js')) return undefined;
  // The header (names and delimiter), and the cut: the byte after the first newline past the middle.
  let names: string[] = [];
  let delimiter: ',' | ';' = ',';
  tokenizeCsvRange(
    path,
    {
      onHeader: (h, d) => {
        names = h;
        delimiter = d;
      },
      onRow: () => {},
    },
    { start: 0, end: Math.min(bytes, 1 << 16) },
  );
  if (names.length === 0 || !new FileContext(file).header(names, delimiter)) return undefined;
  const middle = Math.floor(bytes / 2);
  const window = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'r');
  let cut = -1;
  try {
    const got = readSync(fd, window, 0, window.length, middle);
    const lf = window.subarray(0, got).indexOf(0x0a);
    if (lf >= 0) cut = middle + lf + 1;
  } finally {
    closeSync(fd);
  }
  if (cut <= 0 || cut >= bytes) return undefined;

  // Cell 0: the worker's answer is posted; cell 1: rows read so far (the worker is alive).
  const done = new SharedArrayBuffer(8);
  const channel = new MessageChannel();
  const job: PartJob = {
    kind: WORKER_KIND,
    file,
    path,
    start: cut,
    end: bytes,
    names,
    delimiter,
    ...data,
    done,
    port: channel.port2,
  };
  let worker: Worker;
  try {
    worker = new Worker(PART_WORKER, { workerData: job, transferList: [channel.port2] });
  } catch {
    return undefined;
  }
  worker.unref();
  worker.on('error', () => {});
  const stop = (): void => {
    void worker.terminate();
    channel.port1.close();
  };

  // This thread: the first part, with the header.
  const ctx = new FileContext(file);
  const handlers = reader(ctx, bytes);
  let headerOk = false;
  let rows = 0;
  let first: { rows: number; line: number; clean: boolean };
  try {
    first = tokenizeCsvRange(
      path,
      {
        onHeader(h, d) {
          headerOk = ctx.header(h, d);
          if (headerOk) handlers.header(h);
        },
        onRow(row) {
          if (!headerOk) return;
          handlers.row(row);
          // Both parts advance together: this part's share of its bytes is the file's.
          if (options.onProgress && (++rows & 0xffff) === 0)
            options.onProgress(file, Math.round((row.fileOffset / cut) * bytes), bytes, rows * 2);
        },
      },
      { start: 0, end: cut },
    );
  } catch (error) {
    stop();
    if (!(error instanceof CsvSyntaxError)) throw error;
    // One thread stops at the same place: the first part's errors and this one, nothing more.
    ctx.add({ file, line: error.line, code: 'data.csv_syntax', message: error.message });
    report(loaded, ctx);
    return 'stopped';
  }
  if (!first.clean || !headerOk) {
    stop();
    return undefined;
  }

  // The worker's part.
  const second = waitForWorker(new Int32Array(done), 0, 1)
    ? (receiveMessageOnPort(channel.port1)?.message as PartResult | undefined)
    : undefined;
  // A worker that answered ends by itself; stopping it would need this thread's event loop.
  if (second) channel.port1.close();
  else stop();
  if (!second || !second.ok || !accept(second)) return undefined;
  const lineOffset = first.line - 1;
  for (const e of second.errors)
    ctx.add({ ...e, line: e.line === undefined ? undefined : e.line + lineOffset });
  ctx.errorCount += second.errorCount - second.errors.length;
  if (second.syntaxError) {
    ctx.add({
      file,
      line: second.syntaxError.line + lineOffset,
      code: 'data.csv_syntax',
      message: second.syntaxError.message,
    });
  } else {
    loaded.files.push({ name: file, sha256: loaded.hashes.sha256(path), rows: first.rows + second.rows });
  }
  report(loaded, ctx);
  return { second, lineOffset };
}
