import { expect, it } from 'vitest';
import { screenshot } from './test-support/browser.js';
import { describeOnDemoSite } from './test-support/demo-site.js';
import {
  apiGet,
  apiPost,
  assessEveryRequirement,
  expectAccessible,
  openFromMenu,
  openPage,
  settled,
} from './test-support/steps.js';

/**
 * The pages "Ansökningar" and "Upphandling" in chromium, on the demo region (which holds a LOV
 * choice system with a group application led by the demo provider and a signed NSS contract).
 */

describeOnDemoSite('applications and procurement in the web interface', { population: 1500 }, (site) => {
  it('shows the officer both procedures with the standstill dates, and every application', async () => {
    const officer = await site.loggedIn('officer');
    await openFromMenu(officer, 'Upphandling');
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

    await openPage(officer, '/ansokningar');
    const rows = officer.getByRole('table').getByRole('row');
    await expect(rows.count()).resolves.toBe(5);
    await expect(officer.getByRole('table').getByText('Avslagen').count()).resolves.toBe(1);
    await expectAccessible(officer, 'ansökningar');
  });

  it('shows a provider only its own group application, its status and the review instructions', async () => {
    const provider = await site.loggedIn('provider');
    await openPage(provider, '/upphandling');
    // The warnings are the region's; a provider sees the procedures only.
    await expect(
      provider.getByRole('heading', { name: 'Ny upphandling att ta ställning till' }).count(),
    ).resolves.toBe(0);
    await openPage(provider, '/ansokningar');
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
    await openPage(provider, '/ansokningar/2');
    await expect(provider.getByRole('alert').innerText()).resolves.toContain('finns inte');
  });

  it('lets the officer assess every requirement and approve an application in the web page', async () => {
    // A provider applies through the API (its own forms are not part of this page).
    const provider = await site.loggedIn('provider');
    const me = await apiGet<{ provider_id: string }>(provider, '/api/session');
    const procedures = await apiGet<{ items: { id: number; kind: string; status: string }[] }>(
      provider,
      '/api/procedures',
    );
    const lov = procedures.items.find((p) => p.kind === 'lov' && p.status === 'published')!;
    const created = await apiPost(provider, `/api/procedures/${lov.id}/applications`, {
      provider_id: me.provider_id,
      applicant_name: 'Vårdgivaren AB',
      units: [{ unit_id: 'SE2321000016-NY01', name: 'Vårdcentral Nyby', kommun: '2380' }],
      subcontractors: [],
    });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const submitted = await apiPost(provider, `/api/applications/${id}/submit`);
    expect(submitted.status()).toBe(200);

    const officer = await site.loggedIn('officer');
    await openPage(officer, `/ansokningar/${id}`);
    const requirements = officer.locator('fieldset.requirement');
    const count = await requirements.count();
    expect(count).toBeGreaterThan(0);
    // Approving before anything is assessed is refused, and the page says what is missing.
    await officer.getByLabel('Skäl').fill('Alla krav uppfyllda');
    await officer.getByRole('button', { name: 'Fatta beslut' }).click();
    await expect(officer.getByRole('alert').innerText()).resolves.toContain('obedömda');
    await assessEveryRequirement(requirements);
    await expectAccessible(officer, 'ansökan att besluta');
    await screenshot(officer, '22-ansokan-beslut');
    await officer.getByRole('button', { name: 'Spara bedömning' }).click();
    await officer.getByText('Bedömningen är sparad.').waitFor();
    await officer.getByLabel('Skäl').fill('Alla krav uppfyllda');
    await officer.getByRole('button', { name: 'Fatta beslut' }).click();
    await officer.getByRole('heading', { name: 'Status: Godkänd' }).waitFor();
    await expect(officer.getByText(/Avtal nr \d+/).count()).resolves.toBe(1);
    await expect(officer.getByRole('button', { name: 'Fatta beslut' }).count()).resolves.toBe(0);
  });

  it('lets a provider apply as a group in the web page, with every error located, and submit', async () => {
    const provider = await site.loggedIn('provider');
    await provider.goto('/ansokningar');
    await provider.getByRole('link', { name: 'Ny ansökan' }).click();
    await provider.getByRole('heading', { name: 'Ny ansökan', level: 1 }).waitFor();
    await provider.getByLabel('Sökande (namn)').fill('Vårdgivaren i grupp');
    await provider.getByLabel('HSA-id (1)').first().fill('SE2321000016-GR01');
    await provider.getByLabel('Namn (1)').first().fill('Vårdcentral Gruppen');
    await provider.getByLabel('Kommun (1)').selectOption({ label: 'Östersund' });
    await provider.getByLabel('Gemensam ansökan (grupp av vårdgivare, LOV 5 kap. 1 §)').check();
    const members = provider.getByRole('group', { name: 'Gruppens medlemmar' });
    await members.getByLabel('Namn (1)').fill('Vårdgivaren AB');
    await members.getByLabel('Andel av åtagandet (%) (1)').fill('60');
    await members.getByLabel('Organisationsnummer (2)').fill('2321000016');
    await members.getByLabel('Namn (2)').fill('Psykologen AB');
    await members.getByLabel('Andel av åtagandet (%) (2)').fill('30');
    await expectAccessible(provider, 'ny ansökan');
    await screenshot(provider, '23-ny-ansokan');
    await provider.getByRole('button', { name: 'Skicka in ansökan' }).click();
    // Shares that do not add up to 100 % are refused with a message that says so; nothing is saved.
    await expect(provider.getByRole('alert').innerText()).resolves.toContain(
      'Medlemmarnas andelar ska summera till 100 procent, inte 90',
    );
    await members.getByLabel('Andel av åtagandet (%) (2)').fill('40');
    await provider.getByRole('button', { name: 'Skicka in ansökan' }).click();
    // A receipt with the next steps, then the application itself.
    const receipt = provider.getByTestId('application-receipt');
    await expect(receipt.innerText()).resolves.toMatch(/Vårdcentral Gruppen, Östersund/);
    await provider.getByRole('heading', { name: 'Så går det vidare' }).waitFor();
    await provider.getByRole('link', { name: 'Visa ansökan' }).click();
    await provider.getByRole('heading', { name: 'Status: Inskickad' }).waitFor();
    await expect(provider.getByText('Psykologen AB (232100-0016): 40 % av åtagandet').count()).resolves.toBe(
      1,
    );
    await expect(provider.getByText('Vårdcentral Gruppen (SE2321000016-GR01)').count()).resolves.toBe(1);
  });
});
