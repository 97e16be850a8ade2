import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { screenshot, SCREENSHOTS } from './test-support/browser.js';
import { describeOnDemoSite } from './test-support/demo-site.js';
import { EXAMPLE_2025, expectAccessible, navItems, openFromMenu, settled } from './test-support/steps.js';

/**
 * The comparison page (Jämförelse) end to end: the real server with its demo region and Debian's
 * chromium. Checks that unknown facts read "okänt", that a cell's source shows on focus, the budget
 * chart, the baseline conformance of a stored rulebook, axe, and a screenshot.
 */

describeOnDemoSite('the comparison page in chromium', { population: 1000 }, (site) => {
  let page: Page;

  beforeAll(async () => {
    page = await site.loggedIn('analyst');
  });

  it('offers the analyst the comparison and shows unknown facts as okänt, never ja or nej', async () => {
    expect(await navItems(page)).toContain('Jämförelse');
    await openFromMenu(page, 'Jämförelse', 'Jämförelse av regionerna');

    const hsl = page.getByTestId('compare-hsl');
    // Every cell of the psychologist row: the seeds name none of the eight regions, so all read okänt.
    const psychologist = hsl.locator('[data-criterion="psychologist"]');
    expect(await psychologist.count()).toBe(21);
    expect(new Set(await psychologist.allInnerTexts())).toEqual(new Set(['okänt']));
    // SIP 2024: all 21 regions, named by the seed.
    expect(new Set(await hsl.locator('[data-criterion="sip"]').allInnerTexts())).toEqual(new Set(['ja']));
    // A cell without a source is never ja or nej.
    const unsourced = await page.locator('span.fact[data-criterion]').allInnerTexts();
    expect(unsourced.length).toBeGreaterThan(100);
    expect(new Set(unsourced)).toEqual(new Set(['okänt']));

    // Focus shows the source: seed file, section and quote.
    await hsl.locator('button[data-region="AB"][data-criterion="sip_penalty"]').focus();
    const source = page.getByTestId('compare-source');
    await expect(source.innerText()).resolves.toContain('praktikertjanst-2024-hur-styr-regionerna.txt');
    await expect(source.innerText()).resolves.toContain('4 000 kronor per individuellt ärende');
  });

  it('draws the budget share per region against the 25 percent target, unknown as okänt', async () => {
    const chart = page.getByTestId('compare-budget-chart');
    await chart.locator('svg').first().waitFor();
    await chart.getByText('Visa som tabell').click();
    const table = page.getByTestId('compare-budget-table');
    const halland = table.getByRole('row', { name: /Region Halland/ });
    await expect(halland.locator('td').first().textContent()).resolves.toBe('10');
    const stockholm = table.getByRole('row', { name: /Region Stockholm/ });
    await expect(stockholm.locator('td').first().textContent()).resolves.toBe('okänt');
    await expect(chart.locator('div.canvas').getAttribute('aria-label')).resolves.toMatch(
      /Region Halland 10 procent och Västra Götalandsregionen 23 procent; okänd för övriga 19 regioner.*riktmärket 25 procent/,
    );
    // The chart's own axis names the regions, not their letter codes.
    const axis = await chart.locator('svg text').allTextContents();
    expect(axis).toEqual(expect.arrayContaining(['Halland', 'Stockholm', 'Jämtland Härjedalen']));
    expect(axis).not.toContain('AB');
    expect(axis).not.toContain('N');
  });

  it('shows per region what changed between 2022 and 2024', async () => {
    const table = page.getByTestId('compare-changes');
    await table.waitFor();
    await page.getByLabel('Region', { exact: true }).selectOption({ label: 'Region Västmanland' });
    const rows = table.locator('tbody tr');
    await expect(rows.first().innerText()).resolves.toContain('Region Västmanland');
    const st = table.getByRole('row', { name: /Ersättning för utbildningsinsatser/ });
    const text = await st.innerText();
    expect(text).toContain('2022: nej');
    expect(text).toContain('2024: ja');
    expect(text).toContain('ändrat');
    expect(text).toContain('Västmanland tillkom mellan 2022 och 2024.');
    // Only Västmanland's rows remain.
    for (const row of await rows.allInnerTexts()) expect(row).toContain('Region Västmanland');
    // Jämtland Härjedalen's health dialogues, postponed in 2022 and offered in 2024.
    await page.getByLabel('Region', { exact: true }).selectOption({ label: 'Region Jämtland Härjedalen' });
    const dialogues = table.getByRole('row', { name: /Erbjuder hälsosamtal/ });
    await expect(dialogues.innerText()).resolves.toMatch(/2022: nej[\s\S]*2024: ja[\s\S]*ändrat/);
  });

  it('shows what the example rulebook lacks against the national baseline, and passes axe', async () => {
    const summary = page.getByTestId('compare-conformance-summary');
    await summary.waitFor();
    await page.getByLabel('Regelbok', { exact: true }).selectOption({ label: EXAMPLE_2025 });
    await settled(page);
    await expect(summary.innerText()).resolves.toMatch(
      /täcker 13 av 14 kriterier.*Saknas: Samverkansersättning\./,
    );
    await expectAccessible(page, 'jämförelse');
    await screenshot(page, '20-jamforelse');
    // The matrix as the reader first sees it, with a source shown.
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    await page
      .getByTestId('compare-hsl')
      .locator('button[data-region="T"][data-criterion="opening_hours_min_per_week"]')
      .hover();
    await page.screenshot({ path: join(SCREENSHOTS, '21-jamforelse-matris.png') });
  });
});
