import { createHash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { OPEN_END, parseDate, type DateInt } from '../../core/calendar.js';
import {
  CONNECTION_FORMS,
  type ConnectionForm,
  type Contract,
  type ContractMember,
  type ContractRegistry,
  sharesOn,
} from '../../core/contracts/contracts.js';
import type { Db } from './connection.js';
import { StoreError } from './store-error.js';
import * as t from './schema.js';
import { writeAudit } from './users.js';
import { returned } from './returned.js';

/**
 * The registry's contracts and group members as the core reads them. Member shares are kept as
 * agreed; who has left and the shares in force on a day follow from the members' last days.
 */
export type ContractRow = typeof t.contracts.$inferSelect;

const day = (s: string | null) => (s === null ? OPEN_END : parseDate(s)!);

function coreContract(c: typeof t.contracts.$inferSelect): Contract {
  return {
    id: String(c.id),
    unitId: c.unitId,
    providerId: c.providerId,
    connectionForm: c.connectionForm as ConnectionForm,
    start: day(c.startDate),
    end: day(c.endDate),
    ...(c.rulebookId ? { rulebookId: c.rulebookId } : {}),
  };
}

function coreMember(m: typeof t.contractMembers.$inferSelect): ContractMember {
  return {
    contractId: String(m.contractId),
    providerId: m.orgNr,
    sharePercent: m.sharePercent,
    leftOn: day(m.leftAt),
  };
}

export async function loadRegistry(db: Db): Promise<ContractRegistry> {
  const contracts = await db.select().from(t.contracts).orderBy(asc(t.contracts.id));
  const members = await db
    .select()
    .from(t.contractMembers)
    .orderBy(asc(t.contractMembers.contractId), asc(t.contractMembers.orgNr));
  return {
    contracts: contracts
      .filter((c) => (CONNECTION_FORMS as readonly string[]).includes(c.connectionForm))
      .map(coreContract),
    members: members.map(coreMember),
  };
}

/** What the run read from the registry, as one of its inputs: the same contracts give the same hash. */
export function registryInput(registry: ContractRegistry): { file: string; sha256: string } {
  return {
    file: 'registret: avtal och gruppmedlemmar',
    sha256: createHash('sha256').update(JSON.stringify(registry)).digest('hex'),
  };
}

/**
 * Ends a contract on its last day: the unit is paid for the months whose cut-off day is on or
 * before it, and not from the next cut-off day. An end already earlier stays (a contract is not
 * revived this way).
 */
export async function endContract(
  db: Db,
  id: number,
  endDate: string,
  who: { actor: string; role: string | null; origin?: string | null },
): Promise<typeof t.contracts.$inferSelect> {
  return db.transaction(async (tx) => {
    const [contract] = await tx.select().from(t.contracts).where(eq(t.contracts.id, id));
    if (!contract) throw new StoreError('not_found', `Avtal ${id} finns inte`);
    if (endDate < contract.startDate)
      throw new StoreError('invalid', `Avtalet börjar ${contract.startDate}; det kan inte upphöra före dess`);
    if (contract.endDate !== null && contract.endDate < endDate)
      throw new StoreError('conflict', `Avtalet upphörde redan ${contract.endDate}`);
    const row = await tx
      .update(t.contracts)
      .set({ endDate })
      .where(eq(t.contracts.id, id))
      .returning()
      .then(returned);
    await writeAudit(tx as unknown as Db, {
      actor: who.actor,
      role: who.role,
      action: 'contract.end',
      target: `contract:${id}`,
      origin: who.origin ?? null,
      detail: { endDate, before: contract.endDate },
    });
    return row;
  });
}

/**
 * The members with the shares in force on a day: members who left before it keep their agreed share
 * (and their last day); the others' shares are rescaled as the core says.
 */
export async function contractMembersOn(db: Db, contract: typeof t.contracts.$inferSelect, day: DateInt) {
  const rows = await db
    .select()
    .from(t.contractMembers)
    .where(eq(t.contractMembers.contractId, contract.id))
    .orderBy(asc(t.contractMembers.orgNr));
  const inForce = sharesOn(coreContract(contract), rows.map(coreMember), day);
  const shareOf = new Map(inForce.inForce ? inForce.shares.map((s) => [s.providerId, s.sharePercent]) : []);
  return rows.map((m) => ({ ...m, sharePercent: shareOf.get(m.orgNr) ?? m.sharePercent }));
}

/** The registry's contracts, by provider and id. */
export async function listContracts(db: Db): Promise<ContractRow[]> {
  return db.select().from(t.contracts).orderBy(asc(t.contracts.providerId), asc(t.contracts.id));
}

export async function createContract(
  db: Db,
  values: Omit<typeof t.contracts.$inferInsert, 'id'>,
): Promise<ContractRow> {
  const row = await db.insert(t.contracts).values(values).returning().then(returned);
  return row;
}
