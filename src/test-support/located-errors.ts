import { formatLocated, InputErrors } from '../adapters/files/located-error.js';

/**
 * The located errors a call throws, each as a user reads it (`file:line:column: … [code]`); none when it
 * throws none. Any other error is thrown on.
 */
export function locatedErrors(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputErrors) return e.errors.map(formatLocated);
    throw e;
  }
  return [];
}
