import { randomBytes } from 'node:crypto';
import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasMagic, packSlices, unpackSlices, unpackStream } from './packed-bytes.js';

/** The stored form of a batch's columns and its rows' texts: brotli in slices packed side by side. */

// Compressible text, then random bytes, so the slices differ in how well they pack.
const raw = Buffer.concat([Buffer.from('0123456789,'.repeat(40_000), 'latin1'), randomBytes(300_000)]);

describe('packed bytes', () => {
  it('packs a part per slice that unpack, side by side, to the same bytes in the same order', async () => {
    // Given as pieces that slices cut across (a data set's columns where they lie).
    const pieces = [
      raw.subarray(0, 1),
      raw.subarray(1, 100_003),
      raw.subarray(100_003, 500_000),
      raw.subarray(500_000),
    ];
    const parts = await Promise.all(packSlices('TESTMAG1', pieces, 64 * 1024));
    expect(parts).toHaveLength(Math.ceil(raw.length / (64 * 1024)));
    expect(parts.every((p) => hasMagic(p, 'TESTMAG1'))).toBe(true);
    expect(hasMagic(parts[0]!, 'TESTMAG2')).toBe(false);
    // The text packs small, the random bytes do not.
    expect(parts[0]!.length).toBeLessThan(4096);
    expect(parts.at(-1)!.length).toBeGreaterThan(raw.length % (64 * 1024));
    const back = await unpackSlices(parts);
    expect(back.equals(raw)).toBe(true);
    // Out of order, the bytes are not the same: the order of the parts is the order of the bytes.
    expect((await unpackSlices([parts[1]!, parts[0]!, ...parts.slice(2)])).equals(raw)).toBe(false);
  });

  it('packs nothing as one empty part', async () => {
    const parts = await Promise.all(packSlices('TESTMAG1', []));
    expect(parts).toHaveLength(1);
    expect((await unpackSlices(parts)).length).toBe(0);
  });

  it('refuses a part cut short or of the wrong length instead of unpacking garbage', async () => {
    const parts = (await Promise.all(packSlices('TESTMAG1', [raw], 64 * 1024))).map((p) => Buffer.from(p));
    const cut = [...parts];
    cut[3] = parts[3]!.subarray(0, parts[3]!.length - 10);
    await expect(unpackSlices(cut)).rejects.toThrow(/end of file/);
    const wrong = [...parts];
    wrong[0] = Buffer.from(parts[0]!);
    wrong[0].writeUInt32LE(64 * 1024 + 1, 8);
    await expect(unpackSlices(wrong)).rejects.toThrow(/part 0 unpacks to 65536 bytes, not 65537/);
    await expect(unpackSlices([Buffer.from('TESTMAG1')])).rejects.toThrow(/no head/);
  });

  it('still reads what was packed as one stream before the slices', async () => {
    const old = Buffer.concat([Buffer.from('TESTMAG0', 'latin1'), brotliCompressSync(raw)]);
    expect((await unpackStream(old)).equals(raw)).toBe(true);
  });
});
