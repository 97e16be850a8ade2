import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRaw as inflateRawCallback } from 'node:zlib';
import { HttpError } from './problem.js';
import { declaredDataFiles, tooLarge, unpackDataZip, type ZipLimits } from './zip-upload.js';

/**
 * Unpacks an uploaded zip's data files off the event loop: each file's bytes are found through the
 * zip's central directory and inflated by zlib on its thread pool, at native speed, to at most the
 * size the zip declares for it (which declaredDataFiles has checked against the limits), so a zip
 * that lies about its sizes stops there. A zip this does not read (zip64, encrypted, another
 * method) is unpacked by unpackDataZip, as streams on this thread.
 */

const inflateRaw = promisify(inflateRawCallback);
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

/** Unpacks the zip's data files into `dir` (checked first); their names, lowercase. */
export async function inflateDataZip(zip: Uint8Array, dir: string, limits: ZipLimits): Promise<string[]> {
  const declared = declaredDataFiles(zip, limits);
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries = centralDirectory(buf);
  const wanted = new Set(declared.map((f) => f.name));
  const files = entries?.filter((e) => wanted.has(e.name));
  if (!files || files.length !== declared.length) return unpackDataZip(zip, dir, limits);
  // The files at once: zlib's thread pool inflates them side by side.
  const names = await Promise.all(
    files.map(async (e) => {
      const name = basename(e.name).toLowerCase();
      const packed = packedBytes(buf, e);
      let bytes: Buffer;
      if (e.method === 0) bytes = packed;
      else
        try {
          // One byte over the declared size is enough to know the zip lies.
          bytes = await inflateRaw(packed, { maxOutputLength: e.size + 1, chunkSize: INFLATE_CHUNK });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
            throw tooLarge(`${name} packas upp till mer än zip-filen uppger; uppackningen avbröts`);
          throw broken(`${name} kunde inte packas upp`);
        }
      if (bytes.length > e.size)
        throw tooLarge(`${name} packas upp till mer än zip-filen uppger; uppackningen avbröts`);
      if (bytes.length < e.size) throw broken(`${name} kunde inte packas upp`);
      await writeFile(join(dir, name), bytes, { flag: 'wx', mode: 0o600 });
      return name;
    }),
  );
  return names;
}
