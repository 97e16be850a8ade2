import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  MessageChannel,
  Worker,
  isMainThread,
  receiveMessageOnPort,
  workerData,
  type MessagePort,
} from 'node:worker_threads';
import { OPEN_END, NO_DATE, isValidYmd } from '../../core/calendar.js';
import {
  OWNERSHIP_CODES,
  SEX_F,
  SEX_M,
  SEX_UNKNOWN,
  VISIT_TYPES,
  emptyEvents,
  emptyIndicators,
  type AreaTable,
  type DataSet,
  type EventTable,
  type IndicatorTable,
  type InputFile,
  type ListingTable,
  type UnitTable,
  type VisitTable,
} from '../../core/data/dataset.js';
import { checkOrganisationNumber } from '../../core/identity.js';
import { CONTACTS, PROFESSIONS } from '../../core/rulebook/schema.js';
import {
  BACKGROUND_HASH_BYTES,
  CsvSyntaxError,
  fieldColumn,
  fieldText,
  hashFilesInBackground,
  tokenizeCsvFile,
  waitForWorker,
  tokenizeCsvRange,
  type CsvRow,
  type FileHashes,
} from './csv-tokenizer.js';
import { InputErrors, type LocatedError } from './located-error.js';

/**
 * Reads a data folder (spec/data-exchange.md) into columnar tables. Every error is located as
 * file:line:column; all errors of a file are reported (up to MAX_ERRORS_PER_FILE) and nothing is
 * returned from a folder with errors. Identity numbers never appear in a message.
 *
 * National scale (10 M persons, 35 M visits; see src/bench): codes and ids are looked up straight
 * from the CSV bytes (no string per cell), visit ids are checked for uniqueness without a string
 * per id, large files are hashed on a worker thread and listings.csv and visits.csv above 128 MB
 * are read in two parts on two threads. The result is the same, error for error, as reading the
 * files one row at a time.
 */

export const MAX_ERRORS_PER_FILE = 200;
export const DATA_FILES = [
  'units.csv',
  'areas.csv',
  'listings.csv',
  'visits.csv',
  'indicators.csv',
  'events.csv',
] as const;
export type DataFileName = (typeof DATA_FILES)[number];

const REQUIRED: Record<DataFileName, string[]> = {
  'units.csv': ['unit_id', 'provider_id', 'name', 'ownership', 'start_date'],
  'areas.csv': ['area'],
  'listings.csv': ['person_id', 'unit_id', 'birth_date', 'sex', 'area', 'listed_from'],
  'visits.csv': ['visit_id', 'person_id', 'unit_id', 'date', 'profession', 'contact'],
  'indicators.csv': ['unit_id', 'indicator', 'period_from', 'period_to', 'numerator', 'denominator'],
  'events.csv': ['event_id', 'unit_id', 'event_type', 'date'],
};

export interface LoadOptions {
  /** Files the caller needs; a missing one among them is an error. Default: units, areas, listings. */
  require?: DataFileName[];
  onProgress?: (file: string, bytesDone: number, bytesTotal: number) => void;
  /** visits.csv of at least this many bytes is read on two threads (default 256 MB; for tests). */
  parallelBytes?: number;
}

/** Per file: the header's column positions and the errors found so far. */
class FileContext {
  readonly errors: LocatedError[] = [];
  errorCount = 0;
  private readonly index = new Map<string, number>();
  decimalComma = false;
  constructor(readonly file: string) {}

  header(names: string[], delimiter: ',' | ';', required: string[]): boolean {
    names.forEach((n, i) => {
      const key = n.toLowerCase();
      if (!this.index.has(key)) this.index.set(key, i);
    });
    this.decimalComma = delimiter === ';';
    let ok = true;
    for (const r of required) {
      if (!this.index.has(r)) {
        this.add({
          file: this.file,
          line: 1,
          column: 1,
          where: r,
          code: 'data.missing_column',
          message: `Kolumnen ${r} saknas i rubrikraden`,
        });
        ok = false;
      }
    }
    return ok;
  }

  col(name: string): number {
    return this.index.get(name) ?? -1;
  }

  columns(): string[] {
    return [...this.index.keys()];
  }

  add(e: LocatedError): void {
    this.errorCount++;
    if (this.errors.length < MAX_ERRORS_PER_FILE) this.errors.push(e);
  }

  fail(row: CsvRow, col: number, name: string, code: string, message: string): void {
    this.add({
      file: this.file,
      line: row.line,
      column: col >= 0 ? fieldColumn(row, col) : 1,
      where: name,
      code,
      message,
    });
  }

  isEmpty(row: CsvRow, col: number): boolean {
    return col < 0 || col >= row.count || row.end[col] === row.start[col];
  }

  text(row: CsvRow, col: number): string {
    return col < 0 ? '' : fieldText(row, col).trim();
  }

  requiredText(row: CsvRow, col: number, name: string): string | undefined {
    const t = this.text(row, col);
    if (t === '') {
      this.fail(row, col, name, 'data.required', `Värde saknas i ${name}`);
      return undefined;
    }
    return t;
  }

  /** A YYYY-MM-DD date straight from bytes; NO_DATE for empty; -1 after reporting an error. */
  date(row: CsvRow, col: number, name: string, required: boolean): number {
    if (this.isEmpty(row, col)) {
      if (required) {
        this.fail(row, col, name, 'data.required', `Datum saknas i ${name} (ÅÅÅÅ-MM-DD)`);
        return -1;
      }
      return NO_DATE;
    }
    const b = row.buf;
    const s = row.start[col];
    if (row.end[col] - s === 10 && b[s + 4] === 0x2d && b[s + 7] === 0x2d) {
      const y = digits(b, s, 4);
      const m = digits(b, s + 5, 2);
      const d = digits(b, s + 8, 2);
      // Days 1–28 of any month are valid without asking the calendar.
      if (y >= 1800 && m >= 1 && m <= 12 && d >= 1 && (d <= 28 || isValidYmd(y, m, d)))
        return y * 10000 + m * 100 + d;
    }
    this.fail(
      row,
      col,
      name,
      'data.bad_date',
      `${name} ska vara ett datum ÅÅÅÅ-MM-DD, inte "${this.text(row, col).slice(0, 20)}"`,
    );
    return -1;
  }

  number(row: CsvRow, col: number, name: string, required: boolean): number {
    const t = this.text(row, col);
    if (t === '') {
      if (required) this.fail(row, col, name, 'data.required', `Tal saknas i ${name}`);
      return NaN;
    }
    const normalized = this.decimalComma ? t.replace(',', '.') : t;
    const v = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(normalized) ? Number(normalized) : NaN;
    if (Number.isNaN(v)) {
      this.fail(
        row,
        col,
        name,
        'data.bad_number',
        `${name} ska vara ett tal${this.decimalComma ? ' (decimalkomma går bra)' : ''}, inte "${t.slice(0, 20)}"`,
      );
    }
    return v;
  }
}

// ---------------------------------------------------------------------------------------------
// Keys straight from bytes. At national scale (10 M persons, 35 M visits) a string per cell and a
// Map or Set entry per id cost many seconds and gigabytes; these tables look codes up and check
// ids in the CSV buffer itself, exactly as a Map<string> of the trimmed text would.
// ---------------------------------------------------------------------------------------------

const EMPTY_BYTES = Buffer.alloc(0);

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return fmix(h);
}

function hashNumber(k: number): number {
  const lo = (k % 4294967296) | 0;
  const hi = (k / 4294967296) | 0;
  return fmix(Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + 0x7f4a7c15, 0x85ebca6b));
}

/**
 * A field's key: the UTF-8 bytes of its trimmed text, which is what a Map<string> keyed by
 * `ctx.text()` compared. A plain ASCII field with no blank at either end is its own key, in place;
 * anything else (quoted with "", non-ASCII, surrounding blanks) goes through the text.
 */
interface Key {
  b: Buffer;
  s: number;
  e: number;
  h: number;
}
const KEY: Key = { b: EMPTY_BYTES, s: 0, e: 0, h: hashBytes(EMPTY_BYTES, 0, 0) };
const EMPTY_HASH = KEY.h;

function fieldKey(row: CsvRow, col: number): void {
  if (col < 0 || col >= row.count) {
    KEY.b = EMPTY_BYTES;
    KEY.s = 0;
    KEY.e = 0;
    KEY.h = EMPTY_HASH;
    return;
  }
  const b = row.buf;
  const s = row.start[col];
  const e = row.end[col];
  if (row.escaped[col] === 0) {
    if (s === e) {
      KEY.b = b;
      KEY.s = s;
      KEY.e = e;
      KEY.h = EMPTY_HASH;
      return;
    }
    if (b[s] > 0x20 && b[e - 1] > 0x20) {
      let h = 0x811c9dc5;
      let any = 0;
      for (let i = s; i < e; i++) {
        const c = b[i];
        any |= c;
        h = Math.imul(h ^ c, 0x01000193);
      }
      if (any < 0x80) {
        KEY.b = b;
        KEY.s = s;
        KEY.e = e;
        KEY.h = fmix(h);
        return;
      }
    }
  }
  const t = Buffer.from(fieldText(row, col).trim(), 'utf8');
  KEY.b = t;
  KEY.s = 0;
  KEY.e = t.length;
  KEY.h = hashBytes(t, 0, t.length);
}

