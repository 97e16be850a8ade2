import { join } from 'node:path';
import { VISIT_TYPES, type UnitTable, type VisitTable } from '../../../core/data/dataset.js';
import type { ColumnName } from '../../../core/data/files.js';
import { CONTACTS, PROFESSIONS } from '../../../core/rulebook/schema.js';
import { KEY, type ByteKeys } from './byte-keys.js';
import { GrowingColumns, finish, nextCapacity } from './columns.js';
import type { IdTexts } from './id-texts.js';
import {
  CONTACT_CODES,
  Dictionary,
  InternedColumn,
  LastField,
  PROFESSION_CODES,
  VISIT_TYPE_CODES,
  internAll,
} from './dictionaries.js';
import type { FileContext } from './file-context.js';
import { PSEUDONYM, personRef, type PersonIndex } from './person-index.js';
import { fileSize, readFile, type Loaded, type LoadOptions, type PartReader } from './read-file.js';
import { readInTwoParts, readsInTwoParts, type TwoParts } from './two-parts.js';
import { UniqueIds, type AscendingIds } from './unique-ids.js';
import { UnitColumn } from './units.js';

export function emptyVisits(): VisitTable {
  const e = new Int32Array(0);
  const u = new Uint8Array(0);
  return { count: 0, person: e, unit: e, date: e, profession: u, contact: u, doctor: e, booked: e, line: e };
}

/** The visit columns in the order a part read on another thread hands them back. */
const VISIT_ARRAYS = [
  'person',
  'unit',
  'date',
  'prof',
  'contact',
  'doctor',
  'booked',
  'line',
  'vtype',
  'dx',
] as const;

/** The visit columns being filled, with room to grow. */
export class VisitColumns extends GrowingColumns<(typeof VISIT_ARRAYS)[number]> {
  protected readonly names = VISIT_ARRAYS;
  person = new Int32Array(this.cap);
  unit = new Int32Array(this.cap);
  date = new Int32Array(this.cap);
  prof = new Uint8Array(this.cap);
  contact = new Uint8Array(this.cap);
  doctor = new Int32Array(this.cap);
  booked = new Int32Array(this.cap);
  vtype = new Uint8Array(this.cap);
  line = new Int32Array(this.cap);
  /** Index into diagnosisCells, or -1 for an empty cell. */
  dx = new Int32Array(this.cap);
  readonly diagnosisCells = new Dictionary([]);
  /** Whether the file has the optional column visit_type. */
  typed = false;
  /** Whether the file has the optional column diagnoses. */
  diagnosed = false;

  table(): VisitTable {
    const n = this.n;
    return {
      count: n,
      person: finish(this.person, n),
      unit: finish(this.unit, n),
      date: finish(this.date, n),
      profession: finish(this.prof, n),
      contact: finish(this.contact, n),
      doctor: finish(this.doctor, n),
      booked: finish(this.booked, n),
      ...(this.typed ? { visitType: finish(this.vtype, n) } : {}),
      ...(this.diagnosed ? { diagnoses: { cell: finish(this.dx, n), cells: this.diagnosisCells.list } } : {}),
      line: finish(this.line, n),
    };
  }
}

/**
 * The row handler for visits.csv: the same code reads the whole file, or each part of it when the
 * file is read on two threads.
 */
