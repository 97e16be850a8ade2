import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { createSession, deleteUserSessions, writeAudit, type NewSession } from '../store/users.js';
import type { AppDeps, AppEnv } from './context.js';
import { overTls } from './tls.js';

/** The session cookie's name; the session middleware (app.ts) and the login routes share it. */
export const SESSION_COOKIE = 'vardval_session';

/**
 * Opens a session for a person whose identity is settled (by password or by OIDC): the cookie, and
 * the login in the audit log. Returns the session with its CSRF token.
 */
export async function openSession(
  c: Context<AppEnv>,
  deps: AppDeps,
  user: { id: number; username: string; role: string },
  method: 'password' | 'oidc',
): Promise<NewSession> {
  const session = await createSession(deps.conn.db, user.id);
  // VARDVAL_SINGLE_SESSION=1: a new login ends the account's other sessions (off by default, so a
  // second tab or computer is not logged out behind the user's back).
  if (process.env.VARDVAL_SINGLE_SESSION === '1')
    await deleteUserSessions(deps.conn.db, user.id, session.token);
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: overTls(c, deps),
    expires: session.expiresAt,
  });
  await writeAudit(deps.conn.db, {
    actor: user.username,
    role: user.role,
    action: 'login',
    origin: c.get('origin'),
    ...(method === 'oidc' && { detail: { method } }),
  });
  return session;
}
