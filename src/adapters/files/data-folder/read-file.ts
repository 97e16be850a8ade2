import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { InputFile } from '../../../core/data/dataset.js';
import type { ArrivingFiles } from '../arriving-files.js';
import type { ColumnName, DataFileName } from '../../../core/data/files.js';
import { CsvSyntaxError, tokenizeCsvFile, type CsvRow, type FileHashes } from '../csv-tokenizer.js';
import type { LocatedError } from '../located-error.js';
import { FileContext } from './file-context.js';
import type { IdTexts } from './id-texts.js';

export interface LoadOptions {
  /** Files the caller needs; a missing one among them is an error. Default: units, areas, listings. */
  require?: DataFileName[];
  /** Called every few megabytes of a file: bytes read of its size, and rows read so far. */
  onProgress?: (file: string, bytesDone: number, bytesTotal: number, rowsDone?: number) => void;
  /** listings.csv and visits.csv of at least this many bytes are read on two threads (default 128 MB). */
  parallelBytes?: number;
  /**
   * The import: keep the id texts the tables do not (IdTexts), filled row by row. Large files are
   * then read on one thread.
   */
  ids?: IdTexts;
  /**
   * The import: the folder's files are still being unpacked, and each is read as far as it has
   * come (they exist, with their final sizes known). Large files are then read on one thread.
   */
  arriving?: ArrivingFiles;
}

/** A file's size: its final size when it is still arriving. */
export function fileSize(path: string, options: LoadOptions): number {
  return options.arriving?.size(path) ?? statSync(path).size;
}

export interface Loaded {
  files: InputFile[];
  errors: LocatedError[];
  truncated: { file: string; count: number }[];
  /** The large files' sha256, computed by a worker thread while they are parsed. */
  hashes: FileHashes;
}

/** A file's row handler: the same code reads a whole file, or each part of it on two threads. */
export interface PartReader {
  header: (names: string[]) => void;
  row: (row: CsvRow) => void;
}

/** Reads a whole file on this thread, row by row, into what `body` builds. */
export function readFile(
  dir: string,
  file: DataFileName,
  loaded: Loaded,
  options: LoadOptions,
  body: (ctx: FileContext, bytes: number) => PartReader,
): boolean {
  const path = join(dir, file);
  const ctx = new FileContext(file);
  const total = fileSize(path, options);
  const handlers = body(ctx, total);
  let headerOk = true;
  let done = 0;
  let lastReport = 0;
  let rows = 0;
  try {
    const result = tokenizeCsvFile(
      path,
      {
        onHeader(names, delimiter) {
          if (names.length === 0) {
            ctx.add({
              file,
              line: 1,
              column: 1,
              code: 'data.empty_file',
              message: 'Filen är tom: rubrikraden saknas',
            });
            headerOk = false;
            return;
          }
          headerOk = ctx.header(names, delimiter);
          if (headerOk) handlers.header(names);
        },
        onRow(row) {
          if (!headerOk) return;
          handlers.row(row);
          rows++;
          if (options.onProgress) {
            done = row.fileOffset;
            if (done - lastReport > 8 * 1024 * 1024 || done < lastReport) {
              lastReport = done;
              options.onProgress(file, done, total, rows);
            }
          }
        },
      },
      undefined,
      loaded.hashes,
      options.arriving,
    );
    loaded.files.push({ name: file, sha256: result.sha256, rows: result.rows });
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    ctx.add({ file, line: error.line, code: 'data.csv_syntax', message: error.message });
  }
  report(loaded, ctx);
  return ctx.errorCount === 0;
}

/** A file's errors into the folder's, with the count of those not listed. */
/** Reads a file row by row with its columns' indexes (the table of data files) found from the header. */
export function readRows<F extends DataFileName>(
  dir: string,
  file: F,
  loaded: Loaded,
  options: LoadOptions,
  row: (ctx: FileContext, c: Record<ColumnName<F>, number>, row: CsvRow) => void,
): void {
  readFile(dir, file, loaded, options, (ctx) => {
    let c: Record<ColumnName<F>, number>;
    return {
      header() {
        c = ctx.columnIndexes(file);
      },
      row: (r) => row(ctx, c, r),
    };
  });
}

export function report(loaded: Loaded, ctx: FileContext): void {
  loaded.errors.push(...ctx.errors);
  if (ctx.errorCount > ctx.errors.length)
    loaded.truncated.push({ file: ctx.file, count: ctx.errorCount - ctx.errors.length });
}
