import { expect, it } from 'vitest';
import { screenshot } from './test-support/browser.js';
import { describeOnDemoSite } from './test-support/demo-site.js';
import { apiGet, expectAccessible, openPage, settled } from './test-support/steps.js';
import { defined } from '../core/test-support/defined.js';

/**
 * A statement line explains itself and can be questioned, in chromium on the demo region: the
 * provider opens a line's derivation, follows its source into the rulebook's document, questions
 * the line; the officer finds the question under Att hantera, answers with a correction run; both
 * sides see the thread.
 */

describeOnDemoSite('Ifrågasätt raden in chromium', { population: 1500 }, (site) => {
  it('opens a derivation, follows its source, questions the line and sees the officer’s correction', async () => {
    const provider = await site.loggedIn('provider');
    const runs = await apiGet<{ items: { id: number }[] }>(
      provider,
      '/api/runs?status=approved&month=2025-11',
    );
    const runId = defined(runs.items[0], 'an approved run for 2025-11').id;
    const run = await apiGet<{ rulebook_version_id: number; units: { unit_id: string; name: string }[] }>(
      provider,
      `/api/runs/${runId}`,
    );
    const unit = defined(run.units[0], 'a unit in the run');
    const statementPath = `/utbetalningar/${runId}/enheter/${encodeURIComponent(unit.unit_id)}`;
    await openPage(provider, statementPath, unit.name);

    // The capitation line's derivation: steps named by what they are, with the validity date.
    const derivation = provider.getByTestId('derivation-kapitering');
    await derivation.getByText('Härledning och källa').click();
    const steps = derivation.getByRole('table');
    await expect(steps.getByRole('rowheader', { name: 'Listade på brytdagen' }).count()).resolves.toBe(1);
    await expect(steps.innerText()).resolves.toMatch(/\t2025-07-01\t/);
    await expect(provider.getByTestId('statement-lines').innerText()).resolves.not.toMatch(
      /\w\[\d+\]|\(default\)/,
    );
    await expectAccessible(provider, 'underlag med härledning');

    // Its source, a section of the rulebook's readable document.
    await derivation.getByTestId('source-kapitering').click();
    await provider.waitForURL(`**/regelbocker/${run.rulebook_version_id}#c-kapitering`);
    await settled(provider);
    await provider.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { activeElement: { id?: string } | null } }).document;
      return doc.activeElement?.id === 'c-kapitering';
    });
    await expect(provider.locator('#c-kapitering').innerText()).resolves.toContain('Kapiteringsersättning');
    await expect(provider.locator('#fragor').count()).resolves.toBe(1);

    // Back on the statement: question the line.
    await provider.goBack();
    await provider.getByRole('heading', { name: unit.name, level: 1 }).waitFor();
    await settled(provider);
    await provider.getByRole('button', { name: 'Ifrågasätt raden Kapiteringsersättning' }).click();
    await provider
      .getByLabel('Vad ifrågasätter du i raden Kapiteringsersättning?')
      .fill('Vi hade fler listade på brytdagen än underlaget visar.');
    await provider.getByRole('button', { name: 'Skicka frågan' }).click();
    const providerThreads = provider.getByTestId('questions');
    await providerThreads.getByText('Väntar på svar').waitFor();
    await expect(providerThreads.innerText()).resolves.toContain('Vi hade fler listade på brytdagen');
    await expect(
      provider.getByRole('button', { name: 'Ifrågasätt raden Kapiteringsersättning' }).count(),
    ).resolves.toBe(0);
    await expectAccessible(provider, 'ifrågasatt rad');
    await screenshot(provider, '40-ifragasatt-rad');

    // The officer finds it under Att hantera and answers with a correction run for the month.
    const officer = await site.loggedIn('officer');
    await officer.goto('/');
    const todo = officer.getByTestId('todo-questions');
    await expect(todo.innerText()).resolves.toContain('En ifrågasatt rad väntar på svar');
    await todo.getByRole('link', { name: `${unit.unit_id}, Kapiteringsersättning` }).click();
    await officer.getByRole('heading', { name: unit.name, level: 1 }).waitFor();
    await settled(officer);
    await officer
      .getByLabel('Svar till vårdgivaren')
      .fill('Listningen rättades i efterhand; korrigeringen betalar skillnaden.');
    await officer.getByLabel('Gör en korrigeringskörning för månaden och länka den; frågan avslutas').check();
    await officer.getByRole('button', { name: 'Skicka svaret' }).click();
    const officerThreads = officer.getByTestId('questions');
    await officerThreads.getByText('Korrigerad').waitFor();
    const correction = officerThreads.getByRole('link', { name: /^körning \d+$/ });
    const correctionId = Number((await correction.innerText()).replace('körning ', ''));
    expect(correctionId).toBeGreaterThan(runId);
    await expectAccessible(officer, 'besvarad fråga');

    // The provider sees the same thread: the answer and the correction it links.
    await provider.reload();
    await settled(provider);
    await providerThreads.getByText('Korrigerad').waitFor();
    await expect(providerThreads.innerText()).resolves.toContain('korrigeringen betalar skillnaden');
    await expect(
      providerThreads.getByRole('link', { name: `körning ${correctionId}` }).count(),
    ).resolves.toBe(1);
    const corrected = await apiGet<{ corrects_run_id: number; status: string }>(
      officer,
      `/api/runs/${correctionId}`,
    );
    expect(corrected).toMatchObject({ corrects_run_id: runId, status: 'draft' });
  });
});