function keyText(k: Key): string {
  return k.b.toString('utf8', k.s, k.e);
}

interface SharedByteKeys {
  count: number;
  slots: Int32Array;
  mask: number;
  arena: Uint8Array;
  used: number;
}
interface SharedNumberKeys {
  count: number;
  table: Float64Array;
  mask: number;
}

interface AscendingIds {
  shape: { prefix: number[] | undefined; length: number };
  /** -1 when there were no ids. */
  first: number;
  last: number;
}
interface SharedPersons {
  count: number;
  numbers: SharedNumberKeys;
  texts: SharedByteKeys;
  dense: Int32Array;
  shape: { prefix: number[] | undefined; length: number };
}

/**
 * Byte strings → int values, open addressing over typed arrays, keys kept in one byte arena. A slot
 * holds the hash, length, arena offset and value together, so a lookup reads one slot and the key.
 */
class ByteKeys {
  count = 0;
  /** Quadruples [hash, length + 1 (0 = empty), arena offset, value]. */
  private slots: Int32Array;
  private mask: number;
  private arena: Uint8Array;
  private used = 0;

  /** `shared`: kept on SharedArrayBuffers, so a worker thread can look keys up (see share()). */
  constructor(expected = 64, shared = false) {
    let cap = 64;
    while (cap < expected * 2) cap *= 2;
    this.slots = allocate(Int32Array, cap * 4, shared);
    this.mask = cap - 1;
    this.arena = allocate(Uint8Array, 1 << 14, shared);
  }

  /** The table's state, for a worker thread (no copy when the table is shared). */
  share(): SharedByteKeys {
    const { count, slots, mask, arena, used } = this;
    return { count, slots, mask, arena, used };
  }

  static fromShared(state: SharedByteKeys): ByteKeys {
    const keys = new ByteKeys();
    Object.assign(keys, state);
    return keys;
  }

  static of(texts: readonly string[]): ByteKeys {
    const keys = new ByteKeys(texts.length);
    texts.forEach((t, i) => {
      const b = Buffer.from(t, 'utf8');
      const h = hashBytes(b, 0, b.length);
      if (keys.get(b, 0, b.length, h) === -1) keys.add(b, 0, b.length, h, i);
    });
    return keys;
  }

  /** The key's value, or -1. */
  get(b: Uint8Array, s: number, e: number, h: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const len = e - s;
    let i = (h & mask) << 2;
    for (;;) {
      const stored = slots[i + 1];
      if (stored === 0) return -1;
      if (stored === len + 1 && slots[i] === h) {
        const arena = this.arena;
        const at = slots[i + 2];
        let k = 0;
        while (k < len && arena[at + k] === b[s + k]) k++;
        if (k === len) return slots[i + 3];
      }
      i = (i + 4) & ((mask << 2) | 3);
    }
  }

  /** Adds a key known to be absent. */
  add(b: Uint8Array, s: number, e: number, h: number, value: number): void {
    const len = e - s;
    if (this.used + len > this.arena.length) {
      this.arena = growTo(this.arena, Math.max(this.arena.length * 2, this.used + len));
    }
    this.arena.set(b.subarray(s, e), this.used);
    this.count++;
    if (this.count * 2 > this.mask + 1) this.rehash();
    this.place(h, len + 1, this.used, value);
    this.used += len;
  }

  private place(h: number, stored: number, at: number, value: number): void {
    const slots = this.slots;
    let i = h & this.mask;
    while (slots[4 * i + 1] !== 0) i = (i + 1) & this.mask;
    slots[4 * i] = h;
    slots[4 * i + 1] = stored;
    slots[4 * i + 2] = at;
    slots[4 * i + 3] = value;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = allocate(Int32Array, old.length * 2, old.buffer instanceof SharedArrayBuffer);
    this.mask = old.length / 2 - 1;
    for (let i = 0; i < old.length; i += 4)
      if (old[i + 1] !== 0) this.place(old[i], old[i + 1], old[i + 2], old[i + 3]);
  }
}

type Column = Int32Array | Uint8Array | Float64Array;
interface ColumnType<T extends Column> {
  new (n: number): T;
  new (buffer: ArrayBufferLike): T;
  BYTES_PER_ELEMENT: number;
}

/** A zeroed array, on a SharedArrayBuffer when a worker thread is to read it. */
function allocate<T extends Column>(type: ColumnType<T>, n: number, shared: boolean): T {
  return shared ? new type(new SharedArrayBuffer(n * type.BYTES_PER_ELEMENT)) : new type(n);
}

function growTo<T extends Column>(a: T, n: number): T {
  const b = allocate(a.constructor as ColumnType<T>, n, a.buffer instanceof SharedArrayBuffer);
  b.set(a);
  return b;
}

/** Non-negative integer keys (< 2^53) → int values: [key, value] pairs in one array, one cache line a lookup. */
class NumberKeys {
  count = 0;
  private table: Float64Array;
  private mask: number;

  /** `shared`: kept on a SharedArrayBuffer, so a worker thread can look keys up (see share()). */
  constructor(expected = 64, shared = false) {
    let cap = 64;
    while (cap < expected * 1.6) cap *= 2;
    this.table = allocate(Float64Array, cap * 2, shared).fill(-1);
    this.mask = cap - 1;
  }

  share(): SharedNumberKeys {
    return { count: this.count, table: this.table, mask: this.mask };
  }

  static fromShared(state: SharedNumberKeys): NumberKeys {
    const keys = new NumberKeys();
    Object.assign(keys, state);
    return keys;
  }

  get(key: number): number {
    const t = this.table;
    let i = hashNumber(key) & this.mask;
    for (;;) {
      const k = t[2 * i];
      if (k === key) return t[2 * i + 1];
      if (k === -1) return -1;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds a key known to be absent. */
  add(key: number, value: number): void {
    this.count++;
    if (this.count * 1.6 > this.mask + 1) this.rehash();
    this.place(key, value);
  }

  private place(key: number, value: number): void {
    const t = this.table;
    let i = hashNumber(key) & this.mask;
    while (t[2 * i] !== -1) i = (i + 1) & this.mask;
    t[2 * i] = key;
    t[2 * i + 1] = value;
  }

  private rehash(): void {
    const old = this.table;
    this.table = allocate(Float64Array, old.length * 2, old.buffer instanceof SharedArrayBuffer).fill(-1);
    this.mask = old.length - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== -1) this.place(old[i], old[i + 1]);
  }
}

/**
 * Ids that are a fixed prefix and a fixed number of digits (`V000000001`, `P00000001`) are by far
 * the most common, and such an id is exactly its digits' value. The shape is taken from the first
 * id with 1–15 trailing digits; an id of another shape is never equal to one of this shape.
 */
class DigitShape {
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
      while (d > s && b[d - 1] >= 0x30 && b[d - 1] <= 0x39) d--;
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
      const c = b[i] - 48;
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
class UniqueIds {
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
      first: this.runs > 0 ? this.runFrom[0] : -1,
      last: this.last,
    };
  }

