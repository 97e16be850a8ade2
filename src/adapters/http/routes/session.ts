import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { authenticate, deleteSession, normalizeUsername, writeAudit } from '../../store/users.js';
import { DEVICE_COOKIE, LoginLimiter } from '../login-limiter.js';
import type { AppDeps, AppEnv } from '../context.js';
import { HttpError, problem } from '../problem.js';
import { overTls } from '../tls.js';
import { openSession, SESSION_COOKIE } from '../session-cookie.js';
import { actorOf, jsonBody } from './common.js';

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

export function registerSession(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const limiter = new LoginLimiter();
  const db = deps.conn.db;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/session',
      summary: 'Logga in (sätter sessionskakan)',
      request: {
        body: jsonBody(
          z.object({
            username: z.string().min(1).max(100),
            password: z.string().min(1).max(200),
          }),
        ),
      },
      responses: {
        200: { description: 'Inloggad', content: { 'application/json': { schema: Me } } },
        401: problemResponse('Fel användarnamn eller lösenord'),
        429: problemResponse('För många försök'),
      },
    }),
    async (c) => {
      const { username: typed, password } = c.req.valid('json');
      // Every spelling of a name is one account: the limit counts accounts, not spellings.
      const username = normalizeUsername(typed);
      const key = limiter.key(username, getCookie(c, DEVICE_COOKIE));
      const wait = limiter.waitSeconds(key);
      if (wait > 0) {
        const held = problem(
          c,
          429,
          'För många inloggningsförsök',
          `Vänta ${wait} sekunder och försök igen; en webbläsare där kontot loggat in förut släpps fram ändå`,
        );
        held.headers.set('retry-after', String(wait));
        return held as never;
      }
      // The same password work whether or not the name exists, so the answer time tells nothing.
      const user = await authenticate(db, username, password);
      if (!user) {
        limiter.fail(key);
        await writeAudit(db, {
          actor: username,
          role: null,
          action: 'login_failed',
          origin: c.get('origin'),
        });
        throw new HttpError(401, 'Inloggningen misslyckades', 'Fel användarnamn eller lösenord');
      }
      limiter.succeed(key);
      const session = await openSession(c, deps, user, 'password');
      setCookie(c, DEVICE_COOKIE, limiter.deviceToken(username), {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/api/session',
        secure: overTls(c, deps),
        maxAge: 180 * 24 * 3600,
      });
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
      if (user) await writeAudit(db, { ...actorOf(user, c.get('origin')), action: 'logout' });
      return c.body(null, 204);
    },
  );
}
