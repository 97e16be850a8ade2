import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { screenshot } from './test-support/browser.js';
import { describeOnDemoSite } from './test-support/demo-site.js';
import { apiGet, assessEveryRequirement, expectAccessible, openPage, settled } from './test-support/steps.js';

/**
 * An NSS assignment from its creation to a signed contract in the open data, and a member leaving a
 * group contract, in chromium on the demo region. The server's clock (and the browser's) is moved by
 * the test, since signing is allowed only after the standstill by the server's date.
 */

const OTHER_TENDERER = '5565475489';

/** Assesses every requirement as passed and scores every criterion, each with a motivation. */
async function assessAndScore(officer: Page, tenderId: number, scores: number[]) {
  await openPage(officer, `/ansokningar/${tenderId}`);
  const requirements = officer
    .locator('fieldset.requirement')
    .filter({ has: officer.getByLabel('Bedömning') });
  await expect(requirements.count()).resolves.toBe(2);
  await assessEveryRequirement(requirements);
  // The tender is read again after the assessment is saved; held back here so that its answer arrives
  // while the scores are being filled in, as on a slow day. What the officer typed must stay.
  const tender = '**/api/applications/*/tender';
  await officer.route(tender, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await route.continue();
  });
  const reread = officer.waitForResponse((r) => r.url().endsWith('/tender'));
  await officer.getByRole('button', { name: 'Spara bedömning' }).click();
  await officer.getByText('Bedömningen är sparad.').waitFor();
  const form = officer.getByRole('form', { name: 'Poäng per kriterium' });
  const criteria = form.locator('fieldset');
  for (let i = 0; i < scores.length; i++) {
    await criteria.nth(i).getByLabel('Poäng').selectOption(String(scores[i]));
    await criteria
      .nth(i)
      .getByLabel('Motivering')
      .fill(`Motivering ${i + 1}: väl beskrivet`);
  }
  await reread;
  await officer.unroute(tender);
  await settled(officer);
  for (let i = 0; i < scores.length; i++) {
    await expect(criteria.nth(i).getByLabel('Poäng').inputValue()).resolves.toBe(String(scores[i]));
  }
  await form.getByRole('button', { name: 'Spara poäng' }).click();
  await officer.getByText('Poängen är sparade.').waitFor();
}

