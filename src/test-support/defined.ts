/**
 * The value a test expects to exist (the first row of a list, a looked-up record), or a failure that
 * says what was missing: a clearer message than a TypeError on `undefined` one line later.
 */
export function defined<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`Expected ${what}, found none`);
  return value;
}
