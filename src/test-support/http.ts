import { Writable } from 'node:stream';
import { createApp } from '../adapters/http/app.js';
import { createLogger } from '../adapters/http/log.js';
import type { Connection } from '../adapters/store/connection.js';
import type { Role } from '../adapters/store/users.js';
import { signInAll, type TestSession } from './sessions.js';

/** The password the API tests give their users (at least 12 characters). */
export const TEST_PASSWORD = 'ett-langt-losenord';

/** The real app on a test store, logging nowhere, with the server's day set by the test. */
export function testApp(
  conn: Connection,
  today?: () => string,
  settings: { publicUrl?: string } = {},
): ReturnType<typeof createApp> {
  return createApp({
    conn,
    log: createLogger(new Writable({ write: (_c, _e, done) => done() })),
    ...(today && { today }),
    ...settings,
  });
}

/** A user an API test signs in: a region role, or a provider's user bound to its organisation number. */
export interface TestUser {
  username: string;
  role: Role;
  providerId?: string;
}
export const regionUser = (username: string, role: Exclude<Role, 'provider'>): TestUser => ({
  username,
  role,
});
export const providerUser = (username: string, providerId: string): TestUser => ({
  username,
  role: 'provider',
  providerId,
});

/**
 * The cast of most API tests: an officer (`handlaggare`), the provider the test is about
 * (`vardgivare`, organisation `own`) and another provider (`annan`, organisation `other`).
 */
export const officerAndProviders = (own: string, other: string): TestUser[] => [
  regionUser('handlaggare', 'officer'),
  providerUser('vardgivare', own),
  providerUser('annan', other),
];

/** An analyst (`analytiker`), who reads statistics but no person's data. */
export const ANALYST = regionUser('analytiker', 'analyst');

/** An answer as the API tests read it: the status and the JSON body. */
export interface CallResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Requests as a signed-in user (the session cookie, and the CSRF token on a change) or, without a
 * user, anonymously; a body is sent as JSON.
 */
export function apiCaller(
  app: () => { request(path: string, init?: RequestInit): Response | Promise<Response> },
  sessions: Map<string, TestSession>,
) {
  return async (
    user: string | undefined,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<CallResult> => {
    const s = user ? sessions.get(user) : undefined;
    const headers = new Headers();
    if (s) {
      headers.set('cookie', s.cookie);
      if (method !== 'GET') headers.set('x-csrf-token', s.csrf);
    }
    if (body !== undefined) headers.set('content-type', 'application/json');
    const res = await app().request(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json() };
  };
}

/** The app on a test store with one officer (`handlaggare`) created and signed in. */
export async function appWithOfficer(
  conn: Connection,
): Promise<{ app: ReturnType<typeof createApp>; session: TestSession }> {
  const app = testApp(conn);
  const sessions = new Map<string, TestSession>();
  await signInAll(app, conn.db, [{ username: 'handlaggare', role: 'officer' }], TEST_PASSWORD, sessions);
  return { app, session: sessions.get('handlaggare')! };
}

/** The `name=value` of the cookie an answer sets, as a browser sends it back. */
export function cookieOf(res: Response): string {
  const pair = res.headers.get('set-cookie')?.split(';', 1)[0];
  if (!pair) throw new Error('The answer set no cookie');
  return pair;
}
