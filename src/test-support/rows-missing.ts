import { sql } from 'drizzle-orm';
import type { Connection } from '../adapters/store/connection.js';
import { LISTING_COLUMNS, VISIT_COLUMNS } from '../adapters/store/import-prepare.js';

/** Every stored cell of a row but its batch id: what two batches of one folder share. */
const cells = (columns: [string, string][]) =>
  sql.raw(
    columns
      .map(([name]) => name)
      .filter((name) => name !== 'batch_id')
      .map((name) => `"${name}"`)
      .join(', '),
  );
const CELLS = { listing: cells(LISTING_COLUMNS), visit: cells(VISIT_COLUMNS) };

/**
 * How many of batch a's rows of `table` batch b does not have, counted with their repeats (a row
 * written twice in a counts twice): 0 both ways means the same rows, cell for cell.
 */
export async function rowsMissing(
  conn: Connection,
  table: 'listing' | 'visit',
  a: number,
  b: number,
): Promise<number> {
  const result = await conn.db.execute(
    sql`SELECT count(*)::int AS n FROM (SELECT ${CELLS[table]} FROM ${sql.raw(table)} WHERE batch_id = ${a}
        EXCEPT ALL SELECT ${CELLS[table]} FROM ${sql.raw(table)} WHERE batch_id = ${b}) x`,
  );
  return (result as unknown as { rows: { n: number }[] }).rows[0]!.n;
}
