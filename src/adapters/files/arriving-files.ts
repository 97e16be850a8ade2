import { basename } from 'node:path';

/**
 * Files that are still being written (an uploaded zip's files, inflated on zlib's thread pool)
 * while other threads read them: the reader of a data folder and its hashing thread wait for the
 * bytes they need instead of for the whole zip, so reading listings.csv and visits.csv overlaps
 * their inflating. Each file's final size is known beforehand (the zip declares it, and the writer
 * stops a file that grows past it). The state lives in a SharedArrayBuffer, so the same files can
 * be followed from any thread: pass `shared` (plain data) and make an ArrivingFiles of it there.
 *
 * Cells (Int32): 0 counts changes (waiters sleep on it); then per file its state (ARRIVING,
 * COMPLETE, FAILED) and the KiB written so far (a file up to 2 TiB in an Int32; the last partial
 * KiB is only known at COMPLETE).
 */

const ARRIVING = 0;
const COMPLETE = 1;
const FAILED = 2;

/** What crosses to another thread: the files' names (lowercase, no folder), final sizes and state. */
export interface ArrivingFilesShared {
  names: string[];
  sizes: number[];
  cells: SharedArrayBuffer;
}

/** A file the writer gave up on: the reader stops, and the writer's own error says why. */
export class ArrivalFailed extends Error {
  constructor(readonly file: string) {
    super(`${file} kunde inte packas upp`);
  }
}

/** With no news for this long a writer is taken for dead (it marks a failure itself when it can). */
const STALLED_MS = 120_000;

export class ArrivingFiles {
  private readonly cells: Int32Array;
  private readonly written: number[];

  constructor(readonly shared: ArrivingFilesShared) {
    this.cells = new Int32Array(shared.cells);
    this.written = shared.names.map(() => 0);
  }

  /** New state for these files, none of them written yet. */
  static expecting(files: { name: string; size: number }[]): ArrivingFiles {
    return new ArrivingFiles({
      names: files.map((f) => f.name),
      sizes: files.map((f) => f.size),
      cells: new SharedArrayBuffer(4 * (1 + 2 * files.length)),
    });
  }

  private index(path: string): number {
    return this.shared.names.indexOf(basename(path).toLowerCase());
  }

  /** The file's size once written, when it is one of these files. */
  size(path: string): number | undefined {
    const i = this.index(path);
    return i < 0 ? undefined : this.shared.sizes[i];
  }

  /**
   * Blocks this thread until the file's first `end` bytes are written (or all of it is); throws
   * ArrivalFailed when the writer gave up on it. A file that is not one of these returns at once.
   */
  waitFor(path: string, end: number): void {
    const i = this.index(path);
    if (i < 0) return;
    let since = Date.now();
    for (;;) {
      const change = Atomics.load(this.cells, 0);
      const state = Atomics.load(this.cells, 1 + 2 * i);
      if (state === COMPLETE) return;
      if (state === FAILED) throw new ArrivalFailed(this.shared.names[i]!);
      if (Atomics.load(this.cells, 2 + 2 * i) * 1024 >= end) return;
      if (Atomics.wait(this.cells, 0, change, 1000) !== 'timed-out') since = Date.now();
      else if (Date.now() - since > STALLED_MS) throw new ArrivalFailed(this.shared.names[i]!);
    }
  }

  /** The writer: `bytes` more of the file are written (and readable). */
  wrote(name: string, bytes: number): void {
    const i = this.shared.names.indexOf(name);
    if (i < 0) return;
    this.written[i]! += bytes;
    Atomics.store(this.cells, 2 + 2 * i, Math.floor(this.written[i]! / 1024));
    this.changed();
  }

  /** The writer: all of the file is written. */
  complete(name: string): void {
    this.settle(name, COMPLETE);
  }

  /** The writer: every file not complete is given up (readers waiting for them throw). */
  failRest(): void {
    for (const name of this.shared.names)
      if (Atomics.load(this.cells, 1 + 2 * this.shared.names.indexOf(name)) === ARRIVING)
        this.settle(name, FAILED);
  }

  private settle(name: string, state: number): void {
    const i = this.shared.names.indexOf(name);
    if (i < 0) return;
    Atomics.store(this.cells, 1 + 2 * i, state);
    this.changed();
  }

  private changed(): void {
    Atomics.add(this.cells, 0, 1);
    Atomics.notify(this.cells, 0);
  }
}