  /** Records field col's id: 1 when new, 0 when seen before, -1 when empty. */
  addField(row: CsvRow, col: number): number {
    if (col >= 0 && col < row.count && row.escaped[col] === 0) {
      // An id of the shape is its own key (nothing to trim or unquote): no hashing needed.
      const v = this.shape.value(row.buf, row.start[col], row.end[col], false);
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
      if (v < this.runFrom[mid]) hi = mid - 1;
      else if (v > this.runTo[mid]) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

/**
 * Person ids → person index. Identity numbers are their 12-digit value (below 1e12); pseudonyms of
 * the common shape are 1e15 + their digits' value; both live in one number table. Other pseudonyms
 * are kept as bytes. The three kinds never collide, so this is exactly the former two Maps.
 */
class PersonIndex {
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
    if (d >= 0 && d < DENSE_PSEUDONYMS) return d < this.dense.length ? this.dense[d] : -1;
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
      const v = this.shape.value(row.buf, row.start[col], row.end[col], false);
      if (v >= 0) return PSEUDONYM_BASE + v;
    }
    fieldKey(row, col);
    const v = this.shape.value(KEY.b, KEY.s, KEY.e, learn);
    return v < 0 ? -1 : PSEUDONYM_BASE + v;
  }
}
const PSEUDONYM_BASE = 1e15;
/** Shaped pseudonyms numbered below this are kept in PersonIndex.dense (at most 128 MB). */
const DENSE_PSEUDONYMS = 1 << 25;
/** personRef's answer for a pseudonym (see PersonIndex.pseudonym). */
const PSEUDONYM = -2;

function digits(b: Buffer, s: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = b[s + i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Luhn over the 10-digit form YYMMDDNNNC, from its two numeric halves. */
function luhnTen(yymmdd: number, nnnc: number): boolean {
  let sum = 0;
  let x = nnnc;
  for (let i = 0; i < 10; i++) {
    if (i === 4) x = yymmdd;
    let d = x % 10;
    x = (x - d) / 10;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A person id straight from bytes: identity numbers (12 digits or YYYYMMDD-NNNN) become a number
 * key after the Luhn and date checks; anything else is a pseudonym (PSEUDONYM).
 * Returns -1 (after reporting) for an invalid identity number or an empty id.
 */
function personRef(ctx: FileContext, row: CsvRow, col: number): number {
  const b = row.buf;
  const s = row.start[col];
  const len = row.end[col] - s;
  if (len === 12 || (len === 13 && b[s + 8] === 0x2d)) {
    const left = digits(b, s, 8);
    const right = digits(b, s + len - 4, 4);
    if (left >= 0 && right >= 0) {
      const year = Math.floor(left / 10000);
      const month = Math.floor(left / 100) % 100;
      const day = left % 100;
      if (!luhnTen(left % 1_000_000, right)) {
        ctx.fail(
          row,
          col,
          'person_id',
          'data.bad_identity',
          'Personnumret/samordningsnumret har fel kontrollsiffra (Luhn); numret visas inte av integritetsskäl',
        );
        return -1;
      }
      if (!isValidYmd(year, month, day > 60 ? day - 60 : day)) {
        ctx.fail(
          row,
          col,
          'person_id',
          'data.bad_identity',
          'Personnumret/samordningsnumret har inget giltigt födelsedatum; numret visas inte av integritetsskäl',
        );
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

/** Code → index for enumerations and dictionaries read from bytes (strings made only for new codes). */
class Dictionary {
  readonly keys: ByteKeys;
  constructor(readonly list: string[]) {
    this.keys = ByteKeys.of(list);
  }
  /** Index of the code in KEY, adding it when new. */
  intern(): number {
    let i = this.keys.get(KEY.b, KEY.s, KEY.e, KEY.h);
    if (i === -1) {
      i = this.list.length;
      this.list.push(keyText(KEY));
      this.keys.add(KEY.b, KEY.s, KEY.e, KEY.h, i);
    }
    return i;
  }
}

/**
 * The last field of a column and what it resolved to: consecutive rows often repeat a code (a
 * person's visits at one unit, with one doctor), and comparing bytes is cheaper than hashing. What
 * a field resolves to depends only on its bytes (when it was not quoted with ""), so equal bytes
 * give the same answer. Only answers that raised no error are remembered.
 */
class LastField {
  /** Where the remembered field is: in the tokenizer's buffer of that chunk (a new buffer object per chunk). */
  private buf: Buffer | undefined;
  private at = 0;
  private length = -1;
  value = -1;

  /** True when field col has the same bytes as the remembered one (then `value` applies). */
  hit(row: CsvRow, col: number): boolean {
    if (col < 0 || col >= row.count || row.buf !== this.buf) return false;
    const s = row.start[col];
    const len = row.end[col] - s;
    if (len !== this.length || row.escaped[col] !== 0) return false;
    const b = row.buf;
    const at = this.at;
    // From the end: codes often share a prefix (SE2321000016-…, P000…).
    for (let i = len - 1; i >= 0; i--) if (b[s + i] !== b[at + i]) return false;
    return true;
  }

  /** Remembers what field col resolved to. */
  remember(row: CsvRow, col: number, value: number): void {
    if (col < 0 || col >= row.count || row.escaped[col] !== 0) return;
    this.buf = row.buf;
    this.at = row.start[col];
    this.length = row.end[col] - this.at;
    this.value = value;
  }
}

/** A fixed list of codes matched on raw bytes (one candidate per length and end bytes, then compared). */
class CodeList {
  private readonly slots = new Int16Array(1024).fill(-1);
  private readonly codes: Buffer[];
  readonly keys: ByteKeys;

  constructor(list: readonly string[]) {
    this.codes = list.map((c) => Buffer.from(c, 'latin1'));
    this.keys = ByteKeys.of(list);
    this.codes.forEach((c, i) => {
      const k = CodeList.slot(c, 0, c.length);
      this.slots[k] = this.slots[k] === -1 ? i : -2;
    });
  }

  private static slot(b: Uint8Array, s: number, e: number): number {
    return ((e - s) * 37 + b[s] * 7 + b[e - 1]) & 1023;
  }

  /** Index of field col's code, or -1 (after which the caller reports it). */
  index(row: CsvRow, col: number): number {
    if (col >= 0 && col < row.count && row.escaped[col] === 0) {
      const b = row.buf;
      const s = row.start[col];
      const e = row.end[col];
      if (e > s) {
        const i = this.slots[CodeList.slot(b, s, e)];
        if (i >= 0) {
          const c = this.codes[i];
          if (c.length === e - s) {
            let k = 0;
            while (k < c.length && c[k] === b[s + k]) k++;
            if (k === c.length) return i;
          }
        }
      }
    }
    fieldKey(row, col);
    return this.keys.get(KEY.b, KEY.s, KEY.e, KEY.h);
  }
}

const PROFESSION_CODES = new CodeList(PROFESSIONS);
const CONTACT_CODES = new CodeList(CONTACTS);
// Index 0 of VISIT_TYPES is the empty cell, so the codes read start at 1.
const VISIT_TYPE_CODES = new CodeList(VISIT_TYPES.slice(1));

function enumIndex(values: readonly string[]): Map<string, number> {
  return new Map(values.map((v, i) => [v, i]));
}
const OWNERSHIP_INDEX = enumIndex(OWNERSHIP_CODES);

function intern(map: Map<string, number>, list: string[], value: string): number {
  let i = map.get(value);
  if (i === undefined) {
    i = list.length;
    list.push(value);
    map.set(value, i);
  }
  return i;
}

/** Room for more rows: the rows so far per byte, projected to the file's size (+5 %). */
function nextCapacity(n: number, offset: number, total: number): number {
  const projected = offset > 0 ? Math.ceil((n / offset) * total * 1.05) + 1024 : 0;
  return Math.max(projected, Math.ceil(n * 1.25), n + 1024);
}

/** The first n values; a view when little room is left over, a copy otherwise. */
function finish<T extends Int32Array | Uint8Array>(a: T, n: number): T {
  return (a.length - n) * 16 <= a.length ? (a.subarray(0, n) as T) : (a.slice(0, n) as T);
}

interface Loaded {
  files: InputFile[];
  errors: LocatedError[];
  truncated: { file: string; count: number }[];
  /** The large files' sha256, computed by a worker thread while they are parsed. */
  hashes: FileHashes;
}

function readFile(
  dir: string,
  file: DataFileName,
  loaded: Loaded,
  options: LoadOptions,
  body: (
    ctx: FileContext,
    bytes: number,
  ) => {
    header: (names: string[]) => void;
    row: (row: CsvRow) => void;
  },
): boolean {
  const path = join(dir, file);
  const ctx = new FileContext(file);
  const total = statSync(path).size;
  const handlers = body(ctx, total);
  let headerOk = true;
  let done = 0;
  let lastReport = 0;
  try {
    const result = tokenizeCsvFile(
      path,
      {
        onHeader(names, delimiter) {
          if (names.length === 0) {
            ctx.add({
              file,
              line: 1,
              column: 1,
              code: 'data.empty_file',
              message: 'Filen är tom: rubrikraden saknas',
            });
            headerOk = false;
            return;
          }
          headerOk = ctx.header(names, delimiter, REQUIRED[file]);
          if (headerOk) handlers.header(names);
        },
        onRow(row) {
          if (!headerOk) return;
          handlers.row(row);
          if (options.onProgress) {
            done = row.fileOffset;
            if (done - lastReport > 64 * 1024 * 1024 || done < lastReport) {
              lastReport = done;
              options.onProgress(file, done, total);
            }
          }
        },
      },
      undefined,
      loaded.hashes,
    );
    loaded.files.push({ name: file, sha256: result.sha256, rows: result.rows });
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    ctx.add({ file, line: error.line, code: 'data.csv_syntax', message: error.message });
  }
  loaded.errors.push(...ctx.errors);
  if (ctx.errorCount > ctx.errors.length)
    loaded.truncated.push({ file, count: ctx.errorCount - ctx.errors.length });
  return ctx.errorCount === 0;
}

export function loadDataFolder(dir: string, options: LoadOptions = {}): DataSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputErrors([{ file: dir, code: 'data.no_folder', message: 'Datamappen finns inte' }]);
  }
  const required = new Set<DataFileName>(options.require ?? ['units.csv', 'areas.csv', 'listings.csv']);
  required.add('units.csv');
  const present = (f: DataFileName): boolean => existsSync(join(dir, f));
  // Large files are hashed by a worker thread, in the order they are read, while this thread parses.
  const large = (
    ['areas.csv', 'units.csv', 'listings.csv', 'visits.csv', 'indicators.csv', 'events.csv'] as const
  )
    .map((f) => join(dir, f))
    .filter((p) => existsSync(p) && statSync(p).size >= BACKGROUND_HASH_BYTES);
  const hashes = hashFilesInBackground(large);
  try {
    return readFolder(dir, options, required, present, hashes);
  } finally {
    hashes.cancel();
  }
}

function readFolder(
  dir: string,
  options: LoadOptions,
  required: Set<DataFileName>,
  present: (f: DataFileName) => boolean,
  hashes: FileHashes,
): DataSet {
  const loaded: Loaded = { files: [], errors: [], truncated: [], hashes };
  for (const f of DATA_FILES) {
    if (required.has(f) && !present(f))
      loaded.errors.push({
        file: f,
        code: 'data.missing_file',
        message: `Filen ${f} saknas i datamappen ${dir}`,
      });
  }
  if (loaded.errors.length > 0) throw new InputErrors(loaded.errors);

  const areas = present('areas.csv') ? readAreas(dir, loaded, options) : emptyAreas();
  const units = readUnits(dir, loaded, options);
  const unitKeys = ByteKeys.of(units.id);
  const persons = new PersonIndex();
  const doctors = new Dictionary([]);
  const listings = present('listings.csv')
    ? readListings(dir, loaded, options, unitKeys, units, areas, persons, doctors)
    : emptyListings();
  const visits = present('visits.csv')
    ? readVisits(dir, loaded, options, unitKeys, units, persons, doctors)
    : emptyVisits();
  const indicators = present('indicators.csv')
    ? readIndicators(dir, loaded, options, units)
    : emptyIndicators();
  const events = present('events.csv') ? readEvents(dir, loaded, options, units) : emptyEvents();

  if (loaded.errors.length > 0) {
    const extra = loaded.truncated.map((t) => ({
      file: t.file,
      code: 'data.more_errors',
      message: `ytterligare ${t.count} fel i filen visas inte`,
    }));
    throw new InputErrors(
      [...loaded.errors, ...extra],
      `Datamappen ${dir} innehåller fel; inget har beräknats`,
    );
  }
  loaded.files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    units,
    areas,
    listings,
    visits,
    indicators,
    events,
    personCount: persons.count,
    doctors: doctors.list,
    files: loaded.files,
  };
}

function emptyAreas(): AreaTable {
  return {
    count: 0,
    code: [],
    kommun: [],
    cni: new Float64Array(0),
    ruralClass: new Int32Array(0),
    ruralClasses: [],
    hospitalKm: new Float64Array(0),
    line: new Int32Array(0),
  };
}
function emptyListings(): ListingTable {
  const e = new Int32Array(0);
  return {
    count: 0,
    person: e,
    unit: e,
    doctor: e,
    birth: e,
    sex: new Uint8Array(0),
    area: e,
    from: e,
    to: e,
    riskGroup: e,
    riskGroups: [],
    line: e,
  };
}
function emptyVisits(): VisitTable {
  const e = new Int32Array(0);
  const u = new Uint8Array(0);
  return { count: 0, person: e, unit: e, date: e, profession: u, contact: u, doctor: e, booked: e, line: e };
}

function readAreas(dir: string, loaded: Loaded, options: LoadOptions): AreaTable {
  const t = emptyAreas();
  const index = new Map<string, number>();
  const classIndex = new Map<string, number>();
  const cni: number[] = [];
  const km: number[] = [];
  const cls: number[] = [];
  const lines: number[] = [];
  readFile(dir, 'areas.csv', loaded, options, (ctx) => {
    let c = { area: -1, kommun: -1, cni: -1, rural: -1, km: -1 };
    return {
      header() {
        c = {
          area: ctx.col('area'),
          kommun: ctx.col('kommun'),
          cni: ctx.col('cni'),
          rural: ctx.col('rural_class'),
          km: ctx.col('hospital_km'),
        };
      },
      row(row) {
        const code = ctx.requiredText(row, c.area, 'area');
        if (code === undefined) return;
        if (index.has(code)) {
          ctx.fail(
            row,
            c.area,
            'area',
            'data.duplicate_key',
            `Området ${code} finns redan på rad ${t.line[index.get(code)!] || lines[index.get(code)!]}`,
          );
          return;
        }
        index.set(code, t.code.length);
        t.code.push(code);
        t.kommun.push(ctx.text(row, c.kommun));
        cni.push(ctx.number(row, c.cni, 'cni', false));
        km.push(ctx.number(row, c.km, 'hospital_km', false));
        const rc = ctx.text(row, c.rural);
        cls.push(rc === '' ? -1 : intern(classIndex, t.ruralClasses, rc));
        lines.push(row.line);
      },
    };
  });
  t.count = t.code.length;
  t.cni = Float64Array.from(cni);
  t.hospitalKm = Float64Array.from(km);
  t.ruralClass = Int32Array.from(cls);
  t.line = Int32Array.from(lines);
  return t;
}

/** Code → index maps kept beside the tables while loading (the engine needs only the tables). */
const unitIndexes = new WeakMap<UnitTable, Map<string, number>>();

export function unitIndexOf(units: UnitTable): Map<string, number> {
  let m = unitIndexes.get(units);
  if (!m) {
    m = new Map(units.id.map((id, i) => [id, i]));
    unitIndexes.set(units, m);
  }
  return m;
}

function readUnits(dir: string, loaded: Loaded, options: LoadOptions): UnitTable {
  const t: UnitTable = {
    count: 0,
    id: [],
    providerId: [],
    name: [],
    ownership: new Uint8Array(0),
    kommun: [],
    start: new Int32Array(0),
    end: new Int32Array(0),
    branchOf: new Int32Array(0),
    extra: new Map(),
    line: new Int32Array(0),
  };
  const index = new Map<string, number>();
  const own: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const lines: number[] = [];
  const branchRefs: { row: number; ref: string; line: number; column: number }[] = [];
  const ctxHolder: { ctx?: FileContext } = {};
  readFile(dir, 'units.csv', loaded, options, (ctx) => {
    ctxHolder.ctx = ctx;
    const standard = new Set([
      'unit_id',
      'provider_id',
      'name',
      'ownership',
      'kommun',
      'start_date',
      'end_date',
      'branch_of',
    ]);
    const c: Record<string, number> = {};
    let extraCols: [string, number][] = [];
    return {
      header() {
        for (const k of standard) c[k] = ctx.col(k);
        extraCols = ctx
          .columns()
          .filter((k) => !standard.has(k))
          .map((k) => [k, ctx.col(k)]);
        for (const [k] of extraCols) t.extra.set(k, []);
      },
      row(row) {
        const id = ctx.requiredText(row, c.unit_id, 'unit_id');
        const provider = ctx.requiredText(row, c.provider_id, 'provider_id');
        const name = ctx.requiredText(row, c.name, 'name');
        const ownership = ctx.text(row, c.ownership);
        const o = OWNERSHIP_INDEX.get(ownership);
        if (o === undefined)
          ctx.fail(
            row,
            c.ownership,
            'ownership',
            'data.bad_value',
            `ownership ska vara public, private eller nonprofit, inte "${ownership}"`,
          );
        if (provider !== undefined && !checkOrganisationNumber(provider)) {
          ctx.fail(
            row,
            c.provider_id,
            'provider_id',
            'data.bad_orgnr',
            `Organisationsnumret ${provider} har fel kontrollsiffra`,
          );
        }
        const s = ctx.date(row, c.start_date, 'start_date', true);
        const e = ctx.date(row, c.end_date, 'end_date', false);
        if (s > 0 && e > 0 && e < s)
          ctx.fail(row, c.end_date, 'end_date', 'data.bad_period', 'end_date ligger före start_date');
        if (id === undefined) return;
        if (index.has(id)) {
          ctx.fail(
            row,
            c.unit_id,
            'unit_id',
            'data.duplicate_key',
            `Enheten ${id} finns redan på rad ${lines[index.get(id)!]}`,
          );
          return;
        }
        index.set(id, t.id.length);
        t.id.push(id);
        t.providerId.push(provider ?? '');
        t.name.push(name ?? '');
        own.push(o ?? 0);
        t.kommun.push(ctx.text(row, c.kommun));
        start.push(s);
        end.push(e === NO_DATE ? OPEN_END : e);
        lines.push(row.line);
        const ref = ctx.text(row, c.branch_of);
        if (ref !== '')
          branchRefs.push({
            row: t.id.length - 1,
            ref,
            line: row.line,
            column: fieldColumn(row, c.branch_of),
          });
        for (const [k, col] of extraCols) t.extra.get(k)!.push(ctx.text(row, col));
      },
    };
  });
  t.count = t.id.length;
  t.ownership = Uint8Array.from(own);
  t.start = Int32Array.from(start);
  t.end = Int32Array.from(end);
  t.line = Int32Array.from(lines);
  t.branchOf = new Int32Array(t.count).fill(-1);
  for (const b of branchRefs) {
    const target = index.get(b.ref);
    if (target === undefined) {
      loaded.errors.push({
        file: 'units.csv',
        line: b.line,
        column: b.column,
        where: 'branch_of',
        code: 'data.unknown_reference',
        message: `branch_of: enheten ${b.ref} finns inte i units.csv`,
      });
    } else t.branchOf[b.row] = target;
  }
  unitIndexes.set(t, index);
  return t;
}

const LISTING_COLUMNS = [
  'person_id',
  'unit_id',
  'doctor_id',
  'birth_date',
  'sex',
  'area',
  'listed_from',
  'listed_to',
  'risk_group',
] as const;

/** The listing columns being filled, with room to grow. */
class ListingColumns {
  n = 0;
  cap = 1 << 16;
  person = new Int32Array(this.cap);
  unit = new Int32Array(this.cap);
  doctor = new Int32Array(this.cap);
  birth = new Int32Array(this.cap);
  sex = new Uint8Array(this.cap);
  area = new Int32Array(this.cap);
  from = new Int32Array(this.cap);
  to = new Int32Array(this.cap);
  risk = new Int32Array(this.cap);
  line = new Int32Array(this.cap);

  grow(cap: number): void {
    this.cap = cap;
    this.person = growTo(this.person, cap);
    this.unit = growTo(this.unit, cap);
    this.doctor = growTo(this.doctor, cap);
    this.birth = growTo(this.birth, cap);
    this.sex = growTo(this.sex, cap);
    this.area = growTo(this.area, cap);
    this.from = growTo(this.from, cap);
    this.to = growTo(this.to, cap);
    this.risk = growTo(this.risk, cap);
    this.line = growTo(this.line, cap);
  }

  /** Person, doctor, risk group and line first: the columns a second part's merge rewrites. */
  arrays(): Column[] {
    return [
      this.person,
      this.doctor,
      this.risk,
      this.line,
      this.unit,
      this.birth,
      this.sex,
      this.area,
      this.from,
      this.to,
    ];
  }

  table(riskGroups: string[]): ListingTable {
    const n = this.n;
    return {
      count: n,
      person: finish(this.person, n),
      unit: finish(this.unit, n),
      doctor: finish(this.doctor, n),
      birth: finish(this.birth, n),
      sex: finish(this.sex, n),
      area: finish(this.area, n),
      from: finish(this.from, n),
      to: finish(this.to, n),
      riskGroup: finish(this.risk, n),
      riskGroups,
      line: finish(this.line, n),
    };
  }
}

/** The keys of new persons in order (a second part's persons, to be numbered after the first part's). */
class PersonLog {
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

interface ListingDeps {
  unitKeys: ByteKeys;
  areaKeys: ByteKeys;
  persons: PersonIndex;
  doctors: Dictionary;
  riskGroups: Dictionary;
  /** In a second part: where new persons' keys are written down. */
  log?: PersonLog;
}

/**
 * The row handler for listings.csv: the same code reads the whole file, or each part of it when the
 * file is read on two threads.
 */
function listingReader(ctx: FileContext, bytes: number, deps: ListingDeps, v: ListingColumns): PartReader {
  const { unitKeys, areaKeys, persons, doctors, riskGroups, log } = deps;
  const c: Record<string, number> = {};
  const lastUnit = new LastField();
  const lastDoctor = new LastField();
  return {
    header() {
      for (const k of LISTING_COLUMNS) c[k] = ctx.col(k);
    },
    row(row) {
      if (v.n === v.cap) v.grow(nextCapacity(v.n, row.fileOffset, bytes));
      let ok = true;
      const key = personRef(ctx, row, c.person_id);
      if (key === -1) ok = false;
      // A pseudonym's key, kept before KEY is reused for the other fields.
      let pseudonymNumber = -1;
      let pb: Buffer = EMPTY_BYTES;
      let ps = 0;
      let pe = 0;
      let ph = 0;
      if (key === PSEUDONYM) {
        pseudonymNumber = persons.pseudonym(row, c.person_id, true);
        if (pseudonymNumber === -1) {
          // Not of the shape: its bytes are in KEY.
          pb = KEY.b;
          ps = KEY.s;
          pe = KEY.e;
          ph = KEY.h;
        }
      }
      let u: number;
      if (lastUnit.hit(row, c.unit_id)) u = lastUnit.value;
      else {
        fieldKey(row, c.unit_id);
        u = unitKeys.get(KEY.b, KEY.s, KEY.e, KEY.h);
        if (u !== -1) lastUnit.remember(row, c.unit_id, u);
      }
      if (u === -1) {
        const unitId = ctx.text(row, c.unit_id);
        ctx.fail(
          row,
          c.unit_id,
          'unit_id',
          unitId === '' ? 'data.required' : 'data.unknown_reference',
          unitId === '' ? 'Värde saknas i unit_id' : `Enheten ${unitId} finns inte i units.csv`,
        );
        ok = false;
      }
      fieldKey(row, c.area);
      const a = areaKeys.get(KEY.b, KEY.s, KEY.e, KEY.h);
      if (a === -1) {
        const areaCode = ctx.text(row, c.area);
        ctx.fail(
          row,
          c.area,
          'area',
          areaCode === '' ? 'data.required' : 'data.unknown_reference',
          areaCode === '' ? 'Värde saknas i area' : `Området ${areaCode} finns inte i areas.csv`,
        );
        ok = false;
      }
      const b = ctx.date(row, c.birth_date, 'birth_date', true);
      const f = ctx.date(row, c.listed_from, 'listed_from', true);
      const t = ctx.date(row, c.listed_to, 'listed_to', false);
      if (b < 0 || f < 0 || t < 0) ok = false;
      if (f > 0 && t > 0 && t <= f) {
        ctx.fail(
          row,
          c.listed_to,
          'listed_to',
          'data.bad_period',
          'listed_to (exklusivt) måste ligga efter listed_from',
        );
        ok = false;
      }
      let s = SEX_UNKNOWN;
      if (!ctx.isEmpty(row, c.sex)) {
        const at = row.start[c.sex];
        const one = row.end[c.sex] - at === 1 && row.escaped[c.sex] === 0 ? row.buf[at] : 0;
        if (one === 0x46) s = SEX_F;
        else if (one === 0x4d) s = SEX_M;
        else {
          const v = ctx.text(row, c.sex);
          if (v === 'F') s = SEX_F;
          else if (v === 'M') s = SEX_M;
          else if (v !== '') {
            ctx.fail(
              row,
              c.sex,
              'sex',
              'data.bad_value',
              `sex ska vara F, M eller tomt, inte "${v.slice(0, 10)}"`,
            );
            ok = false;
          }
        }
      }
      if (!ok) return;
      let p: number;
      if (key !== PSEUDONYM || pseudonymNumber !== -1) {
        const k = key === PSEUDONYM ? pseudonymNumber : key;
        p = persons.getNumber(k);
        if (p === -1) {
          persons.addNumber(k, (p = persons.count++));
          if (log) log.add(k, pb, ps, pe);
        }
      } else {
        p = persons.texts.get(pb, ps, pe, ph);
        if (p === -1) {
          persons.texts.add(pb, ps, pe, ph, (p = persons.count++));
          if (log) log.add(NaN, pb, ps, pe);
        }
      }
      const n = v.n;
      v.person[n] = p;
      v.unit[n] = u;
      let d = -1;
      if (!ctx.isEmpty(row, c.doctor_id)) {
        if (lastDoctor.hit(row, c.doctor_id)) d = lastDoctor.value;
        else {
          fieldKey(row, c.doctor_id);
          lastDoctor.remember(row, c.doctor_id, (d = doctors.intern()));
        }
      }
      v.doctor[n] = d;
      v.birth[n] = b;
      v.sex[n] = s;
      v.area[n] = a;
      v.from[n] = f;
      v.to[n] = t === NO_DATE ? OPEN_END : t;
      let r = -1;
      if (!ctx.isEmpty(row, c.risk_group)) {
        fieldKey(row, c.risk_group);
        r = riskGroups.intern();
      }
      v.risk[n] = r;
      v.line[n] = row.line;
      v.n = n + 1;
    },
  };
}

function readListings(
  dir: string,
  loaded: Loaded,
  options: LoadOptions,
  unitKeys: ByteKeys,
  units: UnitTable,
  areas: AreaTable,
  persons: PersonIndex,
  doctors: Dictionary,
): ListingTable {
  const path = join(dir, 'listings.csv');
  const riskGroups = new Dictionary([]);
  const deps: ListingDeps = { unitKeys, areaKeys: ByteKeys.of(areas.code), persons, doctors, riskGroups };
  const bytes = statSync(path).size;
  if (bytes >= (options.parallelBytes ?? PARALLEL_BYTES) && availableParallelism() > 1) {
    const v = new ListingColumns();
    const read = readInTwoParts(
      'listings.csv',
      path,
      bytes,
      loaded,
      options,
      { unitIds: units.id, areaCodes: areas.code },
      (ctx, total) => listingReader(ctx, total, deps, v),
      () => true,
    );
    if (read === 'stopped') return v.table(riskGroups.list);
    if (read) {
      appendListings(read, v, persons, doctors, riskGroups);
      return v.table(riskGroups.list);
    }
    // Read again on this thread, from the start: what the first part added is found again, in order.
  }
  const v = new ListingColumns();
  readFile(dir, 'listings.csv', loaded, options, (ctx, total) => listingReader(ctx, total, deps, v));
  return v.table(riskGroups.list);
}

/** The second part's rows after the first part's: persons, doctors and risk groups renumbered. */
function appendListings(
  read: TwoParts,
  v: ListingColumns,
  persons: PersonIndex,
  doctors: Dictionary,
  riskGroups: Dictionary,
): void {
  const result = read.second;
  const log = result.persons!;
  const sameShape = JSON.stringify(result.personShape) === JSON.stringify(persons.describeShape());
  const prefix = Buffer.from(result.personShape?.prefix ?? []);
  const digits = (result.personShape?.length ?? 0) - prefix.length;
  // New persons of the second part, in order of first appearance: their number here.
  const personIds = new Int32Array(log.n);
  for (let j = 0; j < log.n; j++) {
    let k = log.numbers[j];
    let bytes: Buffer;
    if (Number.isNaN(k)) bytes = Buffer.from(log.arena.subarray(log.offsets[j], log.offsets[j + 1]));
    else if (k < PSEUDONYM_BASE || sameShape) bytes = EMPTY_BYTES;
    else bytes = Buffer.concat([prefix, Buffer.from(String(k - PSEUDONYM_BASE).padStart(digits, '0'))]);
    if (bytes.length > 0 || Number.isNaN(k)) k = persons.keyOfBytes(bytes, true);
    let p: number;
    if (k !== -1) {
      p = persons.getNumber(k);
      if (p === -1) persons.addNumber(k, (p = persons.count++));
    } else {
      const h = hashBytes(bytes, 0, bytes.length);
      p = persons.texts.get(bytes, 0, bytes.length, h);
      if (p === -1) persons.texts.add(bytes, 0, bytes.length, h, (p = persons.count++));
    }
    personIds[j] = p;
  }
  const doctorIds = internAll(doctors, result.doctors);
  const riskIds = internAll(riskGroups, result.riskGroups ?? []);
  const [person, doctor, risk, line, unit, birth, sex, area, from, to] = result.columns as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Uint8Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  const m = result.n;
  const n = v.n;
  if (v.cap < n + m) v.grow(n + m);
  v.unit.set(unit.subarray(0, m), n);
  v.birth.set(birth.subarray(0, m), n);
  v.sex.set(sex.subarray(0, m), n);
  v.area.set(area.subarray(0, m), n);
  v.from.set(from.subarray(0, m), n);
  v.to.set(to.subarray(0, m), n);
  for (let i = 0; i < m; i++) {
    v.person[n + i] = personIds[person[i]];
    const d = doctor[i];
    v.doctor[n + i] = d === -1 ? -1 : doctorIds[d];
    const r = risk[i];
    v.risk[n + i] = r === -1 ? -1 : riskIds[r];
    v.line[n + i] = line[i] + read.lineOffset;
  }
  v.n = n + m;
}

/** Each code of a second part's dictionary, numbered here (new ones after this part's). */
function internAll(dictionary: Dictionary, codes: string[]): Int32Array {
  return Int32Array.from(codes, (code) => {
    const b = Buffer.from(code, 'utf8');
    KEY.b = b;
    KEY.s = 0;
    KEY.e = b.length;
    KEY.h = hashBytes(b, 0, b.length);
    return dictionary.intern();
  });
}

const VISIT_COLUMNS = [
  'visit_id',
  'person_id',
  'unit_id',
  'date',
  'profession',
  'contact',
  'doctor_id',
  'booked_date',
  'visit_type',
  'diagnoses',
] as const;

/** The visit columns being filled, with room to grow. */
class VisitColumns {
  n = 0;
  cap = 1 << 16;
  person = new Int32Array(this.cap);
  unit = new Int32Array(this.cap);
  date = new Int32Array(this.cap);
  prof = new Uint8Array(this.cap);
  contact = new Uint8Array(this.cap);
  doctor = new Int32Array(this.cap);
  booked = new Int32Array(this.cap);
  vtype = new Uint8Array(this.cap);
  line = new Int32Array(this.cap);
  /** Index into diagnosisCells, or -1 for an empty cell. */
  dx = new Int32Array(this.cap);
  readonly diagnosisCells = new Dictionary([]);
  /** Whether the file has the optional column visit_type. */
  typed = false;
  /** Whether the file has the optional column diagnoses. */
  diagnosed = false;

  grow(cap: number): void {
    this.cap = cap;
    this.vtype = growTo(this.vtype, cap);
    this.person = growTo(this.person, cap);
    this.unit = growTo(this.unit, cap);
    this.date = growTo(this.date, cap);
    this.prof = growTo(this.prof, cap);
    this.contact = growTo(this.contact, cap);
    this.doctor = growTo(this.doctor, cap);
    this.booked = growTo(this.booked, cap);
    this.line = growTo(this.line, cap);
    this.dx = growTo(this.dx, cap);
  }

  arrays(): Column[] {
    return [
      this.person,
      this.unit,
      this.date,
      this.prof,
      this.contact,
      this.doctor,
      this.booked,
      this.line,
      this.vtype,
      this.dx,
    ];
  }

  table(): VisitTable {
    const n = this.n;
    return {
      count: n,
      person: finish(this.person, n),
      unit: finish(this.unit, n),
      date: finish(this.date, n),
      profession: finish(this.prof, n),
      contact: finish(this.contact, n),
      doctor: finish(this.doctor, n),
      booked: finish(this.booked, n),
      ...(this.typed ? { visitType: finish(this.vtype, n) } : {}),
      ...(this.diagnosed ? { diagnoses: { cell: finish(this.dx, n), cells: this.diagnosisCells.list } } : {}),
      line: finish(this.line, n),
    };
  }
}

/**
 * The row handler for visits.csv: the same code reads the whole file, or each part of it when the
 * file is read on two threads.
 */
function visitReader(
  ctx: FileContext,
  bytes: number,
  unitKeys: ByteKeys,
  persons: PersonIndex,
  doctors: Dictionary,
  seen: UniqueIds,
  v: VisitColumns,
): PartReader {
  const c: Record<string, number> = {};
  // Visits often come person by person: the last person, unit and doctor save table lookups.
  const lastPerson = new LastField();
  const lastUnit = new LastField();
  const lastDoctor = new LastField();
  const lastDiagnoses = new LastField();
  return {
    header() {
      for (const k of VISIT_COLUMNS) c[k] = ctx.col(k);
      v.typed = c.visit_type >= 0;
      v.diagnosed = c.diagnoses >= 0;
    },
    row(row) {
      if (v.n === v.cap) v.grow(nextCapacity(v.n, row.fileOffset, bytes));
      let ok = true;
      const fresh = seen.addField(row, c.visit_id);
      if (fresh === -1) {
        ctx.fail(row, c.visit_id, 'visit_id', 'data.required', 'Värde saknas i visit_id');
        ok = false;
      } else if (fresh === 0) {
        const vid = ctx.text(row, c.visit_id);
        ctx.fail(row, c.visit_id, 'visit_id', 'data.duplicate_key', `Besöket ${vid} finns redan`);
        ok = false;
      }
      let p = -1;
      if (lastPerson.hit(row, c.person_id)) p = lastPerson.value;
      else {
        const key = personRef(ctx, row, c.person_id);
        if (key === -1) ok = false;
        else {
          const k = key === PSEUDONYM ? persons.pseudonym(row, c.person_id, false) : key;
          // A pseudonym not of the shape has its bytes in KEY.
          p = k !== -1 ? persons.getNumber(k) : persons.texts.get(KEY.b, KEY.s, KEY.e, KEY.h);
          lastPerson.remember(row, c.person_id, p);
        }
      }
      let u: number;
      if (lastUnit.hit(row, c.unit_id)) u = lastUnit.value;
      else {
        fieldKey(row, c.unit_id);
        u = unitKeys.get(KEY.b, KEY.s, KEY.e, KEY.h);
        if (u !== -1) lastUnit.remember(row, c.unit_id, u);
      }
      if (u === -1) {
        const unitId = ctx.text(row, c.unit_id);
        ctx.fail(
          row,
          c.unit_id,
          'unit_id',
          'data.unknown_reference',
          unitId === '' ? 'Värde saknas i unit_id' : `Enheten ${unitId} finns inte i units.csv`,
        );
        ok = false;
      }
      const d = ctx.date(row, c.date, 'date', true);
      const bk = ctx.date(row, c.booked_date, 'booked_date', false);
      if (d < 0 || bk < 0) ok = false;
      const pi = PROFESSION_CODES.index(row, c.profession);
      if (pi === -1) {
        const pv = ctx.text(row, c.profession);
        ctx.fail(
          row,
          c.profession,
          'profession',
          'data.bad_value',
          `Okänd profession "${pv.slice(0, 30)}"; giltiga: ${PROFESSIONS.join(', ')}`,
        );
        ok = false;
      }
      const ci = CONTACT_CODES.index(row, c.contact);
      if (ci === -1) {
        const cv = ctx.text(row, c.contact);
        ctx.fail(
          row,
          c.contact,
          'contact',
          'data.bad_value',
          `Okänd kontakttyp "${cv.slice(0, 30)}"; giltiga: ${CONTACTS.join(', ')}`,
        );
        ok = false;
      }
      let vt = 0;
      if (!ctx.isEmpty(row, c.visit_type)) {
        vt = VISIT_TYPE_CODES.index(row, c.visit_type) + 1;
        if (vt === 0) {
          const tv = ctx.text(row, c.visit_type);
          ctx.fail(
            row,
            c.visit_type,
            'visit_type',
            'data.bad_value',
            `Okänd besökstyp "${tv.slice(0, 30)}"; giltiga: ${VISIT_TYPES.slice(1).join(', ')} eller tomt`,
          );
          ok = false;
        }
      }
      if (!ok) return;
      const n = v.n;
      v.vtype[n] = vt;
      v.person[n] = p;
      v.unit[n] = u;
      v.date[n] = d;
      v.prof[n] = pi;
      v.contact[n] = ci;
      let dr = -1;
      if (!ctx.isEmpty(row, c.doctor_id)) {
        if (lastDoctor.hit(row, c.doctor_id)) dr = lastDoctor.value;
        else {
          fieldKey(row, c.doctor_id);
          lastDoctor.remember(row, c.doctor_id, (dr = doctors.intern()));
        }
      }
      v.doctor[n] = dr;
      let dx = -1;
      if (!ctx.isEmpty(row, c.diagnoses)) {
        if (lastDiagnoses.hit(row, c.diagnoses)) dx = lastDiagnoses.value;
        else {
          fieldKey(row, c.diagnoses);
          lastDiagnoses.remember(row, c.diagnoses, (dx = v.diagnosisCells.intern()));
        }
      }
      v.dx[n] = dx;
      v.booked[n] = bk;
      v.line[n] = row.line;
      v.n = n + 1;
    },
  };
}

function readVisits(
  dir: string,
  loaded: Loaded,
  options: LoadOptions,
  unitKeys: ByteKeys,
  units: UnitTable,
  persons: PersonIndex,
  doctors: Dictionary,
): VisitTable {
  const path = join(dir, 'visits.csv');
  const bytes = statSync(path).size;
  if (bytes >= (options.parallelBytes ?? PARALLEL_BYTES) && availableParallelism() > 1) {
    const v = new VisitColumns();
    const seen = new UniqueIds();
    const read = readInTwoParts(
      'visits.csv',
      path,
      bytes,
      loaded,
      options,
      { unitIds: units.id, persons: persons.share() },
      (ctx, total) => visitReader(ctx, total, unitKeys, persons, doctors, seen, v),
      (second) => disjointIds(seen.ascendingRun(), second.ids),
    );
    if (read === 'stopped') return v.table();
    if (read) {
      appendVisits(read, v, doctors);
      return v.table();
    }
    // Read again on this thread, from the start: what the first part added is found again, in order.
  }
  const v = new VisitColumns();
  // Visit ids only need to be unique: checked exactly, without keeping a string per visit.
  const seen = new UniqueIds();
  readFile(dir, 'visits.csv', loaded, options, (ctx, total) =>
    visitReader(ctx, total, unitKeys, persons, doctors, seen, v),
  );
  return v.table();
}

/**
 * No visit id of the second part can equal one of the first: both parts are ascending ids of the
 * same shape and the second starts above where the first ended (how exports number their rows).
 */
function disjointIds(first: AscendingIds | undefined, second: AscendingIds | undefined): boolean {
  if (!first || !second) return false;
  if (first.first === -1 || second.first === -1) return true;
  return JSON.stringify(first.shape) === JSON.stringify(second.shape) && second.first > first.last;
}

function appendVisits(read: TwoParts, v: VisitColumns, doctors: Dictionary): void {
  const result = read.second;
  const doctorIds = internAll(doctors, result.doctors);
  const cellIds = internAll(v.diagnosisCells, result.diagnosisCells ?? []);
  const [person, unit, date, prof, contact, doctor, booked, line, vtype, dx] = result.columns as [
    Int32Array,
    Int32Array,
    Int32Array,
    Uint8Array,
    Uint8Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Uint8Array,
    Int32Array,
  ];
  const m = result.n;
  const n = v.n;
  if (v.cap < n + m) v.grow(n + m);
  v.person.set(person.subarray(0, m), n);
  v.unit.set(unit.subarray(0, m), n);
  v.date.set(date.subarray(0, m), n);
  v.prof.set(prof.subarray(0, m), n);
  v.contact.set(contact.subarray(0, m), n);
  v.booked.set(booked.subarray(0, m), n);
  v.vtype.set(vtype.subarray(0, m), n);
  for (let i = 0; i < m; i++) {
    const d = doctor[i];
    v.doctor[n + i] = d === -1 ? -1 : doctorIds[d];
    v.line[n + i] = line[i] + read.lineOffset;
    v.dx[n + i] = dx[i] === -1 ? -1 : cellIds[dx[i]];
  }
  v.n = n + m;
}

// ---------------------------------------------------------------------------------------------
// A large file on two threads. The file is cut at the first newline after its middle; this thread
// reads the first part while a worker reads the second with the same row handler (persons looked
// up in the shared person tables, or numbered afresh and renumbered here). The second part's rows,
// errors (line numbers moved) and codes (renumbered in order of first appearance) are appended to
// the first part's, which is exactly what one thread reading the whole file gives. When that
// cannot be known cheaply (the cut falls inside a quoted field; for visits, ids that are not
// ascending ids of one shape), the caller reads the file again on one thread.
// ---------------------------------------------------------------------------------------------

/** listings.csv and visits.csv of at least this size are read on two threads. */
const PARALLEL_BYTES = 128 * 1024 * 1024;
const WORKER_KIND = 'vardval.csv-part';

interface PartReader {
  header: (names: string[]) => void;
  row: (row: CsvRow) => void;
}

interface PartJob {
  kind: typeof WORKER_KIND;
  file: 'listings.csv' | 'visits.csv';
  path: string;
  start: number;
  end: number;
  names: string[];
  delimiter: ',' | ';';
  unitIds: string[];
  areaCodes?: string[];
  persons?: SharedPersons;
  done: SharedArrayBuffer;
  port: MessagePort;
}

interface PartResult {
  ok: boolean;
  failure?: string;
  n: number;
  columns: Column[];
  errors: LocatedError[];
  errorCount: number;
  syntaxError?: { line: number; message: string };
  rows: number;
  /** Line number after the part (the part's first line is 1). */
  line: number;
  doctors: string[];
  riskGroups?: string[];
  /** Visits: the distinct diagnoses cells, numbered as the part's column numbers them. */
  diagnosisCells?: string[];
  /** Visits: the ids, when ascending. */
  ids?: AscendingIds;
  /** Listings: the part's persons, numbered from 0 in order of first appearance, and their shape. */
  persons?: PersonLog;
  personShape?: { prefix: number[] | undefined; length: number };
}

interface TwoParts {
  second: PartResult;
  /** Add to the second part's line numbers. */
  lineOffset: number;
}

/** The second part, read by a worker thread. */
function readPart(job: PartJob): PartResult {
  const ctx = new FileContext(job.file);
  ctx.header(job.names, job.delimiter, REQUIRED[job.file]);
  const doctors = new Dictionary([]);
  const unitKeys = ByteKeys.of(job.unitIds);
  const bytes = job.end - job.start;
  let reader: PartReader;
  let result: () => Pick<
    PartResult,
    'columns' | 'n' | 'ids' | 'persons' | 'personShape' | 'riskGroups' | 'diagnosisCells'
  >;
  if (job.file === 'visits.csv') {
    const v = new VisitColumns();
    const seen = new UniqueIds();
    reader = visitReader(ctx, bytes, unitKeys, PersonIndex.fromShared(job.persons!), doctors, seen, v);
    result = () => ({
      columns: v.arrays(),
      n: v.n,
      ids: seen.ascendingRun(),
      diagnosisCells: v.diagnosisCells.list,
    });
  } else {
    const v = new ListingColumns();
    const persons = new PersonIndex();
    const riskGroups = new Dictionary([]);
    const log = new PersonLog();
    const areaKeys = ByteKeys.of(job.areaCodes ?? []);
    reader = listingReader(ctx, bytes, { unitKeys, areaKeys, persons, doctors, riskGroups, log }, v);
    result = () => ({
      columns: v.arrays(),
      n: v.n,
      persons: log,
      personShape: persons.describeShape(),
      riskGroups: riskGroups.list,
    });
  }
  reader.header(job.names);
  let syntaxError: PartResult['syntaxError'];
  let rows = 0;
  let line = 1;
  const cells = new Int32Array(job.done);
  Atomics.store(cells, 1, 1);
  let count = 0;
  const onRow = (row: CsvRow): void => {
    reader.row(row);
    if ((++count & 0xffff) === 0) Atomics.add(cells, 1, 1);
  };
  try {
    const r = tokenizeCsvRange(
      job.path,
      { onHeader: () => {}, onRow },
      { start: job.start, end: job.end, delimiter: job.delimiter },
    );
    rows = r.rows;
    line = r.line;
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    syntaxError = { line: error.line, message: error.message };
  }
  return {
    ok: true,
    ...result(),
    errors: ctx.errors,
    errorCount: ctx.errorCount,
    syntaxError,
    rows,
    line,
    doctors: doctors.list,
  };
}

/**
 * Reads a file in two parts (see above). Returns the second part to append after the first (which
 * the reader has filled), 'stopped' when the first part ended the file's reading (a CSV syntax
 * error, reported), or undefined when the file must be read again on one thread.
 */
function readInTwoParts(
  file: 'listings.csv' | 'visits.csv',
  path: string,
  bytes: number,
  loaded: Loaded,
  options: LoadOptions,
  data: Pick<PartJob, 'unitIds' | 'areaCodes' | 'persons'>,
  reader: (ctx: FileContext, bytes: number) => PartReader,
  /** Whether the second part can be appended as it is (checked before anything is reported). */
  accept: (second: PartResult) => boolean,
): TwoParts | 'stopped' | undefined {
  // A worker runs this module again: only when it is plain JavaScript (not under a TypeScript loader).
  if (!import.meta.url.endsWith('.js')) return undefined;
  // The header (names and delimiter), and the cut: the byte after the first newline past the middle.
  let names: string[] = [];
  let delimiter: ',' | ';' = ',';
  tokenizeCsvRange(
    path,
    {
      onHeader: (h, d) => {
        names = h;
        delimiter = d;
      },
      onRow: () => {},
    },
    { start: 0, end: Math.min(bytes, 1 << 16) },
  );
  if (names.length === 0 || !new FileContext(file).header(names, delimiter, REQUIRED[file])) return undefined;
  const middle = Math.floor(bytes / 2);
  const window = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'r');
  let cut = -1;
  try {
    const got = readSync(fd, window, 0, window.length, middle);
    const lf = window.subarray(0, got).indexOf(0x0a);
    if (lf >= 0) cut = middle + lf + 1;
  } finally {
    closeSync(fd);
  }
  if (cut <= 0 || cut >= bytes) return undefined;

  // Cell 0: the worker's answer is posted; cell 1: rows read so far (the worker is alive).
  const done = new SharedArrayBuffer(8);
  const channel = new MessageChannel();
  const job: PartJob = {
    kind: WORKER_KIND,
    file,
    path,
    start: cut,
    end: bytes,
    names,
    delimiter,
    ...data,
    done,
    port: channel.port2,
  };
  let worker: Worker;
  try {
    worker = new Worker(new URL(import.meta.url), { workerData: job, transferList: [channel.port2] });
  } catch {
    return undefined;
  }
  worker.unref();
  worker.on('error', () => {});
  const stop = (): void => {
    void worker.terminate();
    channel.port1.close();
  };

  // This thread: the first part, with the header.
  const ctx = new FileContext(file);
  const handlers = reader(ctx, bytes);
  let headerOk = false;
  let rows = 0;
  let first: { rows: number; line: number; clean: boolean };
  try {
    first = tokenizeCsvRange(
      path,
      {
        onHeader(h, d) {
          headerOk = ctx.header(h, d, REQUIRED[file]);
          if (headerOk) handlers.header(h);
        },
        onRow(row) {
          if (!headerOk) return;
          handlers.row(row);
          // Both parts advance together: this part's share of its bytes is the file's.
          if (options.onProgress && (++rows & 0xffff) === 0)
            options.onProgress(file, Math.round((row.fileOffset / cut) * bytes), bytes);
        },
      },
      { start: 0, end: cut },
    );
  } catch (error) {
    stop();
    if (!(error instanceof CsvSyntaxError)) throw error;
    // One thread stops at the same place: the first part's errors and this one, nothing more.
    ctx.add({ file, line: error.line, code: 'data.csv_syntax', message: error.message });
    report(loaded, ctx);
    return 'stopped';
  }
  if (!first.clean || !headerOk) {
    stop();
    return undefined;
  }

  // The worker's part.
  const second = waitForWorker(new Int32Array(done), 0, 1)
    ? (receiveMessageOnPort(channel.port1)?.message as PartResult | undefined)
    : undefined;
  // A worker that answered ends by itself; stopping it would need this thread's event loop.
  if (second) channel.port1.close();
  else stop();
  if (!second || !second.ok || !accept(second)) return undefined;
  const lineOffset = first.line - 1;
  for (const e of second.errors)
    ctx.add({ ...e, line: e.line === undefined ? undefined : e.line + lineOffset });
  ctx.errorCount += second.errorCount - second.errors.length;
  if (second.syntaxError) {
    ctx.add({
      file,
      line: second.syntaxError.line + lineOffset,
      code: 'data.csv_syntax',
      message: second.syntaxError.message,
    });
  } else {
    loaded.files.push({ name: file, sha256: loaded.hashes.sha256(path), rows: first.rows + second.rows });
  }
  report(loaded, ctx);
  return { second, lineOffset };
}

function report(loaded: Loaded, ctx: FileContext): void {
  loaded.errors.push(...ctx.errors);
  if (ctx.errorCount > ctx.errors.length)
    loaded.truncated.push({ file: ctx.file, count: ctx.errorCount - ctx.errors.length });
}

function readIndicators(dir: string, loaded: Loaded, options: LoadOptions, units: UnitTable): IndicatorTable {
  const unitIndex = unitIndexOf(units);
  const rows: { u: number; i: number; f: number; t: number; num: number; den: number; line: number }[] = [];
  const indicators: string[] = [];
  const indIndex = new Map<string, number>();
  const keys = new Map<string, number>();
  readFile(dir, 'indicators.csv', loaded, options, (ctx) => {
    const c: Record<string, number> = {};
    return {
      header() {
        for (const k of REQUIRED['indicators.csv']) c[k] = ctx.col(k);
      },
      row(row) {
        const unitId = ctx.text(row, c.unit_id);
        const u = unitIndex.get(unitId);
        if (u === undefined)
          ctx.fail(
            row,
            c.unit_id,
            'unit_id',
            'data.unknown_reference',
            `Enheten ${unitId} finns inte i units.csv`,
          );
        const name = ctx.requiredText(row, c.indicator, 'indicator');
        const f = ctx.date(row, c.period_from, 'period_from', true);
        const t = ctx.date(row, c.period_to, 'period_to', true);
        const num = ctx.number(row, c.numerator, 'numerator', true);
        const den = ctx.number(row, c.denominator, 'denominator', true);
        if (f > 0 && t > 0 && t < f)
          ctx.fail(row, c.period_to, 'period_to', 'data.bad_period', 'period_to ligger före period_from');
        if (u === undefined || name === undefined || f < 0 || t < 0 || Number.isNaN(num) || Number.isNaN(den))
          return;
        const key = `${unitId}\u0000${name}\u0000${f}\u0000${t}`;
        if (keys.has(key)) {
          ctx.fail(
            row,
            c.indicator,
            'indicator',
            'data.duplicate_key',
            `Indikatorn ${name} för ${unitId} och perioden finns redan på rad ${keys.get(key)}`,
          );
          return;
        }
        keys.set(key, row.line);
        rows.push({ u, i: intern(indIndex, indicators, name), f, t, num, den, line: row.line });
      },
    };
  });
  return {
    count: rows.length,
    unit: Int32Array.from(rows, (r) => r.u),
    indicator: Int32Array.from(rows, (r) => r.i),
    indicators,
    from: Int32Array.from(rows, (r) => r.f),
    to: Int32Array.from(rows, (r) => r.t),
    numerator: Float64Array.from(rows, (r) => r.num),
    denominator: Float64Array.from(rows, (r) => r.den),
    line: Int32Array.from(rows, (r) => r.line),
  };
}

function readEvents(dir: string, loaded: Loaded, options: LoadOptions, units: UnitTable): EventTable {
  const unitIndex = unitIndexOf(units);
  const rows: { u: number; t: number; d: number; line: number }[] = [];
  const types: string[] = [];
  const typeIndex = new Map<string, number>();
  const ids = new Set<string>();
  readFile(dir, 'events.csv', loaded, options, (ctx) => {
    const c: Record<string, number> = {};
    return {
      header() {
        for (const k of REQUIRED['events.csv']) c[k] = ctx.col(k);
        c.person_id = ctx.col('person_id');
      },
      row(row) {
        const id = ctx.requiredText(row, c.event_id, 'event_id');
        if (id !== undefined && ids.has(id)) {
          ctx.fail(row, c.event_id, 'event_id', 'data.duplicate_key', `Händelsen ${id} finns redan`);
          return;
        }
        if (id !== undefined) ids.add(id);
        const unitId = ctx.text(row, c.unit_id);
        const u = unitIndex.get(unitId);
        if (u === undefined)
          ctx.fail(
            row,
            c.unit_id,
            'unit_id',
            'data.unknown_reference',
            `Enheten ${unitId} finns inte i units.csv`,
          );
        const type = ctx.requiredText(row, c.event_type, 'event_type');
        const d = ctx.date(row, c.date, 'date', true);
        if (!ctx.isEmpty(row, c.person_id) && personRef(ctx, row, c.person_id) === -1) return;
        if (id === undefined || u === undefined || type === undefined || d < 0) return;
        rows.push({ u, t: intern(typeIndex, types, type), d, line: row.line });
      },
    };
  });
  return {
    count: rows.length,
    unit: Int32Array.from(rows, (r) => r.u),
    type: Int32Array.from(rows, (r) => r.t),
    types,
    date: Int32Array.from(rows, (r) => r.d),
    line: Int32Array.from(rows, (r) => r.line),
  };
}

// A worker thread started by readInTwoParts (last in the module: everything above is defined).
if (!isMainThread && (workerData as { kind?: string } | null)?.kind === WORKER_KIND) {
  const job = workerData as PartJob;
  let result: PartResult;
  try {
    result = readPart(job);
  } catch (error) {
    result = {
      ok: false,
      failure: String(error),
      n: 0,
      columns: [],
      errors: [],
      errorCount: 0,
      rows: 0,
      line: 1,
      doctors: [],
    };
  }
  job.port.postMessage(
    result,
    result.columns.map((c) => c.buffer as ArrayBuffer),
  );
  const done = new Int32Array(job.done);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}
