import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { DataSet } from '../core/data/dataset.js';
import { DATA_FILES } from '../core/data/files.js';
import { headerLength, layOutDataSet, rebuildDataSet } from '../adapters/store/batch-cache.js';

/**
 * A columnar cache of an imported data folder: the loaded DataSet's typed arrays written as they
 * are in memory, and read back with one positional read per column (no parsing, no checks: the
 * folder was checked when it was imported). The input files' sha256 (the run's identity) were
 * computed at import and are kept in the cache.
 *
 * The cache is keyed by each CSV's name, size, modification time and inode, the way git's index
 * and make decide that a file is unchanged without reading it: re-hashing 4 GB of CSV would cost
 * more than reading the cache. A changed file gets a new key and is imported again.
 */

const MAGIC = 'VVCACHE1';
/** The DataSet's shape, part of the key: a cache written before a change is not read (2: diagnoses). */
const LAYOUT = 2;

/** The cache key of a data folder: every data file's name, size, mtime and inode. */
export function cacheKey(dir: string): string {
  const parts = DATA_FILES.map((f) => {
    const path = join(dir, f);
    if (!existsSync(path)) return `${f}:-`;
    const st = statSync(path, { bigint: true });
    return `${f}:${st.size}:${st.mtimeNs}:${st.ino}`;
  });
  return createHash('sha256')
    .update([`layout:${LAYOUT}`, ...parts].join('\n'))
    .digest('hex')
    .slice(0, 24);
}

export function cachePath(cacheDir: string, dir: string): string {
  return join(cacheDir, `dataset-${cacheKey(dir)}.bin`);
}

/** Writes the data set; returns the file's size in bytes. */
export function writeCache(path: string, data: DataSet): number {
  const { prefix, columns, offsets, bytes } = layOutDataSet(data, MAGIC);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, prefix, 0);
    columns.forEach((c, i) => {
      writeAll(fd, new Uint8Array(c.buffer, c.byteOffset, c.byteLength), prefix.length + offsets[i]!);
    });
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return bytes;
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    const n = writeSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30), position + done);
    done += n;
  }
}

function readAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    const n = readSync(fd, bytes, done, Math.min(bytes.length - done, 1 << 30), position + done);
    if (n === 0) throw new Error('the cache file ends early');
    done += n;
  }
}

/** Reads a data set written by writeCache, or undefined when there is no such file. */
export function readCache(path: string): DataSet | undefined {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, 'r');
  try {
    const prefix = Buffer.alloc(16);
    readAll(fd, prefix, 0);
    const length = headerLength(prefix, MAGIC);
    if (length === undefined) throw new Error(`${path} is not a data set cache`);
    const text = Buffer.alloc(length);
    readAll(fd, text, 16);
    return rebuildDataSet(text.toString('utf8'), (column, at) => readAll(fd, column, at));
  } finally {
    closeSync(fd);
  }
}
