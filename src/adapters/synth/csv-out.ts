import { closeSync, openSync, writeSync } from 'node:fs';
import { headerLine } from '../../core/data/files.js';
import type { DataFileName } from '../../core/data/files.js';

/** Flush at ~64 K characters: a shorter string rope stays in V8's young generation (less GC than 1 MB). */
const CHUNK_CHARS = 1 << 16;

/** A data file written in chunks straight to its file descriptor, with every column of its header. */
export class CsvOut {
  private readonly fd: number;
  private buf: string;
  rows = 0;

  constructor(path: string, file: DataFileName, omit: readonly string[] = []) {
    this.fd = openSync(path, 'w');
    this.buf = headerLine(file, omit) + '\n';
  }

  add(line: string): void {
    this.buf += line;
    this.rows++;
    if (this.buf.length >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    const bytes = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
