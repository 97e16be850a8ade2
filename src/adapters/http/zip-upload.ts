import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Unzip, UnzipInflate, unzipSync, type UnzipFileInfo } from 'fflate';
import { DATA_FILES } from '../files/data-folder/index.js';
import { processAlive } from '../store/store-lock.js';
import { HttpError } from './problem.js';

/**
 * A data folder uploaded as a zip. The zip's own directory is read first and its declared sizes
 * checked against the limits before a byte is inflated; then the files are inflated as streams
 * into a private work folder, counting what really comes out, so a zip that lies about its sizes
 * is stopped at the limit too. A zip bomb is refused in milliseconds and never grows the server.
 */

export interface ZipLimits {
  /** Largest unpacked data file. */
  fileBytes: number;
  /** All unpacked data files together. */
  totalBytes: number;
  /** Unpacked size over packed size; CSV packs about 5–10 times, a bomb a thousand. */
  ratio: number;
}

const GIB = 1024 ** 3;

function envBytes(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Settings: VARDVAL_IMPORT_MAX_FILE_BYTES, VARDVAL_IMPORT_MAX_TOTAL_BYTES, VARDVAL_IMPORT_MAX_RATIO. */
export function zipLimitsFromEnv(): ZipLimits {
  return {
    fileBytes: envBytes('VARDVAL_IMPORT_MAX_FILE_BYTES', 2 * GIB),
    totalBytes: envBytes('VARDVAL_IMPORT_MAX_TOTAL_BYTES', 4 * GIB),
    ratio: envBytes('VARDVAL_IMPORT_MAX_RATIO', 200),
  };
}

const WORK_PREFIX = 'vardval-import-';

/**
 * A private folder for one upload, named after this process so a later start can tell an orphan
 * (its process gone, e.g. after kill -9) from a folder another running server is using.
 */
export function importWorkFolder(): string {
  return mkdtempSync(join(tmpdir(), `${WORK_PREFIX}${process.pid}-`));
}

/** Removes work folders left by servers that died mid-import (they hold personal data); returns how many. */
export function removeOrphanedImportFolders(dir = tmpdir()): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(WORK_PREFIX)) continue;
    const pid = Number(name.slice(WORK_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) continue;
    if (pid === process.pid) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

const MIB = 1024 * 1024;
export const tooLarge = (detail: string) =>
  new HttpError(413, 'Zip-filen packas upp till för mycket', detail);
const wanted = (path: string) =>
  !path.includes('__MACOSX') && (DATA_FILES as readonly string[]).includes(basename(path).toLowerCase());

/** The data files the zip declares, checked against the limits; nothing is inflated. */
export function declaredDataFiles(zip: Uint8Array, limits: ZipLimits): UnzipFileInfo[] {
  const files: UnzipFileInfo[] = [];
  try {
    unzipSync(zip, {
      filter: (f) => {
        if (wanted(f.name)) files.push(f);
        return false;
      },
    });
  } catch {
    throw new HttpError(
      400,
      'Filen är ingen giltig zip',
      'Filen kunde inte packas upp; ladda upp datamappen som en zip-fil',
    );
  }
  if (files.length === 0)
    throw new HttpError(400, 'Inga datafiler i zip-filen', `Väntade några av ${DATA_FILES.join(', ')}`);
  const seen = new Set<string>();
  let total = 0;
  for (const f of files) {
    const name = basename(f.name).toLowerCase();
    if (seen.has(name))
      throw new HttpError(400, 'Zip-filen innehåller två datamappar', `${name} finns mer än en gång`);
    seen.add(name);
    if (f.originalSize > limits.fileBytes)
      throw tooLarge(
        `${name} packas upp till ${Math.round(f.originalSize / MIB)} MiB; högst ${Math.round(limits.fileBytes / MIB)} MiB per fil`,
      );
    if (f.originalSize > Math.max(f.size, 1) * limits.ratio)
      throw tooLarge(
        `${name} är packad ${Math.round(f.originalSize / Math.max(f.size, 1))} gånger; högst ${limits.ratio} gånger är rimligt för en datafil`,
      );
    total += f.originalSize;
  }
  if (total > limits.totalBytes)
    throw tooLarge(
      `Filerna packas upp till ${Math.round(total / MIB)} MiB; högst ${Math.round(limits.totalBytes / MIB)} MiB sammanlagt`,
    );
  return files;
}

/** Unpacks the zip's data files into `dir` (checked first, counted while written). */
export function unpackDataZip(zip: Uint8Array, dir: string, limits: ZipLimits): string[] {
  const declared = declaredDataFiles(zip, limits);
  const names: string[] = [];
  let total = 0;
  let failure: Error | undefined;
  const unzip = new Unzip((file) => {
    if (!wanted(file.name) || failure) return;
    const name = basename(file.name).toLowerCase();
    const fd = openSync(join(dir, name), 'wx', 0o600);
    names.push(name);
    let written = 0;
    file.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) failure = new HttpError(400, 'Filen är ingen giltig zip', `${name} kunde inte packas upp`);
      else {
        written += chunk.length;
        total += chunk.length;
        if (written > limits.fileBytes || total > limits.totalBytes)
          failure = tooLarge(`${name} packas upp till mer än zip-filen uppger; uppackningen avbröts`);
        else writeSync(fd, chunk);
      }
      if (final || failure) closeSync(fd);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const step = 1 << 20;
  try {
    for (let i = 0; i < zip.length && !failure; i += step)
      unzip.push(zip.subarray(i, Math.min(zip.length, i + step)), i + step >= zip.length);
  } catch {
    failure ??= new HttpError(400, 'Filen är ingen giltig zip', 'Filen kunde inte packas upp');
  }
  if (failure) throw failure;
  if (names.length < declared.length)
    throw new HttpError(400, 'Filen är ingen giltig zip', 'Zip-filen tog slut innan alla filer packats upp');
  return names;
}
