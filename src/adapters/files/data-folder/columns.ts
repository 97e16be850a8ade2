/** Typed columns that grow while a file is read, on SharedArrayBuffers when another thread reads them. */

export type Column = Int32Array | Uint8Array | Float64Array;
interface ColumnType<T extends Column> {
  new (n: number): T;
  new (buffer: ArrayBufferLike): T;
  BYTES_PER_ELEMENT: number;
}

/** A zeroed array, on a SharedArrayBuffer when a worker thread is to read it. */
export function allocate<T extends Column>(type: ColumnType<T>, n: number, shared: boolean): T {
  return shared ? new type(new SharedArrayBuffer(n * type.BYTES_PER_ELEMENT)) : new type(n);
}

export function growTo<T extends Column>(a: T, n: number): T {
  const b = allocate(a.constructor as ColumnType<T>, n, a.buffer instanceof SharedArrayBuffer);
  b.set(a);
  return b;
}

/** Room for more rows: the rows so far per byte, projected to the file's size (+5 %). */
export function nextCapacity(n: number, offset: number, total: number): number {
  const projected = offset > 0 ? Math.ceil((n / offset) * total * 1.05) + 1024 : 0;
  return Math.max(projected, Math.ceil(n * 1.25), n + 1024);
}

/** The first n values; a view when little room is left over, a copy otherwise. */
export function finish<T extends Int32Array | Uint8Array>(a: T, n: number): T {
  return (a.length - n) * 16 <= a.length ? (a.subarray(0, n) as T) : (a.slice(0, n) as T);
}

export const INITIAL_ROWS = 1 << 16;

/**
 * The columns of a file being filled row by row, with room to grow. A reader writes the columns as
 * plain properties (the hot loop); growing, handing them to another thread and appending another
 * part's rows go by the names listed in `names`.
 */
export abstract class GrowingColumns<Name extends string> {
  n = 0;
  cap = INITIAL_ROWS;
  /** The columns in the order a part read on another thread hands them back (see arrays()). */
  protected abstract readonly names: readonly Name[];

  private get byName(): Record<Name, Column> {
    return this as unknown as Record<Name, Column>;
  }

  grow(cap: number): void {
    this.cap = cap;
    const columns = this.byName;
    for (const k of this.names) columns[k] = growTo(columns[k], cap);
  }

  arrays(): Column[] {
    return this.names.map((k) => this.byName[k]);
  }

  /** Makes room for m more rows; returns the row they start at. */
  reserve(m: number): number {
    if (this.cap < this.n + m) this.grow(this.n + m);
    return this.n;
  }

  /** Copies the first m values of another part's columns (given in arrays() order) after this part's rows, by name. */
  copy(parts: Column[], names: readonly Name[], m: number): void {
    const columns = this.byName;
    for (const k of names) columns[k].set(this.part(parts, k).subarray(0, m), this.n);
  }

  /** Another part's column (given in arrays() order) by name. */
  part(parts: Column[], name: Name): Column {
    const a = parts[this.names.indexOf(name)];
    if (!a) throw new Error(`Column ${name} missing from the other part's ${parts.length} columns`);
    return a;
  }

  /** Another part's Int32 column by name: the ones a merge renumbers. */
  int32Part(parts: Column[], name: Name): Int32Array {
    const a = this.part(parts, name);
    if (!(a instanceof Int32Array)) throw new Error(`Column ${name} of the other part is not an Int32Array`);
    return a;
  }
}
