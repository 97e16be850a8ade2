import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ArrivingFiles, ArrivingFilesShared } from './arriving-files.js';

/**
 * A streaming CSV tokenizer over bytes (RFC 4180 quoting, `,` or `;` found from the header, BOM,
 * CRLF). It hands each row to the caller as field offsets into the current buffer, so a loader can
 * parse dates and codes straight from bytes into typed arrays without a string per cell: at 40
 * million rows that is the difference between seconds and minutes (see `npm run bench`).
 *
 * Speed: rows without a quoted field that end before the buffer's last newline take a fast path
 * that finds delimiters four bytes at a time and needs no bounds checks (every such row is known to
 * end at a newline inside the buffer); other rows take the general path. A large file's sha256 is
 * computed by a worker thread reading the same file while this thread parses it
 * (hashFilesInBackground), and a file can be read in parts on several threads (tokenizeCsvRange).
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

export interface CsvRow {
  buf: Buffer;
  /** Field count in this row. */
  count: number;
  start: Int32Array;
  end: Int32Array;
  /** 1 when the field was quoted and contains doubled quotes to unescape. */
  escaped: Uint8Array;
  /** 1-based line number where the row starts. */
  line: number;
  /** Offset in buf where the row's line starts (for error columns). */
  lineStart: number;
  /** Byte offset in the file where the row starts (for progress). */
  fileOffset: number;
}

export interface CsvHandlers {
  onHeader(names: string[], delimiter: ',' | ';'): void;
  onRow(row: CsvRow): void;
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Bytes equal to the delimiter or LF in a little-endian word, as 0x80 in their byte (exact: no
 * false positives from borrows). Four bytes per step instead of one.
 */
function specialBytes(w: number, delimiters: number): number {
  const x = w ^ delimiters;
  const y = w ^ 0x0a0a0a0a;
  return ~(
    (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f) &
    (((y & 0x7f7f7f7f) + 0x7f7f7f7f) | y | 0x7f7f7f7f)
  );
}

/** Position of the first delimiter or LF at or after byte `at` of words (one is known to exist). */
function nextSpecial(words: Int32Array, at: number, delimiters: number): number {
  let i = at >> 2;
  let m = specialBytes(words[i]!, delimiters) & (-1 << ((at & 3) << 3));
  while (m === 0) m = specialBytes(words[++i]!, delimiters);
  return (i << 2) + ((31 - Math.clz32(m & -m)) >> 3);
}

function allocStore(bytes: number): Buffer {
  // Word-aligned, so the fast path can read it four bytes at a time.
  return Buffer.from(new ArrayBuffer((bytes + 7) & ~3));
}

const CHUNK = 8 * 1024 * 1024;
const MAX_FIELDS = 256;

/** True when field col is missing or empty. */
export function isEmptyField(row: CsvRow, col: number): boolean {
  return col < 0 || col >= row.count || row.end[col] === row.start[col];
}

export function fieldText(row: CsvRow, i: number): string {
  if (i >= row.count) return '';
  const text = row.buf.toString('utf8', row.start[i], row.end[i]);
  return row.escaped[i] ? text.replace(/""/g, '"') : text;
}

/** 1-based character column where field i starts (or where a missing field would be). */
export function fieldColumn(row: CsvRow, i: number): number {
  const at =
    i < row.count
      ? row.start[i]! - (row.buf[row.start[i]! - 1] === QUOTE ? 1 : 0)
      : (row.end[row.count - 1] ?? row.lineStart);
  return row.buf.toString('utf8', row.lineStart, Math.max(row.lineStart, at)).length + 1;
}

function detectDelimiter(headerLine: string): ',' | ';' {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semis++;
  }
  return semis > commas ? ';' : ',';
}

/**
 * The hashing worker's code (plain CommonJS, evaluated): hashes the files in order, writes each hex
 * digest into its slot of the shared buffer and wakes the waiting thread. Cell 0 counts chunks read
 * (the worker is alive); cell 1 + i is file i's state: 0 not yet, 1 done, 2 failed (the caller then
 * hashes the file itself). A file still arriving is read as far as it has come: `readable` reads
 * arriving-files.ts's cells (a change count, then per file its state and KiB written) itself, as
 * an evaluated worker cannot load that module.
 */
