import type { Db } from '../connection.js';
import { StoreError } from '../runs.js';
import { writeAudit } from '../users.js';

/** What the procurement repositories share: who acts, located refusals, audit and transactions. */

export interface Who {
  actor: string;
  role: string | null;
  origin?: string | null;
}

/** A located refusal: the message in Swedish, the JSON pointer to the field at fault. */
export class ProcurementError extends StoreError {
  constructor(
    code: 'not_found' | 'conflict' | 'invalid',
    message: string,
    readonly pointer?: string,
  ) {
    super(code, message);
  }
}

export const digits = (orgNr: string) => orgNr.replace('-', '');

/**
 * A sole trader's organisationsnummer is the owner's personnummer (month digits 01–12): the audit
 * log names such a provider without the number.
 */
export function auditableId(orgNr: string): string {
  const d = digits(orgNr);
  return d.length === 10 && Number(d[2]) < 2 ? '<personnummer dolt>' : d;
}

export async function audit(db: Db, who: Who, action: string, target: string, detail?: unknown) {
  await writeAudit(db, {
    actor: who.actor,
    role: who.role,
    action,
    target,
    origin: who.origin ?? null,
    detail: detail ?? null,
  });
}

export function inTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db));
}

/** PostgreSQL's unique_violation, as PGlite and node-postgres both report it (directly or as cause). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return (e?.code ?? e?.cause?.code) === '23505';
}
