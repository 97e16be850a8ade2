import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OPEN_END, NO_DATE, isValidYmd } from '../../core/calendar.js';
import {
  OWNERSHIP_CODES,
  SEX_F,
  SEX_M,
  SEX_UNKNOWN,
  emptyEvents,
  emptyIndicators,
  type AreaTable,
  type DataSet,
  type EventTable,
  type IndicatorTable,
  type InputFile,
  type ListingTable,
  type UnitTable,
  type VisitTable,
} from '../../core/data/dataset.js';
import { checkOrganisationNumber, luhnValid } from '../../core/identity.js';
import { CONTACTS, PROFESSIONS } from '../../core/rulebook/schema.js';
import { CsvSyntaxError, fieldColumn, fieldText, tokenizeCsvFile, type CsvRow } from './csv-tokenizer.js';
import { InputErrors, type LocatedError } from './located-error.js';

/**
 * Reads a data folder (spec/data-exchange.md) into columnar tables. Every error is located as
 * file:line:column; all errors of a file are reported (up to MAX_ERRORS_PER_FILE) and nothing is
 * returned from a folder with errors. Identity numbers never appear in a message.
 */

export const MAX_ERRORS_PER_FILE = 200;
export const DATA_FILES = [
  'units.csv',
  'areas.csv',
  'listings.csv',
  'visits.csv',
  'indicators.csv',
  'events.csv',
] as const;
export type DataFileName = (typeof DATA_FILES)[number];

const REQUIRED: Record<DataFileName, string[]> = {
  'units.csv': ['unit_id', 'provider_id', 'name', 'ownership', 'start_date'],
  'areas.csv': ['area'],
  'listings.csv': ['person_id', 'unit_id', 'birth_date', 'sex', 'area', 'listed_from'],
  'visits.csv': ['visit_id', 'person_id', 'unit_id', 'date', 'profession', 'contact'],
  'indicators.csv': ['unit_id', 'indicator', 'period_from', 'period_to', 'numerator', 'denominator'],
  'events.csv': ['event_id', 'unit_id', 'event_type', 'date'],
};

export interface LoadOptions {
  /** Files the caller needs; a missing one among them is an error. Default: units, areas, listings. */
  require?: DataFileName[];
  onProgress?: (file: string, bytesDone: number, bytesTotal: number) => void;
}

