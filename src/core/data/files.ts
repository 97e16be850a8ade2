/**
 * The data files a region hands the system for a payment month, and their columns: the one table
 * the loader, the synthetic region, the import, the test cases and the bench read their headers
 * and required columns from. A new file or column is added here (and read by its own reader).
 */

/** What a column holds; the readers check it, the bench maps it to SQL types. */
export type ColumnKind =
  /** A person id: an identity number (checked) or a pseudonym. */
  | 'person'
  /** An id, code or name, kept as text. */
  | 'text'
  /** One of a fixed list of codes. */
  | 'code'
  /** YYYY-MM-DD. */
  | 'date'
  /** A decimal number (a decimal comma with `;` as delimiter). */
  | 'number'
  /** A whole number. */
  | 'integer'
  /** Codes separated by `|`. */
  | 'codes';

export interface DataColumn {
  name: string;
  kind: ColumnKind;
  /** The header must name it (a cell may still be empty where the file's rules allow). */
  required: boolean;
}

// Generic in the name, so that ColumnName<F> is the union of a file's column names.
const req = <N extends string>(name: N, kind: ColumnKind): DataColumn & { name: N } => ({
  name,
  kind,
  required: true,
});
const opt = <N extends string>(name: N, kind: ColumnKind): DataColumn & { name: N } => ({
  name,
  kind,
  required: false,
});

/** Every data file's columns in the order the region's exports write them. */
export const DATA_FILE_COLUMNS = {
  'units.csv': [
    req('unit_id', 'text'),
    req('provider_id', 'text'),
    req('name', 'text'),
    req('ownership', 'code'),
    opt('kommun', 'text'),
    req('start_date', 'date'),
    opt('end_date', 'date'),
    opt('branch_of', 'text'),
    opt('st_fte', 'number'),
    opt('sabo_places', 'integer'),
    opt('services', 'codes'),
    opt('area', 'text'),
  ],
  'areas.csv': [
    req('area', 'text'),
    opt('kommun', 'text'),
    opt('cni', 'number'),
    opt('rural_class', 'text'),
    opt('hospital_km', 'number'),
  ],
  'listings.csv': [
    req('person_id', 'person'),
    req('unit_id', 'text'),
    opt('doctor_id', 'text'),
    req('birth_date', 'date'),
    req('sex', 'code'),
    req('area', 'text'),
    req('listed_from', 'date'),
    opt('listed_to', 'date'),
    opt('risk_group', 'text'),
  ],
  'visits.csv': [
    req('visit_id', 'text'),
    req('person_id', 'person'),
    req('unit_id', 'text'),
    req('date', 'date'),
    req('profession', 'code'),
    req('contact', 'code'),
    opt('doctor_id', 'text'),
    opt('booked_date', 'date'),
    opt('diagnoses', 'codes'),
    opt('visit_type', 'code'),
  ],
  'indicators.csv': [
    req('unit_id', 'text'),
    req('indicator', 'text'),
    req('period_from', 'date'),
    req('period_to', 'date'),
    req('numerator', 'number'),
    req('denominator', 'number'),
  ],
  'events.csv': [
    req('event_id', 'text'),
    req('unit_id', 'text'),
    req('event_type', 'text'),
    req('date', 'date'),
    opt('person_id', 'person'),
  ],
} as const satisfies Record<string, readonly DataColumn[]>;

export type DataFileName = keyof typeof DATA_FILE_COLUMNS;

/** The data files, in the order they are read (units first: every other file refers to them). */
export const DATA_FILES = [
  'units.csv',
  'areas.csv',
  'listings.csv',
  'visits.csv',
  'indicators.csv',
  'events.csv',
] as const satisfies readonly DataFileName[];

/** The column names of a file (lowercase, as the loader matches them). */
export type ColumnName<F extends DataFileName> = (typeof DATA_FILE_COLUMNS)[F][number]['name'];

export function columnNames<F extends DataFileName>(file: F): ColumnName<F>[] {
  return DATA_FILE_COLUMNS[file].map((c) => c.name) as ColumnName<F>[];
}

export function requiredColumns(file: DataFileName): string[] {
  return DATA_FILE_COLUMNS[file].filter((c) => c.required).map((c) => c.name);
}

/** A file's header line; `omit` leaves optional columns out (a file without them is valid too). */
export function headerLine(file: DataFileName, omit: readonly string[] = []): string {
  return DATA_FILE_COLUMNS[file]
    .filter((c) => !omit.includes(c.name) || c.required)
    .map((c) => c.name)
    .join(',');
}
