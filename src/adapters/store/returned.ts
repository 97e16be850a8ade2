/**
 * The one row an `insert … returning()` or `update … returning()` gave back (`.then(returned)`). An insert always
 * returns its row; an empty answer is a bug in the statement, not a state of the data.
 */
export function returned<T>(rows: T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('The statement returned no row');
  return row;
}
