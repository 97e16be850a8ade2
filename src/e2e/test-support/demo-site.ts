import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { todayOf } from '../../adapters/http/clock.js';
import { startServer, type Started } from '../../adapters/http/server.js';
import { CHROMIUM, ensureWebBuild, freePort, launchChromium } from './browser.js';

/** The demo region's logins, one per role (printed by the server on its first start). */
export const LOGINS = {
  officer: ['handlaggare', 'demo-handlaggare-2025'],
  /** A second officer, with the approver right: approves what the first computed (attestordning). */
  approver: ['attestant', 'demo-attestant-2025'],
  provider: ['vardgivare', 'demo-vardgivare-2025'],
  analyst: ['analytiker', 'demo-analytiker-2025'],
  auditor: ['revisor', 'demo-revisor-2025'],
  admin: ['admin', 'demo-admin-2025'],
} as const;
export type DemoRole = keyof typeof LOGINS;

/** Logs in through the login form, on the page that is open, as the demo user of the role. */
export async function logIn(page: Page, role: DemoRole): Promise<void> {
  await page.goto('/');
  await page.getByRole('heading', { name: 'Logga in i Vårdval' }).waitFor();
  const [username, password] = LOGINS[role];
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('navigation', { name: 'Huvudmeny' }).waitFor();
}

export interface DemoSite {
  /** http://127.0.0.1:port of the running server. */
  readonly base: string;
  /** The server's store, for a test to arrange what the demo does not have. */
  readonly conn: Started['conn'];
  readonly browser: Browser;
  /** A fresh browser context (Swedish locale, Stockholm time) with one page, not logged in. */
  newPage(): Promise<Page>;
  /** A fresh page logged in through the login form as the demo user of the role. */
  loggedIn(role: DemoRole): Promise<Page>;
  /**
   * Moves the calendar: the server's date (which dates awards and signings) and, on the pages
   * given, the browser's, to noon of this day in Stockholm.
   */
  setToday(date: string, ...pages: Page[]): Promise<void>;
}

/** The demo site a describe block runs against. */
export interface DemoSiteChoice {
  /** How many persons the demo region has. */
  population: number;
  /** Installation settings the server starts with (environment variables), e.g. the review threshold. */
  settings?: Record<string, string>;
}

/**
 * A describe block against a demo site (see useDemoSite) in Debian's chromium; where chromium is not
 * installed, a skipped test says how to install it.
 */
export function describeOnDemoSite(
  name: string,
  choice: DemoSiteChoice,
  tests: (site: DemoSite) => void,
): void {
  if (!existsSync(CHROMIUM)) {
    describe(name, () => {
      it.skip(`needs ${CHROMIUM}: install it with apt-get install -y chromium`, () => {});
    });
    return;
  }
  describe(name, () => tests(useDemoSite(choice)));
}

/**
 * The real server on an embedded store of its own with a demo region, and Debian's chromium, for the
 * enclosing describe block; everything is closed and removed after it.
 */
export function useDemoSite({ population, settings = {} }: DemoSiteChoice): DemoSite {
  let home: string | undefined;
  let server: Started | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let today: string | undefined;
  const env = { VARDVAL_DEMO_POPULATION: String(population), LOG_LEVEL: 'warn', ...settings };
  const saved = Object.fromEntries(
    ['VARDVAL_HOME', ...Object.keys(env)].map((key) => [key, process.env[key]]),
  );

  beforeAll(async () => {
    ensureWebBuild();
    home = mkdtempSync(join(tmpdir(), 'vardval-e2e-'));
    process.env.VARDVAL_HOME = join(home, 'store');
    Object.assign(process.env, env);
    [server, browser] = await Promise.all([
      freePort().then((port) => startServer({ port, say: () => {}, today: () => today ?? todayOf({}) })),
      launchChromium(),
    ]);
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const site: DemoSite = {
    get base() {
      return `http://127.0.0.1:${server!.port}`;
    },
    get browser() {
      return browser!;
    },
    get conn() {
      return server!.conn;
    },
    async newPage() {
      const context = await browser!.newContext({
        baseURL: site.base,
        locale: 'sv-SE',
        timezoneId: 'Europe/Stockholm',
        viewport: { width: 1366, height: 900 },
        acceptDownloads: true,
        reducedMotion: 'reduce',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => {
        throw error;
      });
      return page;
    },
    async loggedIn(role) {
      const page = await site.newPage();
      await logIn(page, role);
      return page;
    },
    async setToday(date, ...pages) {
      today = date;
      for (const page of pages) await page.clock.setFixedTime(new Date(`${date}T12:00:00+01:00`));
    },
  };
  return site;
}

/** The person ids of the demo region's listings.csv, one per listing row. */
export function demoPersonIds(): string[] {
  return readFileSync(`${process.env.VARDVAL_HOME}-demo-data/listings.csv`, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0] ?? '');
}

/** A demo person born in the 1900s and under 100 (with a 10-digit form with a hyphen). */
export function demoPersonOf1900s(): string {
  const person = demoPersonIds().find((p) => /^19[4-9]\d{9}$/.test(p));
  if (!person) throw new Error('No demo person born 1940–1999 in listings.csv');
  return person;
}
