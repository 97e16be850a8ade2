import { and, asc, desc, eq, gte, like, lte } from 'drizzle-orm';
import type { Db } from './connection.js';
import * as t from './schema.js';

/** Reading the stored rulebook versions: the published ones, and the newest of a family by its id's prefix. */

export type RulebookVersionRow = typeof t.rulebookVersions.$inferSelect;

/** Every published version, newest version number first. */
export async function publishedVersions(db: Db): Promise<RulebookVersionRow[]> {
  return db
    .select()
    .from(t.rulebookVersions)
    .where(eq(t.rulebookVersions.status, 'published'))
    .orderBy(desc(t.rulebookVersions.version));
}

/** The id of the newest version (by valid from, then version) of a rulebook whose id starts with `prefix`. */
export async function newestVersionIdWithPrefix(db: Db, prefix: string): Promise<number | undefined> {
  const [stored] = await db
    .select({ id: t.rulebookVersions.id })
    .from(t.rulebookVersions)
    .where(like(t.rulebookVersions.rulebookId, `${prefix}%`))
    .orderBy(desc(t.rulebookVersions.validFrom), desc(t.rulebookVersions.version))
    .limit(1);
  return stored?.id;
}

/** One stored version, undefined when there is none with that id. */
export async function findVersion(db: Db, id: number): Promise<RulebookVersionRow | undefined> {
  const [row] = await db.select().from(t.rulebookVersions).where(eq(t.rulebookVersions.id, id));
  return row;
}

/** Every stored version, drafts included, by rulebook and version number. */
export async function allVersions(db: Db): Promise<RulebookVersionRow[]> {
  return db
    .select()
    .from(t.rulebookVersions)
    .orderBy(asc(t.rulebookVersions.rulebookId), asc(t.rulebookVersions.version));
}

/** The newest published version of every rulebook valid on a day (YYYY-MM-DD), by rulebook id. */
export async function publishedValidOn(db: Db, day: string): Promise<RulebookVersionRow[]> {
  const rows = await db
    .select()
    .from(t.rulebookVersions)
    .where(
      and(
        eq(t.rulebookVersions.status, 'published'),
        lte(t.rulebookVersions.validFrom, day),
        gte(t.rulebookVersions.validTo, day),
      ),
    )
    .orderBy(asc(t.rulebookVersions.rulebookId), desc(t.rulebookVersions.version));
  const newest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!newest.has(row.rulebookId)) newest.set(row.rulebookId, row);
  return [...newest.values()];
}
