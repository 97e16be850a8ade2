import { NO_DATE, OPEN_END, parseDate, type DateInt } from '../calendar.js';
import {
  OWNERSHIP_CODES,
  SEX_F,
  SEX_M,
  SEX_UNKNOWN,
  VISIT_TYPES,
  type DataSet,
  type UnitTable,
} from '../data/dataset.js';
import { CONTACTS, PROFESSIONS } from '../rulebook/schema.js';

/**
 * A month's input built in memory, for the core's tests: rows as plain objects in, the engine's
 * columnar tables out, with no files and no loader in between. The loader's own tests check that
 * reading the same rows from CSV files gives the same tables (data-folder.test.ts), so what the
 * core is tested on is what a region's files give.
 */

export interface UnitRow {
  id: string;
  provider?: string;
  name?: string;
  ownership?: (typeof OWNERSHIP_CODES)[number];
  kommun?: string;
  area?: string;
  services?: string[];
  start?: string;
  end?: string;
  branchOf?: string;
  /** Other columns (st_fte, sabo_places, …) as written. */
  extra?: Record<string, string>;
}

export interface AreaRow {
  code: string;
  kommun?: string;
  cni?: number;
  ruralClass?: string;
  hospitalKm?: number;
}

export interface ListingRow {
  person: string;
  unit: string;
  doctor?: string;
  birth: string;
  sex?: 'F' | 'M';
  area: string;
  from: string;
  /** Exclusive, as listed_to is in listings.csv. */
  to?: string;
  riskGroup?: string;
}

export interface VisitRow {
  person: string;
  unit: string;
  date: string;
  profession: (typeof PROFESSIONS)[number];
  contact: (typeof CONTACTS)[number];
  doctor?: string;
  booked?: string;
  /** ICD-10 codes separated by `|`, as the cell is written. */
  diagnoses?: string;
  visitType?: (typeof VISIT_TYPES)[number];
}

export interface IndicatorRow {
  unit: string;
  indicator: string;
  from: string;
  to: string;
  numerator: number;
  denominator: number;
}

export interface EventRow {
  unit: string;
  type: string;
  date: string;
}

export interface DataRows {
  units: UnitRow[];
  areas?: AreaRow[];
  listings?: ListingRow[];
  visits?: VisitRow[];
  indicators?: IndicatorRow[];
  events?: EventRow[];
  /** Whether visits have the optional columns, when no row sets them (a file with an empty column). */
  visitColumns?: { visitType?: boolean; diagnoses?: boolean };
}

function day(text: string | undefined, what: string): DateInt {
  if (text === undefined || text === '') return NO_DATE;
  const d = parseDate(text);
  if (d === undefined) throw new Error(`${what}: "${text}" är inget datum (ÅÅÅÅ-MM-DD)`);
  return d;
}

/** A code's index in its list of valid codes; an unknown code is an error, as the loader makes it. */
function codeOf(codes: readonly string[], code: string, what: string): number {
  const i = codes.indexOf(code);
  if (i === -1) throw new Error(`${what}: okänd kod "${code}"; giltiga: ${codes.join(', ')}`);
  return i;
}

/** Codes to indexes in the order they first appear, as the loader's dictionaries number them. */
class Codes {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(initial: readonly string[] = []) {
    for (const c of initial) this.of(c);
  }
  of(code: string): number {
    let i = this.index.get(code);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(code, i);
      this.list.push(code);
    }
    return i;
  }
  /** The code's index, or -1. */
  get(code: string): number {
    return this.index.get(code) ?? -1;
  }
  find(code: string, what: string): number {
    const i = this.index.get(code);
    if (i === undefined) throw new Error(`${what}: ${code} finns inte`);
    return i;
  }
}

function unitTable(rows: UnitRow[]): { table: UnitTable; codes: Codes } {
  const codes = new Codes(rows.map((u) => u.id));
  if (codes.list.length !== rows.length) throw new Error('units: samma unit_id två gånger');
  const extraKeys = [...new Set(rows.flatMap((u) => Object.keys(u.extra ?? {})))];
  const table: UnitTable = {
    count: rows.length,
    id: rows.map((u) => u.id),
    providerId: rows.map((u) => u.provider ?? '5560160680'),
    name: rows.map((u) => u.name ?? u.id),
    ownership: Uint8Array.from(rows, (u) =>
      codeOf(OWNERSHIP_CODES, u.ownership ?? 'private', 'units ownership'),
    ),
    kommun: rows.map((u) => u.kommun ?? ''),
    area: rows.map((u) => u.area ?? ''),
    services: rows.map((u) => u.services ?? []),
    start: Int32Array.from(rows, (u) => day(u.start ?? '2020-01-01', `units ${u.id} start_date`)),
    end: Int32Array.from(rows, (u) => (u.end ? day(u.end, `units ${u.id} end_date`) : OPEN_END)),
    branchOf: Int32Array.from(rows, (u) => (u.branchOf ? codes.find(u.branchOf, 'units branch_of') : -1)),
    extra: new Map(extraKeys.map((k) => [k, rows.map((u) => u.extra?.[k] ?? '')])),
    line: Int32Array.from(rows, (_, i) => i + 2),
  };
  return { table, codes };
}

