import { fieldText, type CsvRow } from '../csv-tokenizer.js';
import { allocate, growTo } from './columns.js';

/**
 * Keys straight from bytes. At national scale (10 M persons, 35 M visits) a string per cell and a
 * Map or Set entry per id cost many seconds and gigabytes; these tables look codes up and check
 * ids in the CSV buffer itself, exactly as a Map<string> of the trimmed text would.
 */

export const EMPTY_BYTES = Buffer.alloc(0);

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
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
export interface Key {
  b: Buffer;
  s: number;
  e: number;
  h: number;
}
/** The key fieldKey read last: one shared object, so a lookup allocates nothing; valid until the next call. */
export const KEY: Key = { b: EMPTY_BYTES, s: 0, e: 0, h: hashBytes(EMPTY_BYTES, 0, 0) };
const EMPTY_HASH = KEY.h;

/** Puts field col's key into KEY. */
export function fieldKey(row: CsvRow, col: number): void {
  if (col < 0 || col >= row.count) {
    KEY.b = EMPTY_BYTES;
    KEY.s = 0;
    KEY.e = 0;
    KEY.h = EMPTY_HASH;
    return;
  }
  const b = row.buf;
  const s = row.start[col]!;
  const e = row.end[col]!;
  if (row.escaped[col] === 0) {
    if (s === e) {
      KEY.b = b;
      KEY.s = s;
      KEY.e = e;
      KEY.h = EMPTY_HASH;
      return;
    }
    if (b[s]! > 0x20 && b[e - 1]! > 0x20) {
      let h = 0x811c9dc5;
      let any = 0;
      for (let i = s; i < e; i++) {
        const c = b[i]!;
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

export function keyText(k: Key): string {
  return k.b.toString('utf8', k.s, k.e);
}

export interface SharedByteKeys {
  count: number;
  slots: Int32Array;
  mask: number;
  arena: Uint8Array;
  used: number;
}
export interface SharedNumberKeys {
  count: number;
  table: Float64Array;
  mask: number;
}

/**
 * Byte strings → int values, open addressing over typed arrays, keys kept in one byte arena. A slot
 * holds the hash, length, arena offset and value together, so a lookup reads one slot and the key.
 */
export class ByteKeys {
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
        const at = slots[i + 2]!;
        let k = 0;
        while (k < len && arena[at + k] === b[s + k]) k++;
        if (k === len) return slots[i + 3]!;
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
      if (old[i + 1] !== 0) this.place(old[i]!, old[i + 1]!, old[i + 2]!, old[i + 3]!);
  }
}

/** Non-negative integer keys (< 2^53) → int values: [key, value] pairs in one array, one cache line a lookup. */
export class NumberKeys {
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
      if (k === key) return t[2 * i + 1]!;
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
    for (let i = 0; i < old.length; i += 2) if (old[i] !== -1) this.place(old[i]!, old[i + 1]!);
  }
}
