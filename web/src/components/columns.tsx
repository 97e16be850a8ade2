/**
 * The columns the tables share: an amount, a change, a count, a date, a month, the row's number.
 * Each reads one field of the row (`field`: the table checks that its rows have it, of that type),
 * sorts by the raw value and shows it the way the rest of the interface does (format.ts).
 */
import type { ReactNode } from 'react';
import { count, date, dateTime, kr, krDiff, monthLabel, num, pct } from '../format';
import { Link } from '../router';
import type { Column } from './DataTable';
import { Diff } from './ui';

/** What a column adds to the builder's: a row header, hidden at first. */
type More = Pick<Column<unknown>, 'rowHeader' | 'hidden'>;
/** A row that has `field` of type V. */
type With<K extends string, V> = Record<K, V>;

/** A builder of columns that read one field of type V and show it through `show`. */
function reading<V extends string | number | null>(
  show: (value: V) => ReactNode,
  look: More & Pick<Column<unknown>, 'numeric' | 'className'>,
) {
  return <K extends string>(key: string, header: string, field: K, more?: More): Column<With<K, V>> => ({
    key,
    header,
    value: (r) => r[field],
    render: (r) => show(r[field]),
    ...look,
    ...more,
  });
}

/** An amount in kronor (from öre), right-aligned. */
export const amountColumn = reading<number>(kr, { numeric: true });
/** A change in kronor (from öre), with its sign and marked up or down. */
export const diffColumn = reading<number>((ore) => <Diff ore={ore}>{krDiff(ore)}</Diff>, { numeric: true });
/** A count of persons or items; null is a count of 1–4 the reader may not see (shown as <5). */
export const countColumn = reading<number | null>(count, { numeric: true });
/** A number with its thousands spaced. */
export const numberColumn = reading<number>(num, { numeric: true });
/** A share (0–1) as a percentage. */
export const shareColumn = reading<number>(pct, { numeric: true });
/** A calendar date, kept on one line. */
export const dateColumn = reading<string>(date, { className: 'nowrap' });
/** A date and time, kept on one line. */
export const timeColumn = reading<string>(dateTime, { className: 'nowrap' });
/** A month (YYYY-MM) by its Swedish name. */
export const monthColumn = reading<string>(monthLabel, {});

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

/** The change from one amount of the row to another (after − before), marked up or down. */
export function changeColumn<B extends string, A extends string>(
  key: string,
  header: string,
  before: B,
  after: A,
): Column<With<B, number> & With<A, number>> {
  const change = (r: With<B, number> & With<A, number>) => r[after] - r[before];
  return {
    key,
    header,
    value: change,
    render: (r) => <Diff ore={change(r)}>{krDiff(change(r))}</Diff>,
    numeric: true,
  };
}

/** The row's number (an application's, a sanction's, a procedure's). */
export function idColumn(): Column<{ id: number }> {
  return { key: 'id', header: 'Nr', value: (r) => r.id, numeric: true };
}

/** The row's name as a link to its own page, heading the row (an applicant, a unit, a procedure). */
export function linkColumn<T>(
  key: string,
  header: string,
  text: (row: T) => string,
  href: (row: T) => string,
): Column<T> {
  return {
    key,
    header,
    rowHeader: true,
    value: text,
    render: (r) => <Link href={href(r)}>{text(r)}</Link>,
  };
}

/** The row's name (a component, an age band, a member), read from `field` and heading the row. */
export function nameColumn<K extends string>(key: string, header: string, field: K): Column<With<K, string>> {
  return { key, header, value: (r) => r[field], rowHeader: true };
}

/** The search field of a table of units: by name or HSA-id. */
export const unitSearch = {
  label: 'Sök enhet',
  text: (u: { name: string; unit_id: string }) => `${u.name} ${u.unit_id}`,
  placeholder: 'Namn eller HSA-id',
};

/** A part's share of a whole (`total`), sorted by the part; "–" where the part or whole is not shown or nil. */
export function shareOfColumn<K extends string>(
  key: string,
  header: string,
  field: K,
  total: number | null,
): Column<With<K, number | null>> {
  const share = (n: number | null) => (n === null || !total ? '–' : pct(n / total));
  return { key, header, value: (r) => r[field], render: (r) => share(r[field]), numeric: true };
}
