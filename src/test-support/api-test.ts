import { beforeAll } from 'vitest';
import type { Connection, Db } from '../adapters/store/connection.js';
import { useTestStore, type StoreKind } from './databases.js';
import { apiCaller, TEST_PASSWORD, testApp, type CallResult, type TestUser } from './http.js';
import { signInAll, type TestSession } from './sessions.js';

/** What an API test works with: the real app on its own store, its users signed in, the server's day. */
export interface ApiTest {
  readonly conn: Connection;
  readonly app: ReturnType<typeof testApp>;
  /** The server's day, which the test moves by assigning it; undefined: the real day. */
  today: string | undefined;
  /** A request as the signed-in user (or anonymously without one); a body is sent as JSON. */
  call(user: string | undefined, method: string, path: string, body?: unknown): Promise<CallResult>;
}

export interface ApiTestOptions {
  /** The users created and signed in with TEST_PASSWORD once the store holds what `seed` puts there. */
  users: TestUser[];
  /** The store kind (default: the embedded PGlite). */
  kind?: StoreKind;
  /** The server's first day; without it the app keeps the real day. */
  today?: string;
  /** What the store holds before the users sign in: a batch, rulebooks, runs. */
  seed?: (db: Db) => Promise<void>;
}

/**
 * The real app on a fresh store for the enclosing describe block (or file): opened, seeded and
 * signed in before its tests, closed after them.
 */
export function useApiTest(options: ApiTestOptions): ApiTest {
  const store = useTestStore(options.kind ?? 'pglite');
  const sessions = new Map<string, TestSession>();
  let app: ReturnType<typeof testApp> | undefined;
  const api: ApiTest = {
    get conn() {
      return store.conn;
    },
    get app() {
      if (!app) throw new Error('the test app is made in beforeAll');
      return app;
    },
    today: options.today,
    call: apiCaller(() => api.app, sessions),
  };
  beforeAll(async () => {
    app = testApp(store.conn, options.today === undefined ? undefined : () => api.today!);
    await options.seed?.(store.conn.db);
    await signInAll(app, store.conn.db, options.users, TEST_PASSWORD, sessions);
  }, 60_000);
  return api;
}
