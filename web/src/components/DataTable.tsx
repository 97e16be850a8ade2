import { useDeferredValue, useId, useMemo, useState, type ReactNode } from 'react';
import { collator, count, num } from '../format';
import { Field } from './TextField';

export interface Column<T> {
  key: string;
  header: string;
  /** The value sorted by (and shown, when there is no render). */
  value?: (row: T) => string | number | null | undefined;
  render?: (row: T) => ReactNode;
  numeric?: boolean;
  sortable?: boolean;
  /** A header cell that names the row (the unit's name, say). */
  rowHeader?: boolean;
  className?: string;
  /** Starts hidden; the reader can show it under "Visa kolumner". */
  hidden?: boolean;
}

export interface DataTableProps<T> {
  caption: string;
  captionHidden?: boolean;
  /** Typed from the rows (the column builders in ./columns.tsx take their row type from here). */
  columns: Column<NoInfer<T>>[];
  rows: T[];
  rowKey: (row: T) => string;
  initialSort?: { key: string; dir: 'asc' | 'desc' };
  /** Shows a search field that filters on this text. */
  filter?: { label: string; text: (row: T) => string; placeholder?: string };
  footer?: ReactNode;
  empty?: string;
  tall?: boolean;
  tools?: ReactNode;
  testId?: string;
  /** Offers "Visa kolumner" to hide and show columns; on by default for tables of six columns or more. */
  columnChooser?: boolean;
}

/**
 * A table that sorts by any column (buttons in the headers, aria-sort for screen readers) and
 * filters as you type. Sorting is memoised and filtering deferred, so 300 units and more stay
 * responsive while typing.
 */
export function DataTable<T>({
  caption,
  captionHidden,
  columns: allColumns,
  rows,
  rowKey,
  initialSort,
  filter,
  footer,
  empty = 'Inga rader att visa.',
  tall,
  tools,
  testId,
  columnChooser,
}: DataTableProps<T>) {
  const [sort, setSort] = useState(initialSort);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const captionId = useId();
  const searchId = useId();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(
    () => new Set(allColumns.filter((c) => c.hidden).map((c) => c.key)),
  );
  const columns = useMemo(() => allColumns.filter((c) => !hidden.has(c.key)), [allColumns, hidden]);
  // A footer's cells line up with every column, so a table with one keeps them all.
  const choosable = columnChooser ?? (!footer && allColumns.length >= 6);

  const filtered = useMemo(() => {
    const q = deferredQuery.trim().toLocaleLowerCase('sv-SE');
    if (!filter || !q) return rows;
    return rows.filter((r) => filter.text(r).toLocaleLowerCase('sv-SE').includes(q));
  }, [rows, filter, deferredQuery]);

  const sorted = useMemo(() => {
    const col = sort && allColumns.find((c) => c.key === sort.key);
    if (!col?.value || !sort) return filtered;
    const get = col.value;
    const factor = sort.dir === 'asc' ? 1 : -1;
    const keyed = filtered.map((row) => ({ row, v: get(row) }));
    keyed.sort((a, b) => {
      const x = a.v;
      const y = b.v;
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      const c =
        typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return c * factor;
    });
    return keyed.map((k) => k.row);
  }, [filtered, sort, allColumns]);

  const toggle = (col: Column<T>) => {
    setSort((s) =>
      s?.key === col.key
        ? { key: col.key, dir: s.dir === 'asc' ? 'desc' : 'asc' }
        : { key: col.key, dir: col.numeric ? 'desc' : 'asc' },
    );
  };

  return (
    <div data-testid={testId}>
      {(filter || tools || choosable) && (
        <div className="table-tools">
          {filter && (
            <Field id={searchId} label={filter.label}>
              <input
                id={searchId}
                type="search"
                value={query}
                placeholder={filter.placeholder}
                onChange={(e) => setQuery(e.target.value)}
              />
            </Field>
          )}
          {tools}
          {choosable && (
            <details className="column-chooser">
              <summary>Visa kolumner</summary>
              <fieldset>
                <legend className="visually-hidden">Visa kolumner</legend>
                {allColumns
                  .filter((c) => !c.rowHeader)
                  .map((c) => (
                    <label key={c.key} className="checkbox">
                      <input
                        type="checkbox"
                        checked={!hidden.has(c.key)}
                        onChange={(e) =>
                          setHidden((h) => {
                            const next = new Set(h);
                            if (e.target.checked) next.delete(c.key);
                            else next.add(c.key);
                            return next;
                          })
                        }
                      />
                      {/* "Visa Månad": not confused with a field of the page named "Månad". */}
                      <span className="visually-hidden">Visa </span>
                      {c.header}
                    </label>
                  ))}
              </fieldset>
            </details>
          )}
          <span className="count" aria-live="polite">
            {filtered.length === rows.length
              ? count(rows.length, 'rad', 'rader')
              : `Visar ${num(filtered.length)} av ${count(rows.length, 'rad', 'rader')}`}
          </span>
        </div>
      )}
      <div
        className={`table-wrap${tall ? ' tall' : ''}`}
        tabIndex={0}
        role="region"
        aria-labelledby={captionId}
      >
        <table>
          <caption id={captionId} className={captionHidden ? 'visually-hidden' : undefined}>
            {caption}
          </caption>
          <thead>
            <tr>
              {columns.map((col) => {
                const sortable = col.sortable ?? Boolean(col.value);
                const active = sort?.key === col.key;
                return (
                  <th
                    key={col.key}
                    scope="col"
                    className={col.numeric ? 'num' : undefined}
                    aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {sortable ? (
                      <button type="button" className="sort" onClick={() => toggle(col)}>
                        {col.header}
                        <span className="arrow" aria-hidden="true">
                          {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                        </span>
                      </button>
                    ) : (
                      col.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.length === 0 ? (
              <tr>
                <td colSpan={columns.length}>{empty}</td>
              </tr>
            ) : (
              sorted.map((row) => (
                <tr key={rowKey(row)}>
                  {columns.map((col) => {
                    const content = col.render ? col.render(row) : (col.value?.(row) ?? '–');
                    const cls = [col.numeric ? 'num' : '', col.className ?? ''].join(' ').trim() || undefined;
                    return col.rowHeader ? (
                      <th key={col.key} scope="row" className={cls}>
                        {content}
                      </th>
                    ) : (
                      <td key={col.key} className={cls}>
                        {content}
                      </td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
          {footer && <tfoot>{footer}</tfoot>}
        </table>
      </div>
    </div>
  );
}
