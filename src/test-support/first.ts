/** The first of `rows`; a test that expected one and got none fails here, saying what it missed. */
export function first<T>(rows: readonly T[], what = 'a row'): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`Expected ${what}, got none`);
  return row;
}
