import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Started } from '../adapters/http/server.js';
import {
  axeViolations,
  CHROMIUM,
  ensureWebBuild,
  freePort,
  launchChromium,
  screenshot,
} from './test-support/browser.js';

/**
 * The pages "Ansökningar" and "Upphandling" in chromium, on the demo region (which holds a LOV
 * choice system with a group application led by the demo provider and a signed NSS contract).
 */

const chromiumMissing = !existsSync(CHROMIUM);

describe.skipIf(chromiumMissing)('applications and procurement in the web interface', () => {
  let home: string;
  let server: Started;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const saved = {
    home: process.env.VARDVAL_HOME,
    population: process.env.VARDVAL_DEMO_POPULATION,
    level: process.env.LOG_LEVEL,
  };

  beforeAll(async () => {
    ensureWebBuild();
    home = mkdtempSync(join(tmpdir(), 'vardval-e2e-proc-'));
    process.env.VARDVAL_HOME = join(home, 'store');
    process.env.VARDVAL_DEMO_POPULATION = '1500';
    process.env.LOG_LEVEL = 'warn';
    const [started, launched] = await Promise.all([
      freePort().then((port) => startServer({ port, say: () => {} })),
      launchChromium(),
    ]);
    server = started;
    browser = launched;
    base = `http://127.0.0.1:${server.port}`;
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
    for (const [key, value] of [
      ['VARDVAL_HOME', saved.home],
      ['VARDVAL_DEMO_POPULATION', saved.population],
      ['LOG_LEVEL', saved.level],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function loggedIn(username: string, password: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: base, locale: 'sv-SE', reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto('/');
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill(password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('navigation', { name: 'Huvudmeny' }).waitFor();
    return page;
  }

  async function settled(page: Page): Promise<void> {
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      return !doc.querySelector('.loading');
    });
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    const violations = await axeViolations(page);
    expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  it('shows the officer both procedures with the standstill dates, and every application', async () => {
    const officer = await loggedIn('handlaggare', 'demo-handlaggare-2025');
    await officer
      .getByRole('navigation', { name: 'Huvudmeny' })
      .getByRole('link', { name: 'Upphandling' })
      .click();
    await settled(officer);
    await expect(officer.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Upphandling');
    const table = officer.getByRole('table');
    await expect(table.getByRole('row').count()).resolves.toBe(3);
    await expect(table.getByText('Avtal tecknat').count()).resolves.toBe(1);
    // Sent 2025-04-08: the tenth day is Good Friday, so the standstill ends on Tuesday after Easter.
    await expect(table.getByText('2025-04-22').count()).resolves.toBe(1);
    await expect(officer.getByText('pris är aldrig ett kriterium').count()).resolves.toBe(1);
    await expect(
      officer.getByRole('heading', { name: 'Ny upphandling att ta ställning till' }).count(),
    ).resolves.toBe(1);
    await expectAccessible(officer, 'upphandling');
    await screenshot(officer, '20-upphandling');

    await officer.goto('/ansokningar');
    await settled(officer);
    const rows = officer.getByRole('table').getByRole('row');
    await expect(rows.count()).resolves.toBe(5);
    await expect(officer.getByRole('table').getByText('Avslagen').count()).resolves.toBe(1);
    await expectAccessible(officer, 'ansökningar');
  });

  it('shows a provider only its own group application, its status and the review instructions', async () => {
    const provider = await loggedIn('vardgivare', 'demo-vardgivare-2025');
    await provider.goto('/upphandling');
    await settled(provider);
    // The warnings are the region's; a provider sees the procedures only.
    await expect(
      provider.getByRole('heading', { name: 'Ny upphandling att ta ställning till' }).count(),
    ).resolves.toBe(0);
    await provider.goto('/ansokningar');
    await settled(provider);
    const rows = provider.getByRole('table').getByRole('row');
    await expect(rows.count()).resolves.toBe(2);
    await expect(provider.getByRole('table').getByText('Grupp om 3').count()).resolves.toBe(1);
    await provider.getByRole('table').getByRole('link').click();
    await settled(provider);
    await expect(provider.getByRole('heading', { name: 'Status: Godkänd' }).count()).resolves.toBe(1);
    await expect(provider.getByText('förvaltningsrätten', { exact: false }).count()).resolves.toBe(1);
    await expect(provider.getByText('25 % av åtagandet', { exact: false }).count()).resolves.toBe(1);
    await expectAccessible(provider, 'ansökan');
    await screenshot(provider, '21-ansokan');
    // Another provider's application (the rejected one, number 2) is not found.
    await provider.goto('/ansokningar/2');
    await settled(provider);
    await expect(provider.getByRole('alert').innerText()).resolves.toContain('finns inte');
  });
});