/** The DataSet for the rows; an unknown unit, area or date is an error naming the row's file. */
export function buildDataSet(rows: DataRows): DataSet {
  const { table: units, codes: unitCodes } = unitTable(rows.units);
  const areaRows = rows.areas ?? [];
  const areaCodes = new Codes(areaRows.map((a) => a.code));
  const ruralClasses = new Codes();
  const listings = rows.listings ?? [];
  const visits = rows.visits ?? [];
  const indicators = rows.indicators ?? [];
  const events = rows.events ?? [];
  const persons = new Codes();
  const doctors = new Codes();
  const riskGroups = new Codes();
  const indicatorCodes = new Codes();
  const eventTypes = new Codes();
  const diagnosisCells = new Codes();
  const lines = (n: number) => Int32Array.from({ length: n }, (_, i) => i + 2);
  const unit = (id: string, file: string) => unitCodes.find(id, `${file} unit_id`);
  const typed = rows.visitColumns?.visitType ?? visits.some((v) => v.visitType !== undefined);
  const diagnosed = rows.visitColumns?.diagnoses ?? visits.some((v) => v.diagnoses !== undefined);
  const listingPerson = Int32Array.from(listings, (l) => persons.of(l.person));
  return {
    units,
    areas: {
      count: areaRows.length,
      code: areaRows.map((a) => a.code),
      kommun: areaRows.map((a) => a.kommun ?? ''),
      cni: Float64Array.from(areaRows, (a) => a.cni ?? NaN),
      ruralClass: Int32Array.from(areaRows, (a) => (a.ruralClass ? ruralClasses.of(a.ruralClass) : -1)),
      ruralClasses: ruralClasses.list,
      hospitalKm: Float64Array.from(areaRows, (a) => a.hospitalKm ?? NaN),
      line: lines(areaRows.length),
    },
    listings: {
      count: listings.length,
      person: listingPerson,
      unit: Int32Array.from(listings, (l) => unit(l.unit, 'listings')),
      doctor: Int32Array.from(listings, (l) => (l.doctor ? doctors.of(l.doctor) : -1)),
      birth: Int32Array.from(listings, (l) => day(l.birth, 'listings birth_date')),
      sex: Uint8Array.from(listings, (l) => (l.sex === 'F' ? SEX_F : l.sex === 'M' ? SEX_M : SEX_UNKNOWN)),
      area: Int32Array.from(listings, (l) => areaCodes.find(l.area, 'listings area')),
      from: Int32Array.from(listings, (l) => day(l.from, 'listings listed_from')),
      to: Int32Array.from(listings, (l) => (l.to ? day(l.to, 'listings listed_to') : OPEN_END)),
      riskGroup: Int32Array.from(listings, (l) => (l.riskGroup ? riskGroups.of(l.riskGroup) : -1)),
      riskGroups: riskGroups.list,
      line: lines(listings.length),
    },
    visits: {
      count: visits.length,
      // Unlisted patients are normal: -1, as the loader gives them.
      person: Int32Array.from(visits, (v) => persons.get(v.person)),
      unit: Int32Array.from(visits, (v) => unit(v.unit, 'visits')),
      date: Int32Array.from(visits, (v) => day(v.date, 'visits date')),
      profession: Uint8Array.from(visits, (v) => codeOf(PROFESSIONS, v.profession, 'visits profession')),
      contact: Uint8Array.from(visits, (v) => codeOf(CONTACTS, v.contact, 'visits contact')),
      doctor: Int32Array.from(visits, (v) => (v.doctor ? doctors.of(v.doctor) : -1)),
      booked: Int32Array.from(visits, (v) => day(v.booked, 'visits booked_date')),
      ...(typed
        ? {
            visitType: Uint8Array.from(visits, (v) =>
              codeOf(VISIT_TYPES, v.visitType ?? '', 'visits visit_type'),
            ),
          }
        : {}),
      ...(diagnosed
        ? {
            diagnoses: {
              cell: Int32Array.from(visits, (v) => (v.diagnoses ? diagnosisCells.of(v.diagnoses) : -1)),
              cells: diagnosisCells.list,
            },
          }
        : {}),
      line: lines(visits.length),
    },
    indicators: {
      count: indicators.length,
      unit: Int32Array.from(indicators, (i) => unit(i.unit, 'indicators')),
      indicator: Int32Array.from(indicators, (i) => indicatorCodes.of(i.indicator)),
      indicators: indicatorCodes.list,
      from: Int32Array.from(indicators, (i) => day(i.from, 'indicators period_from')),
      to: Int32Array.from(indicators, (i) => day(i.to, 'indicators period_to')),
      numerator: Float64Array.from(indicators, (i) => i.numerator),
      denominator: Float64Array.from(indicators, (i) => i.denominator),
      line: lines(indicators.length),
    },
    events: {
      count: events.length,
      unit: Int32Array.from(events, (e) => unit(e.unit, 'events')),
      type: Int32Array.from(events, (e) => eventTypes.of(e.type)),
      types: eventTypes.list,
      date: Int32Array.from(events, (e) => day(e.date, 'events date')),
      line: lines(events.length),
    },
    personCount: persons.list.length,
    doctors: doctors.list,
    files: [],
  };
}
