import { checkIdentityDigits, IDENTITY_REFUSALS } from '../../../core/identity.js';
import type { CsvRow } from '../csv-tokenizer.js';
import {
  ByteKeys,
  KEY,
  NumberKeys,
  fieldKey,
  type SharedByteKeys,
  type SharedNumberKeys,
} from './byte-keys.js';
import { allocate, growTo } from './columns.js';
import { digits, type FileContext } from './file-context.js';
import { DigitShape } from './unique-ids.js';

export interface SharedPersons {
  count: number;
  numbers: SharedNumberKeys;
  texts: SharedByteKeys;
  dense: Int32Array;
  shape: { prefix: number[] | undefined; length: number };
}

/**
 * Person ids → person index. Identity numbers are their 12-digit value (below 1e12); pseudonyms of
 * the common shape are 1e15 + their digits' value; both live in one number table. Other pseudonyms
 * are kept as bytes. The three kinds never collide, so this is exactly the former two Maps.
 */
export class PersonIndex {
  count = 0;
  // On SharedArrayBuffers: a worker thread reading part of visits.csv looks persons up in them.
  numbers = new NumberKeys(64, true);
  texts = new ByteKeys(64, true);
  /**
   * Pseudonyms of the shape numbered below DENSE_PSEUDONYMS (P00000001, …): the person index at
   * the pseudonym's number, -1 where none. Exports number pseudonyms from 1 up, so this is a short
   * array read in order instead of a hash table the size of the population read at random.
   */
  dense: Int32Array = allocate(Int32Array, 1 << 16, true).fill(-1);
  private shape = new DigitShape();

  describeShape(): { prefix: number[] | undefined; length: number } {
    return this.shape.describe();
  }

  /** The number key of a pseudonym's key bytes when it has the shape, else -1. */
  keyOfBytes(b: Uint8Array, learn: boolean): number {
    const v = this.shape.value(b, 0, b.length, learn);
    return v < 0 ? -1 : PSEUDONYM_BASE + v;
  }

  /** The person with this number key (identity number or shaped pseudonym), or -1. */
  getNumber(k: number): number {
    const d = k - PSEUDONYM_BASE;
    if (d >= 0 && d < DENSE_PSEUDONYMS) return d < this.dense.length ? this.dense[d]! : -1;
    return this.numbers.get(k);
  }

  /** Adds a number key known to be absent. */
  addNumber(k: number, person: number): void {
    const d = k - PSEUDONYM_BASE;
    if (d >= 0 && d < DENSE_PSEUDONYMS) {
      if (d >= this.dense.length) {
        let n = this.dense.length;
        while (n <= d) n *= 2;
        const bigger = allocate(Int32Array, n, true).fill(-1);
        bigger.set(this.dense);
        this.dense = bigger;
      }
      this.dense[d] = person;
    } else this.numbers.add(k, person);
  }

  share(): SharedPersons {
    return {
      count: this.count,
      numbers: this.numbers.share(),
      texts: this.texts.share(),
      dense: this.dense,
      shape: this.shape.describe(),
    };
  }

  static fromShared(state: SharedPersons): PersonIndex {
    const persons = new PersonIndex();
    persons.count = state.count;
    persons.numbers = NumberKeys.fromShared(state.numbers);
    persons.texts = ByteKeys.fromShared(state.texts);
    persons.dense = state.dense;
    persons.shape = DigitShape.from(state.shape);
    return persons;
  }

  /**
   * The number key of pseudonym field col when it has the common shape; else -1, with its bytes in
   * KEY. `learn`: the first pseudonym with trailing digits sets the shape.
   */
  pseudonym(row: CsvRow, col: number, learn: boolean): number {
    if (col < row.count && row.escaped[col] === 0) {
      const v = this.shape.value(row.buf, row.start[col]!, row.end[col]!, false);
      if (v >= 0) return PSEUDONYM_BASE + v;
    }
    fieldKey(row, col);
    const v = this.shape.value(KEY.b, KEY.s, KEY.e, learn);
    return v < 0 ? -1 : PSEUDONYM_BASE + v;
  }
}
export const PSEUDONYM_BASE = 1e15;
/** Shaped pseudonyms numbered below this are kept in PersonIndex.dense (at most 128 MB). */
export const DENSE_PSEUDONYMS = 1 << 25;
/** personRef's answer for a pseudonym (see PersonIndex.pseudonym). */
export const PSEUDONYM = -2;

/**
 * A person id straight from bytes: identity numbers (12 digits or YYYYMMDD-NNNN) become a number
 * key after the core's Luhn and date checks; anything else is a pseudonym (PSEUDONYM).
 * Returns -1 (after reporting) for an invalid identity number or an empty id.
 */
export function personRef(ctx: FileContext, row: CsvRow, col: number): number {
  const b = row.buf;
  const s = row.start[col]!;
  const len = row.end[col]! - s;
  if (len === 12 || (len === 13 && b[s + 8] === 0x2d)) {
    const left = digits(b, s, 8);
    const right = digits(b, s + len - 4, 4);
    if (left >= 0 && right >= 0) {
      const check = checkIdentityDigits(left, right);
      if (check !== 'ok') {
        ctx.fail(row, col, 'person_id', 'data.bad_identity', IDENTITY_REFUSALS[check]);
        return -1;
      }
      return left * 10000 + right;
    }
  }
  if (len === 0) {
    ctx.fail(row, col, 'person_id', 'data.required', 'Värde saknas i person_id');
    return -1;
  }
  return PSEUDONYM;
}

/** The keys of new persons in order (a second part's persons, to be numbered after the first part's). */
export class PersonLog {
  n = 0;
  /** The number key, or NaN when the key is the bytes at offsets[i]..offsets[i + 1]. */
  numbers = new Float64Array(1024);
  offsets = new Int32Array(1025);
  arena = new Uint8Array(1 << 14);
  used = 0;

  add(number: number, b: Uint8Array, s: number, e: number): void {
    if (this.n + 2 > this.numbers.length) {
      this.numbers = growTo(this.numbers, this.numbers.length * 2);
      this.offsets = growTo(this.offsets, this.offsets.length * 2);
    }
    this.numbers[this.n] = number;
    if (Number.isNaN(number)) {
      if (this.used + e - s > this.arena.length)
        this.arena = growTo(this.arena, Math.max(this.arena.length * 2, this.used + e - s));
      this.arena.set(b.subarray(s, e), this.used);
      this.used += e - s;
    }
    this.n++;
    this.offsets[this.n] = this.used;
  }
}
