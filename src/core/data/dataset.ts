/**
 * One payment month's input data, column by column. Codes (units, areas, risk groups, doctors,
 * indicators, event types) are dictionary-encoded as indexes, so the engine runs over typed arrays
 * and a national run is bounded by memory bandwidth rather than by object allocation.
 * Every table keeps the file line of each row, so an error found later still points at its line.
 */

export const OWNERSHIP_CODES = ['public', 'private', 'nonprofit'] as const;
/** 0 unknown, 1 F, 2 M. */
export const SEX_UNKNOWN = 0;
export const SEX_F = 1;
export const SEX_M = 2;

export interface UnitTable {
  count: number;
  id: string[];
  providerId: string[];
  name: string[];
  /** Index into OWNERSHIP_CODES. */
  ownership: Uint8Array;
  kommun: string[];
  /** The area (DeSO code, areas.csv) the unit lies in, '' when not given. */
  area: string[];
  /** Services the unit provides (e.g. vardcentral, bvc); empty when not given (vardcentral). */
  services: string[][];
  start: Int32Array;
  /** OPEN_END when empty. */
  end: Int32Array;
  /** Unit index, or -1. */
  branchOf: Int32Array;
  /** Other columns as written (lowercase names), e.g. st_fte, sabo_places: unit_supplement counts them. */
  extra: Map<string, string[]>;
  line: Int32Array;
}

/** A unit's ownership code, from the unit's index into OWNERSHIP_CODES. */
export function ownershipOf(units: UnitTable, unit: number): (typeof OWNERSHIP_CODES)[number] {
  const code = OWNERSHIP_CODES[units.ownership[unit] ?? -1];
  if (code === undefined) throw new RangeError(`Unit ${unit} has no ownership code`);
  return code;
}

export interface AreaTable {
  count: number;
  code: string[];
  kommun: string[];
  /** NaN when the area has no CNI. */
  cni: Float64Array;
  /** Index into ruralClasses, or -1. */
  ruralClass: Int32Array;
  ruralClasses: string[];
  hospitalKm: Float64Array;
  line: Int32Array;
}

export interface ListingTable {
  count: number;
  /** Person index (see DataSet.personCount). */
  person: Int32Array;
  unit: Int32Array;
  /** Index into doctors, or -1. */
  doctor: Int32Array;
  birth: Int32Array;
  sex: Uint8Array;
  area: Int32Array;
  from: Int32Array;
  /** Exclusive; OPEN_END when empty. */
  to: Int32Array;
  /** Index into riskGroups, or -1 when the person has no group. */
  riskGroup: Int32Array;
  riskGroups: string[];
  line: Int32Array;
}

export interface VisitTable {
  count: number;
  /** Person index when the person appears in listings.csv, else -1 (unlisted patients are normal). */
  person: Int32Array;
  unit: Int32Array;
  date: Int32Array;
  /** Index into PROFESSIONS. */
  profession: Uint8Array;
  /** Index into CONTACTS. */
  contact: Uint8Array;
  doctor: Int32Array;
  /** NO_DATE when empty. */
  booked: Int32Array;
  /**
   * Index into VISIT_TYPES (0 = an ordinary visit), from the optional column visit_type; absent
   * when the file has no such column, so a follow-up that needs it can say the data is missing.
   */
  visitType?: Uint8Array;
  /** The optional column diagnoses; absent when the file has no such column. */
  diagnoses?: VisitDiagnoses;
  line: Int32Array;
}

/**
 * A visit's diagnoses (ICD-10 codes separated by |) as the cell is written, dictionary-encoded
 * whole: a region's visits repeat a modest number of code combinations, so the grouper reads each
 * distinct cell once and every visit is one integer.
 */
interface VisitDiagnoses {
  /** Per visit: index into cells, or -1 when the cell is empty. */
  cell: Int32Array;
  cells: string[];
}

/**
 * Values of the optional visits.csv column visit_type (besökstyp). Index 0 is an ordinary visit
 * (empty cell); `halsosamtal` marks a health dialogue, which follow-up counts for coverage.
 */
export const VISIT_TYPES = ['', 'halsosamtal'] as const;
export const VISIT_TYPE_HEALTH_DIALOGUE = 1;

export interface IndicatorTable {
  count: number;
  unit: Int32Array;
  indicator: Int32Array;
  indicators: string[];
  from: Int32Array;
  to: Int32Array;
  numerator: Float64Array;
  denominator: Float64Array;
  line: Int32Array;
}

export interface EventTable {
  count: number;
  unit: Int32Array;
  type: Int32Array;
  types: string[];
  date: Int32Array;
  line: Int32Array;
}

export interface InputFile {
  name: string;
  sha256: string;
  rows: number;
}

export interface DataSet {
  units: UnitTable;
  areas: AreaTable;
  listings: ListingTable;
  visits: VisitTable;
  indicators: IndicatorTable;
  events: EventTable;
  /** Distinct persons in listings.csv. */
  personCount: number;
  doctors: string[];
  /** The files read, sorted by name, with their hashes. */
  files: InputFile[];
}

export function emptyIndicators(): IndicatorTable {
  const e = new Int32Array(0);
  return {
    count: 0,
    unit: e,
    indicator: e,
    indicators: [],
    from: e,
    to: e,
    numerator: new Float64Array(0),
    denominator: new Float64Array(0),
    line: e,
  };
}

export function emptyEvents(): EventTable {
  const e = new Int32Array(0);
  return { count: 0, unit: e, type: e, types: [], date: e, line: e };
}
