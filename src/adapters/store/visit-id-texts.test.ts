import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TextArena } from '../files/data-folder/index.js';
import { packVisitTexts, unpackVisitTexts, type VisitTexts } from './visit-id-texts.js';

/**
 * The visit id texts an import keeps until its visit rows are written: packed in slices with the
 * offsets as steps, and still read as an earlier version packed them (a server updated while a
 * batch's visit rows are being written goes on with them).
 */

function arena(texts: string[]): TextArena {
  const a = new TextArena();
  for (const t of texts) {
    const b = Buffer.from(t, 'utf8');
    a.add(b, 0, b.length);
  }
  return a;
}

const texts = (a: TextArena): string[] => Array.from({ length: a.n }, (_, i) => a.text(i));

const ids = Array.from({ length: 5000 }, (_, i) => `V${String(i + 1).padStart(9, '0')}`);
const persons = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 'P0001234' : `19900101${i % 10}383`));
const given: VisitTexts = {
  visitIds: arena(ids),
  visitPersons: arena(persons),
  personsStored: new Map([[3, '199001013383']]),
};

/** The layout before the steps: a JSON header, then each arena's offsets and bytes as they are. */
function packedBefore(): Buffer {
  const arenas = [given.visitIds, given.visitPersons].flatMap((a) => [
    a.offsets.subarray(0, a.n + 1),
    a.bytes.subarray(0, a.offsets[a.n]),
  ]);
  const header = Buffer.from(
    JSON.stringify({
      n: given.visitIds.n,
      lengths: arenas.map((a) => a.byteLength),
      personsStored: [...given.personsStored],
    }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([
    length,
    header,
    ...arenas.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)),
  ]);
}

describe('visit id texts', () => {
  it('unpack to the texts packed, the offsets added up again from their steps', async () => {
    const parts = await Promise.all(packVisitTexts(given));
    const back = await unpackVisitTexts(parts);
    expect(texts(back.visitIds)).toEqual(ids);
    expect(texts(back.visitPersons)).toEqual(persons);
    expect([...back.personsStored]).toEqual([[3, '199001013383']]);
    // The steps pack smaller than the offsets did.
    const before = brotliCompressSync(packedBefore()).length;
    expect(parts.reduce((n, p) => n + p.length, 0)).toBeLessThan(before);
  });

  it('still reads texts packed as one stream with the offsets as they are', async () => {
    const old = Buffer.concat([Buffer.from('VVVISID1', 'latin1'), brotliCompressSync(packedBefore())]);
    // Stored in parts of any size: the parts are joined before unpacking.
    const back = await unpackVisitTexts([old.subarray(0, 100), old.subarray(100)]);
    expect(texts(back.visitIds)).toEqual(ids);
    expect(texts(back.visitPersons)).toEqual(persons);
  });

  it('refuses bytes that are not packed visit texts', async () => {
    await expect(unpackVisitTexts([Buffer.from('VVBATCHPxxxx')])).rejects.toThrow(/not packed visit texts/);
  });
});
