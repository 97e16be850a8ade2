import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import {
  brotliCompress as brotliCompressCallback,
  brotliDecompress as brotliDecompressCallback,
  constants as zlib,
} from 'node:zlib';

/**
 * Bytes as the store keeps a batch's columnar form and visit id texts: brotli at its fastest
 * setting (a third of the size), in independent slices of SLICE_BYTES, each stored as a part of
 * its own. One brotli stream runs on one thread: a region's 356 MB columnar form took 3.3 s to
 * pack and 5.4 s to unpack that way, its 11 slices on zlib's thread pool 1.2 s and 2.8 s on two
 * cores, at the same size; and the import stores each part as soon as it is packed.
 *
 * A part: an 8-byte magic of the caller's, the slice's unpacked length (uint32 LE), its brotli.
 */

const SLICE_BYTES = 32 * 1024 * 1024;
const HEAD = 12;
const brotliCompress = promisify(brotliCompressCallback);
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

/**
 * `raw` packed under `magic` (8 latin1 characters): a part per slice, packed on zlib's thread
 * pool a lane per core, in order, each promise settling when its part is packed (the import
 * stores the first parts while the last are still being packed).
 */
export function packSlices(magic: string, raw: Uint8Array, sliceBytes = SLICE_BYTES): Promise<Uint8Array>[] {
  const slices: Uint8Array[] = [];
  for (let at = 0; at < raw.length || slices.length === 0; at += sliceBytes)
    slices.push(raw.subarray(at, Math.min(raw.length, at + sliceBytes)));
  return slices.map(async (slice) => {
    const packed = await inLane(() =>
      brotliCompress(slice, {
        params: { [zlib.BROTLI_PARAM_QUALITY]: 1, [zlib.BROTLI_PARAM_SIZE_HINT]: slice.length },
        chunkSize: 4 * 1024 * 1024,
      }),
    );
    const head = Buffer.alloc(HEAD);
    head.write(magic, 0, 8, 'latin1');
    head.writeUInt32LE(slice.length, 8);
    return Buffer.concat([head, packed]);
  });
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