export function visitReader(
  ctx: FileContext,
  bytes: number,
  unitKeys: ByteKeys,
  persons: PersonIndex,
  doctors: Dictionary,
  seen: UniqueIds,
  v: VisitColumns,
  /** The import: each accepted row's visit and person id texts (LoadOptions.ids). */
  ids?: IdTexts,
): PartReader {
  let c: Record<ColumnName<'visits.csv'>, number>;
  // Visits often come person by person: the last person, unit and doctor save table lookups.
  const lastPerson = new LastField();
  const unitColumn = new UnitColumn(unitKeys);
  const doctorColumn = new InternedColumn(doctors);
  // Each distinct diagnoses cell is kept once: the grouper matches a cell, not every visit.
  const diagnosesColumn = new InternedColumn(v.diagnosisCells);
  return {
    header() {
      c = ctx.columnIndexes('visits.csv');
      v.typed = c.visit_type >= 0;
      v.diagnosed = c.diagnoses >= 0;
    },
    row(row) {
      if (v.n === v.cap) v.grow(nextCapacity(v.n, row.fileOffset, bytes));
      let ok = true;
      const fresh = seen.addField(row, c.visit_id);
      if (fresh === -1) {
        ctx.fail(row, c.visit_id, 'visit_id', 'data.required', 'Värde saknas i visit_id');
        ok = false;
      } else if (fresh === 0) {
        const vid = ctx.text(row, c.visit_id);
        ctx.fail(row, c.visit_id, 'visit_id', 'data.duplicate_key', `Besöket ${vid} finns redan`);
        ok = false;
      }
      let p = -1;
      if (lastPerson.hit(row, c.person_id)) p = lastPerson.value;
      else {
        const key = personRef(ctx, row, c.person_id);
        if (key === -1) ok = false;
        else {
          const k = key === PSEUDONYM ? persons.pseudonym(row, c.person_id, false) : key;
          // A pseudonym not of the shape has its bytes in KEY.
          p = k !== -1 ? persons.getNumber(k) : persons.texts.get(KEY.b, KEY.s, KEY.e, KEY.h);
          lastPerson.remember(row, c.person_id, p);
        }
      }
      const u = unitColumn.of(ctx, row, c.unit_id);
      if (u === -1) ok = false;
      const d = ctx.date(row, c.date, 'date', true);
      const bk = ctx.date(row, c.booked_date, 'booked_date', false);
      if (d < 0 || bk < 0) ok = false;
      const pi = PROFESSION_CODES.index(row, c.profession);
      if (pi === -1) {
        const pv = ctx.text(row, c.profession);
        ctx.fail(
          row,
          c.profession,
          'profession',
          'data.bad_value',
          `Okänd profession "${pv.slice(0, 30)}"; giltiga: ${PROFESSIONS.join(', ')}`,
        );
        ok = false;
      }
      const ci = CONTACT_CODES.index(row, c.contact);
      if (ci === -1) {
        const cv = ctx.text(row, c.contact);
        ctx.fail(
          row,
          c.contact,
          'contact',
          'data.bad_value',
          `Okänd kontakttyp "${cv.slice(0, 30)}"; giltiga: ${CONTACTS.join(', ')}`,
        );
        ok = false;
      }
      let vt = 0;
      if (!ctx.isEmpty(row, c.visit_type)) {
        vt = VISIT_TYPE_CODES.index(row, c.visit_type) + 1;
        if (vt === 0) {
          const tv = ctx.text(row, c.visit_type);
          ctx.fail(
            row,
            c.visit_type,
            'visit_type',
            'data.bad_value',
            `Okänd besökstyp "${tv.slice(0, 30)}"; giltiga: ${VISIT_TYPES.slice(1).join(', ')} eller tomt`,
          );
          ok = false;
        }
      }
      if (!ok) return;
      const n = v.n;
      v.vtype[n] = vt;
      v.person[n] = p;
      v.unit[n] = u;
      v.date[n] = d;
      v.prof[n] = pi;
      v.contact[n] = ci;
      v.doctor[n] = doctorColumn.of(row, c.doctor_id);
      v.dx[n] = diagnosesColumn.of(row, c.diagnoses);
      v.booked[n] = bk;
      v.line[n] = row.line;
      v.n = n + 1;
      if (ids) {
        ids.visitIds.addField(row, c.visit_id);
        ids.visitPersons.addField(row, c.person_id);
      }
    },
  };
}

export /** visits.csv, on two threads when it is large and its ids allow it. */
function readVisits(
  dir: string,
  loaded: Loaded,
  options: LoadOptions,
  unitKeys: ByteKeys,
  units: UnitTable,
  persons: PersonIndex,
  doctors: Dictionary,
): VisitTable {
  const path = join(dir, 'visits.csv');
  const bytes = fileSize(path, options);
  if (readsInTwoParts(bytes, options)) {
    const v = new VisitColumns();
    const seen = new UniqueIds();
    const read = readInTwoParts(
      'visits.csv',
      path,
      bytes,
      loaded,
      options,
      { unitIds: units.id, persons: persons.share() },
      (ctx, total) => visitReader(ctx, total, unitKeys, persons, doctors, seen, v),
      (second) => disjointIds(seen.ascendingRun(), second.ids),
    );
    if (read === 'stopped') return v.table();
    if (read) {
      appendVisits(read, v, doctors);
      return v.table();
    }
    // Read again on this thread, from the start: what the first part added is found again, in order.
  }
  const v = new VisitColumns();
  // Visit ids only need to be unique: checked exactly, without keeping a string per visit.
  const seen = new UniqueIds();
  readFile(dir, 'visits.csv', loaded, options, (ctx, total) =>
    visitReader(ctx, total, unitKeys, persons, doctors, seen, v, options.ids),
  );
  return v.table();
}

/**
 * No visit id of the second part can equal one of the first: both parts are ascending ids of the
 * same shape and the second starts above where the first ended (how exports number their rows).
 */
export function disjointIds(first: AscendingIds | undefined, second: AscendingIds | undefined): boolean {
  if (!first || !second) return false;
  if (first.first === -1 || second.first === -1) return true;
  return JSON.stringify(first.shape) === JSON.stringify(second.shape) && second.first > first.last;
}

export function appendVisits(read: TwoParts, v: VisitColumns, doctors: Dictionary): void {
  const result = read.second;
  const doctorIds = internAll(doctors, result.doctors);
  const cellIds = internAll(v.diagnosisCells, result.diagnosisCells ?? []);
  const doctor = v.int32Part(result.columns, 'doctor');
  const line = v.int32Part(result.columns, 'line');
  const dx = v.int32Part(result.columns, 'dx');
  const m = result.n;
  const n = v.reserve(m);
  v.copy(result.columns, ['person', 'unit', 'date', 'prof', 'contact', 'booked', 'vtype'], m);
  for (let i = 0; i < m; i++) {
    const d = doctor[i]!;
    v.doctor[n + i] = d === -1 ? -1 : doctorIds[d]!;
    v.line[n + i] = line[i]! + read.lineOffset;
    const x = dx[i]!;
    v.dx[n + i] = x === -1 ? -1 : cellIds[x]!;
  }
  v.n = n + m;
}
