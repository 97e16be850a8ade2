import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

/** The checkout's root, found from this file (src/ or dist/ alike). */
export const PROJECT_ROOT = resolve(
  import.meta.dirname ?? new URL('.', import.meta.url).pathname,
  '../../..',
);
const MIGRATIONS = join(PROJECT_ROOT, 'src', 'adapters', 'store', 'migrations');

/** One query layer for both stores: drizzle's PostgreSQL dialect. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Connection {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives: a folder (PGlite) or the server URL without password. */
  location: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** postgres://… runs on a PostgreSQL server; otherwise the embedded store. */
  databaseUrl?: string;
  /** Folder of the embedded store; `memory://` keeps it in memory (tests). */
  home?: string;
}

export function defaultHome(): string {
  return process.env.VARDVAL_HOME ?? join(PROJECT_ROOT, 'var', 'store');
}

export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder: MIGRATIONS });
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      location: url.replace(/:[^:@/]*@/, ':***@'),
      close: () => pool.end(),
    };
  }
  const home = options.home ?? defaultHome();
  if (!home.startsWith('memory://')) mkdirSync(home, { recursive: true });
  const client = await PGlite.create(home.startsWith('memory://') ? undefined : home);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS });
  return { db: db as unknown as Db, kind: 'pglite', location: home, close: () => client.close() };
}
