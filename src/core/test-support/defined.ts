/** The value a test reads next (the first unit, line or issue), or a failed test when there is none. */
export function defined<T>(value: T | undefined | null, what = 'a value'): T {
  if (value === undefined || value === null) throw new Error(`Expected ${what}, found none`);
  return value;
}
