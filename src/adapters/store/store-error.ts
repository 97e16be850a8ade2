/** What the store refuses, by kind; the HTTP layer answers 404, 409 or 400 (problem+json) for them. */
export class StoreError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}