describeOnDemoSite(
  'NSS procurement and contract changes in the web interface',
  { population: 1500 },
  (site) => {
    it('walks an NSS assignment from creation through two tenders, a tie and the standstill to a signed contract in the open data', async () => {
      const officer = await site.loggedIn('officer');
      const provider = await site.loggedIn('provider');
      await site.setToday('2026-12-01', officer, provider);

      // The officer defines the assignment; a price criterion is refused at the criterion.
      await openPage(officer, '/upphandling');
      await officer.getByRole('link', { name: 'Nytt NSS-uppdrag' }).click();
      await officer.getByRole('heading', { name: 'Nytt NSS-uppdrag', level: 1 }).waitFor();
      await settled(officer);
      await officer.getByLabel('Titel').fill('NSS reumatologi Sveg');
      await officer.getByLabel('Beskrivning').fill('Småskalig specialiserad öppenvård i reumatologi.');
      await officer.getByLabel('Verksamhetsområde (inriktning)').fill('reumatologi');
      await officer.getByLabel('Omfattning').fill('1 heltidsverksamhet');
      await officer.getByLabel('Plats (kommun eller område)').fill('Härjedalens kommun');
      await officer.getByLabel('Kriterium 1', { exact: true }).fill('Pris per besök');
      await officer.getByLabel('Vikt i procent (kriterium 1)').fill('40');
      await officer.getByRole('button', { name: 'Lägg till kriterium' }).click();
      await officer.getByLabel('Kriterium 2', { exact: true }).fill('Tillgänglighet');
      await officer.getByLabel('Vikt i procent (kriterium 2)').fill('60');
      await officer.getByLabel('Sista dag för anbud').fill('2026-12-10');
      await officer.getByRole('button', { name: 'Skapa uppdraget' }).click();
      const priceError = officer.locator('.field-error');
      await priceError.first().waitFor();
      await expect(priceError.first().innerText()).resolves.toContain('aldrig på pris');
      await expect(
        officer.getByLabel('Kriterium 1', { exact: true }).getAttribute('aria-invalid'),
      ).resolves.toBe('true');
      await expectAccessible(officer, 'nytt NSS-uppdrag med fel');
      await screenshot(officer, '30-nss-nytt');
      await officer.getByLabel('Kriterium 1', { exact: true }).fill('Kontinuitet');
      await officer.getByRole('button', { name: 'Skapa uppdraget' }).click();
      await officer.getByRole('heading', { name: 'NSS reumatologi Sveg', level: 1 }).waitFor();
      const procedurePath = new URL(officer.url()).pathname;
      await settled(officer);
      await officer.getByRole('button', { name: 'Publicera annonsen' }).click();
      await officer.getByText('Annonsen är publicerad.').waitFor();

      // The provider tenders in the web page; a tender that came by post is entered by the officer.
      await openPage(provider, procedurePath);
      await provider.getByRole('link', { name: 'Lämna anbud' }).click();
      await provider.getByLabel('Anbudsgivare (namn)').fill('Reumatologen i Sveg AB');
      await provider.getByLabel('Enhetens HSA-id (valfritt)').fill('SE2321000016-NSS9');
      await provider.getByLabel('Enhetens namn (valfritt)').fill('Reumatologmottagningen Sveg');
      await provider.getByRole('button', { name: 'Skicka in anbudet' }).click();
      await provider.getByRole('heading', { name: 'Status: Inskickad' }).waitFor();
      const ownTender = Number(new URL(provider.url()).pathname.split('/').pop());
      await settled(provider);
      await provider.getByText('visas när tilldelningsbeslutet har skickats').waitFor();

      await openPage(officer, procedurePath);
      await officer.getByRole('link', { name: 'Lämna anbud' }).click();
      await officer.getByLabel('Anbudsgivare (namn)').fill('Ledkliniken Norr AB');
      await officer.getByLabel('Organisationsnummer').fill(OTHER_TENDERER);
      await officer.getByRole('button', { name: 'Skicka in anbudet' }).click();
      await officer.getByRole('heading', { name: 'Status: Inskickad' }).waitFor();
      const otherTender = Number(new URL(officer.url()).pathname.split('/').pop());

      await openPage(officer, procedurePath);
      await expect(officer.getByRole('table').first().getByRole('row').count()).resolves.toBe(3);
      await officer.getByText('Anbuden kan inte rangordnas ännu').waitFor();

      // Scoring: a score without a motivation is refused at the criterion; equal scores tie.
      await openPage(officer, `/ansokningar/${ownTender}`);
      const form = officer.getByRole('form', { name: 'Poäng per kriterium' });
      await form.locator('fieldset').nth(0).getByLabel('Poäng').selectOption('4');
      await form.locator('fieldset').nth(1).getByLabel('Poäng').selectOption('3');
      await form.getByRole('button', { name: 'Spara poäng' }).click();
      await expect(form.locator('.field-error').first().innerText()).resolves.toContain('motiveras');
      await assessAndScore(officer, ownTender, [4, 3]);
      await expectAccessible(officer, 'anbud att poängsätta');
      await screenshot(officer, '31-nss-poang');
      await assessAndScore(officer, otherTender, [4, 3]);

      // The evaluation shows the tie; the award asks for a choice with a reason.
      await site.setToday('2026-12-14', officer, provider);
      await openPage(officer, procedurePath);
      await officer.getByText('Lika poäng', { exact: true }).waitFor();
      await officer.getByRole('button', { name: 'Skicka tilldelningsbeslut' }).click();
      await expect(officer.getByRole('alert').innerText()).resolves.toContain('lika poäng');
      await officer.getByLabel(`Anbud ${ownTender}: Reumatologen i Sveg AB`).check();
      await officer.getByLabel('Motivering av valet vid lika poäng').fill('Mottagningen ligger i kommunen');
      await expectAccessible(officer, 'utvärdering med lika poäng');
      await screenshot(officer, '32-nss-lika-poang');
      await officer.getByRole('button', { name: 'Skicka tilldelningsbeslut' }).click();
      await officer.getByRole('heading', { name: 'Avtalsspärr och avtal' }).waitFor();
      await settled(officer);
      // Sent Monday 14 December: the tenth day is Christmas Eve, so the standstill runs past Christmas.
      for (const moved of [
        '2026-12-24: julafton',
        '2026-12-25: juldagen',
        '2026-12-26: annandag jul',
        '2026-12-27: söndag',
      ])
        await officer.getByText(moved).waitFor();

      // The day before the earliest signing day the server refuses, and the page says why.
      await site.setToday('2026-12-28', officer, provider);
      await openPage(officer, procedurePath);
      await officer.getByText('avtal får tecknas först 2026-12-29', { exact: false }).waitFor();
      await officer.getByRole('button', { name: 'Teckna avtal' }).click();
      await expect(officer.getByRole('alert').innerText()).resolves.toContain(
        'Avtalsspärr råder till och med 2026-12-28; avtal får tecknas tidigast 2026-12-29',
      );
      await expectAccessible(officer, 'nekat avtal under avtalsspärren');
      await screenshot(officer, '33-nss-avtalsparr');

      await site.setToday('2026-12-29', officer, provider);
      await openPage(officer, procedurePath);
      await officer.getByText('Avtalsspärren har löpt ut').waitFor();
      await officer.getByLabel('Avtalet börjar').fill('2027-01-01');
      await officer.getByRole('button', { name: 'Teckna avtal' }).click();
      await officer.getByText('Avtalet tecknades 2026-12-29.').waitFor();
      await settled(officer);
      await officer.getByText(/kontrakt gällande 2027-01-01–2033-12-31/).waitFor();

      // The open data hold the award and the contract.
      const index = await apiGet<{ packages: { uri: string }[] }>(officer, '/api/ocds');
      const uri = index.packages.find((p) =>
        p.uri.endsWith(`/api/ocds/packages/${procedurePath.split('/').pop()}`),
      );
      expect(uri).toBeDefined();
      const pkg = await apiGet<{
        releases: { tag: string[]; awards?: { status: string }[]; contracts?: { status: string }[] }[];
      }>(officer, uri!.uri);
      expect(pkg.releases.map((r) => r.tag[0])).toEqual(['tender', 'award', 'contract']);
      expect(pkg.releases[2]?.awards?.map((a) => a.status)).toEqual(['active']);
      expect(pkg.releases[2]?.contracts?.map((c) => c.status)).toEqual(['active']);

      // The tenderer reads its scores, the motivations, the decision and how to seek review.
      await openPage(provider, `/ansokningar/${ownTender}`);
      await provider.getByRole('heading', { name: 'Tilldelningsbeslut: anbudet antas' }).waitFor();
      await provider.getByText('Motivering 1: väl beskrivet').waitFor();
      await expect(
        provider.getByText('Mottagningen ligger i kommunen', { exact: false }).count(),
      ).resolves.toBe(1);
      await expect(
        provider.getByText('överprövning hos förvaltningsrätten', { exact: false }).count(),
      ).resolves.toBe(1);
      await expectAccessible(provider, 'eget anbud med beslut');
      await screenshot(provider, '34-nss-anbud-beslut');

      // The contract shows its 7-year term and when to decide on a new procurement.
      await openPage(officer, procedurePath);
      await officer.getByRole('link', { name: /Avtal nr \d+/ }).click();
      await officer
        .getByText('Ett NSS-kontrakt löper i 7 år, till och med 2033-12-31', { exact: false })
        .waitFor();
      await officer.getByText('ny upphandling från 2032-12-31', { exact: false }).waitFor();
      await expectAccessible(officer, 'NSS-kontrakt');
    }, 300_000);

    it('walks a member leaving a group contract, and a branch reported and approved', async () => {
      const officer = await site.loggedIn('officer');
      await site.setToday('2027-03-01', officer);
      await openPage(officer, '/ansokningar');
      await officer
        .getByRole('row', { name: /Grupp om 3/ })
        .getByRole('link')
        .click();
      await settled(officer);
      await officer.getByRole('link', { name: /Avtal nr \d+/ }).click();
      await officer.getByRole('heading', { name: 'Gruppens medlemmar' }).waitFor();
      await settled(officer);
      const members = officer.getByRole('table', { name: 'Medlemmar och andelar' });
      await expect(members.getByRole('row').count()).resolves.toBe(4);

      const leave = officer.getByRole('form', { name: 'Medlem som lämnar' });
      // Fysioterapeuterna (25 %) leave; a last day before the contract started is refused at the date.
      await leave
        .getByLabel('Medlem', { exact: true })
        .selectOption({ label: 'Fysioterapeuterna i Parken AB (5565475489)' });
      await leave.getByLabel('Sista dag som medlem').fill('2025-06-30');
      await leave.getByRole('button', { name: 'Visa följderna' }).click();
      await expect(leave.locator('.field-error').innerText()).resolves.toContain('ingen kan lämna före det');
      await leave.getByLabel('Sista dag som medlem').fill('2027-03-31');
      await leave.getByRole('button', { name: 'Visa följderna' }).click();
      const preview = officer.locator('.preview');
      await preview.waitFor();
      await expect(preview.innerText()).resolves.toContain('fördelas på övriga i proportion');
      await expect(preview.innerText()).resolves.toContain(': 80 % av åtagandet');
      await expect(preview.innerText()).resolves.toContain(
        'Samtalsmottagningen ek. för. (2021005489): 20 % av åtagandet',
      );
      await expect(preview.innerText()).resolves.toContain('drivs vidare under avtalet');
      await expectAccessible(officer, 'medlem lämnar');
      await screenshot(officer, '35-medlem-lamnar');
      await preview.getByRole('button', { name: /^Registrera att/ }).click();
      await officer.getByText('Att medlemmen lämnar är registrerat.').waitFor();
      // The table is read again after the message shows; wait for the new answer, not just the message.
      await members.getByText('efter 2027-03-31').waitFor();
      await expect(members.getByText('efter 2027-03-31').count()).resolves.toBe(1);
      await expect(members.getByText('80 %').count()).resolves.toBe(1);
      await expect(members.getByText('20 %').count()).resolves.toBe(1);

      // The provider reports a branch under its contract; the officer approves it.
      const provider = await site.loggedIn('provider');
      await site.setToday('2027-03-01', provider);
      await openPage(provider, new URL(officer.url()).pathname);
      await provider.getByLabel('Filialens HSA-id').fill('SE2321000016-LOV1G');
      await provider.getByLabel('Filialens namn').fill('Parken filial Lit');
      await provider.getByRole('button', { name: 'Anmäl filialen' }).click();
      await provider.getByText('Filialen är anmäld; regionen beslutar om den.').waitFor();
      await expectAccessible(provider, 'anmäl filial');
      await officer.reload();
      await settled(officer);
      await officer.getByLabel('Skäl (Parken filial Lit)').fill('Samma verksamhetschef och öppettider');
      await officer.getByRole('button', { name: 'Besluta om filialen' }).click();
      await officer.getByText(/Parken filial Lit \(SE2321000016-LOV1G\), filial till .*: Godkänd/).waitFor();
    }, 180_000);
  },
);
