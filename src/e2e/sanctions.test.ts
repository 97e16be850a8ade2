import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, screenshot } from './test-support/browser.js';
import { expectAccessible, settled, useDemoSite } from './test-support/demo-site.js';

/**
 * Sanctions with due process in chromium, on the demo region: the officer proposes fines from the
 * follow-up of December, the provider answers one, the officer reduces it with a reason, and the
 * next payment run for December carries the penalty line that names the decision.
 */

const chromiumMissing = !existsSync(CHROMIUM);

describe.skipIf(chromiumMissing)('Sanktioner in chromium', () => {
  const site = useDemoSite(1500);

  it('walks a proposed sanction through the provider’s answer and the officer’s decision to a penalty line', async () => {
    // The provider reports that one of its units has had no psychologist since December.
    const provider = await site.loggedIn('provider');
    const me = (await (await provider.request.get('/api/session')).json()) as {
      provider_id: string;
      csrf_token: string;
    };
    const units = (await (await provider.request.get('/api/units?page_size=500')).json()) as {
      items: { unit_id: string; branch_of: string | null }[];
    };
    const unit = units.items.find((u) => u.branch_of === null)!.unit_id;
    const reported = await provider.request.post('/api/followup/facts', {
      headers: { 'x-csrf-token': me.csrf_token },
      data: { unit_id: unit, fact: 'psychologist', value: false, valid_from: '2025-12-01' },
    });
    expect(reported.status()).toBe(201);

    const officer = await site.loggedIn('officer');
    await officer
      .getByRole('navigation', { name: 'Huvudmeny' })
      .getByRole('link', { name: 'Sanktioner' })
      .click();
    await officer.getByRole('heading', { name: 'Sanktioner', level: 1 }).waitFor();
    await settled(officer);
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
    const own = (await (await provider.request.get('/api/sanctions')).json()) as {
      items: { id: number; unit_id: string; provider_id: string; subject: string }[];
    };
    expect(own.items.length).toBeGreaterThan(0);
    expect(new Set(own.items.map((s) => s.provider_id))).toEqual(new Set([me.provider_id]));
    const chosen = own.items.find((s) => s.unit_id === unit && s.subject === 'krav psykolog')!;
    expect(chosen).toBeDefined();
    await provider.goto('/sanktioner');
    await settled(provider);
    await expect(provider.getByRole('button', { name: 'Föreslå viten' }).count()).resolves.toBe(0);
    await expect(provider.getByRole('table').getByRole('row').count()).resolves.toBe(own.items.length + 1);
    await provider.goto(`/sanktioner/${chosen.id}`);
    await provider.getByRole('heading', { name: 'Status: Föreslagen' }).waitFor();
    await expectAccessible(provider, 'vite att yttra sig över');
    await provider
      .getByRole('textbox', { name: 'Yttrande' })
      .fill('Psykolog är anställd från januari; se bifogat avtal.');
    await provider.getByRole('button', { name: 'Skicka yttrande' }).click();
    await provider.getByRole('heading', { name: 'Status: Yttrande inkommet' }).waitFor();
    await expect(
      provider.getByText('Psykolog är anställd från januari', { exact: false }).count(),
    ).resolves.toBe(1);
    await expect(provider.getByRole('button', { name: 'Fatta beslut' }).count()).resolves.toBe(0);

    // The officer reduces it, with a reason; the decision is made once.
    await officer.goto(`/sanktioner/${chosen.id}`);
    await officer.getByRole('heading', { name: 'Status: Yttrande inkommet' }).waitFor();
    await officer.getByLabel('Beslut', { exact: true }).selectOption('reduce');
    await officer.getByLabel('Nytt belopp (kr)').fill('2500');
    await officer.getByLabel('Skäl').fill('Bristen åtgärdad efter halva perioden');
    await expectAccessible(officer, 'beslut om vite');
    await officer.getByRole('button', { name: 'Fatta beslut' }).click();
    await officer.getByRole('heading', { name: 'Status: Nedsatt' }).waitFor();
    await expect(
      officer.getByText('Dras av i utbetalningen för december 2025', { exact: false }).count(),
    ).resolves.toBe(1);
    await expect(officer.getByRole('button', { name: 'Fatta beslut' }).count()).resolves.toBe(0);
    await screenshot(officer, '31-vite-beslut');

    // The next payment run for December deducts it, and the line names the decision.
    const session = (await (await officer.request.get('/api/session')).json()) as { csrf_token: string };
    const versions = (await (await officer.request.get('/api/rulebooks')).json()) as {
      items: { id: number; rulebook_id: string; status: string }[];
    };
    const version = versions.items.find(
      (v) => v.rulebook_id === 'exempel/vardval/2025' && v.status === 'published',
    )!;
    const created = await officer.request.post('/api/runs', {
      headers: { 'x-csrf-token': session.csrf_token },
      data: { month: '2025-12', rulebook_version_id: version.id },
    });
    expect(created.status()).toBe(201);
    const run = (await created.json()) as { id: number };
    await provider.goto(`/utbetalningar/${run.id}/enheter/${encodeURIComponent(chosen.unit_id)}`);
    await settled(provider);
    const line = provider.getByRole('row').filter({ hasText: `sanktion-${chosen.id}` });
    await expect(line.count()).resolves.toBe(1);
    await expect(line.innerText()).resolves.toContain(`Regionens beslut nr ${chosen.id}`);
    await expect(line.innerText()).resolves.toMatch(/[−-]2\s500,00\skr/);
    await expectAccessible(provider, 'underlag med vite');
  });
});
