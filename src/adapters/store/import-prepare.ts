import { basename, join } from 'node:path';
import { existsSync } from 'node:fs';
import { checkPersonId } from '../../core/identity.js';
import type { DataSet } from '../../core/data/dataset.js';
import { DATA_FILE_COLUMNS, type ColumnKind, type DataFileName } from '../../core/data/files.js';
import { IdTexts, loadDataFolder, type LoadOptions, type TextArena } from '../files/data-folder/index.js';
import { InputErrors, type LocatedError } from '../files/located-error.js';
import { fieldText, tokenizeCsvRange } from '../files/csv-tokenizer.js';
import { batchContentHash } from './batch-cache.js';

/**
 * What an import writes, made ready without the store: the folder read and checked by the loader
 * the CLI uses, and the texts the columns do not keep. This is the CPU-heavy part of an import;
 * for the server it runs on a worker thread (import-worker.ts, which also makes the large tables'
 * rows as binary COPY: import-rows.ts) so the server keeps answering while a large folder is read.
 * In a caller's own transaction the large tables' rows are made here a chunk at a time (tableRows).
 */

/** Rows per write: progress is reported, and the event loop gets a turn, between chunks. */
export const CHUNK_ROWS = 50_000;

/** A stored table's columns: its file's columns (codes as their index) between the batch's row and line. */
export function storedColumns(file: DataFileName): [string, string][] {
  const types: Record<ColumnKind, string | undefined> = {
    person: 'text',
    text: 'text',
    code: 'smallint',
    date: 'integer',
    number: 'double precision',
    integer: 'integer',
    codes: 'text', // diagnoses, as the cell reads
  };
  const columns = DATA_FILE_COLUMNS[file].flatMap((c): [string, string][] => {
    const type = types[c.kind];
    return type ? [[c.name, type]] : [];
  });
  return [['batch_id', 'integer'], ['row', 'integer'], ...columns, ['line', 'integer']];
}
export const LISTING_COLUMNS = storedColumns('listings.csv');
export const VISIT_COLUMNS = storedColumns('visits.csv');

/** What the reader reports while it works: a file's bytes and rows read so far. */
export interface ReadProgress {
  file: string;
  bytesRead: number;
  bytes: number;
  rowsRead: number;
}

/** The texts of the large tables that the columnar data set does not keep, per row. */
export interface RowTexts {
  listingPersons: string[];
  visitPersons: string[];
  visitIds: string[];
}

/**
 * A folder read and checked: its data set, the key its columnar form is stored under
 * (batch-cache.ts), and the event ids (the one text of a small table the data set does not keep).
 */
export interface PreparedColumns {
  data: DataSet;
  contentHash: string;
  eventIds: string[];
}

/**
 * What a batch's row and small tables need of a folder read: all but the listing and visit
 * columns. The import's worker sends it as soon as the folder is read; the large columns come
 * after they are packed.
 */
export interface FolderSummary {
  data: Pick<DataSet, 'units' | 'areas' | 'indicators' | 'events' | 'files'>;
  counts: Record<string, number>;
  contentHash: string;
  eventIds: string[];
}

/** Each table's rows read. */
const countsOf = (data: DataSet): Record<string, number> => ({
  units: data.units.count,
  areas: data.areas.count,
  listings: data.listings.count,
  visits: data.visits.count,
  indicators: data.indicators.count,
  events: data.events.count,
});

export function summaryOf({ data, contentHash, eventIds }: PreparedColumns): FolderSummary {
  const { units, areas, indicators, events, files } = data;
  return { data: { units, areas, indicators, events, files }, counts: countsOf(data), contentHash, eventIds };
}

export interface PreparedImport extends PreparedColumns {
  texts: RowTexts;
}

/**
 * A validated file's data rows in order, with the texts of the named columns (the loader keeps
 * codes, not these texts), read in one pass without hashing the file again. Person ids are
 * normalised (every spelling, 10 or 12 digits, → 12 digits) so one person matches across files,
 * and a number whose check digit or date is wrong is refused with its line. `texts` is reused.
 */
export function eachTextRow(
  file: string,
  names: string[],
  onRow: (texts: string[], line: number) => void,
): void {
  if (!existsSync(file)) return;
  let cols: number[] = [];
  let line = 1;
  const errors: LocatedError[] = [];
  const texts = names.map(() => '');
  const name = basename(file);
  // The day that decides a 10-digit number's century, once per file rather than once per row.
  const today = todayNumber();
  tokenizeCsvRange(
    file,
    {
      onHeader: (header) => (cols = names.map((n) => header.findIndex((h) => h.toLowerCase() === n))),
      onRow: (row) => {
        line++;
        if (row.count === 1 && row.end[0] === row.start[0]) return;
        for (let k = 0; k < names.length; k++) {
          const raw = fieldText(row, cols[k]!).trim();
          texts[k] = names[k] === 'person_id' ? normalizedPerson(raw, name, line, errors, today) : raw;
        }
        onRow(texts, line);
      },
    },
    { start: 0, end: Number.MAX_SAFE_INTEGER },
  );
  if (errors.length) throw new InputErrors(errors);
}