const HASH_WORKER = `
const { workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { basename } = require('node:path');
const { createHash } = require('node:crypto');
const n = workerData.paths.length;
const cells = new Int32Array(workerData.shared, 0, 1 + n);
const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
const arriving = workerData.arriving;
const arrival = arriving && new Int32Array(arriving.cells);
/** Waits until more than \`at\` bytes of arriving file k can be read, or it is whole: how many can. */
function readable(k, at) {
  for (;;) {
    const change = Atomics.load(arrival, 0);
    const state = Atomics.load(arrival, 1 + 2 * k);
    if (state === 2) throw new Error('given up');
    if (state === 1) return arriving.sizes[k];
    const bytes = Atomics.load(arrival, 2 + 2 * k) * 1024;
    if (bytes > at) return bytes;
    Atomics.wait(arrival, 0, change, 1000);
  }
}
workerData.paths.forEach((path, i) => {
  try {
    const fd = openSync(path, 'r');
    const hash = createHash('sha256');
    const k = arriving ? arriving.names.indexOf(basename(path).toLowerCase()) : -1;
    for (let at = 0; ; ) {
      const end = k < 0 ? Infinity : readable(k, at);
      const got = readSync(fd, buf, 0, Math.min(buf.length, end - at), at);
      if (got === 0) break;
      at += got;
      hash.update(buf.subarray(0, got));
      Atomics.add(cells, 0, 1);
    }
    closeSync(fd);
    new Uint8Array(workerData.shared, 4 * (1 + n) + 64 * i, 64).set(Buffer.from(hash.digest('hex'), 'latin1'));
    Atomics.store(cells, 1 + i, 1);
  } catch {
    Atomics.store(cells, 1 + i, 2);
  }
  Atomics.notify(cells, 1 + i);
});
`;

/** A worker that shows no progress for this long is taken for dead (its work is then done here). */
const STALLED_MS = 120_000;

/**
 * Waits until cell `at` is no longer 0, as long as the worker shows progress by changing cell
 * `beat`; false when it stops doing so (it failed to start or died: no event loop runs here to
 * tell).
 */
export function waitForWorker(cells: Int32Array, at: number, beat: number): boolean {
  let seen = Atomics.load(cells, beat);
  let since = Date.now();
  while (Atomics.load(cells, at) === 0) {
    Atomics.wait(cells, at, 0, 1000);
    const now = Atomics.load(cells, beat);
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (Date.now() - since > STALLED_MS) return false;
  }
  return true;
}

/** Files at least this large are worth a worker thread for their sha256. */
export const BACKGROUND_HASH_BYTES = 32 * 1024 * 1024;

export interface FileHashes {
  /** Whether the worker hashes this file. */
  has(path: string): boolean;
  /** The file's sha256 (waits for the worker); hashes it here if the worker could not. */
  sha256(path: string): string;
  /** Stops the worker (when the caller gives up, e.g. on an error). */
  cancel(): void;
}

/**
 * Hashes the files one after another in a worker thread while the caller parses them, so hashing
 * (≈ 350 MB/s without SHA CPU instructions) does not add to the load time.
 */
export function hashFilesInBackground(paths: string[], arriving?: ArrivingFiles): FileHashes {
  const n = paths.length;
  const shared = new SharedArrayBuffer(4 * (1 + n) + 64 * n);
  const cells = new Int32Array(shared, 0, 1 + n);
  let worker: Worker | undefined;
  if (n > 0) {
    try {
      const workerData: { paths: string[]; shared: SharedArrayBuffer; arriving?: ArrivingFilesShared } = {
        paths,
        shared,
        arriving: arriving?.shared,
      };
      worker = new Worker(HASH_WORKER, { eval: true, workerData });
      worker.unref();
      worker.on('error', () => {});
    } catch {
      worker = undefined;
    }
  }
  return {
    has: (path) => paths.includes(path),
    sha256(path) {
      const i = paths.indexOf(path);
      if (i < 0 || !worker || !waitForWorker(cells, 1 + i, 0) || Atomics.load(cells, 1 + i) !== 1)
        return hashFile(path);
      return Buffer.from(new Uint8Array(shared, 4 * (1 + n) + 64 * i, 64)).toString('latin1');
    },
    cancel() {
      void worker?.terminate();
    },
  };
}

function hashFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}

/** A byte range of a file to tokenize (for reading one file in parts on several threads). */
export interface CsvRange {
  /** Where to start: 0 (then the header is read as usual) or the first byte of a data row. */
  start: number;
  /** Where to stop (exclusive). */
  end: number;
  /** The delimiter, from the header, when start is not 0. */
  delimiter?: ',' | ';';
}

