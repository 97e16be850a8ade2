import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArrivalFailed, ArrivingFiles } from './arriving-files.js';
import { hashFilesInBackground } from './csv-tokenizer.js';

/**
 * Files still being unpacked are followed as they arrive: a reader waits for the bytes it needs
 * and no more, and stops when the writer gives up.
 */

describe('arriving files', () => {
  it('lets the hashing thread follow a file as it is written, to the sha256 of the whole file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'arriving-')), 'visits.csv');
    const whole = randomBytes(3 * 1024 * 1024 + 123);
    const arriving = ArrivingFiles.expecting([{ name: 'visits.csv', size: whole.length }]);
    writeFileSync(path, '');
    // The thread starts on an empty file: without waiting it would hash too little.
    const hashes = hashFilesInBackground([path], arriving);
    const parts = [
      whole.subarray(0, 1_000_000),
      whole.subarray(1_000_000, 2_500_000),
      whole.subarray(2_500_000),
    ];
    for (const part of parts) {
      await sleep(50);
      appendFileSync(path, part);
      arriving.wrote('visits.csv', part.length);
    }
    arriving.complete('visits.csv');
    expect(hashes.sha256(path)).toBe(createHash('sha256').update(whole).digest('hex'));
  });

  it('waits only for the bytes asked for, and throws once the writer gives up', () => {
    const arriving = ArrivingFiles.expecting([
      { name: 'listings.csv', size: 10_000 },
      { name: 'visits.csv', size: 5_000 },
    ]);
    expect(arriving.size('/any/folder/LISTINGS.csv')).toBe(10_000);
    expect(arriving.size('/any/folder/units.csv')).toBeUndefined();
    // A file that is not arriving is there already.
    arriving.waitFor('/f/units.csv', 1_000_000);
    arriving.wrote('listings.csv', 4096);
    arriving.waitFor('/f/listings.csv', 4096);
    arriving.complete('visits.csv');
    arriving.waitFor('/f/visits.csv', 5_000);
    arriving.failRest();
    expect(() => arriving.waitFor('/f/listings.csv', 8192)).toThrow(ArrivalFailed);
    // What was complete stays readable.
    arriving.waitFor('/f/visits.csv', 5_000);
  });
});
