import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { screenshot } from './test-support/browser.js';
import { demoPersonOf1900s, describeOnDemoSite } from './test-support/demo-site.js';
import {
  editNewVersion,
  expectAccessible,
  expectFitsEveryWidth,
  openPage,
  openRulebook,
  settled,
} from './test-support/steps.js';

/**
 * Everyday forms as a person meets them: messages at the field in plain Swedish (the application form
 * and the rulebook editor), identity numbers as people type them, and the comparison matrix by keyboard.
 */

/** The described-by text of a field: what a screen reader reads with it. */
async function describedBy(page: Page, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join(' ');
}

describeOnDemoSite('everyday forms in chromium', { population: 1000 }, (site) => {
  it('finds a person typed with 10 digits, and calls a malformed number a format error, not "not listed"', async () => {
    const officer = await site.loggedIn('officer');
    await openPage(officer, '/listning');
    // Born in the 1900s and under 100: the 10-digit form with a hyphen.
    const person = demoPersonOf1900s();
    expect(person).toBeDefined();
    const field = officer.getByLabel('Personnummer eller samordningsnummer');
    await field.fill(`${person.slice(2, 8)}-${person.slice(8)}`);
    await officer.getByRole('button', { name: 'Sök' }).click();
    const periods = officer.getByRole('table', { name: 'Listningsperioder' });
    await periods.waitFor();
    expect(await periods.locator('tbody tr').count()).toBeGreaterThan(0);
    // The unit by the name the officer knows, not its HSA-id.
    const unitNames = new Map(
      readFileSync(`${process.env.VARDVAL_HOME}-demo-data/units.csv`, 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.split(','))
        .map((cells) => [cells[0], cells[2]]),
    );
    const shown = await periods.locator('tbody tr').first().locator('th, td').first().innerText();
    expect([...unitNames.values()]).toContain(shown.trim());
    expect(unitNames.has(shown.trim())).toBe(false);

    await field.fill(`${person.slice(0, 8)}-${person.slice(8, 11)}`);
    await officer.getByRole('button', { name: 'Sök' }).click();
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    await expect(describedBy(officer, 'Personnummer eller samordningsnummer')).resolves.toMatch(
      /Personnumret har fel format\. Skriv 10 eller 12 siffror/,
    );
    await expect(officer.getByText('Personen har ingen listning').count()).resolves.toBe(0);
    await expect(periods.count()).resolves.toBe(0);
    await expectAccessible(officer, 'personuppslag med formatfel');
  });

  it('puts each of the application form\u2019s messages at its field, and offers the 290 kommuner', async () => {
    const provider = await site.loggedIn('provider');
    await openPage(provider, '/ansokningar/ny', 'Ny ansökan');
    const kommun = provider.getByLabel('Kommun (1)');
    await expect.poll(() => kommun.locator('option').count()).toBe(291);
    await expect(kommun.locator('option', { hasText: 'Ragunda' }).getAttribute('value')).resolves.toBe(
      '2303',
    );
    // Nothing asks for an HSA-id the unit does not have yet.
    await expect(describedBy(provider, 'HSA-id (1)')).resolves.toMatch(/annars lämna tomt/);

    await provider.getByRole('button', { name: 'Skicka in ansökan' }).click();
    const summary = provider.getByRole('alert');
    await summary.waitFor();
    await expect(summary.innerText()).resolves.toMatch(/Sökande \(namn\): Fyll i fältet\./);
    await expect(summary.innerText()).resolves.toMatch(/Namn \(enhet 1\): Fyll i fältet\./);
    // No raw schema text or JSON pointers for a person to decode.
    await expect(summary.innerText()).resolves.not.toMatch(/\/applicant_name|förväntade|string/);
    const name = provider.getByLabel('Sökande (namn)');
    await expect(name.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(describedBy(provider, 'Sökande (namn)')).resolves.toBe('Fyll i fältet.');
    await expect(describedBy(provider, 'Namn (1)')).resolves.toBe('Fyll i fältet.');
    // The summary's link leads to the field.
    await summary.getByRole('link', { name: 'Sökande (namn)' }).click();
    await expect(
      name.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement),
    ).resolves.toBe(true);
    await expectAccessible(provider, 'ny ansökan med fel');
    await screenshot(provider, 'forms-ansokan-fel');

    await name.fill('Vårdgivaren AB');
    await provider.getByLabel('Namn (1)').fill('Vårdcentral Ragunda');
    await kommun.selectOption({ label: 'Ragunda' });
    await provider.getByRole('button', { name: 'Skicka in ansökan' }).click();
    await provider.getByRole('heading', { name: 'Ansökan är inskickad', level: 1 }).waitFor();
    await expect(provider.getByTestId('application-receipt').innerText()).resolves.toMatch(
      /Vårdcentral Ragunda, Ragunda/,
    );
    await expectAccessible(provider, 'kvitto');
  });

  it('refuses a negative amount in the rulebook editor with its line and what to write, at the text', async () => {
    const officer = await site.loggedIn('officer');
    await openRulebook(officer, /Förfrågningsunderlag Vårdval primärvård/);
    const area = await editNewVersion(officer);
    const original = await area.inputValue();
    expect(original).toMatch(/annual_amount: /);
    const broken = original.replace(/annual_amount: .*$/m, 'annual_amount: -2700');
    const line = broken.split('\n').findIndex((l) => l.includes('annual_amount: -')) + 1;
    await area.fill(broken);
    await officer.getByRole('button', { name: 'Granska' }).click();
    const errors = officer.getByTestId('rulebook-errors');
    await errors.waitFor();
    await expect(errors.innerText()).resolves.toContain(
      'Beloppet kan inte vara negativt: skriv beloppet i kronor, t.ex. 2700',
    );
    await expect(
      errors.getByRole('button', { name: new RegExp(`^Rad ${line}, kolumn \\d+$`) }).count(),
    ).resolves.toBe(1);
    await expect(area.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(describedBy(officer, 'Regelbok (YAML)')).resolves.toContain(
      'Beloppet kan inte vara negativt',
    );
    await expect(officer.getByText('Regelboken är giltig').count()).resolves.toBe(0);

    await area.fill(original.replace(/annual_amount: .*$/m, 'annual_amount: 2 700 kr'));
    await officer.getByRole('button', { name: 'Granska' }).click();
    // The list still shows the first answer until the second arrives.
    await expect.poll(() => errors.innerText()).toContain('utan mellanslag och "kr"');
    await expectAccessible(officer, 'regelbok med fel belopp');
  });

  it('moves between the comparison matrix\u2019s cells with the arrow keys, regions by name, the chosen cell marked', async () => {
    const analyst = await site.loggedIn('analyst');
    await openPage(analyst, '/jamforelse', 'Jämförelse av regionerna');
    const hsl = analyst.getByTestId('compare-hsl');
    const headers = await hsl.locator('thead th.region').allInnerTexts();
    expect(headers).toHaveLength(21);
    expect(headers).toContain('Stockholm');
    expect(headers).toContain('Jämtland Härjedalen');

    const focused = () =>
      analyst.evaluate(() => {
        const el = (
          globalThis as unknown as { document: { activeElement: { dataset: Record<string, string> } } }
        ).document.activeElement;
        return `${el.dataset.region}|${el.dataset.criterion}`;
      });
    const start = hsl.locator('button[data-region="AB"][data-criterion="sip_penalty"]');
    await start.click();
    await expect(start.getAttribute('aria-pressed')).resolves.toBe('true');
    const regions = await hsl
      .locator('tbody tr')
      .filter({ has: analyst.locator('[data-criterion="sip_penalty"]') })
      .locator('[data-region]')
      .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { region: string } }).dataset.region));
    await analyst.keyboard.press('ArrowRight');
    expect(await focused()).toBe(`${regions[1]}|sip_penalty`);
    await analyst.keyboard.press('End');
    expect(await focused()).toBe(`${regions[regions.length - 1]}|sip_penalty`);
    await analyst.keyboard.press('Home');
    expect(await focused()).toBe(`${regions[0]}|sip_penalty`);
    await analyst.keyboard.press('ArrowDown');
    const below = await focused();
    expect(below.split('|')[0]).toBe(regions[0]);
    expect(below.split('|')[1]).not.toBe('sip_penalty');
    await analyst.keyboard.press('ArrowUp');
    expect(await focused()).toBe(`${regions[0]}|sip_penalty`);
    await expectAccessible(analyst, 'jämförelse med vald cell');
  });

  it('searches the whole audit log in Swedish, and finds the person looked up under another spelling', async () => {
    const auditor = await site.loggedIn('auditor');
    await openPage(auditor, '/granskning', 'Granskningslogg');
    const search = auditor.getByLabel('Sök i hela loggen');
    await search.fill('godkände körning');
    await auditor.getByRole('button', { name: 'Sök', exact: true }).click();
    await auditor.getByRole('heading', { name: /poster om "godkände körning"/ }).waitFor();
    await settled(auditor);
    const events = await auditor.locator('tbody tr td:nth-child(5)').allInnerTexts();
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e).toBe('Godkände körning');
    await expect(auditor.getByText('run.approve').count()).resolves.toBe(0);
    // The person the officer looked up (first test) under 10 digits is found under 12.
    const person = demoPersonOf1900s();
    await search.fill(`${person.slice(0, 8)}-${person.slice(8)}`);
    await auditor.getByRole('button', { name: 'Sök', exact: true }).click();
    await auditor.getByRole('heading', { name: /^1 poster om/ }).waitFor();
    await expect(auditor.locator('tbody tr td:nth-child(5)').allInnerTexts()).resolves.toEqual([
      'Läste persons listning',
    ]);
    await expectFitsEveryWidth(auditor, 'granskningslogg');
  });

  it('compares a new draft with the version it was made from when asked from the draft', async () => {
    const officer = await site.loggedIn('officer');
    await openRulebook(officer, /Förfrågningsunderlag Vårdval primärvård/);
    const base = (await officer.getByRole('heading', { level: 1 }).innerText()).trim();
    const baseVersion = /version (\d+)/.exec(
      await officer.locator('.lead, header p').first().innerText(),
    )?.[1];
    await editNewVersion(officer);
    await officer.getByRole('button', { name: 'Spara utkast' }).click();
    await officer.getByRole('link', { name: 'Jämför med annan version' }).click();
    await officer.getByRole('heading', { name: 'Jämför regelböcker', level: 1 }).waitFor();
    await settled(officer);
    const a = await officer.getByLabel('Version A').locator('option:checked').innerText();
    const b = await officer.getByLabel('Version B').locator('option:checked').innerText();
    expect(a).toBe(`${base} – version ${baseVersion}`);
    expect(b).toMatch(new RegExp(`^${base.replace(/[()]/g, '\\$&')} – version \\d+ \\(utkast\\)$`));
    await officer.getByRole('button', { name: 'Jämför' }).click();
    await officer.getByTestId('diff-summary').waitFor();
    await expectAccessible(officer, 'jämförelse av utkast');
  });
});
