import { basename, join } from 'node:path';
import { existsSync } from 'node:fs';
import { checkPersonId } from '../../core/identity.js';
import type { DataSet } from '../../core/data/dataset.js';
import { DATA_FILE_COLUMNS, type ColumnKind, type DataFileName } from '../../core/data/files.js';
import { loadDataFolder } from '../files/data-folder/index.js';
import { InputErrors, type LocatedError } from '../files/located-error.js';
import { fieldText, tokenizeCsvFile } from '../files/csv-tokenizer.js';
import { batchContentHash, encodeDataSet } from './batch-cache.js';

/**
 * What an import writes, made ready without the store: the folder read and checked by the loader
 * the CLI uses, the texts the columns do not keep, and the batch's columnar form. This is the
 * CPU-heavy part of an import; it runs on a worker thread (import-worker.ts) so the server keeps
 * answering while a large folder is read. The large tables' rows are then made a chunk at a time.
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

/** The texts the columnar data set does not keep, per row. */
export interface RowTexts {
  listingPersons: string[];
  visitPersons: string[];
  visitIds: string[];
  eventIds: string[];
}

export interface PreparedImport {
  data: DataSet;
  texts: RowTexts;
  /** The data set as batch-cache.ts stores it, and its key. */
  columnar: Uint8Array;
  contentHash: string;
}

/**
 * Columns of a validated file, in row order, read in one pass (the loader keeps codes, not these
 * texts). Person ids are normalised (every spelling, 10 or 12 digits, → 12 digits) so one person
 * matches across files, and a number whose check digit or date is wrong is refused with its line.
 */
export function textColumns(file: string, names: string[]): string[][] {
  const out: string[][] = names.map(() => []);
  if (!existsSync(file)) return out;
  let cols: number[] = [];
  let line = 1;
  const errors: LocatedError[] = [];
  tokenizeCsvFile(file, {
    onHeader: (header) => (cols = names.map((name) => header.findIndex((n) => n.toLowerCase() === name))),
    onRow: (row) => {
      line++;
      if (row.count === 1 && row.end[0] === row.start[0]) return;
      for (let k = 0; k < names.length; k++) {
        const raw = fieldText(row, cols[k]).trim();
        if (names[k] !== 'person_id') {
          out[k].push(raw);
          continue;
        }
        const check = checkPersonId(raw);
        if (!check.ok && errors.length < 100)
          errors.push({
            file: basename(file),
            line,
            where: names[k],
            code: `person_id_${check.reason}`,
            message:
              check.reason === 'luhn'
                ? 'Personnumret har fel kontrollsiffra'
                : 'Personnumret har inget giltigt födelsedatum',
          });
        out[k].push(check.ok ? check.normalized : raw);
      }
    },
  });
  if (errors.length) throw new InputErrors(errors);
  return out;
}

