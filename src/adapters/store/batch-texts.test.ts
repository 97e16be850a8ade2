import { brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TextArena } from '../files/data-folder/index.js';
import { InputErrors } from '../files/located-error.js';
import { batchTextsOf, packBatchTexts, unpackBatchTexts, type BatchTexts } from './batch-texts.js';

/**
 * The person and visit id texts an import keeps until its listing and visit rows are written:
 * every person id checked first; packed in slices with the offsets as steps; and still read as an
 * earlier version packed them (a server updated while a batch's visit rows are being written goes
 * on with them).
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
const listed = Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? 'P0009999' : `19800101${i % 10}383`));
const given: BatchTexts = {
  listings: { persons: arena(listed), stored: new Map([[7, '198001017383']]) },
  visitIds: arena(ids),
  visits: { persons: arena(persons), stored: new Map([[3, '199001013383']]) },
};

/** The layout before the steps: a JSON header, then each arena's offsets and bytes as they are. */
function packedBefore(): Buffer {
  const arenas = [given.visitIds, given.visits.persons].flatMap((a) => [
    a.offsets.subarray(0, a.n + 1),
    a.bytes.subarray(0, a.offsets[a.n]),
  ]);
  const header = Buffer.from(
    JSON.stringify({
      n: given.visitIds.n,
      lengths: arenas.map((a) => a.byteLength),
      personsStored: [...given.visits.stored],
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

describe('batch texts', () => {
  it('unpack to the texts packed, the offsets added up again from their steps', async () => {
    const parts = await Promise.all(packBatchTexts(given));
    const back = await unpackBatchTexts(parts);
    expect(texts(back.visitIds)).toEqual(ids);
    expect(texts(back.visits.persons)).toEqual(persons);
    expect([...back.visits.stored]).toEqual([[3, '199001013383']]);
    expect(texts(back.listings!.persons)).toEqual(listed);
    expect([...back.listings!.stored]).toEqual([[7, '198001017383']]);
    // The steps pack smaller than the offsets did.
    const before = brotliCompressSync(packedBefore()).length;
    expect(parts.reduce((n, p) => n + p.length, 0)).toBeLessThan(before);
  });

  it('still reads texts packed as one stream with the offsets as they are', async () => {
    const old = Buffer.concat([Buffer.from('VVVISID1', 'latin1'), brotliCompressSync(packedBefore())]);
    // Stored in parts of any size: the parts are joined before unpacking.
    const back = await unpackBatchTexts([old.subarray(0, 100), old.subarray(100)]);
    expect(texts(back.visitIds)).toEqual(ids);
    expect(texts(back.visits.persons)).toEqual(persons);
    // Packed when the listing rows went in with the import: no listing texts.
    expect(back.listings).toBeUndefined();
  });

  it("checks both files' person ids and names every wrong one with its file and line", () => {
    const listingPersons = arena(['198001017386', '8001017386', '8001017383']);
    const visitPersons = arena(['P0001', '199001013383', '8001017380']);
    const kept = { listingPersons, visitPersons, visitIds: arena(['V1', 'V2', 'V3']) };
    const thrown = (() => {
      try {
        batchTextsOf(kept as never, Int32Array.of(2, 3, 4), Int32Array.of(2, 3, 4));
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(InputErrors);
    const where = (thrown as InputErrors).errors.map((e) => `${e.file}:${e.line}`);
    expect(where).toEqual(['listings.csv:4', 'visits.csv:4']);
    // Without the wrong ones: the 10-digit number is stored with its century.
    const fine = batchTextsOf(
      {
        ...kept,
        listingPersons: arena(['198001017386', '8001017386']),
        visitPersons: arena(['P0001']),
      } as never,
      Int32Array.of(2, 3),
      Int32Array.of(2),
    );
    expect([...fine.listings!.stored]).toEqual([[1, '198001017386']]);
    expect([...fine.visits.stored]).toEqual([]);
  });

  it('refuses bytes that are not packed visit texts', async () => {
    await expect(unpackBatchTexts([Buffer.from('VVBATCHPxxxx')])).rejects.toThrow(/not packed batch texts/);
  });
});
