import { join } from 'node:path';
import type { DataSet } from '../../core/data/dataset.js';
import { NULL_FIELD, TupleWriter, textField } from './import-copy.js';
import { LISTING_COLUMNS, VISIT_COLUMNS, eachTextRow, expectStoredColumns } from './import-prepare.js';

/**
 * The listing and visit tables' rows of a read folder as binary COPY chunks, made on the import's
 * worker thread: the typed columns the loader built give every cell but the texts it does not keep
 * (person and visit ids), which one more pass over the two files reads. The same cells as
 * tableRows (import-prepare.ts) writes for a caller's own transaction.
 */

export type LargeTable = 'listing' | 'visit';

export interface RowChunk {
  table: LargeTable;
  /** Whole binary COPY tuples, without header and trailer. */
  bytes: Uint8Array;
  /** The table's rows written once this chunk is. */
  rows: number;
}

/** Writes batch `batchId`'s listing rows, then its visit rows, a chunk at a time to `out`. */
export function writeRowChunks(
  dir: string,
  data: DataSet,
  batchId: number,
  out: (chunk: RowChunk) => void,
  flushBytes?: number,
): void {
  expectStoredColumns();
  const { units, areas, listings, visits } = data;
  const unitF = units.id.map(textField);
  const doctorF = data.doctors.map(textField);
  const field = (list: Buffer[], i: number): Buffer => (i >= 0 ? list[i]! : NULL_FIELD);

  let written = 0;
  let table: LargeTable = 'listing';
  const w = new TupleWriter((bytes, rows) => {
    written += rows;
    out({ table, bytes, rows: written });
  }, flushBytes);
  const counted = (expected: number): void => {
    w.done();
    if (written !== expected)
      throw new Error(`${table}: ${written} rows read again, ${expected} when the folder was read`);
  };

  const areaF = areas.code.map(textField);
  const riskF = listings.riskGroups.map(textField);
  let i = 0;
  eachTextRow(join(dir, 'listings.csv'), ['person_id'], ([person]) => {
    if (i >= listings.count) throw new Error('listings.csv has more rows than when it was read');
    w.row(LISTING_COLUMNS.length)
      .integer(batchId)
      .integer(i)
      .text(person!)
      .field(unitF[listings.unit[i]!]!)
      .field(field(doctorF, listings.doctor[i]!))
      .integer(listings.birth[i]!)
      .smallint(listings.sex[i]!)
      .field(areaF[listings.area[i]!]!)
      .integer(listings.from[i]!)
      .integer(listings.to[i]!)
      .field(field(riskF, listings.riskGroup[i]!))
      .integer(listings.line[i]!)
      .end();
    i++;
  });
  counted(listings.count);

  written = 0;
  table = 'visit';
  const dx = visits.diagnoses;
  // A file without the diagnoses column stores null; an empty cell stores ''.
  const cellF = dx ? dx.cells.map(textField) : [];
  const emptyCell = dx ? textField('') : NULL_FIELD;
  const type = visits.visitType;
  i = 0;
  eachTextRow(join(dir, 'visits.csv'), ['visit_id', 'person_id'], ([visitId, person]) => {
    if (i >= visits.count) throw new Error('visits.csv has more rows than when it was read');
    const booked = visits.booked[i]!;
    const cell = dx ? dx.cell[i]! : -1;
    w.row(VISIT_COLUMNS.length)
      .integer(batchId)
      .integer(i)
      .text(visitId!)
      .text(person!)
      .field(unitF[visits.unit[i]!]!)
      .integer(visits.date[i]!)
      .smallint(visits.profession[i]!)
      .smallint(visits.contact[i]!)
      .field(field(doctorF, visits.doctor[i]!));
    if (booked) w.integer(booked);
    else w.field(NULL_FIELD);
    w.field(cell >= 0 ? cellF[cell]! : emptyCell);
    if (type) w.smallint(type[i]!);
    else w.field(NULL_FIELD);
    w.integer(visits.line[i]!).end();
    i++;
  });
  counted(visits.count);
}
