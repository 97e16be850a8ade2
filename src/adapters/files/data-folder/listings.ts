import { join } from 'node:path';
import { NO_DATE, OPEN_END } from '../../../core/calendar.js';
import {
  SEX_F,
  SEX_M,
  SEX_UNKNOWN,
  type AreaTable,
  type ListingTable,
  type UnitTable,
} from '../../../core/data/dataset.js';
import type { ColumnName } from '../../../core/data/files.js';
import { ByteKeys, EMPTY_BYTES, KEY, fieldKey, hashBytes } from './byte-keys.js';
import { GrowingColumns, finish, nextCapacity } from './columns.js';
import type { TextArena } from './id-texts.js';
import { Dictionary, InternedColumn, internAll } from './dictionaries.js';
import type { FileContext } from './file-context.js';
import { PSEUDONYM, PSEUDONYM_BASE, PersonLog, personRef, type PersonIndex } from './person-index.js';
import { fileSize, readFile, type Loaded, type LoadOptions, type PartReader } from './read-file.js';
import { readInTwoParts, readsInTwoParts, type TwoParts } from './two-parts.js';
import { UnitColumn } from './units.js';

export function emptyListings(): ListingTable {
  const e = new Int32Array(0);
  return {
    count: 0,
    person: e,
    unit: e,
    doctor: e,
    birth: e,
    sex: new Uint8Array(0),
    area: e,
    from: e,
    to: e,
    riskGroup: e,
    riskGroups: [],
    line: e,
  };
}

/** The listing columns, person, doctor, risk group and line first: the ones a second part's merge rewrites. */
const LISTING_ARRAYS = [
  'person',
  'doctor',
  'risk',
  'line',
  'unit',
  'birth',
  'sex',
  'area',
  'from',
  'to',
] as const;

/** The listing columns being filled, with room to grow. */
export class ListingColumns extends GrowingColumns<(typeof LISTING_ARRAYS)[number]> {
  protected readonly names = LISTING_ARRAYS;
  person = new Int32Array(this.cap);
  unit = new Int32Array(this.cap);
  doctor = new Int32Array(this.cap);
  birth = new Int32Array(this.cap);
  sex = new Uint8Array(this.cap);
  area = new Int32Array(this.cap);
  from = new Int32Array(this.cap);
  to = new Int32Array(this.cap);
  risk = new Int32Array(this.cap);
  line = new Int32Array(this.cap);

  table(riskGroups: string[]): ListingTable {
    const n = this.n;
    return {
      count: n,
      person: finish(this.person, n),
      unit: finish(this.unit, n),
      doctor: finish(this.doctor, n),
      birth: finish(this.birth, n),
      sex: finish(this.sex, n),
      area: finish(this.area, n),
      from: finish(this.from, n),
      to: finish(this.to, n),
      riskGroup: finish(this.risk, n),
      riskGroups,
      line: finish(this.line, n),
    };
  }
}

export interface ListingDeps {
  unitKeys: ByteKeys;
  areaKeys: ByteKeys;
  persons: PersonIndex;
  doctors: Dictionary;
  riskGroups: Dictionary;
  /** In a second part: where new persons' keys are written down. */
  log?: PersonLog;
  /** The import: each accepted row's person id text (LoadOptions.ids). */
  ids?: TextArena;
}

/**
 * The row handler for listings.csv: the same code reads the whole file, or each part of it when the
 * file is read on two threads.
 */
