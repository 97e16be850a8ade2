/**
 * PostgreSQL's binary COPY format, written straight into byte buffers: no string per row, no
 * quoting, integers as their four bytes. Both stores read it (COPY … WITH (FORMAT binary)); the
 * import's worker thread writes the listing and visit rows with it while the main thread sends the
 * chunks before them to the store.
 */

/** Signature, flags and header extension length: what starts every binary COPY. */
export const COPY_BINARY_HEADER = Buffer.concat([
  Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
  Buffer.alloc(8),
]);
/** The field count -1: what ends it. */
export const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** A text's field as binary COPY writes it: its length and its UTF-8 bytes, made once for a dictionary. */
export function textField(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const out = Buffer.allocUnsafe(4 + bytes.length);
  out.writeInt32BE(bytes.length, 0);
  bytes.copy(out, 4);
  return out;
}

/** A null field. */
export const NULL_FIELD = Buffer.from([0xff, 0xff, 0xff, 0xff]);

/**
 * Tuples written one after another into a buffer that is handed on (`flush`) once it holds
 * `flushBytes`, always at the end of a row, so a chunk is whole rows (PGlite copies each chunk as
 * a statement of its own). A row larger than the buffer grows it.
 */
export class TupleWriter {
  private buf: Buffer;
  private at = 0;
  private rows = 0;

  constructor(
    private readonly flush: (bytes: Buffer, rows: number) => void,
    private readonly flushBytes = 4 * 1024 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(flushBytes + 64 * 1024);
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  private int32(v: number): void {
    const b = this.buf;
    const at = this.at;
    b[at] = v >>> 24;
    b[at + 1] = v >>> 16;
    b[at + 2] = v >>> 8;
    b[at + 3] = v;
    this.at = at + 4;
  }

  private int16(v: number): void {
    this.buf[this.at] = v >>> 8;
    this.buf[this.at + 1] = v;
    this.at += 2;
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): this {
    this.room(2);
    this.int16(fields);
    return this;
  }

  /** An integer column. */
  integer(v: number): this {
    this.room(8);
    this.int32(4);
    this.int32(v);
    return this;
  }

  /** A smallint column. */
  smallint(v: number): this {
    this.room(6);
    this.int32(2);
    this.int16(v);
    return this;
  }

  /** A field made beforehand (textField, NULL_FIELD). */
  field(bytes: Uint8Array): this {
    const n = bytes.length;
    this.room(n);
    const buf = this.buf;
    const at = this.at;
    // Most fields are a few bytes: a loop is cheaper than set() for them.
    if (n > 64) buf.set(bytes, at);
    else for (let k = 0; k < n; k++) buf[at + k] = bytes[k]!;
    this.at = at + n;
    return this;
  }

  /** A text column from bytes already in UTF-8: b[s..e). */
  textBytes(b: Uint8Array, s: number, e: number): this {
    this.room(4 + e - s);
    this.int32(e - s);
    const buf = this.buf;
    let at = this.at;
    for (let k = s; k < e; k++) buf[at++] = b[k]!;
    this.at = at;
    return this;
  }

  /** A text column. */
  text(value: string): this {
    this.room(4 + 3 * value.length);
    const n = this.buf.write(value, this.at + 4, 'utf8');
    this.int32(n);
    this.at += n;
    return this;
  }

  /** Ends the row; hands the buffer on when it is full enough. */
  end(): void {
    this.rows++;
    if (this.at >= this.flushBytes) this.done();
  }

  /** Hands on what is left. */
  done(): void {
    if (this.rows === 0) return;
    const full = this.buf.subarray(0, this.at);
    const rows = this.rows;
    this.buf = Buffer.allocUnsafe(this.buf.length);
    this.at = 0;
    this.rows = 0;
    this.flush(full, rows);
  }
}