/**
 * Tokenizes a part of a file, without hashing it. `clean` is false when the part does not end at
 * the end of a row (a quoted field runs past `end`); `line` is the line number after the part.
 */
export function tokenizeCsvRange(
  path: string,
  handlers: CsvHandlers,
  range: CsvRange,
  chunkSize = CHUNK,
): { rows: number; line: number; clean: boolean } {
  const r = scan(path, handlers, chunkSize, undefined, range);
  return { rows: r.rows, line: r.line, clean: r.clean };
}

/**
 * Reads the file, calls the handlers, and returns its sha256 and the number of data rows.
 * `hashes`: the file's sha256 from a background worker (see hashFilesInBackground). `arriving`:
 * the file may still be being written, and is read as far as it has come.
 */
export function tokenizeCsvFile(
  path: string,
  handlers: CsvHandlers,
  chunkSize = CHUNK,
  hashes?: FileHashes,
  arriving?: ArrivingFiles,
): { sha256: string; rows: number } {
  let background = hashes?.has(path) ? hashes : undefined;
  let own: FileHashes | undefined;
  if (!background && (arriving?.size(path) ?? statSync(path).size) >= BACKGROUND_HASH_BYTES)
    background = own = hashFilesInBackground([path], arriving);
  const hash = background ? undefined : createHash('sha256');
  let finished = false;
  try {
    const r = scan(path, handlers, chunkSize, hash, undefined, arriving);
    finished = true;
    return { sha256: hash ? hash.digest('hex') : background!.sha256(path), rows: r.rows };
  } finally {
    if (!finished) own?.cancel();
  }
}