export function listingReader(
  ctx: FileContext,
  bytes: number,
  deps: ListingDeps,
  v: ListingColumns,
): PartReader {
  const { unitKeys, areaKeys, persons, doctors, riskGroups, log, ids } = deps;
  let c: Record<ColumnName<'listings.csv'>, number>;
  const unitColumn = new UnitColumn(unitKeys);
  const doctorColumn = new InternedColumn(doctors);
  return {
    header() {
      c = ctx.columnIndexes('listings.csv');
    },
    row(row) {
      if (v.n === v.cap) v.grow(nextCapacity(v.n, row.fileOffset, bytes));
      let ok = true;
      const key = personRef(ctx, row, c.person_id);
      if (key === -1) ok = false;
      // A pseudonym's key, kept before KEY is reused for the other fields.
      let pseudonymNumber = -1;
      let pb: Buffer = EMPTY_BYTES;
      let ps = 0;
      let pe = 0;
      let ph = 0;
      if (key === PSEUDONYM) {
        pseudonymNumber = persons.pseudonym(row, c.person_id, true);
        if (pseudonymNumber === -1) {
          // Not of the shape: its bytes are in KEY.
          pb = KEY.b;
          ps = KEY.s;
          pe = KEY.e;
          ph = KEY.h;
        }
      }
      const u = unitColumn.of(ctx, row, c.unit_id);
      if (u === -1) ok = false;
      fieldKey(row, c.area);
      const a = areaKeys.get(KEY.b, KEY.s, KEY.e, KEY.h);
      if (a === -1) {
        const areaCode = ctx.text(row, c.area);
        ctx.fail(
          row,
          c.area,
          'area',
          areaCode === '' ? 'data.required' : 'data.unknown_reference',
          areaCode === '' ? 'Värde saknas i area' : `Området ${areaCode} finns inte i areas.csv`,
        );
        ok = false;
      }
      const b = ctx.date(row, c.birth_date, 'birth_date', true);
      const f = ctx.date(row, c.listed_from, 'listed_from', true);
      const t = ctx.date(row, c.listed_to, 'listed_to', false);
      if (b < 0 || f < 0 || t < 0) ok = false;
      if (f > 0 && t > 0 && t <= f) {
        ctx.fail(
          row,
          c.listed_to,
          'listed_to',
          'data.bad_period',
          'listed_to (exklusivt) måste ligga efter listed_from',
        );
        ok = false;
      }
      let s = SEX_UNKNOWN;
      if (!ctx.isEmpty(row, c.sex)) {
        // Not empty: the field is in the row.
        const at = row.start[c.sex]!;
        const one = row.end[c.sex]! - at === 1 && row.escaped[c.sex] === 0 ? row.buf[at] : 0;
        if (one === 0x46) s = SEX_F;
        else if (one === 0x4d) s = SEX_M;
        else {
          const v = ctx.text(row, c.sex);
          if (v === 'F') s = SEX_F;
          else if (v === 'M') s = SEX_M;
          else if (v !== '') {
            ctx.fail(
              row,
              c.sex,
              'sex',
              'data.bad_value',
              `sex ska vara F, M eller tomt, inte "${v.slice(0, 10)}"`,
            );
            ok = false;
          }
        }
      }
      if (!ok) return;
      let p: number;
      if (key !== PSEUDONYM || pseudonymNumber !== -1) {
        const k = key === PSEUDONYM ? pseudonymNumber : key;
        p = persons.getNumber(k);
        if (p === -1) {
          persons.addNumber(k, (p = persons.count++));
          if (log) log.add(k, pb, ps, pe);
        }
      } else {
        p = persons.texts.get(pb, ps, pe, ph);
        if (p === -1) {
          persons.texts.add(pb, ps, pe, ph, (p = persons.count++));
          if (log) log.add(NaN, pb, ps, pe);
        }
      }
      const n = v.n;
      v.person[n] = p;
      v.unit[n] = u;
      v.doctor[n] = doctorColumn.of(row, c.doctor_id);
      v.birth[n] = b;
      v.sex[n] = s;
      v.area[n] = a;
      v.from[n] = f;
      v.to[n] = t === NO_DATE ? OPEN_END : t;
      let r = -1;
      if (!ctx.isEmpty(row, c.risk_group)) {
        fieldKey(row, c.risk_group);
        r = riskGroups.intern();
      }
      v.risk[n] = r;
      v.line[n] = row.line;
      v.n = n + 1;
      if (ids) ids.addField(row, c.person_id);
    },
  };
}

