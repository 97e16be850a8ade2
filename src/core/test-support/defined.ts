/** The value a test reads next (the first unit, line or issue), or a failed test when there is none. */
export function defined<T>(value: T | undefined, what = 'a value'): T {
  if (value === undefined) throw new Error(`Expected ${what}, found none`);
  return value;
}
