import { NO_DATE, isValidYmd } from '../../../core/calendar.js';
import {
  columnNames,
  requiredColumns,
  type ColumnName,
  type DataFileName,
} from '../../../core/data/files.js';
import { fieldColumn, fieldText, isEmptyField, type CsvRow } from '../csv-tokenizer.js';
import type { LocatedError } from '../located-error.js';

/** A file's errors past this many are counted, not listed. */
export const MAX_ERRORS_PER_FILE = 200;

/** Per file: the header's column positions and the errors found so far. */
export class FileContext {
  readonly errors: LocatedError[] = [];
  errorCount = 0;
  private readonly index = new Map<string, number>();
  decimalComma = false;
  constructor(readonly file: DataFileName) {}

  /** Reads the header; false (after reporting) when a required column is missing. */
  header(names: string[], delimiter: ',' | ';'): boolean {
    names.forEach((n, i) => {
      const key = n.toLowerCase();
      if (!this.index.has(key)) this.index.set(key, i);
    });
    this.decimalComma = delimiter === ';';
    let ok = true;
    for (const r of requiredColumns(this.file)) {
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

  /** The index of each of the file's columns (the table of data files), -1 for one the header lacks. */
  columnIndexes<F extends DataFileName>(file: F): Record<ColumnName<F>, number> {
    if (file !== this.file) throw new Error(`columnIndexes: ${file} asked of the reader of ${this.file}`);
    const c = {} as Record<ColumnName<F>, number>;
    for (const k of columnNames(file)) c[k] = this.col(k);
    return c;
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
    return isEmptyField(row, col);
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
    // Not empty: the field is in the row.
    const b = row.buf;
    const s = row.start[col]!;
    if (row.end[col]! - s === 10 && b[s + 4] === 0x2d && b[s + 7] === 0x2d) {
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

export function digits(b: Buffer, s: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = b[s + i]! - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