export /** listings.csv, on two threads when it is large. */
function readListings(
  dir: string,
  loaded: Loaded,
  options: LoadOptions,
  unitKeys: ByteKeys,
  units: UnitTable,
  areas: AreaTable,
  persons: PersonIndex,
  doctors: Dictionary,
): ListingTable {
  const path = join(dir, 'listings.csv');
  const riskGroups = new Dictionary([]);
  const deps: ListingDeps = {
    unitKeys,
    areaKeys: ByteKeys.of(areas.code),
    persons,
    doctors,
    riskGroups,
    ids: options.ids?.listingPersons,
  };
  const bytes = fileSize(path, options);
  if (readsInTwoParts(bytes, options)) {
    const v = new ListingColumns();
    const read = readInTwoParts(
      'listings.csv',
      path,
      bytes,
      loaded,
      options,
      { unitIds: units.id, areaCodes: areas.code },
      (ctx, total) => listingReader(ctx, total, deps, v),
      () => true,
    );
    if (read === 'stopped') return v.table(riskGroups.list);
    if (read) {
      appendListings(read, v, persons, doctors, riskGroups);
      return v.table(riskGroups.list);
    }
    // Read again on this thread, from the start: what the first part added is found again, in order.
  }
  const v = new ListingColumns();
  readFile(dir, 'listings.csv', loaded, options, (ctx, total) => listingReader(ctx, total, deps, v));
  return v.table(riskGroups.list);
}

/** The second part's rows after the first part's: persons, doctors and risk groups renumbered. */
export function appendListings(
  read: TwoParts,
  v: ListingColumns,
  persons: PersonIndex,
  doctors: Dictionary,
  riskGroups: Dictionary,
): void {
  const result = read.second;
  const log = result.persons!;
  const sameShape = JSON.stringify(result.personShape) === JSON.stringify(persons.describeShape());
  const prefix = Buffer.from(result.personShape?.prefix ?? []);
  const digits = (result.personShape?.length ?? 0) - prefix.length;
  // New persons of the second part, in order of first appearance: their number here.
  const personIds = new Int32Array(log.n);
  for (let j = 0; j < log.n; j++) {
    let k = log.numbers[j]!;
    let bytes: Buffer;
    if (Number.isNaN(k)) bytes = Buffer.from(log.arena.subarray(log.offsets[j], log.offsets[j + 1]));
    else if (k < PSEUDONYM_BASE || sameShape) bytes = EMPTY_BYTES;
    else bytes = Buffer.concat([prefix, Buffer.from(String(k - PSEUDONYM_BASE).padStart(digits, '0'))]);
    if (bytes.length > 0 || Number.isNaN(k)) k = persons.keyOfBytes(bytes, true);
    let p: number;
    if (k !== -1) {
      p = persons.getNumber(k);
      if (p === -1) persons.addNumber(k, (p = persons.count++));
    } else {
      const h = hashBytes(bytes, 0, bytes.length);
      p = persons.texts.get(bytes, 0, bytes.length, h);
      if (p === -1) persons.texts.add(bytes, 0, bytes.length, h, (p = persons.count++));
    }
    personIds[j] = p;
  }
  const doctorIds = internAll(doctors, result.doctors);
  const riskIds = internAll(riskGroups, result.riskGroups ?? []);
  const person = v.int32Part(result.columns, 'person');
  const doctor = v.int32Part(result.columns, 'doctor');
  const risk = v.int32Part(result.columns, 'risk');
  const line = v.int32Part(result.columns, 'line');
  const m = result.n;
  const n = v.reserve(m);
  v.copy(result.columns, ['unit', 'birth', 'sex', 'area', 'from', 'to'], m);
  for (let i = 0; i < m; i++) {
    v.person[n + i] = personIds[person[i]!]!;
    const d = doctor[i]!;
    v.doctor[n + i] = d === -1 ? -1 : doctorIds[d]!;
    const r = risk[i]!;
    v.risk[n + i] = r === -1 ? -1 : riskIds[r]!;
    v.line[n + i] = line[i]! + read.lineOffset;
  }
  v.n = n + m;
}
