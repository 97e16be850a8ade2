import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { connect, type Connection } from '../adapters/store/connection.js';

/**
 * One store suite, two databases: the embedded PGlite and a real PostgreSQL server. Each
 * PostgreSQL suite gets a database of its own, dropped afterwards.
 */

export const TEST_PG_URL = process.env.VARDVAL_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const STORE_KINDS = ['pglite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (error) {
    return `PostgreSQL på ${TEST_PG_URL} svarar inte (${(error as Error).message}); starta den (.ci/run gör det) eller sätt VARDVAL_TEST_PG`;
  }
}

/** Why the PostgreSQL suites are skipped, or undefined when the server answers. */
export const pgDown = await postgresReachable();
if (pgDown) console.warn(`Hoppar över PostgreSQL-sviten: ${pgDown}`);

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(text);
  await admin.end();
}

/**
 * A new, empty PostgreSQL database for a test that opens (and reopens) the store itself: its URL,
 * and `drop` to remove it.
 */
export async function createTestDatabase(
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return {
    url: TEST_PG_URL.replace(/\/[^/]*$/, `/${name}`),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name}`),
  };
}

/** Opens a fresh store of the kind for the enclosing describe block and closes (drops) it after. */
export function useTestStore(kind: StoreKind): { readonly conn: Connection } {
  let conn: Connection | undefined;
  let dbName: string | undefined;
  beforeAll(async () => {
    if (kind === 'pglite') {
      conn = await connect({ home: 'memory://' });
    } else {
      dbName = `vardval_test_${randomBytes(4).toString('hex')}`;
      await adminQuery(`CREATE DATABASE ${dbName}`);
      conn = await connect({ databaseUrl: TEST_PG_URL.replace(/\/[^/]*$/, `/${dbName}`) });
    }
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    if (dbName) await adminQuery(`DROP DATABASE IF EXISTS ${dbName}`);
  });
  return {
    get conn(): Connection {
      if (!conn) throw new Error('the test store is opened in beforeAll');
      return conn;
    },
  };
}
