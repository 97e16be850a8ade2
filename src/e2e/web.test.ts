import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { oreFromText, screenshot } from './test-support/browser.js';
import { zipOfFolder } from './test-support/upload.js';
import { demoPersonIds, describeOnDemoSite, type DemoRole } from './test-support/demo-site.js';
import {
  apiGet,
  chooseSimulation,
  editNewVersion,
  expectAccessible,
  navItems,
  openFromMenu,
  openPage,
  openRulebook,
  settled,
} from './test-support/steps.js';
import { defined } from '../core/test-support/defined.js';

/**
 * The web interface end to end: the real server (embedded store, a small demo region) and
 * Debian's chromium driven by playwright-core. Screenshots land in out/screenshots/.
 */

/** Swedish money: "1 234 567,89 kr" with (no-break) spaces between thousands, a decimal comma. */
const MONEY = /^[-\u2212]?\d{1,3}([\u00a0\u202f ]\d{3})*,\d{2}[\u00a0 ]kr$/;

describeOnDemoSite('the web interface in chromium', { population: 3000 }, (site) => {
  const loggedIn = (role: DemoRole) => site.loggedIn(role);

  let officer: Page;

  it('refuses a wrong password in Swedish, then lets the officer in with the officer menu', async () => {
    const page = await site.newPage();
    await page.goto('/utbetalningar');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('sv');
    await page.getByLabel('Användarnamn').fill('handlaggare');
    await page.getByLabel('Lösenord').fill('fel-lösenord');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('Fel användarnamn eller lösenord');
    await expectAccessible(page, 'inloggning');
    await screenshot(page, '00-inloggning');

    officer = await loggedIn('officer');
    expect(await navItems(officer)).toEqual([
      'Översikt',
      'Vårdenheter',
      'Utbetalningar',
      'Regelböcker',
      'Simulering',
      'Jämförelse',
      'Uppföljning',
      'Sanktioner',
      'Listning',
      'Ansökningar',
      'Upphandling',
      'Import',
    ]);
  });

  it('shows the month at a glance with charts and Swedish numbers', async () => {
    await settled(officer);
    await officer.getByTestId('chart-trend').locator('svg').first().waitFor();
    const total = (await officer.getByTestId('overview-total').innerText()).trim();
    expect(total).toMatch(MONEY);
    await expect(officer.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(
      /^Översikt \w+ \d{4}$/,
    );
    // The chart's picture is described for screen readers, in Swedish.
    await expect(
      officer.getByTestId('chart-components').locator('.canvas').getAttribute('aria-label'),
    ).resolves.toMatch(/Liggande stapeldiagram/);
    // What needs handling agrees with the applications the API lists as undecided.
    const applications = await apiGet<{ items: { status: string }[] }>(officer, '/api/applications');
    const open = applications.items.filter((a) => a.status === 'submitted' || a.status === 'assessed').length;
    await expect(officer.getByTestId('open-applications').innerText()).resolves.toBe(
      open === 0
        ? 'Inga ansökningar väntar på beslut.'
        : open === 1
          ? 'En ansökan väntar på beslut.'
          : `${open} ansökningar väntar på beslut.`,
    );
    await expectAccessible(officer, 'översikt');
    await screenshot(officer, '01-oversikt');
  });

  let draftRun: { id: number; total: number };

  it('opens a statement with every line explained', async () => {
    await openFromMenu(officer, 'Utbetalningar');
    await expectAccessible(officer, 'utbetalningar');
    await screenshot(officer, '02-utbetalningar');

    const runs = await apiGet<{ items: { id: number; month: string; total_ore: number }[] }>(
      officer,
      '/api/runs?status=draft',
    );
    expect(runs.items.length).toBeGreaterThan(0);
    const draft = defined(runs.items[0], 'a draft run');
    draftRun = { id: draft.id, total: draft.total_ore };

    await officer.getByRole('link', { name: new RegExp(`^Körning ${draftRun.id},`) }).click();
    await officer.getByRole('heading', { name: /^Utbetalning /, level: 1 }).waitFor();
    await settled(officer);
    expect(oreFromText(await officer.getByTestId('run-total').innerText())).toBe(draftRun.total);
    await expectAccessible(officer, 'körning');
    await screenshot(officer, '03-korning');

    // The units table (a draft's page also lists its flagged units in the review above it).
    await officer.getByRole('region', { name: 'Enheter', exact: true }).locator('tbody th a').first().click();
    await officer.getByRole('heading', { name: 'Rader och förklaringar' }).waitFor();
    await settled(officer);
    const lines = officer.getByTestId('statement-lines').locator('tbody tr');
    expect(await lines.count()).toBeGreaterThan(3);
    const explanations = await lines.locator('td.explanation').allInnerTexts();
    expect(explanations.every((e) => e.trim().length > 10)).toBe(true);
    expect(explanations.join('\n')).toContain('listade');
    expect((await officer.getByTestId('statement-total').innerText()).trim()).toMatch(MONEY);
    await expectAccessible(officer, 'underlag');
    await screenshot(officer, '04-underlag');
  });

  it('approves the draft run and downloads an XLSX whose totals match', async () => {
    // The officer computed the draft; a second officer approves it (attestordning).
    const approver = await loggedIn('approver');
    await openPage(approver, `/utbetalningar/${draftRun.id}`);
    await approver.getByRole('button', { name: 'Godkänn körningen' }).click();
    await approver.getByRole('button', { name: 'Ja, godkänn' }).click();
    await expect(
      approver.getByRole('status').filter({ hasText: 'är godkänd' }).innerText(),
    ).resolves.toContain(`Körning ${draftRun.id} är godkänd`);
    const run = await apiGet<{ status: string; total_ore: number; units: { total_ore: number }[] }>(
      approver,
      `/api/runs/${draftRun.id}`,
    );
    expect(run.status).toBe('approved');
    await expect(approver.getByRole('button', { name: 'Godkänn körningen' }).count()).resolves.toBe(0);

    await openPage(officer, `/utbetalningar/${draftRun.id}`);
    const [download] = await Promise.all([
      officer.waitForEvent('download'),
      officer.getByRole('link', { name: 'Ladda ned XLSX' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`korning-${draftRun.id}\\.xlsx$`));
    const file = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Sammanställning')!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const totalCol = header.lastIndexOf('Summa');
    const totalRow = sheet.getRow(sheet.rowCount);
    expect(totalRow.getCell(1).value).toBe('Summa');
    const cell = totalRow.getCell(totalCol).value as { result: number } | number;
    const xlsxTotal = typeof cell === 'number' ? cell : cell.result;
    expect(Math.round(xlsxTotal * 100)).toBe(run.total_ore);
    // Each unit's row sums to the same total.
    let rows = 0;
    for (let r = 2; r < sheet.rowCount; r++)
      rows += Math.round(Number(sheet.getRow(r).getCell(totalCol).value) * 100);
    expect(rows).toBe(run.total_ore);
    expect(sheet.rowCount - 2).toBe(run.units.length);
  });

  it('computes a correction for an approved month from the runs page', async () => {
    const { month } = await apiGet<{ month: string }>(officer, `/api/runs/${draftRun.id}`);
    await openPage(officer, '/utbetalningar');
    await officer.getByLabel('Månad', { exact: true }).fill(month);
    await officer.getByRole('button', { name: 'Beräkna utkast' }).click();
    await officer.getByText(`korrigerar körning ${draftRun.id}`).first().waitFor();
    await expect(officer.getByText('Att betala nu (skillnad)').count()).resolves.toBe(1);
    // Same data and rulebook: nothing more to pay.
    await expect(officer.getByTestId('run-total').innerText()).resolves.toMatch(/^0,00\s*kr$/);
    await expectAccessible(officer, 'korrigering');
  });

  it('keeps a provider to its own units, and out of another provider\u2019s unit', async () => {
    const all = await apiGet<{ items: { unit_id: string; provider_id: string }[] }>(
      officer,
      '/api/units?page_size=500',
    );
    const provider = await loggedIn('provider');
    expect(await navItems(provider)).toEqual([
      'Översikt',
      'Vårdenheter',
      'Utbetalningar',
      'Regelböcker',
      'Simulering',
      'Uppföljning',
      'Sanktioner',
      'Listning',
      'Ansökningar',
      'Upphandling',
    ]);
    const me = await apiGet<{ provider_id: string }>(provider, '/api/session');
    const own = all.items.filter((u) => u.provider_id === me.provider_id);
    const other = all.items.find((u) => u.provider_id !== me.provider_id)!;

    await openFromMenu(provider, 'Vårdenheter');
    await expect(provider.locator('tbody tr').count()).resolves.toBe(own.length);
    await expectAccessible(provider, 'vårdenheter (vårdgivare)');
    await screenshot(provider, '05-vardenheter-vardgivare');

    await openPage(provider, `/enheter/${other.unit_id}`);
    await expect(provider.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(
      'Vårdenheten kan inte visas',
    );
    await expect(provider.getByRole('alert').innerText()).resolves.toContain('Finns inte');
    await expect(provider.getByText(other.unit_id, { exact: false }).count()).resolves.toBeGreaterThan(0);

    await openPage(provider, `/enheter/${defined(own[0], 'a unit of the provider').unit_id}`);
    await provider.getByTestId('chart-listed').locator('svg').first().waitFor();
    await provider.getByTestId('chart-age-pyramid').locator('svg').first().waitFor();
    // The pyramid's table adds up to the listed count the page states.
    const stated = await provider.getByText(/listade på brytdagen/).innerText();
    const listed = oreFromText(`${stated.split(' listade')[0]},00 kr`) / 100;
    const cells = await provider
      .getByRole('table', { name: 'Listade per åldersgrupp och kön', includeHidden: true })
      .locator('tbody td')
      .allTextContents();
    expect(cells.reduce((n, cell) => n + Number(cell.replace(/\s/g, '')), 0)).toBe(listed);
    expect(listed).toBeGreaterThan(0);
    // The morbidity bands (listed per Charlson score) add up to the same listed persons.
    const bands = await provider
      .getByRole('table', { name: 'Listade per samsjuklighetspoäng' })
      .locator('tbody tr td:first-of-type')
      .allTextContents();
    expect(bands).toHaveLength(5);
    expect(bands.reduce((n, cell) => n + Number(cell.replace(/\s/g, '')), 0)).toBe(listed);
    await expect(
      provider.getByRole('table', { name: 'Enhetens avtal' }).getByText('LOV (vårdval)').count(),
    ).resolves.toBeGreaterThan(0);
    await expectAccessible(provider, 'vårdenhet');
    await screenshot(provider, '06-vardenhet');

    await provider.goto('/import');
    await expect(provider.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Behörighet saknas');
  });

  it('runs a simulation and sorts its units', async () => {
    const analyst = await loggedIn('analyst');
    await openFromMenu(analyst, 'Simulering');
    await chooseSimulation(analyst, 'Förfrågningsunderlag Vårdval primärvård 2026 – version 1', '2025-06');
    await analyst.getByRole('button', { name: 'Simulera' }).click();
    await analyst.getByTestId('simulation-heading').waitFor({ timeout: 30_000 });
    await expect(analyst.getByTestId('simulation-heading').innerText()).resolves.toBe(
      'Resultat för juni 2025',
    );
    const table = analyst.getByTestId('simulation-units');
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(2);
    expect((await analyst.getByTestId('simulation-diff').innerText()).trim()).toMatch(
      /^[+\u2212-]?\d[\d\u00a0 ]*,\d{2}[\u00a0 ]kr$/,
    );

    // Sorting by the difference, both ways.
    const diffs = async () =>
      (await rows.locator('td:nth-child(6)').allInnerTexts()).map((t) => oreFromText(t.replace('+', '')));
    const desc = await diffs();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await table.getByRole('button', { name: /^Skillnad\s*▼?$/ }).click();
    const asc = await diffs();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await expect(table.locator('th[aria-sort]').first().getAttribute('aria-sort')).resolves.toBe('ascending');

    await expect(analyst.getByRole('heading', { name: 'Per ägarform' }).isVisible()).resolves.toBe(true);
    await expect(analyst.getByRole('heading', { name: 'Per områdesklass' }).isVisible()).resolves.toBe(true);
    await analyst.getByTestId('chart-simulation').locator('svg').first().waitFor();

    // Budget-neutral: the scenario is scaled to cost what the base does, and the factor is shown.
    await analyst.getByRole('switch', { name: /Skala om så att totalen/ }).check();
    await analyst.getByRole('button', { name: 'Simulera' }).click();
    await analyst.getByTestId('simulation-scale-factor').waitFor({ timeout: 30_000 });
    expect((await analyst.getByTestId('simulation-diff').innerText()).trim()).toMatch(
      /^[+]?0,00[\u00a0 ]kr$/,
    );
    expect(
      Number((await analyst.getByTestId('simulation-scale-factor').innerText()).replace(',', '.')),
    ).toBeGreaterThan(0);
    await expect(analyst.getByRole('columnheader', { name: /Andel budgetneutralt/ }).count()).resolves.toBe(
      1,
    );
    const components = analyst.getByRole('group', { name: 'Komponenter att skala' });
    expect(await components.getByRole('checkbox').count()).toBeGreaterThan(1);
    const factor = () => analyst.getByTestId('simulation-scale-factor').innerText();
    const allScaled = await factor();
    await components.getByRole('checkbox', { name: 'Kapiteringsersättning' }).uncheck();
    await analyst.getByRole('button', { name: 'Simulera' }).click();
    // Fewer components carry the same difference, so the factor moves.
    await expect.poll(factor, { timeout: 30_000 }).not.toBe(allScaled);
    await expect(
      components.getByRole('checkbox', { name: 'Kapiteringsersättning' }).isChecked(),
    ).resolves.toBe(false);
    expect((await analyst.getByTestId('simulation-diff').innerText()).trim()).toMatch(
      /^[+]?0,00[\u00a0 ]kr$/,
    );
    await expectAccessible(analyst, 'simulering');
    await screenshot(analyst, '07-simulering');
  });

  it('rejects a broken data folder and shows every located error', async () => {
    await openPage(officer, '/import');
    await expectAccessible(officer, 'import');
    const dir = mkdtempSync(join(tmpdir(), 'vardval-e2e-zip-'));
    try {
      const broken = zipSync({
        'data/units.csv': strToU8(
          [
            'unit_id,provider_id,name,ownership,kommun,start_date,end_date,branch_of',
            'U1,5560160680,Vårdcentral Ett,public,2380,2020-01-01,,',
            'U2,5560160680,Vårdcentral Två,kommunal,2380,2020-13-01,,',
          ].join('\n'),
        ),
        'data/areas.csv': strToU8(['area,kommun,cni,rural_class', 'A1,2380,1.0,tatort'].join('\n')),
        'data/listings.csv': strToU8(
          [
            'person_id,unit_id,doctor_id,birth_date,sex,area,listed_from,listed_to',
            'P1,U1,,1980-01-01,F,A1,2024-01-01,',
            'P2,U9,,1980-01-01,X,A1,2024-01-01,',
          ].join('\n'),
        ),
      });
      const zipPath = join(dir, 'trasig.zip');
      writeFileSync(zipPath, broken);
      await officer.getByLabel('Zip-fil').setInputFiles(zipPath);
      await officer.getByRole('button', { name: 'Importera', exact: true }).click();
      const alert = officer.getByTestId('import-result').getByRole('alert');
      await alert.waitFor();
      const text = await alert.innerText();
      expect(text).toMatch(/Importen avvisades: \d+ fel i datamappen/);
      const items = await alert.locator('li').allInnerTexts();
      expect(items.some((i) => /^units\.csv:3(:\d+)?: /.test(i))).toBe(true);
      expect(items.some((i) => /^listings\.csv:3(:\d+)?: /.test(i))).toBe(true);
      await expectAccessible(officer, 'import med fel');
      await screenshot(officer, '08-import-fel');

      // Not a zip at all.
      const notZip = join(dir, 'inte-zip.zip');
      writeFileSync(notZip, 'det här är ingen zip');
      await officer.getByLabel('Zip-fil').setInputFiles(notZip);
      await officer.getByRole('button', { name: 'Importera', exact: true }).click();
      await officer
        .getByTestId('import-result')
        .getByRole('alert')
        .filter({ hasText: 'ingen giltig zip' })
        .waitFor();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders a rulebook as a document and compares two versions', async () => {
    await openPage(officer, '/regelbocker');
    await expectAccessible(officer, 'regelböcker');
    await screenshot(officer, '09-regelbocker');
    await officer.getByRole('link', { name: 'Förfrågningsunderlag Vårdval primärvård 2025' }).click();
    await officer.getByRole('heading', { name: '5. Ersättning' }).waitFor();
    await expect(officer.getByRole('heading', { name: '3. Uppdraget' }).isVisible()).resolves.toBe(true);
    await expect(
      officer.getByText('2 400 kr från 2025-01-01, 2 460 kr från 2025-07-01').count(),
    ).resolves.toBe(1);
    await expect(officer.getByText(/HSL p\. 2/).count()).resolves.toBeGreaterThan(1);
    await expectAccessible(officer, 'regelbok');
    await screenshot(officer, '10-regelbok');

    await officer.getByRole('link', { name: 'Jämför med annan version' }).click();
    await officer
      .getByLabel('Version B')
      .selectOption({ label: 'Förfrågningsunderlag Vårdval primärvård 2026 – version 1' });
    await officer.getByRole('button', { name: 'Jämför' }).click();
    await officer.getByTestId('diff-summary').waitFor();
    await expect(officer.getByTestId('diff-summary').innerText()).resolves.toMatch(/\d+ ändrade värden/);
    await expect(officer.locator('.diff-table').first().isVisible()).resolves.toBe(true);
    await expectAccessible(officer, 'jämförelse');
    await screenshot(officer, '11-regelbok-jamforelse');
  });

  it('writes a new rulebook version, shows its errors by line, then saves and publishes it', async () => {
    await openRulebook(officer, 'Förfrågningsunderlag Vårdval primärvård 2026');
    const area = await editNewVersion(officer);
    await expect(area.inputValue()).resolves.toContain('id: exempel/vardval/2026');
    const original = await area.inputValue();
    const fixed = original.replace(
      /^title: .*$/m,
      'title: Förfrågningsunderlag Vårdval primärvård 2026 (reviderad)',
    );
    const broken = fixed.replace('type: capitation', 'type: bonus');
    const badLine = broken.split('\n').findIndex((l) => l.includes('type: bonus')) + 1;
    await area.fill(broken);
    await officer.getByRole('button', { name: 'Granska' }).click();
    const error = officer.getByRole('alert');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain('Okänd komponenttyp "bonus"');
    await expectAccessible(officer, 'regelbok-redigering');
    await screenshot(officer, '11b-regelbok-fel');
    await error.getByRole('button', { name: new RegExp(`^Rad ${badLine}, kolumn \\d+$`) }).click();
    const selected = await area.evaluate((el) => {
      const t = el as unknown as { value: string; selectionStart: number; selectionEnd: number };
      return t.value.slice(t.selectionStart, t.selectionEnd);
    });
    expect(selected).toContain('type: bonus');

    await area.fill(fixed);
    await officer.getByRole('button', { name: 'Granska' }).click();
    await officer.getByText('Regelboken är giltig').waitFor();
    await officer.getByRole('button', { name: 'Spara utkast' }).click();
    await officer
      .getByRole('heading', { level: 1, name: 'Förfrågningsunderlag Vårdval primärvård 2026 (reviderad)' })
      .waitFor();
    await expect(officer.getByText(/version 2 · utkast/).count()).resolves.toBe(1);
    // The one who wrote the draft may not publish it: a second officer does.
    const reviewer = await loggedIn('approver');
    await openPage(reviewer, officer.url());
    reviewer.once('dialog', (d) => void d.accept());
    await reviewer.getByRole('button', { name: 'Publicera' }).click();
    await reviewer.getByText(/version 2 · publicerad/).waitFor();
    await expect(reviewer.getByRole('button', { name: 'Publicera' }).count()).resolves.toBe(0);
  });

  it('filters units by connection form', async () => {
    await openPage(officer, '/enheter');
    const all = await officer.locator('tbody tr').count();
    await officer.getByLabel('Anslutningsform').selectOption({ label: 'LOV (vårdval)' });
    await expect.poll(() => officer.url()).toContain('anslutning=lov');
    const lov = await officer.locator('tbody tr').count();
    expect(lov).toBeGreaterThan(0);
    expect(lov).toBeLessThanOrEqual(all);
    const forms = await officer.locator('tbody tr td:nth-child(6)').allTextContents();
    expect(forms.every((f) => f.includes('LOV (vårdval)'))).toBe(true);
  });

  it('shows listing per unit and month, and an audited person lookup for officers', async () => {
    await openPage(officer, '/listning');
    await expectAccessible(officer, 'listning');
    await screenshot(officer, '12-listning');
    const person = defined(demoPersonIds()[0], 'a listing in the demo data');
    await officer.getByLabel('Personnummer eller samordningsnummer').fill(person);
    await officer.getByRole('button', { name: 'Sök' }).click();
    await officer.getByRole('table', { name: 'Listningsperioder' }).waitFor();
    await expect(
      officer.getByRole('table', { name: 'Listningsperioder' }).locator('tbody tr').count(),
    ).resolves.toBeGreaterThan(0);

    const auditor = await loggedIn('auditor');
    expect(await navItems(auditor)).toEqual(['Granskningslogg']);
    await settled(auditor);
    await expect(auditor.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Granskningslogg');
    await expect(auditor.getByText('Läste persons listning').count()).resolves.toBeGreaterThan(0);
    await expect(auditor.getByText(person).count()).resolves.toBe(0);
    await expectAccessible(auditor, 'granskningslogg');
    await screenshot(auditor, '13-granskningslogg');
  });

  it('the remaining pages pass the accessibility check', async () => {
    for (const [path, name] of [
      ['/enheter', '14-vardenheter'],
      ['/simulering', '15-simulering-tom'],
    ] as const) {
      await openPage(officer, path);
      await expectAccessible(officer, path);
      await screenshot(officer, name);
    }
  });

  it('shows, sorts and filters a run of 300 units', async () => {
    const units = Array.from({ length: 300 }, (_, i) => ({
      unit_id: `SE2321000016-T${String(i).padStart(3, '0')}`,
      name: `Vårdcentral ${String(i).padStart(3, '0')}`,
      provider_id: '5560160680',
      ownership: ['public', 'private', 'nonprofit'][i % 3],
      listed: 1000 + ((i * 7919) % 9000),
      total_ore: 10_000_000 + ((i * 104_729) % 90_000_000),
      lines: Array.from({ length: 10 }, (_, k) => ({
        component: `k${k}`,
        type: 'capitation',
        label: `Komponent ${k}`,
        quantity: 1,
        amount_ore: 1_000_000 + k,
        explanation: 'test',
      })),
    }));
    const body = {
      id: 999,
      month: '2025-06',
      rulebook_id: 'exempel/vardval/2025',
      rulebook_version_id: 1,
      batch_id: 1,
      status: 'approved',
      corrects_run_id: null,
      total_ore: units.reduce((s, u) => s + u.total_ore, 0),
      created_by: 'test',
      approved_by: 'test',
      approved_at: '2025-07-01T10:00:00Z',
      identity: {
        month: '2025-06',
        rulebook: { id: 'x', sha256: '0'.repeat(64) },
        inputs: [],
        engine_version: '0',
      },
      units,
    };
    await officer.route('**/api/runs/999', (route) => route.fulfill({ json: body }));
    // The run's data is served from here (a region with 300 units); the page and its table are real.
    await officer.goto('/utbetalningar/999');
    await officer.locator('tbody tr').nth(299).waitFor({ state: 'attached' });
    await officer.getByRole('button', { name: 'Summa' }).first().click();
    const first = await officer.locator('tbody tr').first().locator('td').last().innerText();
    expect(oreFromText(first)).toBe(Math.max(...units.map((u) => u.total_ore)));
    await officer.getByLabel('Sök enhet').fill('Vårdcentral 29');
    await officer.getByText('Visar 10 av 300 rader').waitFor();
    await expect(
      officer
        .getByRole('table', { name: /^Utbetalning per enhet/ })
        .locator('tbody tr')
        .count(),
    ).resolves.toBe(10);
    await officer.unroute('**/api/runs/999');
  });

  it('imports a valid data folder and shows the batch summary', async () => {
    const files = ['units.csv', 'areas.csv', 'listings.csv', 'visits.csv', 'indicators.csv', 'events.csv'];
    const zipPath = zipOfFolder(`${process.env.VARDVAL_HOME}-demo-data`, files, 'manad');
    await openPage(officer, '/import');
    await officer.getByLabel('Zip-fil').setInputFiles(zipPath);
    await officer.getByLabel('Benämning (valfri)').fill('Omläsning i test');
    await officer.getByRole('button', { name: 'Importera', exact: true }).click();
    const done = officer.getByRole('heading', { name: /^Import \d+ är klar$/ });
    await done.waitFor({ timeout: 45_000 });
    const summary = officer.getByRole('table', { name: /^Import \d+: filer och rader$/ });
    await expect(summary.locator('tbody tr').count()).resolves.toBe(files.length);
    await expect(summary.getByText('listings.csv').count()).resolves.toBe(1);
    await expectAccessible(officer, 'import klar');
    await screenshot(officer, '16-import-klar');
  });
});
