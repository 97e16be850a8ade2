import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { screenshot } from './test-support/browser.js';
import { describeOnDemoSite } from './test-support/demo-site.js';
import { apiGet, apiPost, expectAccessible, openFromMenu, openPage } from './test-support/steps.js';

/**
 * Sanctions with due process in chromium, on the demo region: the officer proposes fines from the
 * follow-up of December, the provider answers one, the officer reduces it with a reason, and the
 * next payment run for December carries the penalty line that names the decision.
 */

/** The sanction's page in the status, showing the text once, and with no decision to make for this user. */
async function expectNoDecisionOffered(page: Page, status: string, text: string): Promise<void> {
  await page.getByRole('heading', { name: `Status: ${status}` }).waitFor();
  await expect(page.getByText(text, { exact: false }).count()).resolves.toBe(1);
  await expect(page.getByRole('button', { name: 'Fatta beslut' }).count()).resolves.toBe(0);
}

describeOnDemoSite('Sanktioner in chromium', { population: 1500 }, (site) => {
  it('walks a proposed sanction through the provider’s answer and the officer’s decision to a penalty line', async () => {
    // The provider reports that one of its units has had no psychologist since December.
    const provider = await site.loggedIn('provider');
    const me = await apiGet<{ provider_id: string }>(provider, '/api/session');
    const units = await apiGet<{ items: { unit_id: string; branch_of: string | null }[] }>(
      provider,
      '/api/units?page_size=500',
    );
    const unit = units.items.find((u) => u.branch_of === null)!.unit_id;
    const reported = await apiPost(provider, '/api/followup/facts', {
      unit_id: unit,
      fact: 'psychologist',
      value: false,
      valid_from: '2025-12-01',
    });
    expect(reported.status()).toBe(201);

    const officer = await site.loggedIn('officer');
    await openFromMenu(officer, 'Sanktioner');
    const system = officer.getByLabel('Vårdvalssystem', { exact: true });
    const lov = await system.locator('option', { hasText: '(exempel/vardval/2025)' }).getAttribute('value');
    await system.selectOption(lov!);
    await officer.getByLabel('Uppföljd månad').selectOption('2025-12');
    await officer.getByRole('button', { name: 'Föreslå viten' }).click();
    await expect(officer.getByRole('status').filter({ hasText: 'nya förslag' }).innerText()).resolves.toMatch(
      /^[1-9]\d* nya förslag till vite för december 2025; 0 var redan föreslagna\.$/,
    );
    await officer.getByRole('table').getByRole('link').first().waitFor();
    await expectAccessible(officer, 'sanktioner');
    await screenshot(officer, '30-sanktioner');

    // The provider sees only its own proposals, and answers one.
    const own = await apiGet<{
      items: { id: number; unit_id: string; provider_id: string; subject: string }[];
    }>(provider, '/api/sanctions');
    expect(own.items.length).toBeGreaterThan(0);
    expect(new Set(own.items.map((s) => s.provider_id))).toEqual(new Set([me.provider_id]));
    const chosen = own.items.find((s) => s.unit_id === unit && s.subject === 'krav psykolog')!;
    expect(chosen).toBeDefined();
    await openPage(provider, '/sanktioner');
    await expect(provider.getByRole('button', { name: 'Föreslå viten' }).count()).resolves.toBe(0);
    await expect(provider.getByRole('table').getByRole('row').count()).resolves.toBe(own.items.length + 1);
    await provider.goto(`/sanktioner/${chosen.id}`);
    await provider.getByRole('heading', { name: 'Status: Föreslagen' }).waitFor();
    await expectAccessible(provider, 'vite att yttra sig över');
    await provider
      .getByRole('textbox', { name: 'Yttrande' })
      .fill('Psykolog är anställd från januari; se bifogat avtal.');
    await provider.getByRole('button', { name: 'Skicka yttrande' }).click();
    await expectNoDecisionOffered(provider, 'Yttrande inkommet', 'Psykolog är anställd från januari');

    // The officer reduces it, with a reason; the decision is made once.
    await officer.goto(`/sanktioner/${chosen.id}`);
    await officer.getByRole('heading', { name: 'Status: Yttrande inkommet' }).waitFor();
    await officer.getByLabel('Beslut', { exact: true }).selectOption('reduce');
    await officer.getByLabel('Nytt belopp (kr)').fill('2500');
    await officer.getByLabel('Skäl').fill('Bristen åtgärdad efter halva perioden');
    await expectAccessible(officer, 'beslut om vite');
    await officer.getByRole('button', { name: 'Fatta beslut' }).click();
    await expectNoDecisionOffered(officer, 'Nedsatt', 'Dras av i utbetalningen för december 2025');
    await screenshot(officer, '31-vite-beslut');

    // The next payment run for December deducts it, and the line names the decision.
    const versions = await apiGet<{ items: { id: number; rulebook_id: string; status: string }[] }>(
      officer,
      '/api/rulebooks',
    );
    const version = versions.items.find(
      (v) => v.rulebook_id === 'exempel/vardval/2025' && v.status === 'published',
    )!;
    const created = await apiPost(officer, '/api/runs', {
      month: '2025-12',
      rulebook_version_id: version.id,
    });
    expect(created.status()).toBe(201);
    const run = (await created.json()) as { id: number };
    await openPage(provider, `/utbetalningar/${run.id}/enheter/${encodeURIComponent(chosen.unit_id)}`);
    const line = provider.getByRole('row').filter({ hasText: `sanktion-${chosen.id}` });
    await expect(line.count()).resolves.toBe(1);
    await expect(line.innerText()).resolves.toContain(`Regionens beslut nr ${chosen.id}`);
    await expect(line.innerText()).resolves.toMatch(/[−-]2\s500,00\skr/);
    await expectAccessible(provider, 'underlag med vite');
  });
});
