import { expect, it } from 'vitest';
import { screenshot } from './test-support/browser.js';
import { describeOnDemoSite } from './test-support/demo-site.js';
import { apiGet, apiPost, expectAccessible, openPage, settled } from './test-support/steps.js';
import { defined } from '../core/test-support/defined.js';

/**
 * The attestation order in chromium: one officer computes December, is refused approving it
 * herself, and a second officer reviews the flagged units against November and approves with a
 * comment. A low review threshold (an installation setting) makes sure there is something flagged.
 */

describeOnDemoSite(
  'approval under the attestation order in the web interface',
  { population: 8000, settings: { VARDVAL_REVIEW_THRESHOLD_PERCENT: '0.5' } },
  (site) => {
    let runId: number;

    it('lets one officer compute December, and neither offers nor allows her approving it herself', async () => {
      const officer = await site.loggedIn('officer');
      await openPage(officer, '/utbetalningar');
      await officer.getByLabel('Månad', { exact: true }).fill('2025-12');
      await officer.getByRole('button', { name: 'Beräkna utkast' }).click();
      await officer.waitForURL(/\/utbetalningar\/\d+$/);
      await settled(officer);
      runId = Number(/(\d+)$/.exec(officer.url())![1]);
      await officer.getByRole('heading', { name: 'Utkastet väntar på godkännande' }).waitFor();
      await expect(officer.getByText('Beräknad av handlaggare').count()).resolves.toBe(1);

      // The page offers her no approval, and the server refuses it if asked anyway.
      await expect(officer.getByTestId('approve-not-you').innerText()).resolves.toContain(
        'Du beräknade körningen och kan inte själv godkänna den.',
      );
      await expect(officer.getByRole('button', { name: 'Godkänn körningen' }).count()).resolves.toBe(0);
      const refused = await apiPost(officer, `/api/runs/${runId}/approve`, { comment: 'själv' });
      expect(refused.status()).toBe(409);
      expect(((await refused.json()) as { detail: string }).detail).toContain(
        `handlaggare beräknade körning ${runId} och får inte också godkänna den`,
      );
      const run = await apiGet<{ status: string }>(officer, `/api/runs/${runId}`);
      expect(run.status).toBe('draft');
      await expectAccessible(officer, 'attest nekad');
    });

    it('lets a second officer review the flagged units against November and approve with a comment', async () => {
      const approver = await site.loggedIn('approver');
      // The overview's "Att hantera" lists the run waiting for approval; from there to the run.
      await settled(approver);
      const waiting = approver.getByTestId('todo-runs');
      await expect(waiting.innerText()).resolves.toMatch(/körningar? väntar på godkännande/);
      await expect(waiting.innerText()).resolves.toContain('beräknad av handlaggare');
      await expectAccessible(approver, 'översikt att hantera');
      await waiting.getByRole('link', { name: `december 2025, körning ${runId}` }).click();
      await approver.waitForURL(new RegExp(`/utbetalningar/${runId}$`));
      await settled(approver);
      const review = approver.getByTestId('run-review');
      await review.getByText('Jämfört med senast godkända månad, november 2025').waitFor();
      const flagged = Number(await review.getByTestId('review-flagged').innerText());
      expect(flagged).toBeGreaterThan(0);
      // Only the flagged units are listed, each with what flagged it.
      const rows = review.getByTestId('review-units').locator('tbody tr');
      await expect(rows.count()).resolves.toBe(flagged);
      const apiReview = await apiGet<{
        units: { name: string; flags: string[]; change_ore: number | null; components: unknown[] }[];
      }>(approver, `/api/runs/${runId}/review`);
      const first = defined(apiReview.units[0], 'a unit in the review');
      expect(first.flags.length).toBeGreaterThan(0);
      await expect(rows.first().locator('th').innerText()).resolves.toBe(first.name);
      await expect(rows.first().innerText()).resolves.toMatch(
        /mer än ±0,5 %|ny enhet|finns inte längre|negativ/,
      );

      // The components of the first flagged unit, beside November's.
      await rows
        .first()
        .getByRole('button', { name: `Visa komponenter för ${first.name}` })
        .click();
      const components = review.getByTestId('review-components');
      await components.waitFor();
      await expect(components.locator('tbody tr').count()).resolves.toBe(first.components.length);
      await expect(components.getByRole('columnheader', { name: 'november 2025' }).count()).resolves.toBe(1);
      await expectAccessible(approver, 'granskning');
      await screenshot(approver, '30-granskning');

      // Its explanation, one click away.
      await rows.first().getByRole('link', { name: first.name }).click();
      await settled(approver);
      await expect(
        approver.getByTestId('statement-lines').locator('td.explanation').count(),
      ).resolves.toBeGreaterThan(0);
      await approver.goBack();
      await settled(approver);

      const comment = `Granskat ${flagged} flaggade enheter mot november; förändringarna följer listningen`;
      await approver.getByLabel('Kommentar till godkännandet').fill(comment);
      await approver.getByRole('button', { name: 'Godkänn körningen' }).click();
      await approver.getByRole('button', { name: 'Ja, godkänn' }).click();
      await approver
        .getByRole('status')
        .filter({ hasText: `Körning ${runId} är godkänd` })
        .waitFor();
      await expect(approver.getByTestId('approval-comment').innerText()).resolves.toBe(comment);
      const run = await apiGet<{
        status: string;
        created_by: string;
        approved_by: string;
        approval_comment: string;
      }>(approver, `/api/runs/${runId}`);
      expect(run).toMatchObject({
        status: 'approved',
        created_by: 'handlaggare',
        approved_by: 'attestant',
        approval_comment: comment,
      });
      await expect(approver.getByTestId('run-review').count()).resolves.toBe(0);
      await expectAccessible(approver, 'godkänd med kommentar');
      await screenshot(approver, '31-godkand');
    });
  },
);
