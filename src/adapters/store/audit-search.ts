import { and, desc, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './connection.js';
import * as t from './schema.js';
import { returned } from './returned.js';

export interface AuditSearch {
  /** Raw text matched in who, role, action, target and origin (case-insensitive). */
  text?: string;
  /** Recorded actions, roles and target prefixes (`run:`) whose Swedish names match the text. */
  actions?: string[];
  roles?: string[];
  targetPrefixes?: string[];
  /** Exact targets, e.g. a person's hashed identity. */
  targets?: string[];
  /** Days (ÅÅÅÅ-MM-DD), inclusive, in Swedish time. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The whole audit log searched in the database, newest first, with the number of matches. */
export async function searchAudit(db: Db, q: AuditSearch) {
  const any: SQL[] = [];
  const text = q.text?.trim();
  if (text) {
    const like = `%${escapeLike(text)}%`;
    for (const column of [
      t.auditLog.actor,
      t.auditLog.role,
      t.auditLog.action,
      t.auditLog.target,
      t.auditLog.origin,
    ])
      any.push(ilike(column, like));
  }
  if (q.actions?.length) any.push(inArray(t.auditLog.action, q.actions));
  if (q.roles?.length) any.push(inArray(t.auditLog.role, q.roles));
  if (q.targets?.length) any.push(inArray(t.auditLog.target, q.targets));
  for (const prefix of q.targetPrefixes ?? []) any.push(ilike(t.auditLog.target, `${escapeLike(prefix)}%`));
  const all: SQL[] = [];
  if (text) all.push(or(...any)!);
  if (q.from) all.push(sql`${t.auditLog.at} >= (${q.from}::date::timestamp at time zone 'Europe/Stockholm')`);
  if (q.to)
    all.push(sql`${t.auditLog.at} < ((${q.to}::date + 1)::timestamp at time zone 'Europe/Stockholm')`);
  const where = all.length > 0 ? and(...all) : undefined;
  const { n } = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(t.auditLog)
    .where(where)
    .then(returned);
  const rows = await db
    .select()
    .from(t.auditLog)
    .where(where)
    .orderBy(desc(t.auditLog.id))
    .limit(q.limit)
    .offset(q.offset);
  return { rows, total: n };
}
