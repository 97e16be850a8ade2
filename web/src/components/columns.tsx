/**
 * The columns the tables share: an amount, a change, a count, a date, a month, the row's number.
 * Each reads one field of the row (`field`: the table checks that its rows have it, of that type),
 * sorts by the raw value and shows it the way the rest of the interface does (format.ts).
 */
import { count, date, dateTime, kr, krDiff, monthLabel, num } from '../format';
import type { Column } from './DataTable';
import { Diff } from './ui';

/** What a column adds to the builder's: a row header, hidden at first. */
type More = Pick<Column<unknown>, 'rowHeader' | 'hidden'>;
/** A row that has `field` of type V. */
type With<K extends string, V> = Record<K, V>;

/** An amount in kronor (from öre), right-aligned. */
export function amountColumn<K extends string>(
  key: string,
  header: string,
  field: K,
  more?: More,
): Column<With<K, number>> {
  return { key, header, value: (r) => r[field], render: (r) => kr(r[field]), numeric: true, ...more };
}

/** A change in kronor (from öre), with its sign and marked up or down. */
export function diffColumn<K extends string>(key: string, header: string, field: K): Column<With<K, number>> {
  return {
    key,
    header,
    value: (r) => r[field],
    render: (r) => <Diff ore={r[field]}>{krDiff(r[field])}</Diff>,
    numeric: true,
  };
}

/** A count of persons or items; null is a count of 1–4 the reader may not see (shown as <5). */
export function countColumn<K extends string>(
  key: string,
  header: string,
  field: K,
  more?: More,
): Column<With<K, number | null>> {
  return { key, header, value: (r) => r[field], render: (r) => count(r[field]), numeric: true, ...more };
}

/** A number with its thousands spaced. */
export function numberColumn<K extends string>(
  key: string,
  header: string,
  field: K,
  more?: More,
): Column<With<K, number>> {
  return { key, header, value: (r) => r[field], render: (r) => num(r[field]), numeric: true, ...more };
}

/** The amount per listed person ("–" where none are listed). */
export function perListedColumn<A extends string, L extends string>(
  ore: A,
  listed: L,
): Column<With<A, number> & With<L, number>> {
  return {
    key: 'per',
    header: 'Per listad',
    value: (r) => (r[listed] ? r[ore] / r[listed] : null),
    render: (r) => (r[listed] ? kr(Math.round(r[ore] / r[listed])) : '–'),
    numeric: true,
  };
}

/** A calendar date, kept on one line. */
export function dateColumn<K extends string>(
  key: string,
  header: string,
  field: K,
  more?: More,
): Column<With<K, string>> {
  return { key, className: 'nowrap', header, value: (r) => r[field], render: (r) => date(r[field]), ...more };
}

/** A date and time, kept on one line. */
export function timeColumn<K extends string>(
  key: string,
  header: string,
  field: K,
  more?: More,
): Column<With<K, string>> {
  return {
    key,
    className: 'nowrap',
    header,
    value: (r) => r[field],
    render: (r) => dateTime(r[field]),
    ...more,
  };
}

/** A month (YYYY-MM) by its Swedish name. */
export function monthColumn<K extends string>(
  key: string,
  header: string,
  field: K,
  more?: More,
): Column<With<K, string>> {
  return { key, header, value: (r) => r[field], render: (r) => monthLabel(r[field]), ...more };
}

/** The row's number (an application's, a sanction's, a procedure's). */
export function idColumn(): Column<{ id: number }> {
  return { key: 'id', header: 'Nr', value: (r) => r.id, numeric: true };
}
