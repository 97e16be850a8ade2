import { open, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInflateRaw } from 'node:zlib';
import { ArrivingFiles } from '../files/arriving-files.js';
import { READ_ORDER } from '../files/data-folder/index.js';
import { HttpError } from './problem.js';
import { declaredDataFiles, tooLarge, unpackDataZip, type ZipLimits } from './zip-upload.js';

/**
 * Unpacks an uploaded zip's data files off the event loop, while the import reads them: each
 * file's bytes are found through the zip's central directory and inflated as a stream by zlib on
 * its thread pool, at native speed, into the work folder, and the reader (on its own thread)
 * follows each file as it arrives (ArrivingFiles) instead of waiting for the whole zip. A file is
 * inflated to at most the size the zip declares for it (which declaredDataFiles has checked
 * against the limits), so a zip that lies about its sizes stops there. A zip this does not read
 * (zip64, encrypted, another method) is unpacked whole first by unpackDataZip, as streams on this
 * thread.
 */

/**
 * Output per step on the thread pool: zlib's default 16 KiB made a region's 800 MB visits.csv
 * some 50 000 round trips to the event loop (17 s where 4 MiB steps take a few).
 */
const INFLATE_CHUNK = 4 * 1024 * 1024;

interface Entry {
  name: string;
  method: number;
  packed: number;
  size: number;
  /** Where its local header starts. */
  local: number;
}

/** The central directory's entries, or undefined when the zip is one this module leaves to unpackDataZip. */
function centralDirectory(zip: Buffer): Entry[] | undefined {
  const last = Math.max(0, zip.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = zip.length - 22; i >= last; i--)
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) return undefined;
  const count = zip.readUInt16LE(eocd + 10);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) return undefined;
  const entries: Entry[] = [];
  for (let at = offset, k = 0; k < count; k++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) return undefined;
    const flags = zip.readUInt16LE(at + 8);
    const nameLength = zip.readUInt16LE(at + 28);
    const entry: Entry = {
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      packed: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      local: zip.readUInt32LE(at + 42),
    };
    if (flags & 1 || (entry.method !== 0 && entry.method !== 8)) return undefined;
    if (entry.packed === 0xffffffff || entry.size === 0xffffffff || entry.local === 0xffffffff)
      return undefined;
    entries.push(entry);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

const broken = (detail: string) => new HttpError(400, 'Filen är ingen giltig zip', detail);

/** One entry's bytes as packed in the zip. */
function packedBytes(zip: Buffer, e: Entry): Buffer {
  if (e.local + 30 > zip.length || zip.readUInt32LE(e.local) !== 0x04034b50)
    throw broken(`${basename(e.name)} kunde inte packas upp`);
  const start = e.local + 30 + zip.readUInt16LE(e.local + 26) + zip.readUInt16LE(e.local + 28);
  if (start + e.packed > zip.length) throw broken('Zip-filen tog slut innan alla filer packats upp');
  return zip.subarray(start, start + e.packed);
}

export interface Inflating {
  /** The files as they are written; undefined when the zip was unpacked whole (unpackDataZip). */
  arriving: ArrivingFiles | undefined;
  /** All files written; rejects with the zip's fault (HttpError) or when stopped. */
  done: Promise<string[]>;
  /** Stops writing (the import failed): readers waiting for a file are told it will not come. */
  stop(): void;
}

/**
 * Starts unpacking the zip's data files into `dir` (checked first): resolves once every file
 * exists, empty, with its size known, so the folder can be read while it fills up.
 */
export async function startInflating(zip: Uint8Array, dir: string, limits: ZipLimits): Promise<Inflating> {
  const declared = declaredDataFiles(zip, limits);
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries = centralDirectory(buf);
  const wanted = new Set(declared.map((f) => f.name));
  const files = entries?.filter((e) => wanted.has(e.name));
  if (!files || files.length !== declared.length) {
    const names = unpackDataZip(zip, dir, limits);
    return { arriving: undefined, done: Promise.resolve(names), stop: () => {} };
  }
  const rank = (name: string): number => {
    const at = (READ_ORDER as readonly string[]).indexOf(name);
    return at < 0 ? READ_ORDER.length : at;
  };
  const named = files
    .map((e) => ({ entry: e, name: basename(e.name).toLowerCase() }))
    .sort((a, b) => rank(a.name) - rank(b.name));
  const arriving = ArrivingFiles.expecting(named.map((f) => ({ name: f.name, size: f.entry.size })));
  const handles: FileHandle[] = [];
  try {
    for (const f of named) handles.push(await open(join(dir, f.name), 'wx', 0o600));
  } catch (error) {
    await Promise.all(handles.map((h) => h.close()));
    throw error;
  }
  const stopped = { now: false };
  // One file after the other, in the order the reader takes them: listings.csv is whole (and read)
  // sooner than when all the files shared zlib's threads, and visits.csv keeps ahead of its reader.
  const done = (async () => {
    try {
      for (const [i, { entry, name }] of named.entries()) {
        if (stopped.now) throw new Error('stopped');
        await inflateInto(handles[i]!, entry, packedBytes(buf, entry), name, arriving, stopped);
        arriving.complete(name);
      }
      return named.map((f) => f.name);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  })();
  // The other files stop too, and whoever waits for a file that will not come stops waiting.
  done.catch(() => {
    stopped.now = true;
    arriving.failRest();
  });
  return {
    arriving,
    done,
    stop: () => {
      stopped.now = true;
    },
  };
}

/** One file: inflated a step at a time, each step written and then announced to the readers. */
async function inflateInto(
  handle: FileHandle,
  entry: Entry,
  packed: Buffer,
  name: string,
  arriving: ArrivingFiles,
  stopped: { now: boolean },
): Promise<void> {
  const lies = () => tooLarge(`${name} packas upp till mer än zip-filen uppger; uppackningen avbröts`);
  const write = async (bytes: Buffer): Promise<void> => {
    for (let at = 0; at < bytes.length;) at += (await handle.write(bytes, at)).bytesWritten;
    arriving.wrote(name, bytes.length);
  };
  const size = entry.size;
  // A stored file is its own bytes.
  if (entry.method === 0) {
    if (packed.length > size) throw lies();
    if (packed.length < size) throw broken(`${name} kunde inte packas upp`);
    return write(packed);
  }
  let written = 0;
  const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK });
  inflater.end(packed);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      if (stopped.now) throw new Error('stopped');
      written += chunk.length;
      // Nothing past the declared size is written.
      if (written > size) throw lies();
      await write(chunk);
    }
  } catch (error) {
    inflater.destroy();
    if (error instanceof HttpError || stopped.now) throw error;
    throw broken(`${name} kunde inte packas upp`);
  }
  if (written < size) throw broken(`${name} kunde inte packas upp`);
}
