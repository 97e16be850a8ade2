import { readdirSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { useSyntheticRegion } from '../test-support/synthetic-region.js';
import { describeOnDemoSite } from './test-support/demo-site.js';
import { apiGet, expectAccessible, openPage } from './test-support/steps.js';
import { zipOfFolder } from './test-support/upload.js';

/**
 * A long import shows its progress in the web page, rows read and written per file, and the
 * officer can leave the page and come back to it (issue 13).
 */

describeOnDemoSite('import progress in chromium', { population: 1000 }, (site) => {
  // Large enough that the import runs for a while: 30 000 persons over 14 months.
  const region = useSyntheticRegion('e2e-progress', {
    population: 30_000,
    seed: 5,
    from: '2024-02',
    to: '2025-03',
    personsPerUnit: 3000,
  });
  let zipPath: string;

  beforeAll(() => {
    zipPath = zipOfFolder(region.dir, readdirSync(region.dir), 'region');
  });

  it('shows rows read and written per file, and the running import again after leaving the page', async () => {
    const page = await site.loggedIn('officer');
    await openPage(page, '/import');
    await page.getByLabel('Zip-fil').setInputFiles(zipPath);
    await page.getByLabel('Benämning (valfri)').fill('Stor region');
    await page.getByRole('button', { name: 'Importera', exact: true }).click();
    const card = page.getByTestId('import-job');
    await card.getByRole('heading', { name: 'Import pågår' }).waitFor({ timeout: 60_000 });
    await card
      .getByRole('table', { name: 'Förlopp per fil' })
      .getByRole('row', { name: /visits\.csv/ })
      .waitFor();
    await expectAccessible(page, 'import pågår');

    // Away to another page and back: the import is found again, running or finished.
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Översikt' }).click();
    await page.getByRole('heading', { level: 1 }).filter({ hasNotText: 'Import' }).waitFor();
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Import' }).click();
    await card.waitFor();
    await expect(card.getByText(/Stor region/).count()).resolves.toBe(1);

    await card.getByRole('heading', { name: 'Senaste import' }).waitFor({ timeout: 240_000 });
    // Done once the batch is stored; the visit rows are saved in the background after it.
    await card
      .getByRole('status')
      .filter({ hasText: /: klar\. Du kan/ })
      .waitFor({ timeout: 240_000 });
    const visits = card.getByRole('row', { name: /visits\.csv/ });
    const cells = await visits.getByRole('cell').allInnerTexts();
    const [read, written] = cells.slice(0, 2).map((c) => Number(c.replace(/\D/g, '')));
    expect(read).toBeGreaterThan(50_000);
    expect(written).toBe(read);
    const batches = await apiGet<{ items: { label: string | null; counts: { visits: number } }[] }>(
      page,
      '/api/imports',
    );
    expect(batches.items.find((b) => b.label === 'Stor region')?.counts.visits).toBe(read);
    await expectAccessible(page, 'import klar');
  });
});
