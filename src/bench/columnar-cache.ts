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
const ALIGN = 8;
/** The DataSet's shape, part of the key: a cache written before a change is not read (2: diagnoses). */
const LAYOUT = 2;

type Column = Int32Array | Uint8Array | Float64Array;
const KINDS = { Int32Array, Uint8Array, Float64Array } as const;
type Kind = keyof typeof KINDS;

interface ColumnRef {
  $column: number;
}
interface Header {
  columns: { kind: Kind; length: number; offset: number }[];
  data: unknown;
}

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

function isColumn(v: unknown): v is Column {
  return v instanceof Int32Array || v instanceof Uint8Array || v instanceof Float64Array;
}

/** Writes the data set; returns the file's size in bytes. */
export function writeCache(path: string, data: DataSet): number {
  const columns: Column[] = [];
  const encode = (v: unknown): unknown => {
    if (isColumn(v)) {
      columns.push(v);
      return { $column: columns.length - 1 } satisfies ColumnRef;
    }
    if (v instanceof Map) return { $map: [...v].map(([k, x]) => [k, encode(x)]) };
    if (Array.isArray(v)) return v.map(encode);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
    return v;
  };
  const encoded = encode(data);
  const layout: Header['columns'] = [];
  let offset = 0;
  for (const c of columns) {
    layout.push({ kind: c.constructor.name as Kind, length: c.length, offset });
    offset += Math.ceil(c.byteLength / ALIGN) * ALIGN;
  }
  const header = Buffer.from(JSON.stringify({ columns: layout, data: encoded } satisfies Header), 'utf8');
  const headerBytes = 16 + Math.ceil(header.length / ALIGN) * ALIGN;
  const prefix = Buffer.alloc(headerBytes);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 8);
  header.copy(prefix, 16);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, prefix, 0);
    columns.forEach((c, i) => {
      writeAll(fd, new Uint8Array(c.buffer, c.byteOffset, c.byteLength), headerBytes + layout[i]!.offset);
    });
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return headerBytes + offset;
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
    if (prefix.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${path} is not a data set cache`);
    const length = prefix.readUInt32LE(8);
    const headerBytes = 16 + Math.ceil(length / ALIGN) * ALIGN;
    const text = Buffer.alloc(length);
    readAll(fd, text, 16);
    const header = JSON.parse(text.toString('utf8')) as Header;
    const columns = header.columns.map((c) => {
      const column = new KINDS[c.kind](c.length);
      readAll(fd, new Uint8Array(column.buffer, 0, column.byteLength), headerBytes + c.offset);
      return column;
    });
    const decode = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(decode);
      if (v !== null && typeof v === 'object') {
        if ('$column' in v) return columns[(v as ColumnRef).$column];
        if ('$map' in v)
          return new Map((v as { $map: [string, unknown][] }).$map.map(([k, x]) => [k, decode(x)]));
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
      }
      return v;
    };
    return decode(header.data) as DataSet;
  } finally {
    closeSync(fd);
  }
}
