import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { screenshot } from './test-support/browser.js';
import { describeOnDemoSite, type DemoRole } from './test-support/demo-site.js';
import { expectAccessible, openPage, settled } from './test-support/steps.js';

/**
 * Every page of the menu fits the window: at 1 440 px (a desktop) and at 390 px (a phone) no page
 * scrolls sideways, and on the phone the menu folds away behind a button so the content comes first.
 * Wide tables scroll inside their own box, with the row's name kept in view.
 */

/** How far the page is wider than the window, and the outermost elements that stick out. */
async function sidewaysOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    interface El {
      id: string;
      tagName: string;
      className: unknown;
      parentElement: El | null;
      getBoundingClientRect(): { right: number };
    }
    const doc = (
      globalThis as unknown as {
        document: {
          documentElement: { scrollWidth: number; clientWidth: number };
          querySelectorAll(s: string): Iterable<El>;
        };
        getComputedStyle(el: El): { overflowX: string };
      }
    ).document;
    const view = globalThis as unknown as { getComputedStyle(el: El): { overflowX: string } };
    const clipped = (el: El) => {
      for (let p = el.parentElement; p; p = p.parentElement)
        if (view.getComputedStyle(p).overflowX !== 'visible') return true;
      return false;
    };
    const width = doc.documentElement.clientWidth;
    const culprits: string[] = [];
    for (const el of doc.querySelectorAll('main *')) {
      const parentSticksOut = el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1;
      if (
        el.getBoundingClientRect().right > width + 1 &&
        !parentSticksOut &&
        !clipped(el) &&
        culprits.length < 5
      )
        culprits.push(`${el.tagName.toLowerCase()}#${el.id}.${String(el.className)}`);
    }
    return { overflow: doc.documentElement.scrollWidth - width, culprits };
  });
}

async function menuPaths(page: Page): Promise<string[]> {
  // Hidden links too: on a phone the menu is folded away.
  const links = page.locator('nav[aria-label="Huvudmeny"] a');
  const hrefs: string[] = [];
  for (let i = 0; i < (await links.count()); i++) hrefs.push((await links.nth(i).getAttribute('href')) ?? '');
  return hrefs;
}

describeOnDemoSite('pages fit the window in chromium', { population: 1000 }, (site) => {
  const roles: DemoRole[] = ['officer', 'provider', 'auditor'];
  for (const width of [1440, 390]) {
    it(`no menu page scrolls sideways at ${width} px`, async () => {
      const wide: string[] = [];
      for (const role of roles) {
        const page = await site.loggedIn(role);
        await page.setViewportSize({ width, height: 900 });
        const paths = await menuPaths(page);
        expect(paths.length).toBeGreaterThan(0);
        for (const path of paths) {
          await openPage(page, path);
          await page.getByRole('heading', { level: 1 }).waitFor();
          const { overflow, culprits } = await sidewaysOverflow(page);
          if (overflow > 0) wide.push(`${role} ${path}: ${overflow} px too wide (${culprits.join(', ')})`);
        }
        await page.close();
      }
      expect(wide).toEqual([]);
    });
  }

  it('folds the menu away at 390 px behind a button, and opens it on demand', async () => {
    const page = await site.loggedIn('officer');
    await page.setViewportSize({ width: 390, height: 800 });
    await openPage(page, '/enheter');
    const toggle = page.getByRole('button', { name: 'Meny' });
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(
      page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Listning' }).isVisible(),
    ).resolves.toBe(false);
    // The page's heading is near the top, not pushed down by the menu.
    const top = await page.getByRole('heading', { level: 1 }).boundingBox();
    expect(top!.y).toBeLessThan(250);
    await toggle.click();
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Listning' }).click();
    await page.getByRole('heading', { level: 1, name: /Listning/ }).waitFor();
    // Choosing a page folds the menu again.
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await settled(page);
    await expectAccessible(page, 'listning 390 px');
    await screenshot(page, 'layout-390-listning');

    await page.setViewportSize({ width: 1440, height: 900 });
    await expect(page.getByRole('button', { name: 'Meny' }).isVisible()).resolves.toBe(false);
    await expect(
      page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Listning' }).isVisible(),
    ).resolves.toBe(true);
  });

  it('keeps the unit name in view when the units table scrolls sideways, and lets columns be hidden', async () => {
    const page = await site.loggedIn('officer');
    await page.setViewportSize({ width: 390, height: 800 });
    await openPage(page, '/enheter');
    const table = page.getByRole('table').first();
    const wrap = page.locator('.table-wrap').first();
    const firstName = table.locator('tbody th[scope="row"]').first();
    const before = await firstName.boundingBox();
    await wrap.evaluate((el) => {
      (el as unknown as { scrollLeft: number }).scrollLeft = 400;
    });
    const after = await firstName.boundingBox();
    expect(after!.x).toBeCloseTo(before!.x, 0);

    const headers = async () => table.locator('thead th').count();
    const all = await headers();
    await page.locator('summary', { hasText: 'Visa kolumner' }).click();
    const boxes = page.getByRole('group', { name: 'Visa kolumner' }).getByRole('checkbox');
    expect(await boxes.count()).toBeGreaterThan(1);
    await boxes.last().uncheck();
    expect(await headers()).toBe(all - 1);
    await expectAccessible(page, 'vårdenheter med dold kolumn');
  });
});
