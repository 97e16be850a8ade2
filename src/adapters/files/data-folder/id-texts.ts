import { fieldText, type CsvRow } from '../csv-tokenizer.js';
import { growTo } from './columns.js';

/**
 * A column of texts kept as one byte arena: row i is bytes[offsets[i]..offsets[i + 1]), UTF-8, as
 * the field reads (quotes undone, nothing trimmed). No string per row: a region's visits are tens
 * of millions of rows.
 */
export class TextArena {
  n = 0;
  bytes = new Uint8Array(1 << 16);
  offsets = new Int32Array(1 << 12);

  /** An arena of `n` texts over bytes and offsets made elsewhere (one stored and read back). */
  static of(bytes: Uint8Array, offsets: Int32Array, n: number): TextArena {
    const arena = new TextArena();
    Object.assign(arena, { bytes, offsets, n });
    return arena;
  }

  /** Field `col` of `row` (an empty text when the row is short). */
  addField(row: CsvRow, col: number): void {
    if (col >= row.count) return this.add(row.buf, 0, 0);
    if (row.escaped[col]) {
      const text = Buffer.from(fieldText(row, col), 'utf8');
      return this.add(text, 0, text.length);
    }
    this.add(row.buf, row.start[col]!, row.end[col]!);
  }

  add(b: Uint8Array, s: number, e: number): void {
    if (this.n + 2 > this.offsets.length) this.offsets = growTo(this.offsets, this.offsets.length * 2);
    let at = this.offsets[this.n]!;
    if (at + e - s > this.bytes.length)
      this.bytes = growTo(this.bytes, Math.max(this.bytes.length * 2, at + e - s));
    const bytes = this.bytes;
    for (let k = s; k < e; k++) bytes[at++] = b[k]!;
    this.offsets[++this.n] = at;
  }

  /** Row i's text. */
  text(i: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).toString(
      'utf8',
      this.offsets[i],
      this.offsets[i + 1],
    );
  }
}

/**
 * The id texts the columnar tables do not keep (they keep person numbers and check visit ids for
 * uniqueness), one per accepted row, in the tables' row order. The loader fills them only when an
 * import asks (LoadOptions.ids): the import stores the texts; `vardval pay` and the engine do not
 * need them.
 */
export class IdTexts {
  readonly listingPersons = new TextArena();
  readonly visitIds = new TextArena();
  readonly visitPersons = new TextArena();
}