function scan(
  path: string,
  handlers: CsvHandlers,
  chunkSize: number,
  hash: Hash | undefined,
  range?: CsvRange,
  arriving?: ArrivingFiles,
): { rows: number; line: number; clean: boolean } {
  const fd = openSync(path, 'r');
  const size = arriving?.size(path) ?? fstatSync(fd).size;
  const stop = range ? Math.min(range.end, size) : size;
  const row: CsvRow = {
    buf: Buffer.alloc(0),
    count: 0,
    start: new Int32Array(MAX_FIELDS),
    end: new Int32Array(MAX_FIELDS),
    escaped: new Uint8Array(MAX_FIELDS),
    line: 1,
    lineStart: 0,
    fileOffset: 0,
  };
  const start = row.start;
  const end = row.end;
  const escaped = row.escaped;
  const fromMiddle = range !== undefined && range.start > 0;
  let delimiter = fromMiddle && range.delimiter === ';' ? SEMICOLON : COMMA;
  let delimiters = Math.imul(delimiter, 0x01010101);
  let headerDone = fromMiddle;
  let rows = 0;
  let line = 1;
  let eof = false;
  let atEnd = false;
  // One buffer for the whole file: the unfinished row at a chunk's end is moved to its front and
  // the next chunk is read behind it.
  let store = allocStore(Math.max(2 * chunkSize, 64));
  let words = new Int32Array(store.buffer, 0, store.length >> 2);
  let carried = 0;
  /** File offset of store[0]. */
  let storeOffset = range ? range.start : 0;
  /** File offset of the next byte to read. */
  let readAt = storeOffset;
  try {
    while (!atEnd) {
      if (store.length - carried < chunkSize) {
        const bigger = allocStore(Math.max(2 * store.length, carried + chunkSize));
        store.copy(bigger, 0, 0, carried);
        store = bigger;
        words = new Int32Array(store.buffer, 0, store.length >> 2);
      }
      const want = Math.min(chunkSize, stop - readAt);
      arriving?.waitFor(path, readAt + want);
      const n = readAt < stop ? readSync(fd, store, carried, want, readAt) : 0;
      readAt += n;
      atEnd = n === 0;
      // The end of a part inside the file is not the end of a row: an unfinished row stays unfinished.
      eof = atEnd && stop === size;
      if (hash && n > 0) hash.update(store.subarray(carried, carried + n));
      const total = carried + n;
      carried = 0;
      if (total === 0) break;
      let skip = 0;
      if (!headerDone && store[0] === 0xef && store[1] === 0xbb && store[2] === 0xbf && total >= 3) skip = 3;
      const buf = store.subarray(skip, total);
      const bufOffset = storeOffset + skip;
      const len = buf.length;
      row.buf = buf;
      // Every row starting at or before the last newline and holding no quoted field ends inside buf.
      const lastLf = buf.lastIndexOf(LF);
      let pos = 0;
      while (pos < len) {
        // Parse one row from pos; if the buffer ends inside it and more data may come, carry it over.
        const rowStart = pos;
        const rowLine = line;
        let f = 0;
        let complete = false;
        let p = pos;
        let lines = 0;
        if (pos <= lastLf) {
          // Fast path: unquoted fields up to the row's newline.
          for (;;) {
            if (f >= MAX_FIELDS) throw new CsvSyntaxError(rowLine, `fler än ${MAX_FIELDS} fält på raden`);
            if (buf[p] === QUOTE) break;
            const s = p;
            let c: number;
            if (LITTLE_ENDIAN) {
              p = nextSpecial(words, p + skip, delimiters) - skip;
              c = buf[p]!;
            } else {
              c = buf[p]!;
              while (c !== delimiter && c !== LF) c = buf[++p]!;
            }
            start[f] = s;
            end[f] = p;
            escaped[f] = 0;
            f++;
            if (c === LF) {
              complete = true;
              break;
            }
            p++;
          }
          if (complete) {
            const e = end[f - 1]!;
            if (e > start[f - 1]! && buf[e - 1] === CR) end[f - 1] = e - 1;
            p++;
            lines = 1;
          } else {
            f = 0;
            p = pos;
          }
        }
        if (!complete) {
          for (;;) {
            if (f >= MAX_FIELDS) throw new CsvSyntaxError(rowLine, `fler än ${MAX_FIELDS} fält på raden`);
            if (p < len && buf[p] === QUOTE) {
              let q = p + 1;
              let esc = 0;
              for (;;) {
                while (q < len && buf[q] !== QUOTE) {
                  if (buf[q] === LF) lines++;
                  q++;
                }
                if (q + 1 < len && buf[q + 1] === QUOTE) {
                  esc = 1;
                  q += 2;
                  continue;
                }
                break;
              }
              if (q >= len || (q + 1 >= len && !eof)) break; // quoted field not closed within the buffer
              start[f] = p + 1;
              end[f] = q;
              escaped[f] = esc;
              p = q + 1;
              // skip to delimiter or line end (junk after a closing quote is kept out of the value)
              while (p < len && buf[p] !== delimiter && buf[p] !== LF) p++;
            } else {
              let q = p;
              while (q < len && buf[q] !== delimiter && buf[q] !== LF) q++;
              start[f] = p;
              end[f] = q > p && q <= len && buf[q - 1] === CR && (q === len || buf[q] === LF) ? q - 1 : q;
              escaped[f] = 0;
              p = q;
            }
            f++;
            if (p < len && buf[p] === delimiter) {
              p++;
              continue;
            }
            if (p < len && buf[p] === LF) {
              complete = true;
              p++;
              lines++;
              break;
            }
            if (p >= len && eof) complete = true;
            break;
          }
          if (!complete) {
            store.copyWithin(0, skip + rowStart, skip + len);
            carried = len - rowStart;
            storeOffset = bufOffset + rowStart;
            break;
          }
        }
        row.count = f;
        row.line = rowLine;
        row.lineStart = rowStart;
        row.fileOffset = bufOffset + rowStart;
        line += lines;
        pos = p;
        // Skip blank lines.
        if (f === 1 && end[0] === start[0]) continue;
        if (!headerDone) {
          const names: string[] = [];
          const raw = buf.toString('utf8', rowStart, p).replace(/\r?\n$/, '');
          delimiter = detectDelimiter(raw) === ';' ? SEMICOLON : COMMA;
          delimiters = Math.imul(delimiter, 0x01010101);
          if (delimiter === SEMICOLON) {
            // Re-tokenize the header with the delimiter we now know.
            for (const name of splitHeader(raw, ';')) names.push(name);
          } else {
            for (let i = 0; i < f; i++) names.push(fieldText(row, i));
          }
          headerDone = true;
          handlers.onHeader(
            names.map((n) => n.trim()),
            delimiter === SEMICOLON ? ';' : ',',
          );
          continue;
        }
        rows++;
        handlers.onRow(row);
      }
      if (carried === 0) storeOffset = bufOffset + len;
      if (eof) break;
    }
    if (carried > 0 && stop === size) throw new CsvSyntaxError(line, 'ett citattecken (") avslutas aldrig');
  } finally {
    closeSync(fd);
  }
  if (!headerDone) handlers.onHeader([], ',');
  return { rows, line, clean: carried === 0 };
}

function splitHeader(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === delimiter && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
