import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, launchChromium } from '../../e2e/test-support/browser.js';
import { OidcLogin, oidcSettingsFromEnv } from '../auth/oidc.js';
import { connect, type Connection } from '../store/connection.js';
import { createUser, listAudit } from '../store/users.js';
import { createApp } from './app.js';
import { createLogger } from './log.js';

/**
 * OpenID Connect against a real provider (oidc-provider, the certified Node implementation) on
 * loopback, driven by a real browser: its own login form, consent, the code exchange with PKCE and
 * the ID token's signature, nonce and state, all as in production.
 */

let conn: Connection;
let browser: Browser;
let idp: Server;
let app: ServerType;
let appBase = '';
const logLines: string[] = [];

function listen(server: Server | ServerType): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

beforeAll(async () => {
  conn = await connect({ home: 'memory://' });
  await createUser(conn.db, {
    username: 'anna.handlaggare',
    password: 'ett-langt-losenord',
    role: 'officer',
  });

  // The provider's address must be known before it is created, and the app's before the client is.
  const idpHandler: { handle?: (req: never, res: never) => void } = {};
  idp = createServer((req, res) => idpHandler.handle!(req as never, res as never));
  const idpPort = await listen(idp);
  const issuer = `http://127.0.0.1:${idpPort}`;

  const settings = oidcSettingsFromEnv({
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: 'vardval',
    OIDC_CLIENT_SECRET: 'hemligt-klient-losenord-for-test',
  })!;
  const sink = new Writable({
    write(chunk, _e, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const hono = createApp({ conn, log: createLogger(sink), oidc: new OidcLogin(settings) });
  app = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => app.once('listening', r));
  appBase = `http://127.0.0.1:${(app.address() as { port: number }).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'vardval',
        client_secret: 'hemligt-klient-losenord-for-test',
        redirect_uris: [`${appBase}/api/session/oidc/callback`],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
    async findAccount(_ctx, id) {
      return { accountId: id, claims: () => ({ sub: `sub-${id}`, preferred_username: id, name: id }) };
    },
    cookies: { keys: ['nyckel-for-testets-kakor'] },
  });
  idpHandler.handle = provider.callback() as never;
  ensureWebBuild();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => app?.close(r));
  await new Promise((r) => idp?.close(r));
  await conn?.close();
});

async function loginThroughProvider(login: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // From the login page's button, as a person would.
  await page.goto(`${appBase}/`);
  await page.getByRole('link', { name: 'Logga in med organisationens inloggning' }).click();
  // The provider's own sign-in form, then its consent page.
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'vad-som-helst');
  await page.click('button[type=submit]');
  await page.click('button[type=submit]');
  await page.waitForURL((url) => url.origin === appBase && !url.pathname.startsWith('/api/'));
  const session = await page.evaluate(async () => {
    const res = await fetch('/api/session');
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  });
  return { context, page, session };
}

describe('OpenID Connect login', () => {
  it('offers the OIDC button beside the password', async () => {
    const res = await fetch(`${appBase}/api/session/options`);
    expect(await res.json()).toEqual({
      password: true,
      oidc: { label: 'Logga in med organisationens inloggning', start: '/api/session/oidc/login' },
    });
  });

  it('logs a person with a local account in, with that account’s role, and audits it', async () => {
    const { context, session } = await loginThroughProvider('anna.handlaggare');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ username: 'anna.handlaggare', role: 'officer' });
    const audit = await listAudit(conn.db, { limit: 10 });
    expect(audit.find((a) => a.action === 'login')).toMatchObject({
      actor: 'anna.handlaggare',
      detail: { method: 'oidc' },
    });
    await context.close();
  }, 60_000);

  it('refuses a person the provider knows but Vårdval does not, with a Swedish message and no session', async () => {
    const { context, page, session } = await loginThroughProvider('okand.person');
    expect(session.status).toBe(401);
    expect(new URL(page.url()).searchParams.get('inloggningsfel')).toBe(
      'Kontot okand.person finns inte i Vårdval; be administratören lägga upp det',
    );
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Kontot okand.person finns inte i Vårdval');
    await context.close();
  }, 60_000);

  it('refuses a callback that this browser did not start (forged or replayed state)', async () => {
    const res = await fetch(`${appBase}/api/session/oidc/callback?code=abc&state=forged`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('set-cookie') ?? '').not.toContain('vardval_session=');
    expect(decodeURIComponent(res.headers.get('location') ?? '')).toContain(
      'Inloggningen har gått ut eller startades inte här',
    );
  });

  it('answers 404 for the OIDC endpoints on a server without OIDC', async () => {
    const plain = createApp({ conn, log: createLogger(new Writable({ write: (_c, _e, d) => d() })) });
    expect((await plain.request('/api/session/oidc/login')).status).toBe(404);
    expect(await (await plain.request('/api/session/options')).json()).toEqual({
      password: true,
      oidc: null,
    });
  });
});

describe('OIDC settings', () => {
  it('are off without OIDC_ISSUER and say what is missing when half set', () => {
    expect(oidcSettingsFromEnv({})).toBeUndefined();
    expect(() => oidcSettingsFromEnv({ OIDC_ISSUER: 'https://idp.example' })).toThrow(
      'OIDC_CLIENT_ID saknas',
    );
    expect(() => oidcSettingsFromEnv({ OIDC_ISSUER: 'inte en adress', OIDC_CLIENT_ID: 'x' })).toThrow(
      'OIDC_ISSUER är ingen giltig adress',
    );
  });
});
