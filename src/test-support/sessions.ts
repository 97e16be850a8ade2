import { expect } from 'vitest';
import type { Db } from '../adapters/store/connection.js';
import { createUser, type NewUser } from '../adapters/store/users.js';

/** A logged-in user as an API test holds it: the session cookie and the CSRF token for changes. */
export interface TestSession {
  cookie: string;
  csrf: string;
}

/** Anything that answers requests like the hono app does (`app.request`). */
interface RequestHandler {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

/**
 * Creates each user in the store and logs it in through POST /api/session, as a browser would,
 * filling `sessions` by username.
 */
export async function signInAll(
  app: RequestHandler,
  db: Db,
  users: Omit<NewUser, 'password'>[],
  password: string,
  sessions: Map<string, TestSession>,
): Promise<void> {
  for (const u of users) {
    await createUser(db, { ...u, password });
    const res = await app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: u.username, password }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { csrf_token: string };
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error(`Logging in ${u.username} set no cookie`);
    sessions.set(u.username, { cookie, csrf: body.csrf_token });
  }
}
