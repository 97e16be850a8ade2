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
 * The follow-up page (Uppföljning) in chromium against the real server and its demo region: trend
 * charts, the conformance table with sources, the differentiated region's systems side by side,
 * and a provider reporting a fact about its own unit.
 */

const chromiumMissing = !existsSync(CHROMIUM);

describe.skipIf(chromiumMissing)('Uppföljning in chromium', () => {
  let home: string;
  let server: Started;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const saved = {
    home: process.env.VARDVAL_HOME,
    population: process.env.VARDVAL_DEMO_POPULATION,
    level: process.env.LOG_LEVEL,
  };

  beforeAll(async () => {
    ensureWebBuild();
    home = mkdtempSync(join(tmpdir(), 'vardval-e2e-fu-'));
    process.env.VARDVAL_HOME = join(home, 'store');
    process.env.VARDVAL_DEMO_POPULATION = '3000';
    process.env.LOG_LEVEL = 'warn';
    const [started, launched] = await Promise.all([
      freePort().then((port) => startServer({ port, say: () => {} })),
      launchChromium(),
    ]);
    server = started;
    browser = launched;
  }, 180_000);

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
    const context = await browser.newContext({
      baseURL: `http://127.0.0.1:${server.port}`,
      locale: 'sv-SE',
      viewport: { width: 1366, height: 900 },
      reducedMotion: 'reduce',
    });
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

  it('shows the differentiated region’s systems side by side with trends and conformance', async () => {
    const officer = await loggedIn('handlaggare', 'demo-handlaggare-2025');
    await officer
      .getByRole('navigation', { name: 'Huvudmeny' })
      .getByRole('link', { name: 'Uppföljning' })
      .click();
    await officer.getByRole('heading', { name: 'Uppföljning', level: 1 }).waitFor();
    await settled(officer);
    // The differentiated pair is offered first and shown side by side.
    const system = officer.getByLabel('Vårdvalssystem', { exact: true });
    await expect(system.locator('option:checked').innerText()).resolves.toMatch(
      /Differentierat vårdval 2025/,
    );
    await officer.getByRole('heading', { name: 'Landsbygd', exact: true, level: 3 }).first().waitFor();
    await officer.getByRole('heading', { name: 'Tätort', exact: true, level: 3 }).first().waitFor();
    await expect(officer.locator('.systems.side-by-side').count()).resolves.toBeGreaterThan(0);
    await officer.getByTestId('chart-lakarbesok_3dagar').first().locator('svg').first().waitFor();
    await expect(
      officer.getByTestId('chart-lakarbesok_3dagar').first().locator('.canvas').getAttribute('aria-label'),
    ).resolves.toMatch(/Linjediagram över \d+ perioder/);
    // conformance: every status word comes from met / ej uppfyllt / okänt, with sources
    const statuses = await officer
      .getByTestId('conformance-units')
      .first()
      .locator('tbody .badge')
      .allInnerTexts();
    expect(statuses.length).toBeGreaterThan(3);
    expect(new Set(statuses).size).toBeGreaterThan(1);
    for (const s of statuses) expect(['Uppfyllt', 'Ej uppfyllt', 'Okänt']).toContain(s);
    await expectAccessible(officer, 'uppföljning');
    await screenshot(officer, '20-uppfoljning');

    // one system alone: the ordinary example rulebook
    await system.selectOption({
      label: 'Förfrågningsunderlag Vårdval primärvård 2025 (exempel/vardval/2025)',
    });
    await settled(officer);
    await officer.getByTestId('chart-kontinuitet_lakare').locator('svg').first().waitFor();
    await expect(officer.locator('.systems.side-by-side').count()).resolves.toBe(0);
    const csv = await officer.request.get(
      `/api/followup/export/csv?version_ids=${new URL(officer.url()).searchParams.get('system')}&from=2025-01&to=2025-06`,
    );
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('kontinuitet_lakare');
  });

  it('lets a provider report a fact for its own unit and see the requirement change', async () => {
    const provider = await loggedIn('vardgivare', 'demo-vardgivare-2025');
    await provider.goto('/uppfoljning');
    await settled(provider);
    const form = provider.getByRole('form', { name: 'Rapportera en uppgift om en enhet' });
    await form.getByLabel('Uppgift').selectOption('opening_hours_per_week');
    await form.getByLabel('Värde').fill('50');
    await form.getByLabel('Gäller från').fill('2020-01-01');
    await form.getByRole('button', { name: 'Registrera' }).click();
    await expect(form.getByRole('status').innerText()).resolves.toContain('registrerad');
    await settled(provider);
    await expectAccessible(provider, 'uppföljning vårdgivare');
    await screenshot(provider, '21-uppfoljning-vardgivare');
  });
});
