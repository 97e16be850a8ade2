import type { DataSet } from '../../core/data/dataset.js';
import type { TextArena } from '../files/data-folder/index.js';
import { NULL_FIELD, TupleWriter, textField } from './import-copy.js';
import { LISTING_COLUMNS, VISIT_COLUMNS, expectStoredColumns, storedAsRead } from './import-prepare.js';
import type { BatchTexts, PersonTexts } from './batch-texts.js';

/**
 * The listing and visit tables' rows of a read folder as binary COPY chunks: the typed columns the
 * loader built give every cell but the texts they do not keep (person and visit ids), which the
 * loader kept for the import and packed with the batch (batch-texts.ts). Both tables' rows are
 * made after the import, from the stored batch (batch-rows.ts). The same cells as tableRows
 * (import-prepare.ts) writes for a caller's own transaction.
 */

export type LargeTable = 'listing' | 'visit';

export interface RowChunk {
  table: LargeTable;
  /** Whole binary COPY tuples, without header and trailer. */
  bytes: Uint8Array;
  /** The table's rows written once this chunk is. */
  rows: number;
  /** The table's rows in all. */
  of: number;
}

/** A table's tuples, handed on a chunk at a time by the generator that writes them. */
class Chunks {
  readonly ready: RowChunk[] = [];
  readonly w: TupleWriter;
  constructor(
    table: LargeTable,
    of: number,
    flushBytes?: number,
    private written = 0,
  ) {
    this.w = new TupleWriter((bytes, rows) => {
      this.written += rows;
      this.ready.push({ table, bytes, rows: this.written, of });
    }, flushBytes);
  }
}

/** A person id as stored: the text as read, or how it is stored where that differs. */
function personCell(w: TupleWriter, { persons, stored }: PersonTexts, i: number): void {
  const person = stored.get(i);
  if (person === undefined) w.textBytes(persons.bytes, persons.offsets[i]!, persons.offsets[i + 1]!);
  else w.text(person);
}

/** A kept text as stored (trimmed, as eachTextRow reads it). */
function trimmedCell(w: TupleWriter, arena: TextArena, i: number): void {
  if (storedAsRead(arena, i)) w.textBytes(arena.bytes, arena.offsets[i]!, arena.offsets[i + 1]!);
  else w.text(arena.text(i).trim());
}

const field = (list: Buffer[], i: number): Buffer => (i >= 0 ? list[i]! : NULL_FIELD);

/** Batch `batchId`'s listing rows from row `from` on, a chunk at a time. */
export function* listingChunks(
  data: DataSet,
  texts: PersonTexts,
  batchId: number,
  from = 0,
  flushBytes?: number,
): Generator<RowChunk> {
  expectStoredColumns();
  const { units, areas, listings } = data;
  if (texts.persons.n !== listings.count)
    throw new Error(`listings.csv: ${texts.persons.n} person ids kept, ${listings.count} rows read`);
  const unitF = units.id.map(textField);
  const areaF = areas.code.map(textField);
  const riskF = listings.riskGroups.map(textField);
  const doctorF = data.doctors.map(textField);
  const out = new Chunks('listing', listings.count, flushBytes, from);
  const w = out.w;
  for (let i = from; i < listings.count; i++) {
    w.row(LISTING_COLUMNS.length).integer(batchId).integer(i);
    personCell(w, texts, i);
    w.field(unitF[listings.unit[i]!]!)
      .field(field(doctorF, listings.doctor[i]!))
      .integer(listings.birth[i]!)
      .smallint(listings.sex[i]!)
      .field(areaF[listings.area[i]!]!)
      .integer(listings.from[i]!)
      .integer(listings.to[i]!)
      .field(field(riskF, listings.riskGroup[i]!))
      .integer(listings.line[i]!)
      .end();
    while (out.ready.length) yield out.ready.shift()!;
  }
  w.done();
  yield* out.ready;
}

/** Batch `batchId`'s visit rows from row `from` on, a chunk at a time. */
export function* visitChunks(
  data: DataSet,
  texts: BatchTexts,
  batchId: number,
  from = 0,
  flushBytes?: number,
): Generator<RowChunk> {
  expectStoredColumns();
  const { units, visits } = data;
  const { visitIds } = texts;
  if (visitIds.n !== visits.count || texts.visits.persons.n !== visits.count)
    throw new Error(`visits.csv: ${visitIds.n} visit ids kept, ${visits.count} rows read`);
  const unitF = units.id.map(textField);
  const doctorF = data.doctors.map(textField);
  const dx = visits.diagnoses;
  // A file without the diagnoses column stores null; an empty cell stores ''.
  const cellF = dx ? dx.cells.map(textField) : [];
  const emptyCell = dx ? textField('') : NULL_FIELD;
  const type = visits.visitType;
  const out = new Chunks('visit', visits.count, flushBytes, from);
  const w = out.w;
  for (let i = from; i < visits.count; i++) {
    const booked = visits.booked[i]!;
    const cell = dx ? dx.cell[i]! : -1;
    w.row(VISIT_COLUMNS.length).integer(batchId).integer(i);
    trimmedCell(w, visitIds, i);
    personCell(w, texts.visits, i);
    w.field(unitF[visits.unit[i]!]!)
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
    while (out.ready.length) yield out.ready.shift()!;
  }
  w.done();
  yield* out.ready;
}
