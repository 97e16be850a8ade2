import { sql } from 'drizzle-orm';
import type { Connection } from '../adapters/store/connection.js';

/** Every stored cell of a visit row but its batch id: what two batches of one folder share. */
const VISIT_CELLS = sql.raw(
  `"row", visit_id, person_id, unit_id, date, profession, contact, doctor_id, booked_date, visit_type, diagnoses, line`,
);

/**
 * How many of batch a's visit rows batch b does not have, counted with their repeats (a row
 * written twice in a counts twice): 0 both ways means the same rows, cell for cell.
 */
export async function visitRowsMissing(conn: Connection, a: number, b: number): Promise<number> {
  const result = await conn.db.execute(
    sql`SELECT count(*)::int AS n FROM (SELECT ${VISIT_CELLS} FROM visit WHERE batch_id = ${a}
        EXCEPT ALL SELECT ${VISIT_CELLS} FROM visit WHERE batch_id = ${b}) x`,
  );
  return (result as unknown as { rows: { n: number }[] }).rows[0]!.n;
}