/** Columns of a validated file, in row order (see eachTextRow). */
export function textColumns(file: string, names: string[]): string[][] {
  const out: string[][] = names.map(() => []);
  eachTextRow(file, names, (texts) => texts.forEach((t, k) => out[k]!.push(t)));
  return out;
}

/**
 * A person id as stored: every spelling (10 or 12 digits) as 12 digits, so one person matches
 * across files; a number whose check digit or date is wrong is noted in `errors` with its line.
 */
export function normalizedPerson(
  raw: string,
  file: string,
  line: number,
  errors: LocatedError[],
  today?: number,
): string {
  const check = checkPersonId(raw, { today });
  if (check.ok) return check.normalized;
  if (errors.length < 100)
    errors.push({
      file,
      line,
      where: 'person_id',
      code: `person_id_${check.reason}`,
      message:
        check.reason === 'luhn'
          ? 'Personnumret har fel kontrollsiffra'
          : 'Personnumret har inget giltigt födelsedatum',
    });
  return raw;
}

/** The day that decides a 10-digit number's century, as a number YYYYMMDD. */
function todayNumber(): number {
  const now = new Date();
  return now.getFullYear() * 10000 + (now.getMonth() + 1) * 100 + now.getDate();
}

/** Whether a kept text is stored as read: no space or non-ASCII byte at either end to trim. */
export function storedAsRead(arena: TextArena, i: number): boolean {
  const b = arena.bytes;
  const s = arena.offsets[i]!;
  const e = arena.offsets[i + 1]!;
  if (e === s) return true;
  const first = b[s]!;
  const last = b[e - 1]!;
  return first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80;
}

/**
 * A file's person ids as stored, from the texts the loader kept (IdTexts): the same texts as
 * eachTextRow gives. 12 digits (checked by the loader) are stored as read; other spellings are
 * normalised, and a 10-digit number whose check digit or date is wrong is noted with its line
 * (thrown by done(), after the whole file, so every such line is reported).
 */
export class StoredPersons {
  readonly errors: LocatedError[] = [];
  private readonly today = todayNumber();

  constructor(
    private readonly file: string,
    readonly arena: TextArena,
  ) {}

  /**
   * Whether row i is stored as read: 12 digits, or a pseudonym that starts with neither a digit
   * nor a space (identity numbers start with a digit) and has nothing to trim.
   */
  plain(i: number): boolean {
    const { bytes, offsets } = this.arena;
    const s = offsets[i]!;
    const e = offsets[i + 1]!;
    const first = bytes[s]!;
    if (e > s && (first < 0x30 || first > 0x39)) return storedAsRead(this.arena, i);
    if (e - s !== 12) return false;
    for (let k = s; k < e; k++) if (bytes[k]! < 0x30 || bytes[k]! > 0x39) return false;
    return true;
  }

  /** Row i's person id as stored. */
  text(i: number, line: number): string {
    const raw = this.arena.text(i);
    return this.plain(i) ? raw : normalizedPerson(raw.trim(), this.file, line, this.errors, this.today);
  }

  done(): void {
    if (this.errors.length) throw new InputErrors(this.errors);
  }
}

/** The stored texts of the large tables, as strings (a caller's own transaction: small folders). */
function rowTexts(data: DataSet, ids: IdTexts): RowTexts {
  const persons = (file: string, arena: TextArena, lines: Int32Array): string[] => {
    const stored = new StoredPersons(file, arena);
    const out = Array.from({ length: arena.n }, (_, i) => stored.text(i, lines[i]!));
    stored.done();
    return out;
  };
  return {
    listingPersons: persons('listings.csv', ids.listingPersons, data.listings.line),
    visitPersons: persons('visits.csv', ids.visitPersons, data.visits.line),
    visitIds: Array.from({ length: ids.visitIds.n }, (_, i) => ids.visitIds.text(i).trim()),
  };
}

/** One column of a validated file, in row order (see textColumns). */
export function column(file: string, name: string): string[] {
  return textColumns(file, [name])[0]!;
}

type Getter = (i: number) => unknown;