/** One column of a validated file, in row order (see textColumns). */
export function column(file: string, name: string): string[] {
  return textColumns(file, [name])[0];
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

/** Reads and checks the folder; the rows are made later, chunk by chunk, by tableRows. */
export function prepareImport(dir: string, onProgress?: (p: ReadProgress) => void): PreparedImport {
  const data = loadDataFolder(dir, {
    require: ['units.csv', 'areas.csv', 'listings.csv'],
    onProgress: onProgress
      ? (file, bytesRead, bytes, rowsRead) => onProgress({ file, bytesRead, bytes, rowsRead: rowsRead ?? 0 })
      : undefined,
  });
  const [listingPersons] = textColumns(join(dir, 'listings.csv'), ['person_id']);
  const [visitPersons, visitIds] = textColumns(join(dir, 'visits.csv'), ['person_id', 'visit_id']);
  const [eventIds] = textColumns(join(dir, 'events.csv'), ['event_id']);
  return {
    data,
    texts: { listingPersons, visitPersons, visitIds, eventIds },
    columnar: encodeDataSet(data),
    contentHash: batchContentHash(data.files),
  };
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
  const name = (list: string[], i: number): string | null => (i >= 0 ? list[i] : null);
  const dx = visits.diagnoses;
  return {
    listing: rowsOf(LISTING_COLUMNS, {
      batch_id: () => batchId,
      row: (i) => i,
      person_id: (i) => texts.listingPersons[i],
      unit_id: (i) => units.id[listings.unit[i]],
      doctor_id: (i) => name(data.doctors, listings.doctor[i]),
      birth_date: (i) => listings.birth[i],
      sex: (i) => listings.sex[i],
      area: (i) => areas.code[listings.area[i]],
      listed_from: (i) => listings.from[i],
      listed_to: (i) => listings.to[i],
      risk_group: (i) => name(listings.riskGroups, listings.riskGroup[i]),
      line: (i) => listings.line[i],
    }),
    visit: rowsOf(VISIT_COLUMNS, {
      batch_id: () => batchId,
      row: (i) => i,
      visit_id: (i) => texts.visitIds[i],
      person_id: (i) => texts.visitPersons[i],
      unit_id: (i) => units.id[visits.unit[i]],
      date: (i) => visits.date[i],
      profession: (i) => visits.profession[i],
      contact: (i) => visits.contact[i],
      doctor_id: (i) => name(data.doctors, visits.doctor[i]),
      booked_date: (i) => visits.booked[i] || null,
      visit_type: (i) => (visits.visitType ? visits.visitType[i] : null),
      diagnoses: (i) => (dx ? (dx.cell[i] >= 0 ? dx.cells[dx.cell[i]] : '') : null),
      line: (i) => visits.line[i],
    }),
  };
}

/** A text as a CSV field: '' quoted (COPY reads an empty unquoted field as null), quoted when it must be. */
function quoted(s: string): string {
  if (s === '') return '""';
  return s.includes(',') || s.includes('"') || s.includes('\n') || s.includes('\r')
    ? `"${s.replace(/"/g, '""')}"`
    : s;
}

/**
 * The listing and visit tables' rows of batch `batchId` as CSV for COPY, a range at a time, in the
 * order of LISTING_COLUMNS and VISIT_COLUMNS: the same cells as tableRows, written straight to
 * text (dictionaries quoted once), which is what makes COPY of millions of rows cheap.
 */
export function tableCsv(
  { data, texts }: Pick<PreparedImport, 'data' | 'texts'>,
  batchId: number,
): { listing: (start: number, end: number) => string; visit: (start: number, end: number) => string } {
  const { units, areas, listings, visits } = data;
  const expected = (columns: [string, string][], names: string[]) => {
    if (columns.map(([n]) => n).join() !== names.join())
      throw new Error(`stored columns changed: ${columns.map(([n]) => n).join()}`);
  };
  expected(LISTING_COLUMNS, [
    'batch_id',
    'row',
    'person_id',
    'unit_id',
    'doctor_id',
    'birth_date',
    'sex',
    'area',
    'listed_from',
    'listed_to',
    'risk_group',
    'line',
  ]);
  expected(VISIT_COLUMNS, [
    'batch_id',
    'row',
    'visit_id',
    'person_id',
    'unit_id',
    'date',
    'profession',
    'contact',
    'doctor_id',
    'booked_date',
    'diagnoses',
    'visit_type',
    'line',
  ]);
  const unitQ = units.id.map(quoted);
  const areaQ = areas.code.map(quoted);
  const doctorQ = data.doctors.map(quoted);
  const riskQ = listings.riskGroups.map(quoted);
  const dx = visits.diagnoses;
  const cellQ = dx ? dx.cells.map(quoted) : [];
  const b = `${batchId},`;
  return {
    listing: (start, end) => {
      let out = '';
      for (let i = start; i < end; i++) {
        const doctor = listings.doctor[i];
        const risk = listings.riskGroup[i];
        out +=
          `${b}${i},${quoted(texts.listingPersons[i])},${unitQ[listings.unit[i]]},${doctor >= 0 ? doctorQ[doctor] : ''},` +
          `${listings.birth[i]},${listings.sex[i]},${areaQ[listings.area[i]]},${listings.from[i]},${listings.to[i]},` +
          `${risk >= 0 ? riskQ[risk] : ''},${listings.line[i]}\n`;
      }
      return out;
    },
    visit: (start, end) => {
      let out = '';
      const type = visits.visitType;
      for (let i = start; i < end; i++) {
        const doctor = visits.doctor[i];
        const booked = visits.booked[i];
        const diagnoses = dx ? (dx.cell[i] >= 0 ? cellQ[dx.cell[i]] : '""') : '';
        out +=
          `${b}${i},${quoted(texts.visitIds[i])},${quoted(texts.visitPersons[i])},${unitQ[visits.unit[i]]},` +
          `${visits.date[i]},${visits.profession[i]},${visits.contact[i]},${doctor >= 0 ? doctorQ[doctor] : ''},` +
          `${booked || ''},${diagnoses},${type ? type[i] : ''},${visits.line[i]}\n`;
      }
      return out;
    },
  };
}
