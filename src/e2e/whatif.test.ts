import { expect, it } from 'vitest';
import { oreFromText, screenshot } from './test-support/browser.js';
import { describeOnDemoSite } from './test-support/demo-site.js';
import { chooseSimulation, expectAccessible, openPage, settled } from './test-support/steps.js';

/**
 * What-if in the browser, end to end on the demo region: an officer changes a capitation share in
 * a copy of the rulebook in force (checked as they type), runs it budget-neutral, reads a winner and
 * a loser and the totals per kommun by name, saves the scenario and a colleague opens its link; a
 * provider asks what its unit would get with more listed children.
 */

describeOnDemoSite('what-if in chromium', { population: 1000 }, (site) => {
  it('changes a share, runs it budget-neutral, reads a winner and a loser, and shares the scenario', async () => {
    const page = await site.loggedIn('officer');
    await openPage(page, '/simulering');
    await chooseSimulation(page, 'Ändrad kopia av basen (utkast, publiceras inte)', '2025-06');

    const capitation = page.getByTestId('parameters-kapitering');
    await capitation.waitFor({ timeout: 30_000 });
    await capitation.locator('summary').click();
    const check = page.getByTestId('scenario-check');
    await expect.poll(() => check.innerText(), { timeout: 30_000 }).toContain('Regelboken är giltig');
    // One share alone no longer sums to 1 with the others: the check says so as the officer types.
    await capitation.getByLabel('Andel efter ålder och kön').fill('0,3');
    await expect.poll(() => check.innerText(), { timeout: 30_000 }).toContain('summera till 1');
    expect(await page.getByRole('button', { name: 'Simulera' }).isDisabled()).toBe(true);
    await capitation.getByLabel('Andel efter riskgrupp').fill('0,5');
    await expect.poll(() => check.innerText(), { timeout: 30_000 }).toContain('Regelboken är giltig');

    await page.getByRole('switch', { name: /Skala om så att totalen/ }).check();
    await page.getByRole('button', { name: 'Simulera' }).click();
    await page.getByTestId('simulation-scale-factor').waitFor({ timeout: 60_000 });
    expect((await page.getByTestId('simulation-diff').innerText()).trim()).toMatch(/^[+]?0,00[\u00a0 ]kr$/);

    // Winners and losers: the same total, moved from some units to others.
    const rows = page.getByTestId('simulation-units').locator('tbody tr');
    const diffs = (await rows.locator('td:nth-child(6)').allInnerTexts()).map((t) =>
      oreFromText(t.replace('+', '')),
    );
    const names = await rows.locator('th').allInnerTexts();
    const winner = names[diffs.findIndex((d) => d > 0)];
    const loser = names[diffs.findIndex((d) => d < 0)];
    expect(winner).toBeTruthy();
    expect(loser).toBeTruthy();
    expect(winner).not.toBe(loser);

    // Per kommun by name (never a four-digit code), and each component's share before and after.
    const kommuner = await page.getByTestId('simulation-kommuner').locator('tbody th').allInnerTexts();
    expect(kommuner.length).toBeGreaterThan(0);
    for (const k of kommuner) expect(k).not.toMatch(/^\d{4}$/);
    await page.getByTestId('chart-kommun').locator('svg').first().waitFor();
    await page.getByTestId('chart-shares').locator('svg').first().waitFor();
    await expect(page.getByRole('columnheader', { name: /Andel budgetneutralt/ }).count()).resolves.toBe(1);
    await expectAccessible(page, 'simulering med utkast');
    await screenshot(page, '30-simulering-utkast');

    // Saved under a name, opened by a colleague from its link with the change in place.
    await page.getByLabel('Scenariots namn').fill('Mer riskgrupp, mindre ålder');
    await page.getByRole('button', { name: 'Spara scenario' }).click();
    const saved = page.getByTestId('scenario-saved');
    await saved.waitFor({ timeout: 30_000 });
    const link = await saved.getByRole('link').getAttribute('href');
    expect(link).toMatch(/\/simulering\?scenario=\d+$/);

    const colleague = await site.loggedIn('approver');
    await colleague.goto(new URL(link!).pathname + new URL(link!).search);
    await colleague.getByRole('heading', { name: 'Scenario: Mer riskgrupp, mindre ålder' }).waitFor();
    const opened = colleague.getByTestId('parameters-kapitering');
    await opened.locator('summary').click();
    await expect(opened.getByLabel('Andel efter ålder och kön').inputValue()).resolves.toBe('0,3');
    await expect(
      colleague.getByRole('switch', { name: /Skala om så att totalen/ }).isChecked(),
    ).resolves.toBe(true);
    await expect(
      colleague
        .getByTestId('saved-scenarios')
        .getByRole('link', { name: 'Mer riskgrupp, mindre ålder' })
        .count(),
    ).resolves.toBe(1);
  });

  it('tells a provider what its own unit would get with more listed children', async () => {
    const page = await site.loggedIn('provider');
    await openPage(page, '/enheter');
    await page.getByRole('table').locator('tbody tr a').first().click();
    await page.getByRole('heading', { name: 'Om fler listade sig här' }).waitFor();
    await settled(page);
    await page.getByLabel('Antal fler listade').fill('200');
    await page.getByLabel('Ålder från (år)').fill('0');
    await page.getByLabel('Ålder till (år)').fill('6');
    await page.getByRole('button', { name: 'Räkna' }).click();
    const diff = page.getByTestId('what-if-diff');
    await diff.waitFor({ timeout: 60_000 });
    expect(oreFromText((await diff.innerText()).replace('+', ''))).toBeGreaterThan(0);
    await expectAccessible(page, 'vårdenhet med fler listade');
  });
});
