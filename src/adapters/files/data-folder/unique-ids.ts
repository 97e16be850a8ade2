import type { CsvRow } from '../csv-tokenizer.js';
import { ByteKeys, KEY, NumberKeys, fieldKey } from './byte-keys.js';
import { growTo } from './columns.js';

export interface AscendingIds {
  shape: { prefix: number[] | undefined; length: number };
  /** -1 when there were no ids. */
  first: number;
  last: number;
}

/**
 * Ids that are a fixed prefix and a fixed number of digits (`V000000001`, `P00000001`) are by far
 * the most common, and such an id is exactly its digits' value. The shape is taken from the first
 * id with 1–15 trailing digits; an id of another shape is never equal to one of this shape.
 */
export class DigitShape {
  private prefix: Uint8Array | undefined;
  private length = 0;

  /** The shape as plain data: equal for two shapes that read ids the same way. */
  describe(): { prefix: number[] | undefined; length: number } {
    return { prefix: this.prefix ? [...this.prefix] : undefined, length: this.length };
  }

  static from(d: { prefix: number[] | undefined; length: number }): DigitShape {
    const shape = new DigitShape();
    shape.prefix = d.prefix ? Uint8Array.from(d.prefix) : undefined;
    shape.length = d.length;
    return shape;
  }

  /** The id's value when it has the shape, else -1. `learn`: take the shape from this id if none yet. */
  value(b: Uint8Array, s: number, e: number, learn: boolean): number {
    const prefix = this.prefix;
    if (prefix === undefined) {
      if (!learn) return -1;
      let d = e;
      while (d > s && b[d - 1]! >= 0x30 && b[d - 1]! <= 0x39) d--;
      if (e - d < 1 || e - d > 15) return -1;
      this.prefix = Uint8Array.prototype.slice.call(b, s, d); // a copy (Buffer#slice is a view)
      this.length = e - s;
      return this.value(b, s, e, false);
    }
    if (e - s !== this.length) return -1;
    const pl = prefix.length;
    for (let i = 0; i < pl; i++) if (b[s + i] !== prefix[i]) return -1;
    let v = 0;
    for (let i = s + pl; i < e; i++) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) return -1;
      v = v * 10 + c;
    }
    return v;
  }
}

/**
 * Exact uniqueness of ids (visit_id) without a string per id. Ids of the common shape that come in
 * ascending order (how exports are numbered) are kept as runs of consecutive values, a few bytes in
 * all; once one comes out of order, later ones of the shape are checked against those runs (binary
 * search) and a number table; ids of any other shape go to a byte table.
 */
export class UniqueIds {
  private readonly shape = new DigitShape();
  private ascending = true;
  private last = -1;
  private runFrom = new Float64Array(64);
  private runTo = new Float64Array(64);
  private runs = 0;
  private readonly later = new NumberKeys();
  private readonly other = new ByteKeys();

  /**
   * When every id so far had the shape and came in ascending order: the shape and the first and
   * last value (what a part read on another thread is checked against); else undefined.
   */
  ascendingRun(): AscendingIds | undefined {
    if (!this.ascending || this.other.count > 0) return undefined;
    return {
      shape: this.shape.describe(),
      first: this.runs > 0 ? this.runFrom[0]! : -1,
      last: this.last,
    };
  }

  /** Records field col's id: 1 when new, 0 when seen before, -1 when empty. */
  addField(row: CsvRow, col: number): number {
    if (col >= 0 && col < row.count && row.escaped[col] === 0) {
      // An id of the shape is its own key (nothing to trim or unquote): no hashing needed.
      const v = this.shape.value(row.buf, row.start[col]!, row.end[col]!, false);
      if (v >= 0) return this.addNumber(v) ? 1 : 0;
    }
    fieldKey(row, col);
    if (KEY.e === KEY.s) return -1;
    const v = this.shape.value(KEY.b, KEY.s, KEY.e, true);
    if (v >= 0) return this.addNumber(v) ? 1 : 0;
    if (this.other.get(KEY.b, KEY.s, KEY.e, KEY.h) !== -1) return 0;
    this.other.add(KEY.b, KEY.s, KEY.e, KEY.h, 0);
    return 1;
  }

  private addNumber(v: number): boolean {
    if (this.ascending && v > this.last) {
      if (this.runs > 0 && v === this.last + 1) this.runTo[this.runs - 1] = v;
      else {
        if (this.runs === this.runFrom.length) {
          this.runFrom = growTo(this.runFrom, this.runs * 2);
          this.runTo = growTo(this.runTo, this.runs * 2);
        }
        this.runFrom[this.runs] = v;
        this.runTo[this.runs] = v;
        this.runs++;
      }
      this.last = v;
      return true;
    }
    this.ascending = false;
    if (this.inRuns(v) || this.later.get(v) !== -1) return false;
    this.later.add(v, 0);
    return true;
  }

  private inRuns(v: number): boolean {
    let lo = 0;
    let hi = this.runs - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (v < this.runFrom[mid]!) hi = mid - 1;
      else if (v > this.runTo[mid]!) lo = mid + 1;
      else return true;
    }
    return false;
  }
}
