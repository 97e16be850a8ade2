import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { BackgroundWork } from './background.js';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER } from './import-copy.js';
import * as schema from './schema.js';
import { lockStore } from './store-lock.js';

/** The checkout's root, found from this file (src/ or dist/ alike). */
export const PROJECT_ROOT = resolve(
  import.meta.dirname ?? new URL('.', import.meta.url).pathname,
  '../../..',
);
const MIGRATIONS = join(PROJECT_ROOT, 'src', 'adapters', 'store', 'migrations');

/** One query layer for both stores: drizzle's PostgreSQL dialect. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Loads CSV lines into a table with COPY: FROM STDIN on PostgreSQL, FROM PGlite's /dev/blob embedded. */
export type CopyRows = ((table: string, columns: string[], csv: string) => Promise<void>) & {
  /**
   * Loads binary COPY tuples (import-copy.ts), given as chunks of whole rows without header and
   * trailer: one COPY streamed on PostgreSQL, one COPY per chunk on PGlite.
   */
  binary: (table: string, columns: string[], chunks: AsyncIterable<Uint8Array>) => Promise<void>;
};

export interface Connection {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction (on one client), with COPY available for the large tables. */
  copyTransaction: <T>(fn: (db: Db, copy: CopyRows) => Promise<T>) => Promise<T>;
  /** Where the data lives: a folder (PGlite) or the server URL without password. */
  location: string;
  /** What goes on after an answer (an import's visit rows); stopped by close(). */
  background: BackgroundWork;
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
    const copyTransaction = async <T>(fn: (db: Db, copy: CopyRows) => Promise<T>): Promise<T> => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const txDb = drizzlePg(client, { schema }) as unknown as Db;
        const copy: CopyRows = Object.assign(
          async (table: string, columns: string[], csv: string) => {
            const sink = client.query(
              copyFrom(`COPY ${copyTarget(table, columns)} FROM STDIN WITH (FORMAT csv)`),
            );
            await pipeline(Readable.from([csv]), sink);
          },
          {
            binary: async (table: string, columns: string[], chunks: AsyncIterable<Uint8Array>) => {
              const sink = client.query(
                copyFrom(`COPY ${copyTarget(table, columns)} FROM STDIN WITH (FORMAT binary)`),
              );
              async function* framed() {
                yield COPY_BINARY_HEADER;
                for await (const chunk of chunks) yield chunk;
                yield COPY_BINARY_TRAILER;
              }
              await pipeline(Readable.from(framed(), { objectMode: false }), sink);
            },
          },
        );
        const result = await fn(txDb, copy);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    };
    const background = new BackgroundWork();
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      location: url.replace(/:[^:@/]*@/, ':***@'),
      copyTransaction,
      background,
      close: async () => {
        await background.stop();
        await pool.end();
      },
    };
  }
  const home = options.home ?? defaultHome();
  const inMemory = home.startsWith('memory://');
  if (!inMemory) mkdirSync(home, { recursive: true });
  const unlock = inMemory ? () => {} : lockStore(home);
  try {
    const client = await PGlite.create(inMemory ? undefined : home);
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder: MIGRATIONS });
    const copyTransaction = <T>(fn: (db: Db, copy: CopyRows) => Promise<T>): Promise<T> =>
      client.transaction(async (tx) => {
        const txDb = drizzlePglite({ client: tx as unknown as PGlite, schema }) as unknown as Db;
        const copy: CopyRows = Object.assign(
          async (table: string, columns: string[], csv: string) => {
            await tx.query(`COPY ${copyTarget(table, columns)} FROM '/dev/blob' WITH (FORMAT csv)`, [], {
              blob: new Blob([csv]),
            });
          },
          {
            binary: async (table: string, columns: string[], chunks: AsyncIterable<Uint8Array>) => {
              const sql = `COPY ${copyTarget(table, columns)} FROM '/dev/blob' WITH (FORMAT binary)`;
              for await (const chunk of chunks) {
                await tx.query(sql, [], {
                  blob: new Blob([COPY_BINARY_HEADER, chunk, COPY_BINARY_TRAILER]),
                });
                // PGlite answers on this thread and its promises settle at once: without a turn of
                // the event loop between chunks a region's listing rows kept every request (and the
                // import's own progress) waiting for 15–20 s, and keep-alive sockets were reset.
                await new Promise((resolve) => setImmediate(resolve));
              }
            },
          },
        );
        return fn(txDb, copy);
      });
    const background = new BackgroundWork();
    return {
      db: db as unknown as Db,
      kind: 'pglite',
      location: home,
      copyTransaction,
      background,
      close: async () => {
        try {
          await background.stop();
          await client.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

const copyTarget = (table: string, columns: string[]): string =>
  `"${table}" (${columns.map((c) => `"${c}"`).join(', ')})`;
