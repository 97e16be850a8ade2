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

/** PostgreSQL's unique_violation, as PGlite and node-postgres both report it (directly or as cause). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null | undefined;
  return (e?.code ?? e?.cause?.code) === '23505';
}

/** Runs `write`; a unique index it breaks (two requests racing) is a conflict saying `message`. */
export async function conflictOnDuplicate<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new StoreError('conflict', message);
    throw error;
  }
}
