import { expect, it } from 'vitest';
import { screenshot } from './test-support/browser.js';
import { describeOnDemoSite } from './test-support/demo-site.js';
import {
  expectAccessible,
  expectFitsEveryWidth,
  openFromMenu,
  openPage,
  settled,
} from './test-support/steps.js';

/**
 * The follow-up page (Uppföljning) in chromium against the real server and its demo region: trend
 * charts, the conformance table with sources, the differentiated region's systems side by side,
 * and a provider reporting a fact about its own unit.
 */

describeOnDemoSite('Uppföljning in chromium', { population: 3000 }, (site) => {
  it('shows one system by default with few lines and its table beside, and the differentiated region side by side on request', async () => {
    const officer = await site.loggedIn('officer');
    await openFromMenu(officer, 'Uppföljning');
    // One system by default: the one the latest run paid, its charts with few lines and a table beside.
    const system = officer.getByLabel('Vårdvalssystem', { exact: true });
    await expect(system.locator('option:checked').innerText()).resolves.toBe(
      'Förfrågningsunderlag Vårdval primärvård 2025 (exempel/vardval/2025)',
    );
    await expect(officer.locator('.systems.side-by-side').count()).resolves.toBe(0);
    const chart = officer.getByTestId('chart-kontinuitet_lakare');
    await chart.locator('svg').first().waitFor();
    await expect(chart.locator('.canvas').getAttribute('aria-label')).resolves.toMatch(
      /Linjediagram över \d+ perioder\..*Tunna linjer: de 3 enheter som senast låg längst från målet/,
    );
    const beside = chart.getByRole('table', {
      name: 'Kontinuitet läkare (fast läkarkontakt), hela systemet',
    });
    // Beside the chart on a desktop, below it on a phone; never wider than the window.
    await expectFitsEveryWidth(officer, 'uppföljning', async (width) => {
      await expect(beside.isVisible(), `${width} px`).resolves.toBe(true);
      const canvasBox = (await chart.locator('.canvas').boundingBox())!;
      const tableBox = (await beside.boundingBox())!;
      if (width === 1440) expect(tableBox.x).toBeGreaterThanOrEqual(canvasBox.x + canvasBox.width);
      else expect(tableBox.y).toBeGreaterThanOrEqual(canvasBox.y + canvasBox.height);
    });
    await officer.setViewportSize({ width: 1366, height: 900 });

    // The differentiated pair is a choice, shown side by side.
    await system.selectOption({
      label: (await system.locator('option', { hasText: 'Differentierat vårdval 2025' }).innerText()).trim(),
    });
    await settled(officer);
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

    // back to one system alone: the ordinary example rulebook
    await system.selectOption({
      label: 'Förfrågningsunderlag Vårdval primärvård 2025 (exempel/vardval/2025)',
    });
    await settled(officer);
    await officer.getByTestId('chart-kontinuitet_lakare').locator('svg').first().waitFor();
    await expect(officer.locator('.systems.side-by-side').count()).resolves.toBe(0);
    // The listed populations' mean comorbidity score per month, from the visits' diagnoses.
    await officer.getByTestId('chart-morbidity').locator('svg').first().waitFor();
    await expect(
      officer.getByTestId('chart-morbidity').locator('.canvas').getAttribute('aria-label'),
    ).resolves.toMatch(/Linjediagram över \d+ månader\. Hela regionen senast \d,\d\d/);
    const csv = await officer.request.get(
      `/api/followup/export/csv?version_ids=${new URL(officer.url()).searchParams.get('system')}&from=2025-01&to=2025-06`,
    );
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('kontinuitet_lakare');
  });

  it('lets a provider report a fact for its own unit and see the requirement change', async () => {
    const provider = await site.loggedIn('provider');
    await openPage(provider, '/uppfoljning');
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
