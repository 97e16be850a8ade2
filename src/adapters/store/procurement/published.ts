import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../connection.js';
import * as t from '../schema.js';
import type { ApplicationRow } from './applications.js';
import type { ContractRow } from '../contract-registry.js';
import type { ProcedureRow } from './procedures.js';

/** A procedure past its draft, with its applications (in id order) and the contracts they signed. */
export interface PublishedProcedure {
  procedure: ProcedureRow;
  applications: ApplicationRow[];
  contracts: ContractRow[];
}

/**
 * Every procedure past its draft (or the one `procedureId` names, if it is), in id order, with what
 * open data tells of it (the OCDS release packages).
 */
export async function publishedProcedures(db: Db, procedureId?: number): Promise<PublishedProcedure[]> {
  const published = await db
    .select()
    .from(t.procedures)
    .where(
      and(
        ne(t.procedures.status, 'draft'),
        procedureId === undefined ? undefined : eq(t.procedures.id, procedureId),
      ),
    )
    .orderBy(asc(t.procedures.id));
  if (!published.length) return [];
  const apps = await db
    .select()
    .from(t.applications)
    .where(
      inArray(
        t.applications.procedureId,
        published.map((p) => p.id),
      ),
    )
    .orderBy(asc(t.applications.id));
  const contractIds = apps.map((a) => a.contractId).filter((x): x is number => x !== null);
  const contracts = contractIds.length
    ? await db.select().from(t.contracts).where(inArray(t.contracts.id, contractIds))
    : [];
  return published.map((procedure) => {
    const applications = apps.filter((a) => a.procedureId === procedure.id);
    return {
      procedure,
      applications,
      contracts: contracts.filter((c) => applications.some((a) => a.contractId === c.id)),
    };
  });
}
