import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, screenshot } from './test-support/browser.js';
import { expectAccessible, settled, useDemoSite } from './test-support/demo-site.js';

/**
 * The pages "Ansökningar" and "Upphandling" in chromium, on the demo region (which holds a LOV
 * choice system with a group application led by the demo provider and a signed NSS contract).
 */

const chromiumMissing = !existsSync(CHROMIUM);

describe.skipIf(chromiumMissing)('applications and procurement in the web interface', () => {
  const site = useDemoSite(1500);

  it('shows the officer both procedures with the standstill dates, and every application', async () => {
    const officer = await site.loggedIn('officer');
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
    const provider = await site.loggedIn('provider');
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
