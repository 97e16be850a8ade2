import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { OidcError } from '../../auth/oidc.js';
import { findUserByUsername, writeAudit } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../context.js';
import { HttpError } from '../problem.js';
import { openSession } from '../session-cookie.js';

/** Ties the browser that started an OIDC login to its callback (the state value, nothing else). */
const STATE_COOKIE = 'vardval_oidc_state';

const LoginOptions = z
  .object({
    password: z.boolean(),
    oidc: z.object({ label: z.string(), start: z.string() }).nullable(),
  })
  .openapi('LoginOptions');

/**
 * OpenID Connect login beside the local accounts: the web page asks which ways are on, starts at
 * /api/session/oidc/login and comes back through the callback with the same session cookie as a
 * password login. Failures go back to the login page with a Swedish message, never a stack trace.
 */
export function registerSessionOidc(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const oidc = deps.oidc;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/session/options',
      summary: 'Sätt att logga in (lösenord, och OIDC när den är inställd)',
      responses: {
        200: { description: 'Inloggningssätt', content: { 'application/json': { schema: LoginOptions } } },
      },
    }),
    (c) =>
      c.json(
        {
          password: true,
          oidc: oidc ? { label: oidc.settings.label, start: '/api/session/oidc/login' } : null,
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/session/oidc/login',
      summary: 'Börjar en OIDC-inloggning (skickar webbläsaren till inloggningstjänsten)',
      responses: {
        302: { description: 'Till inloggningstjänsten' },
        404: { description: 'OIDC är inte inställt' },
        502: { description: 'Inloggningstjänsten svarar inte' },
      },
    }),
    async (c) => {
      if (!oidc)
        throw new HttpError(404, 'Finns inte', 'OIDC-inloggning är inte inställd på den här servern');
      let started: Awaited<ReturnType<typeof oidc.start>>;
      try {
        started = await oidc.start(c.req.url);
      } catch (error) {
        deps.log.warn({ err: String((error as Error).message) }, 'OIDC: inloggningstjänsten svarar inte');
        throw new HttpError(
          502,
          'Inloggningstjänsten svarar inte',
          'Försök igen om en stund eller logga in med lösenord',
        );
      }
      setCookie(c, STATE_COOKIE, started.state, {
        httpOnly: true,
        // Lax: the provider sends the browser back with a top-level GET from another site.
        sameSite: 'Lax',
        path: '/api/session/oidc',
        secure: deps.secureCookies ?? false,
        maxAge: 600,
      });
      return c.redirect(started.url.href, 302);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/session/oidc/callback',
      summary: 'Inloggningstjänsten skickar tillbaka webbläsaren hit; sätter sessionskakan',
      responses: {
        302: { description: 'Till startsidan, eller till inloggningssidan med ett felmeddelande' },
      },
    }),
    async (c) => {
      if (!oidc)
        throw new HttpError(404, 'Finns inte', 'OIDC-inloggning är inte inställd på den här servern');
      const state = getCookie(c, STATE_COOKIE);
      deleteCookie(c, STATE_COOKIE, { path: '/api/session/oidc' });
      const back = (message: string) => c.redirect(`/?inloggningsfel=${encodeURIComponent(message)}`, 302);
      let username: string;
      try {
        ({ username } = await oidc.finish(c.req.url, state));
      } catch (error) {
        const message = error instanceof OidcError ? error.message : 'Inloggningen misslyckades';
        deps.log.warn(
          { err: error instanceof OidcError ? (error.detail ?? error.message) : String(error) },
          'OIDC',
        );
        await writeAudit(db, {
          actor: null,
          role: null,
          action: 'login_failed',
          origin: c.get('origin'),
          detail: { method: 'oidc', reason: message },
        });
        return back(message);
      }
      const user = await findUserByUsername(db, username);
      if (!user) {
        await writeAudit(db, {
          actor: username,
          role: null,
          action: 'login_failed',
          origin: c.get('origin'),
          detail: { method: 'oidc', reason: 'no_account' },
        });
        return back(`Kontot ${username} finns inte i Vårdval; be administratören lägga upp det`);
      }
      await openSession(c, deps, user, 'oidc');
      return c.redirect('/', 302);
    },
  );
}
