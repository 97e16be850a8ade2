import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { verifyPassword } from '../../auth/passwords.js';
import {
  createSession,
  deleteSession,
  findUserByUsername,
  writeAudit,
  type NewSession,
} from '../../store/users.js';
import type { AppDeps, AppEnv } from '../context.js';
import { HttpError } from '../problem.js';

export const SESSION_COOKIE = 'vardval_session';

const Me = z
  .object({
    username: z.string(),
    role: z.string(),
    provider_id: z.string().nullable(),
    csrf_token: z.string(),
  })
  .openapi('Session');
const problemResponse = (description: string) => ({
  description,
  content: {
    'application/problem+json': {
      schema: z.object({ title: z.string(), status: z.number(), detail: z.string().optional() }),
    },
  },
});

/** Failed logins per username and address within a minute; the sixth is refused. */
class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly max = 5,
    private readonly windowMs = 60_000,
  ) {}
  blocked(key: string): boolean {
    const now = Date.now();
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.failures.set(key, list);
    return list.length >= this.max;
  }
  fail(key: string): void {
    this.failures.set(key, [...(this.failures.get(key) ?? []), Date.now()]);
  }
  clear(key: string): void {
    this.failures.delete(key);
  }
}

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
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: deps.secureCookies ?? false,
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

export function registerSession(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const limiter = new LoginLimiter();
  const db = deps.conn.db;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/session',
      summary: 'Logga in (sätter sessionskakan)',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                username: z.string().min(1).max(100),
                password: z.string().min(1).max(200),
              }),
            },
          },
        },
      },
      responses: {
        200: { description: 'Inloggad', content: { 'application/json': { schema: Me } } },
        401: problemResponse('Fel användarnamn eller lösenord'),
        429: problemResponse('För många försök'),
      },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json');
      const key = `${username}|${c.get('origin')}`;
      if (limiter.blocked(key))
        throw new HttpError(429, 'För många inloggningsförsök', 'Vänta en minut och försök igen');
      const user = await findUserByUsername(db, username);
      const ok = user ? await verifyPassword(password, user.passwordHash) : false;
      if (!user || !ok) {
        limiter.fail(key);
        await writeAudit(db, {
          actor: username,
          role: null,
          action: 'login_failed',
          origin: c.get('origin'),
        });
        throw new HttpError(401, 'Inloggningen misslyckades', 'Fel användarnamn eller lösenord');
      }
      limiter.clear(key);
      const session = await openSession(c, deps, user, 'password');
      return c.json(
        {
          username: user.username,
          role: user.role,
          provider_id: user.providerId ?? null,
          csrf_token: session.csrfToken,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/session',
      summary: 'Den inloggade användaren',
      responses: {
        200: { description: 'Inloggad', content: { 'application/json': { schema: Me } } },
        401: problemResponse('Inte inloggad'),
      },
    }),
    (c) => {
      const user = c.get('user');
      if (!user) throw new HttpError(401, 'Inloggning krävs');
      return c.json(
        {
          username: user.username,
          role: user.role,
          provider_id: user.providerId,
          csrf_token: c.get('csrf')!,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/session',
      summary: 'Logga ut',
      responses: { 204: { description: 'Utloggad' } },
    }),
    async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      const user = c.get('user');
      if (token) {
        await deleteSession(db, token);
        deps.forgetSession?.(token);
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      if (user)
        await writeAudit(db, {
          actor: user.username,
          role: user.role,
          action: 'logout',
          origin: c.get('origin'),
        });
      return c.body(null, 204);
    },
  );
}
