import { OWNERSHIP_CODES, VISIT_TYPES } from '../../../core/data/dataset.js';
import { CONTACTS, PROFESSIONS } from '../../../core/rulebook/schema.js';
import { isEmptyField, type CsvRow } from '../csv-tokenizer.js';
import { ByteKeys, KEY, fieldKey, hashBytes, keyText } from './byte-keys.js';

/** Codes and dictionaries read from bytes: fixed code lists, growing dictionaries, the last field's answer. */

/** Code → index for enumerations and dictionaries read from bytes (strings made only for new codes). */
export class Dictionary {
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
export class LastField {
  /** Where the remembered field is: in the tokenizer's buffer of that chunk (a new buffer object per chunk). */
  private buf: Buffer | undefined;
  private at = 0;
  private length = -1;
  value = -1;

  /** True when field col has the same bytes as the remembered one (then `value` applies). */
  hit(row: CsvRow, col: number): boolean {
    if (col < 0 || col >= row.count || row.buf !== this.buf) return false;
    const s = row.start[col]!;
    const len = row.end[col]! - s;
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
    this.at = row.start[col]!;
    this.length = row.end[col]! - this.at;
    this.value = value;
  }
}

/** A column of codes interned in a growing dictionary, read through its last field. */
export class InternedColumn {
  private readonly last = new LastField();
  constructor(private readonly dictionary: Dictionary) {}

  /** The index of field col's code in the dictionary (added when new), or -1 for an empty cell. */
  of(row: CsvRow, col: number): number {
    if (isEmptyField(row, col)) return -1;
    if (this.last.hit(row, col)) return this.last.value;
    fieldKey(row, col);
    const i = this.dictionary.intern();
    this.last.remember(row, col, i);
    return i;
  }
}

/** A fixed list of codes matched on raw bytes (one candidate per length and end bytes, then compared). */
export class CodeList {
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
    return ((e - s) * 37 + b[s]! * 7 + b[e - 1]!) & 1023;
  }

  /** Index of field col's code, or -1 (after which the caller reports it). */
  index(row: CsvRow, col: number): number {
    if (col >= 0 && col < row.count && row.escaped[col] === 0) {
      const b = row.buf;
      const s = row.start[col]!;
      const e = row.end[col]!;
      if (e > s) {
        // The slot is masked to the table's size, and a slot's index names one of the codes.
        const i = this.slots[CodeList.slot(b, s, e)]!;
        if (i >= 0) {
          const c = this.codes[i]!;
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

export const PROFESSION_CODES = new CodeList(PROFESSIONS);
export const CONTACT_CODES = new CodeList(CONTACTS);
// Index 0 of VISIT_TYPES is the empty cell, so the codes read start at 1.
export const VISIT_TYPE_CODES = new CodeList(VISIT_TYPES.slice(1));

export function enumIndex(values: readonly string[]): Map<string, number> {
  return new Map(values.map((v, i) => [v, i]));
}
export const OWNERSHIP_INDEX = enumIndex(OWNERSHIP_CODES);

export function intern(map: Map<string, number>, list: string[], value: string): number {
  let i = map.get(value);
  if (i === undefined) {
    i = list.length;
    list.push(value);
    map.set(value, i);
  }
  return i;
}

/** Each code of a second part's dictionary, numbered here (new ones after this part's). */
export function internAll(dictionary: Dictionary, codes: string[]): Int32Array {
  return Int32Array.from(codes, (code) => {
    const b = Buffer.from(code, 'utf8');
    KEY.b = b;
    KEY.s = 0;
    KEY.e = b.length;
    KEY.h = hashBytes(b, 0, b.length);
    return dictionary.intern();
  });
}