/** Row i of a large table's chunk as its stored columns' values, in the order of `columns`. */
function rowsOf(
  columns: [string, string][],
  getters: Record<string, Getter>,
): (start: number, end: number) => unknown[][] {
  const cells = columns.map(([n]) => {
    const get = getters[n];
    if (!get) throw new Error(`no value for the stored column ${n}`);
    return get;
  });
  return (start, end) => {
    const rows: unknown[][] = [];
    for (let i = start; i < end; i++) rows.push(cells.map((get) => get(i)));
    return rows;
  };
}

/**
 * Reads and checks the folder, as the CLI's loader does; `load` asks the loader for the id texts
 * and for listings.csv before visits.csv is read (the import's worker thread).
 */
export function prepareColumns(
  dir: string,
  onProgress?: (p: ReadProgress) => void,
  load: Pick<LoadOptions, 'ids' | 'arriving'> = {},
): PreparedColumns {
  const data = loadDataFolder(dir, {
    ...load,
    require: ['units.csv', 'areas.csv', 'listings.csv'],
    onProgress: onProgress
      ? (file, bytesRead, bytes, rowsRead) => onProgress({ file, bytesRead, bytes, rowsRead: rowsRead ?? 0 })
      : undefined,
  });
  return {
    data,
    contentHash: batchContentHash(data.files),
    eventIds: column(join(dir, 'events.csv'), 'event_id'),
  };
}

/** Reads and checks the folder with the texts the rows need (kept by the loader); the rows are made later, chunk by chunk, by tableRows. */
export function prepareImport(dir: string, onProgress?: (p: ReadProgress) => void): PreparedImport {
  const ids = new IdTexts();
  const prepared = prepareColumns(dir, onProgress, { ids });
  return { ...prepared, texts: rowTexts(prepared.data, ids) };
}

/** The listing and visit tables' rows of batch `batchId`, made a chunk at a time. */
export function tableRows(
  { data, texts }: Pick<PreparedImport, 'data' | 'texts'>,
  batchId: number,
): {
  listing: (start: number, end: number) => unknown[][];
  visit: (start: number, end: number) => unknown[][];
} {
  const { units, areas, listings, visits } = data;
  const name = (list: string[], i: number): string | null => (i >= 0 ? list[i]! : null);
  const dx = visits.diagnoses;
  return {
    listing: rowsOf(LISTING_COLUMNS, {
      batch_id: () => batchId,
      row: (i) => i,
      person_id: (i) => texts.listingPersons[i]!,
      unit_id: (i) => units.id[listings.unit[i]!]!,
      doctor_id: (i) => name(data.doctors, listings.doctor[i]!),
      birth_date: (i) => listings.birth[i]!,
      sex: (i) => listings.sex[i]!,
      area: (i) => areas.code[listings.area[i]!]!,
      listed_from: (i) => listings.from[i]!,
      listed_to: (i) => listings.to[i]!,
      risk_group: (i) => name(listings.riskGroups, listings.riskGroup[i]!),
      line: (i) => listings.line[i]!,
    }),
    visit: rowsOf(VISIT_COLUMNS, {
      batch_id: () => batchId,
      row: (i) => i,
      visit_id: (i) => texts.visitIds[i]!,
      person_id: (i) => texts.visitPersons[i]!,
      unit_id: (i) => units.id[visits.unit[i]!]!,
      date: (i) => visits.date[i]!,
      profession: (i) => visits.profession[i]!,
      contact: (i) => visits.contact[i]!,
      doctor_id: (i) => name(data.doctors, visits.doctor[i]!),
      booked_date: (i) => visits.booked[i]! || null,
      visit_type: (i) => (visits.visitType ? visits.visitType[i]! : null),
      diagnoses: (i) => (dx ? (dx.cell[i]! >= 0 ? dx.cells[dx.cell[i]!]! : '') : null),
      line: (i) => visits.line[i]!,
    }),
  };
}

/** The stored columns the row writers (tableRows, import-rows.ts) write, in their order. */
const WRITTEN = {
  listing:
    'batch_id row person_id unit_id doctor_id birth_date sex area listed_from listed_to risk_group line',
  visit:
    'batch_id row visit_id person_id unit_id date profession contact doctor_id booked_date diagnoses visit_type line',
};

/** Fails when the stored columns are no longer the ones the row writers write, in their order. */
export function expectStoredColumns(): void {
  for (const [columns, written] of [
    [LISTING_COLUMNS, WRITTEN.listing],
    [VISIT_COLUMNS, WRITTEN.visit],
  ] as const)
    if (columns.map(([n]) => n).join(' ') !== written)
      throw new Error(`stored columns changed: ${columns.map(([n]) => n).join()}`);
}
