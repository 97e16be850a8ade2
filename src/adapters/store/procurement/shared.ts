import { maskOrganisationNumber } from '../../../core/identity.js';
import type { Db } from '../connection.js';
import { writeAudit } from '../users.js';

/** What the procurement repositories share: who acts, located refusals, audit and transactions. */

export interface Who {
  actor: string;
  role: string | null;
  origin?: string | null;
}

export const digits = (orgNr: string) => orgNr.replace('-', '');

/** The audit log names a sole trader (whose organisationsnummer is a personnummer) without the number. */
export const auditableId = maskOrganisationNumber;

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
