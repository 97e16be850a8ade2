import { idColumn } from './columns';
import { DataTable, type DataTableProps } from './DataTable';

/**
 * A list of numbered records (applications, sanctions, procedures, audit entries): each row is keyed
 * by its number, which heads the first column and orders the rows (`order="desc"`: the latest on top).
 * The caption is for screen readers; the card around the table names it on screen.
 */
export function NumberedTable<T extends { id: number }>({
  order = 'asc',
  columns,
  ...table
}: Omit<DataTableProps<T>, 'rowKey' | 'initialSort' | 'captionHidden'> & { order?: 'asc' | 'desc' }) {
  return (
    <DataTable
      {...table}
      captionHidden
      rowKey={(r) => String(r.id)}
      initialSort={{ key: 'id', dir: order }}
      columns={[idColumn(), ...columns]}
    />
  );
}
