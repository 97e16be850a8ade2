import { randomBytes } from 'node:crypto';
import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasMagic, packSlices, unpackSlices, unpackStream } from './packed-bytes.js';

/** The stored form of a batch's columns and visit id texts: brotli in slices packed side by side. */

// Half compressible text, half random bytes, so slices differ in how well they pack.
const raw = Buffer.concat([Buffer.from('0123456789,'.repeat(40_000), 'latin1'), randomBytes(300_000)]);

describe('packed bytes', () => {
  it('packs in slices that unpack, side by side, to the same bytes in the same order', async () => {
    const packed = await packSlices('TESTMAG1', raw, 64 * 1024);
    expect(hasMagic(packed, 'TESTMAG1')).toBe(true);
    expect(hasMagic(packed, 'TESTMAG2')).toBe(false);
    // ceil(740 000 / 65 536) slices, each with its lengths in the head.
    const n = Buffer.from(packed).readUInt32LE(8);
    expect(n).toBe(Math.ceil(raw.length / (64 * 1024)));
    expect(packed.length).toBeLessThan(raw.length);
    const back = await unpackSlices(packed);
    expect(back.equals(raw)).toBe(true);
  });

  it('packs nothing as one empty slice', async () => {
    const back = await unpackSlices(await packSlices('TESTMAG1', new Uint8Array(0)));
    expect(back.length).toBe(0);
  });

  it('refuses bytes cut short or with a slice of the wrong length instead of unpacking garbage', async () => {
    const packed = Buffer.from(await packSlices('TESTMAG1', raw, 64 * 1024));
    await expect(unpackSlices(packed.subarray(0, packed.length - 10))).rejects.toThrow(/slices say/);
    const wrong = Buffer.from(packed);
    wrong.writeUInt32LE(wrong.readUInt32LE(16) + 1, 16);
    await expect(unpackSlices(wrong)).rejects.toThrow(/slice 0 unpacks to 65536 bytes, not 65537/);
  });

  it('still reads what was packed as one stream before the slices', async () => {
    const old = Buffer.concat([Buffer.from('TESTMAG0', 'latin1'), brotliCompressSync(raw)]);
    expect((await unpackStream(old)).equals(raw)).toBe(true);
  });
});
