/** The kinds of refusal the store knows; the HTTP layer maps each to one status (problem.ts). */
export type StoreErrorKind = 'not_found' | 'conflict' | 'invalid';

/**
 * What the store refuses, by kind, in Swedish for the person who asked; `pointer` is the JSON
 * pointer of the field at fault (for a page that shows the error beside it), `title` a heading
 * other than the kind's own. The one error type of every repository: HTTP answers it as
 * problem+json (404, 409 or 400), the CLI prints its message.
 */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorKind,
    message: string,
    readonly pointer?: string,
    readonly title?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