class Growable {
  static int(n: number): Int32Array {
    return new Int32Array(Math.max(16, n));
  }
}
function grow<T extends Int32Array | Uint8Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as { new (n: number): T })(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Per file: the header's column positions and the errors found so far. */
class FileContext {
  readonly errors: LocatedError[] = [];
  errorCount = 0;
  private readonly index = new Map<string, number>();
  decimalComma = false;
  constructor(readonly file: string) {}

  header(names: string[], delimiter: ',' | ';', required: string[]): boolean {
    names.forEach((n, i) => {
      const key = n.toLowerCase();
      if (!this.index.has(key)) this.index.set(key, i);
    });
    this.decimalComma = delimiter === ';';
    let ok = true;
    for (const r of required) {
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
    return col < 0 || col >= row.count || row.end[col] === row.start[col];
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
    const b = row.buf;
    const s = row.start[col];
    if (row.end[col] - s === 10 && b[s + 4] === 0x2d && b[s + 7] === 0x2d) {
      const y = digits(b, s, 4);
      const m = digits(b, s + 5, 2);
      const d = digits(b, s + 8, 2);
      if (y >= 0 && m >= 0 && d >= 0 && isValidYmd(y, m, d)) return y * 10000 + m * 100 + d;
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

function digits(b: Buffer, s: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = b[s + i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * A person id straight from bytes: identity numbers (12 digits or YYYYMMDD-NNNN) become a number
 * key after the Luhn and date checks; anything else is a pseudonym kept as text.
 * Returns undefined (after reporting) for an invalid identity number.
 */
function personKey(ctx: FileContext, row: CsvRow, col: number): number | string | undefined {
  const b = row.buf;
  const s = row.start[col];
  const len = row.end[col] - s;
  if (len === 12 || (len === 13 && b[s + 8] === 0x2d)) {
    const left = digits(b, s, 8);
    const right = digits(b, s + len - 4, 4);
    if (left >= 0 && right >= 0) {
      const ten = String(left % 1_000_000).padStart(6, '0') + String(right).padStart(4, '0');
      const year = Math.floor(left / 10000);
      const month = Math.floor(left / 100) % 100;
      const day = left % 100;
      if (!luhnValid(ten)) {
        ctx.fail(
          row,
          col,
          'person_id',
          'data.bad_identity',
          'Personnumret/samordningsnumret har fel kontrollsiffra (Luhn); numret visas inte av integritetsskäl',
        );
        return undefined;
      }
      if (!isValidYmd(year, month, day > 60 ? day - 60 : day)) {
        ctx.fail(
          row,
          col,
          'person_id',
          'data.bad_identity',
          'Personnumret/samordningsnumret har inget giltigt födelsedatum; numret visas inte av integritetsskäl',
        );
        return undefined;
      }
      return left * 10000 + right;
    }
  }
  if (len === 0) {
    ctx.fail(row, col, 'person_id', 'data.required', 'Värde saknas i person_id');
    return undefined;
  }
  return ctx.text(row, col);
}

function enumIndex(values: readonly string[]): Map<string, number> {
  return new Map(values.map((v, i) => [v, i]));
}
const PROFESSION_INDEX = enumIndex(PROFESSIONS);
const CONTACT_INDEX = enumIndex(CONTACTS);
const OWNERSHIP_INDEX = enumIndex(OWNERSHIP_CODES);

function intern(map: Map<string, number>, list: string[], value: string): number {
  let i = map.get(value);
  if (i === undefined) {
    i = list.length;
    list.push(value);
    map.set(value, i);
  }
  return i;
}

interface Loaded {
  files: InputFile[];
  errors: LocatedError[];
  truncated: { file: string; count: number }[];
}

function readFile(
  dir: string,
  file: DataFileName,
  loaded: Loaded,
  options: LoadOptions,
  body: (ctx: FileContext) => {
    header: (names: string[]) => void;
    row: (row: CsvRow) => void;
  },
): boolean {
  const path = join(dir, file);
  const ctx = new FileContext(file);
  const handlers = body(ctx);
  let headerOk = true;
  const total = statSync(path).size;
  let done = 0;
  let lastReport = 0;
  try {
    const result = tokenizeCsvFile(path, {
      onHeader(names, delimiter) {
        if (names.length === 0) {
          ctx.add({
            file,
            line: 1,
            column: 1,
            code: 'data.empty_file',
            message: 'Filen är tom: rubrikraden saknas',
          });
          headerOk = false;
          return;
        }
        headerOk = ctx.header(names, delimiter, REQUIRED[file]);
        if (headerOk) handlers.header(names);
      },
      onRow(row) {
        if (!headerOk) return;
        handlers.row(row);
        if (options.onProgress) {
          done = row.start[0];
          if (done - lastReport > 64 * 1024 * 1024 || done < lastReport) {
            lastReport = done;
            options.onProgress(file, done, total);
          }
        }
      },
    });
    loaded.files.push({ name: file, sha256: result.sha256, rows: result.rows });
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    ctx.add({ file, line: error.line, code: 'data.csv_syntax', message: error.message });
  }
  loaded.errors.push(...ctx.errors);
  if (ctx.errorCount > ctx.errors.length)
    loaded.truncated.push({ file, count: ctx.errorCount - ctx.errors.length });
  return ctx.errorCount === 0;
}

export function loadDataFolder(dir: string, options: LoadOptions = {}): DataSet {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputErrors([{ file: dir, code: 'data.no_folder', message: 'Datamappen finns inte' }]);
  }
  const required = new Set<DataFileName>(options.require ?? ['units.csv', 'areas.csv', 'listings.csv']);
  required.add('units.csv');
  const loaded: Loaded = { files: [], errors: [], truncated: [] };
  const present = (f: DataFileName): boolean => existsSync(join(dir, f));
  for (const f of DATA_FILES) {
    if (required.has(f) && !present(f))
      loaded.errors.push({
        file: f,
        code: 'data.missing_file',
        message: `Filen ${f} saknas i datamappen ${dir}`,
      });
  }
  if (loaded.errors.length > 0) throw new InputErrors(loaded.errors);

  const areas = present('areas.csv') ? readAreas(dir, loaded, options) : emptyAreas();
  const units = readUnits(dir, loaded, options);
  const persons = { numeric: new Map<number, number>(), text: new Map<string, number>(), count: 0 };
  const doctors: string[] = [];
  const doctorIndex = new Map<string, number>();
  const listings = present('listings.csv')
    ? readListings(dir, loaded, options, units, areas, persons, doctors, doctorIndex)
    : emptyListings();
  const visits = present('visits.csv')
    ? readVisits(dir, loaded, options, units, persons, doctors, doctorIndex)
    : emptyVisits();
  const indicators = present('indicators.csv')
    ? readIndicators(dir, loaded, options, units)
    : emptyIndicators();
  const events = present('events.csv') ? readEvents(dir, loaded, options, units) : emptyEvents();

  if (loaded.errors.length > 0) {
    const extra = loaded.truncated.map((t) => ({
      file: t.file,
      code: 'data.more_errors',
      message: `ytterligare ${t.count} fel i filen visas inte`,
    }));
    throw new InputErrors(
      [...loaded.errors, ...extra],
      `Datamappen ${dir} innehåller fel; inget har beräknats`,
    );
  }
  loaded.files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    units,
    areas,
    listings,
    visits,
    indicators,
    events,
    personCount: persons.count,
    doctors,
    files: loaded.files,
  };
}

function emptyAreas(): AreaTable {
  return {
    count: 0,
    code: [],
    kommun: [],
    cni: new Float64Array(0),
    ruralClass: new Int32Array(0),
    ruralClasses: [],
    hospitalKm: new Float64Array(0),
    line: new Int32Array(0),
  };
}
function emptyListings(): ListingTable {
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
function emptyVisits(): VisitTable {
  const e = new Int32Array(0);
  const u = new Uint8Array(0);
  return { count: 0, person: e, unit: e, date: e, profession: u, contact: u, doctor: e, booked: e, line: e };
}

function readAreas(dir: string, loaded: Loaded, options: LoadOptions): AreaTable {
  const t = emptyAreas();
  const index = new Map<string, number>();
  const classIndex = new Map<string, number>();
  const cni: number[] = [];
  const km: number[] = [];
  const cls: number[] = [];
  const lines: number[] = [];
  readFile(dir, 'areas.csv', loaded, options, (ctx) => {
    let c = { area: -1, kommun: -1, cni: -1, rural: -1, km: -1 };
    return {
      header() {
        c = {
          area: ctx.col('area'),
          kommun: ctx.col('kommun'),
          cni: ctx.col('cni'),
          rural: ctx.col('rural_class'),
          km: ctx.col('hospital_km'),
        };
      },
      row(row) {
        const code = ctx.requiredText(row, c.area, 'area');
        if (code === undefined) return;
        if (index.has(code)) {
          ctx.fail(
            row,
            c.area,
            'area',
            'data.duplicate_key',
            `Området ${code} finns redan på rad ${t.line[index.get(code)!] || lines[index.get(code)!]}`,
          );
          return;
        }
        index.set(code, t.code.length);
        t.code.push(code);
        t.kommun.push(ctx.text(row, c.kommun));
        cni.push(ctx.number(row, c.cni, 'cni', false));
        km.push(ctx.number(row, c.km, 'hospital_km', false));
        const rc = ctx.text(row, c.rural);
        cls.push(rc === '' ? -1 : intern(classIndex, t.ruralClasses, rc));
        lines.push(row.line);
      },
    };
  });
  t.count = t.code.length;
  t.cni = Float64Array.from(cni);
  t.hospitalKm = Float64Array.from(km);
  t.ruralClass = Int32Array.from(cls);
  t.line = Int32Array.from(lines);
  areaIndexes.set(t, index);
  return t;
}

/** Code → index maps kept beside the tables while loading (the engine needs only the tables). */
const areaIndexes = new WeakMap<AreaTable, Map<string, number>>();
const unitIndexes = new WeakMap<UnitTable, Map<string, number>>();

export function unitIndexOf(units: UnitTable): Map<string, number> {
  let m = unitIndexes.get(units);
  if (!m) {
    m = new Map(units.id.map((id, i) => [id, i]));
    unitIndexes.set(units, m);
  }
  return m;
}

function readUnits(dir: string, loaded: Loaded, options: LoadOptions): UnitTable {
  const t: UnitTable = {
    count: 0,
    id: [],
    providerId: [],
    name: [],
    ownership: new Uint8Array(0),
    kommun: [],
    start: new Int32Array(0),
    end: new Int32Array(0),
    branchOf: new Int32Array(0),
    extra: new Map(),
    line: new Int32Array(0),
  };
  const index = new Map<string, number>();
  const own: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const lines: number[] = [];
  const branchRefs: { row: number; ref: string; line: number; column: number }[] = [];
  const ctxHolder: { ctx?: FileContext } = {};
  readFile(dir, 'units.csv', loaded, options, (ctx) => {
    ctxHolder.ctx = ctx;
    const standard = new Set([
      'unit_id',
      'provider_id',
      'name',
      'ownership',
      'kommun',
      'start_date',
      'end_date',
      'branch_of',
    ]);
    const c: Record<string, number> = {};
    let extraCols: [string, number][] = [];
    return {
      header() {
        for (const k of standard) c[k] = ctx.col(k);
        extraCols = ctx
          .columns()
          .filter((k) => !standard.has(k))
          .map((k) => [k, ctx.col(k)]);
        for (const [k] of extraCols) t.extra.set(k, []);
      },
      row(row) {
        const id = ctx.requiredText(row, c.unit_id, 'unit_id');
        const provider = ctx.requiredText(row, c.provider_id, 'provider_id');
        const name = ctx.requiredText(row, c.name, 'name');
        const ownership = ctx.text(row, c.ownership);
        const o = OWNERSHIP_INDEX.get(ownership);
        if (o === undefined)
          ctx.fail(
            row,
            c.ownership,
            'ownership',
            'data.bad_value',
            `ownership ska vara public, private eller nonprofit, inte "${ownership}"`,
          );
        if (provider !== undefined && !checkOrganisationNumber(provider)) {
          ctx.fail(
            row,
            c.provider_id,
            'provider_id',
            'data.bad_orgnr',
            `Organisationsnumret ${provider} har fel kontrollsiffra`,
          );
        }
        const s = ctx.date(row, c.start_date, 'start_date', true);
        const e = ctx.date(row, c.end_date, 'end_date', false);
        if (s > 0 && e > 0 && e < s)
          ctx.fail(row, c.end_date, 'end_date', 'data.bad_period', 'end_date ligger före start_date');
        if (id === undefined) return;
        if (index.has(id)) {
          ctx.fail(
            row,
            c.unit_id,
            'unit_id',
            'data.duplicate_key',
            `Enheten ${id} finns redan på rad ${lines[index.get(id)!]}`,
          );
          return;
        }
        index.set(id, t.id.length);
        t.id.push(id);
        t.providerId.push(provider ?? '');
        t.name.push(name ?? '');
        own.push(o ?? 0);
        t.kommun.push(ctx.text(row, c.kommun));
        start.push(s);
        end.push(e === NO_DATE ? OPEN_END : e);
        lines.push(row.line);
        const ref = ctx.text(row, c.branch_of);
        if (ref !== '')
          branchRefs.push({
            row: t.id.length - 1,
            ref,
            line: row.line,
            column: fieldColumn(row, c.branch_of),
          });
        for (const [k, col] of extraCols) t.extra.get(k)!.push(ctx.text(row, col));
      },
    };
  });
  t.count = t.id.length;
  t.ownership = Uint8Array.from(own);
  t.start = Int32Array.from(start);
  t.end = Int32Array.from(end);
  t.line = Int32Array.from(lines);
  t.branchOf = new Int32Array(t.count).fill(-1);
  for (const b of branchRefs) {
    const target = index.get(b.ref);
    if (target === undefined) {
      loaded.errors.push({
        file: 'units.csv',
        line: b.line,
        column: b.column,
        where: 'branch_of',
        code: 'data.unknown_reference',
        message: `branch_of: enheten ${b.ref} finns inte i units.csv`,
      });
    } else t.branchOf[b.row] = target;
  }
  unitIndexes.set(t, index);
  return t;
}

interface Persons {
  numeric: Map<number, number>;
  text: Map<string, number>;
  count: number;
}

function readListings(
  dir: string,
  loaded: Loaded,
  options: LoadOptions,
  units: UnitTable,
  areas: AreaTable,
  persons: Persons,
  doctors: string[],
  doctorIndex: Map<string, number>,
): ListingTable {
  const unitIndex = unitIndexOf(units);
  const areaIndex = areaIndexes.get(areas) ?? new Map<string, number>();
  let n = 0;
  let cap = 1 << 16;
  let person = Growable.int(cap);
  let unit = Growable.int(cap);
  let doctor = Growable.int(cap);
  let birth = Growable.int(cap);
  let sex = new Uint8Array(cap);
  let area = Growable.int(cap);
  let from = Growable.int(cap);
  let to = Growable.int(cap);
  let risk = Growable.int(cap);
  let line = Growable.int(cap);
  const riskGroups: string[] = [];
  const riskIndex = new Map<string, number>();
  readFile(dir, 'listings.csv', loaded, options, (ctx) => {
    const c: Record<string, number> = {};
    return {
      header() {
        for (const k of [
          'person_id',
          'unit_id',
          'doctor_id',
          'birth_date',
          'sex',
          'area',
          'listed_from',
          'listed_to',
          'risk_group',
        ])
          c[k] = ctx.col(k);
      },
      row(row) {
        if (n === cap) {
          cap *= 2;
          person = grow(person, cap);
          unit = grow(unit, cap);
          doctor = grow(doctor, cap);
          birth = grow(birth, cap);
          sex = grow(sex, cap);
          area = grow(area, cap);
          from = grow(from, cap);
          to = grow(to, cap);
          risk = grow(risk, cap);
          line = grow(line, cap);
        }
        let ok = true;
        const key = personKey(ctx, row, c.person_id);
        if (key === undefined) ok = false;
        const unitId = ctx.text(row, c.unit_id);
        const u = unitIndex.get(unitId);
        if (u === undefined) {
          ctx.fail(
            row,
            c.unit_id,
            'unit_id',
            unitId === '' ? 'data.required' : 'data.unknown_reference',
            unitId === '' ? 'Värde saknas i unit_id' : `Enheten ${unitId} finns inte i units.csv`,
          );
          ok = false;
        }
        const areaCode = ctx.text(row, c.area);
        const a = areaIndex.get(areaCode);
        if (a === undefined) {
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
        if (!ok) return;
        let p: number | undefined;
        if (typeof key === 'number') {
          p = persons.numeric.get(key);
          if (p === undefined) persons.numeric.set(key, (p = persons.count++));
        } else {
          p = persons.text.get(key!);
          if (p === undefined) persons.text.set(key!, (p = persons.count++));
        }
        person[n] = p;
        unit[n] = u!;
        const d = ctx.isEmpty(row, c.doctor_id)
          ? -1
          : intern(doctorIndex, doctors, ctx.text(row, c.doctor_id));
        doctor[n] = d;
        birth[n] = b;
        sex[n] = s;
        area[n] = a!;
        from[n] = f;
        to[n] = t === NO_DATE ? OPEN_END : t;
        risk[n] = ctx.isEmpty(row, c.risk_group)
          ? -1
          : intern(riskIndex, riskGroups, ctx.text(row, c.risk_group));
        line[n] = row.line;
        n++;
      },
    };
  });
  return {
    count: n,
    person: person.slice(0, n),
    unit: unit.slice(0, n),
    doctor: doctor.slice(0, n),
    birth: birth.slice(0, n),
    sex: sex.slice(0, n),
    area: area.slice(0, n),
    from: from.slice(0, n),
    to: to.slice(0, n),
    riskGroup: risk.slice(0, n),
    riskGroups,
    line: line.slice(0, n),
  };
}

function readVisits(
  dir: string,
  loaded: Loaded,
  options: LoadOptions,
  units: UnitTable,
  persons: Persons,
  doctors: string[],
  doctorIndex: Map<string, number>,
): VisitTable {
  const unitIndex = unitIndexOf(units);
  let n = 0;
  let cap = 1 << 16;
  let person = Growable.int(cap);
  let unit = Growable.int(cap);
  let date = Growable.int(cap);
  let prof = new Uint8Array(cap);
  let contact = new Uint8Array(cap);
  let doctor = Growable.int(cap);
  let booked = Growable.int(cap);
  let line = Growable.int(cap);
  // Visit ids only need to be unique; a Set of the text is the honest check.
  const seen = new Set<string>();
  readFile(dir, 'visits.csv', loaded, options, (ctx) => {
    const c: Record<string, number> = {};
    return {
      header() {
        for (const k of [
          'visit_id',
          'person_id',
          'unit_id',
          'date',
          'profession',
          'contact',
          'doctor_id',
          'booked_date',
        ])
          c[k] = ctx.col(k);
      },
      row(row) {
        if (n === cap) {
          cap *= 2;
          person = grow(person, cap);
          unit = grow(unit, cap);
          date = grow(date, cap);
          prof = grow(prof, cap);
          contact = grow(contact, cap);
          doctor = grow(doctor, cap);
          booked = grow(booked, cap);
          line = grow(line, cap);
        }
        let ok = true;
        const vid = ctx.requiredText(row, c.visit_id, 'visit_id');
        if (vid === undefined) ok = false;
        else if (seen.has(vid)) {
          ctx.fail(row, c.visit_id, 'visit_id', 'data.duplicate_key', `Besöket ${vid} finns redan`);
          ok = false;
        } else seen.add(vid);
        const key = personKey(ctx, row, c.person_id);
        if (key === undefined) ok = false;
        const unitId = ctx.text(row, c.unit_id);
        const u = unitIndex.get(unitId);
        if (u === undefined) {
          ctx.fail(
            row,
            c.unit_id,
            'unit_id',
            'data.unknown_reference',
            unitId === '' ? 'Värde saknas i unit_id' : `Enheten ${unitId} finns inte i units.csv`,
          );
          ok = false;
        }
        const d = ctx.date(row, c.date, 'date', true);
        const bk = ctx.date(row, c.booked_date, 'booked_date', false);
        if (d < 0 || bk < 0) ok = false;
        const pv = ctx.text(row, c.profession);
        const pi = PROFESSION_INDEX.get(pv);
        if (pi === undefined) {
          ctx.fail(
            row,
            c.profession,
            'profession',
            'data.bad_value',
            `Okänd profession "${pv.slice(0, 30)}"; giltiga: ${PROFESSIONS.join(', ')}`,
          );
          ok = false;
        }
        const cv = ctx.text(row, c.contact);
        const ci = CONTACT_INDEX.get(cv);
        if (ci === undefined) {
          ctx.fail(
            row,
            c.contact,
            'contact',
            'data.bad_value',
            `Okänd kontakttyp "${cv.slice(0, 30)}"; giltiga: ${CONTACTS.join(', ')}`,
          );
          ok = false;
        }
        if (!ok) return;
        const p = typeof key === 'number' ? persons.numeric.get(key) : persons.text.get(key!);
        person[n] = p ?? -1;
        unit[n] = u!;
        date[n] = d;
        prof[n] = pi!;
        contact[n] = ci!;
        doctor[n] = ctx.isEmpty(row, c.doctor_id)
          ? -1
          : intern(doctorIndex, doctors, ctx.text(row, c.doctor_id));
        booked[n] = bk;
        line[n] = row.line;
        n++;
      },
    };
  });
  return {
    count: n,
    person: person.slice(0, n),
    unit: unit.slice(0, n),
    date: date.slice(0, n),
    profession: prof.slice(0, n),
    contact: contact.slice(0, n),
    doctor: doctor.slice(0, n),
    booked: booked.slice(0, n),
    line: line.slice(0, n),
  };
}

function readIndicators(dir: string, loaded: Loaded, options: LoadOptions, units: UnitTable): IndicatorTable {
  const unitIndex = unitIndexOf(units);
  const rows: { u: number; i: number; f: number; t: number; num: number; den: number; line: number }[] = [];
  const indicators: string[] = [];
  const indIndex = new Map<string, number>();
  const keys = new Map<string, number>();
  readFile(dir, 'indicators.csv', loaded, options, (ctx) => {
    const c: Record<string, number> = {};
    return {
      header() {
        for (const k of REQUIRED['indicators.csv']) c[k] = ctx.col(k);
      },
      row(row) {
        const unitId = ctx.text(row, c.unit_id);
        const u = unitIndex.get(unitId);
        if (u === undefined)
          ctx.fail(
            row,
            c.unit_id,
            'unit_id',
            'data.unknown_reference',
            `Enheten ${unitId} finns inte i units.csv`,
          );
        const name = ctx.requiredText(row, c.indicator, 'indicator');
        const f = ctx.date(row, c.period_from, 'period_from', true);
        const t = ctx.date(row, c.period_to, 'period_to', true);
        const num = ctx.number(row, c.numerator, 'numerator', true);
        const den = ctx.number(row, c.denominator, 'denominator', true);
        if (f > 0 && t > 0 && t < f)
          ctx.fail(row, c.period_to, 'period_to', 'data.bad_period', 'period_to ligger före period_from');
        if (u === undefined || name === undefined || f < 0 || t < 0 || Number.isNaN(num) || Number.isNaN(den))
          return;
        const key = `${unitId}\u0000${name}\u0000${f}\u0000${t}`;
        if (keys.has(key)) {
          ctx.fail(
            row,
            c.indicator,
            'indicator',
            'data.duplicate_key',
            `Indikatorn ${name} för ${unitId} och perioden finns redan på rad ${keys.get(key)}`,
          );
          return;
        }
        keys.set(key, row.line);
        rows.push({ u, i: intern(indIndex, indicators, name), f, t, num, den, line: row.line });
      },
    };
  });
  return {
    count: rows.length,
    unit: Int32Array.from(rows, (r) => r.u),
    indicator: Int32Array.from(rows, (r) => r.i),
    indicators,
    from: Int32Array.from(rows, (r) => r.f),
    to: Int32Array.from(rows, (r) => r.t),
    numerator: Float64Array.from(rows, (r) => r.num),
    denominator: Float64Array.from(rows, (r) => r.den),
    line: Int32Array.from(rows, (r) => r.line),
  };
}

function readEvents(dir: string, loaded: Loaded, options: LoadOptions, units: UnitTable): EventTable {
  const unitIndex = unitIndexOf(units);
  const rows: { u: number; t: number; d: number; line: number }[] = [];
  const types: string[] = [];
  const typeIndex = new Map<string, number>();
  const ids = new Set<string>();
  readFile(dir, 'events.csv', loaded, options, (ctx) => {
    const c: Record<string, number> = {};
    return {
      header() {
        for (const k of REQUIRED['events.csv']) c[k] = ctx.col(k);
        c.person_id = ctx.col('person_id');
      },
      row(row) {
        const id = ctx.requiredText(row, c.event_id, 'event_id');
        if (id !== undefined && ids.has(id)) {
          ctx.fail(row, c.event_id, 'event_id', 'data.duplicate_key', `Händelsen ${id} finns redan`);
          return;
        }
        if (id !== undefined) ids.add(id);
        const unitId = ctx.text(row, c.unit_id);
        const u = unitIndex.get(unitId);
        if (u === undefined)
          ctx.fail(
            row,
            c.unit_id,
            'unit_id',
            'data.unknown_reference',
            `Enheten ${unitId} finns inte i units.csv`,
          );
        const type = ctx.requiredText(row, c.event_type, 'event_type');
        const d = ctx.date(row, c.date, 'date', true);
        if (!ctx.isEmpty(row, c.person_id) && personKey(ctx, row, c.person_id) === undefined) return;
        if (id === undefined || u === undefined || type === undefined || d < 0) return;
        rows.push({ u, t: intern(typeIndex, types, type), d, line: row.line });
      },
    };
  });
  return {
    count: rows.length,
    unit: Int32Array.from(rows, (r) => r.u),
    type: Int32Array.from(rows, (r) => r.t),
    types,
    date: Int32Array.from(rows, (r) => r.d),
    line: Int32Array.from(rows, (r) => r.line),
  };
}
