import type { APIResponse, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations } from './browser.js';

/**
 * What a person does on a page of the web interface, as the end-to-end tests take the same steps:
 * open a page and wait until it has loaded, follow the main menu, check that a page fits the window
 * and passes axe, and reach the API as the user logged in on the page.
 */

/** Waits until the page has loaded what it fetches (no "Hämtar …" left). */
export async function settled(page: Page): Promise<void> {
  // A function, not a string: the page's CSP forbids eval.
  await page.waitForFunction(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    return !doc.querySelector('.loading');
  });
}

/** The level-1 heading of the page: the one named so, or any when no name is given. */
function pageHeading(page: Page, name?: string | RegExp): Locator {
  return page.getByRole('heading', { level: 1, ...(name !== undefined && { name }) });
}

/** Goes to a path and waits until the page has loaded; with a heading, until its h1 reads so. */
export async function openPage(page: Page, path: string, heading?: string | RegExp): Promise<void> {
  await page.goto(path);
  if (heading !== undefined) await pageHeading(page, heading).waitFor();
  await settled(page);
}

/** Follows the main menu's link to a page and waits until it has loaded, its h1 named as the link. */
export async function openFromMenu(page: Page, link: string, heading: string | RegExp = link): Promise<void> {
  await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: link }).click();
  await pageHeading(page, heading).waitFor();
  await settled(page);
}

export async function navItems(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').allInnerTexts();
}

/** axe-core finds no serious or critical WCAG 2.1 A/AA violation on the page as it is now. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** How many pixels the page is wider than the window (0 or less: no horizontal scrolling). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const el = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number } };
      }
    ).document.documentElement;
    return el.scrollWidth - el.clientWidth;
  });
}

/** The widths the pages must fit: a desktop's and a phone's. */
export const DESKTOP_AND_PHONE = [1440, 390] as const;

/**
 * At a desktop's and a phone's width the page does not scroll sideways and passes axe; `alsoAt`
 * checks more at each width (after the window is resized, before the overflow is measured).
 */
export async function expectFitsEveryWidth(
  page: Page,
  name: string,
  alsoAt: (width: number) => Promise<void> = async () => {},
): Promise<void> {
  for (const width of DESKTOP_AND_PHONE) {
    await page.setViewportSize({ width, height: 900 });
    await alsoAt(width);
    expect(await horizontalOverflow(page), `${name}, ${width} px`).toBeLessThanOrEqual(0);
    await expectAccessible(page, `${name} ${width} px`);
  }
}

/** GET of the API as the user logged in on the page; the answer must be 200, its JSON is returned. */
export async function apiGet<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(path);
  expect(res.status(), `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

/** POST of JSON to the API as the user logged in on the page, with the session's CSRF token. */
export async function apiPost(page: Page, path: string, data?: unknown): Promise<APIResponse> {
  const { csrf_token } = await apiGet<{ csrf_token: string }>(page, '/api/session');
  return page.request.post(path, { headers: { 'x-csrf-token': csrf_token }, data });
}

/** Assesses each requirement fieldset of an application or tender as the first choice, with a basis and a motivation. */
export async function assessEveryRequirement(requirements: Locator): Promise<void> {
  const count = await requirements.count();
  for (let i = 0; i < count; i++) {
    const r = requirements.nth(i);
    await r.getByLabel('Bedömning').selectOption({ index: 1 });
    await r.getByLabel('Underlag').fill('Intyg');
    await r.getByLabel('Motivering').fill('Kontrollerat');
  }
}

/** From the list of rulebooks, the page of the first one whose name matches. */
export async function openRulebook(page: Page, name: string | RegExp): Promise<void> {
  await page.goto('/regelbocker');
  await page.getByRole('link', { name }).first().click();
  await page.getByRole('link', { name: 'Ny version utifrån denna' }).waitFor();
}

/** From a rulebook's page, a new version in the editor: its YAML field, once the base's text is in it. */
export async function editNewVersion(page: Page): Promise<Locator> {
  await page.getByRole('link', { name: 'Ny version utifrån denna' }).click();
  const area = page.getByLabel('Regelbok (YAML)');
  await expect.poll(() => area.inputValue()).toMatch(/^id: /m);
  return area;
}

/** The demo region's example rulebook for 2025, as the pages' choices name it. */
export const EXAMPLE_2025 = 'Förfrågningsunderlag Vårdval primärvård 2025 – version 1';

/** On the simulation page: the example rulebook for 2025 as the base, the scenario by its label, and the month. */
export async function chooseSimulation(page: Page, scenario: string, month: string): Promise<void> {
  await page.getByLabel('Nuvarande regelbok (bas)').selectOption({ label: EXAMPLE_2025 });
  await page.getByLabel('Scenario').selectOption({ label: scenario });
  await page.getByLabel('Månad', { exact: true }).selectOption(month);
}
