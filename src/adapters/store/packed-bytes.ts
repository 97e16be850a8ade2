import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import {
  brotliDecompress as brotliDecompressCallback,
  constants as zlib,
  createBrotliCompress,
} from 'node:zlib';

/**
 * Bytes as the store keeps a batch's columnar form and the texts of its rows: brotli at its fastest
 * setting (a third of the size), in independent slices of SLICE_BYTES, each stored as a part of
 * its own. One brotli stream runs on one thread: a region's 356 MB columnar form took 3.3 s to
 * pack and 5.4 s to unpack that way, its 11 slices on zlib's thread pool 1.2 s and 2.8 s on two
 * cores, at the same size; and the import stores each part as soon as it is packed.
 *
 * A part: an 8-byte magic of the caller's, the slice's unpacked length (uint32 LE), its brotli.
 */

const SLICE_BYTES = 32 * 1024 * 1024;
const HEAD = 12;
const brotliDecompress = promisify(brotliDecompressCallback);

/** Slices packed at once, in this thread, across calls: one per core, so the first are done first. */
const LANES = Math.max(1, availableParallelism());
let packing = 0;
const queued: (() => void)[] = [];

async function inLane<T>(work: () => Promise<T>): Promise<T> {
  if (packing >= LANES) await new Promise<void>((resolve) => queued.push(resolve));
  else packing++;
  try {
    return await work();
  } finally {
    // The lane goes to the next slice in line, or is free.
    const next = queued.shift();
    if (next) next();
    else packing--;
  }
}

/** The bytes [from, to) of pieces that lie one after the other, as views of the pieces. */
function cut(pieces: Uint8Array[], from: number, to: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const piece of pieces) {
    const end = at + piece.length;
    if (end > from && at < to)
      out.push(piece.subarray(Math.max(0, from - at), Math.min(piece.length, to - at)));
    at = end;
  }
  return out;
}

/** One slice's brotli, read from its pieces where they lie (a stream: no copy into one buffer). */
function brotliOf(pieces: Uint8Array[], length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const stream = createBrotliCompress({
      params: { [zlib.BROTLI_PARAM_QUALITY]: 1, [zlib.BROTLI_PARAM_SIZE_HINT]: length },
      chunkSize: 4 * 1024 * 1024,
    });
    const out: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => out.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(out)));
    for (const piece of pieces) stream.write(piece);
    stream.end();
  });
}

/**
 * The bytes given as pieces that lie one after the other (a data set's columns, say: they are read
 * where they are, not copied into one buffer first) packed under `magic` (8 latin1 characters): a
 * part per slice, packed on zlib's thread pool a lane per core, in order, each promise settling
 * when its part is packed (the import stores the first parts while the last are being packed).
 */
export function packSlices(
  magic: string,
  pieces: Uint8Array[],
  sliceBytes = SLICE_BYTES,
): Promise<Uint8Array>[] {
  const length = pieces.reduce((sum, p) => sum + p.length, 0);
  const starts: number[] = [];
  for (let at = 0; at < length || starts.length === 0; at += sliceBytes) starts.push(at);
  return starts.map(async (from) => {
    const to = Math.min(length, from + sliceBytes);
    const packed = await inLane(() => brotliOf(cut(pieces, from, to), to - from));
    const head = Buffer.alloc(HEAD);
    head.write(magic, 0, 8, 'latin1');
    head.writeUInt32LE(to - from, 8);
    return Buffer.concat([head, packed]);
  });
}

/**
 * A column that never goes down (rows' line numbers, a text arena's offsets) as its steps, which
 * pack to almost nothing: a region's line columns were 30 of its columnar form's 136 MB packed,
 * the visit id texts' offsets 51 of their 62 MB. Wrapping arithmetic, so the steps always add up
 * to the column again.
 */
export function stepsOf(c: Int32Array | Uint8Array | Float64Array): Int32Array | undefined {
  if (!(c instanceof Int32Array) || c.length < 2) return undefined;
  for (let i = 1; i < c.length; i++) if (c[i]! < c[i - 1]!) return undefined;
  const steps = new Int32Array(c.length);
  steps[0] = c[0]!;
  for (let i = 1; i < c.length; i++) steps[i] = (c[i]! - c[i - 1]!) | 0;
  return steps;
}

/** stepsOf undone, in place. */
export function addUp(steps: Int32Array): void {
  for (let i = 1; i < steps.length; i++) steps[i] = (steps[i - 1]! + steps[i]!) | 0;
}

/** Whether `bytes` begin with `magic`. */
export const hasMagic = (bytes: Uint8Array, magic: string): boolean =>
  bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1') === magic;

/** What packSlices wrote, its parts in order (the caller has checked their magic), unpacked side by side. */
export async function unpackSlices(parts: Uint8Array[]): Promise<Buffer<ArrayBuffer>> {
  const slices = parts.map((part) => {
    const buf = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    if (buf.length < HEAD) throw new Error(`packed bytes: a part of ${buf.length} bytes has no head`);
    return { bytes: buf.subarray(HEAD), unpacked: buf.readUInt32LE(8) };
  });
  const out = Buffer.allocUnsafe(slices.reduce((sum, s) => sum + s.unpacked, 0));
  let to = 0;
  const ats = slices.map((s) => ((to += s.unpacked), to - s.unpacked));
  await Promise.all(
    slices.map(async (s, i) => {
      // One output chunk per slice: the default 16 KB chunks cost a copy each.
      const raw = await brotliDecompress(s.bytes, { chunkSize: Math.max(64 * 1024, s.unpacked) });
      if (raw.length !== s.unpacked)
        throw new Error(`packed bytes: part ${i} unpacks to ${raw.length} bytes, not ${s.unpacked}`);
      out.set(raw, ats[i]!);
    }),
  );
  return out;
}

/** Bytes packed as one brotli stream after an 8-byte magic (batches imported before the slices). */
export function unpackStream(bytes: Uint8Array): Promise<Buffer<ArrayBuffer>> {
  return brotliDecompress(Buffer.from(bytes.buffer, bytes.byteOffset + 8, bytes.byteLength - 8));
}
