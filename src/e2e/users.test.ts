import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeOnDemoSite } from './test-support/demo-site.js';
import { apiGet, expectAccessible, expectFitsEveryWidth, openFromMenu } from './test-support/steps.js';

/** An admin manages a user in the web page, with the server running (issue 13). */

describeOnDemoSite('the user page in chromium', { population: 1000 }, (site) => {
  let page: Page;

  beforeAll(async () => {
    page = await site.loggedIn('admin');
  });

  it('creates a user, changes its role, disables it and sets a new password', async () => {
    await openFromMenu(page, 'Användare');

    // A common password is refused with the server's words.
    await page.getByLabel('Användarnamn').fill('eva.ek');
    await page.getByLabel('Lösenord (minst 12 tecken)').fill('qwerty123456');
    await page.getByRole('button', { name: 'Skapa användare' }).click();
    await page.getByText('vanligaste lösenorden').waitFor();

    await page.getByLabel('Lösenord (minst 12 tecken)').fill('evas-eget-losenord');
    await page.getByRole('button', { name: 'Skapa användare' }).click();
    await page.getByRole('status').getByText('Användaren eva.ek är skapad').waitFor();
    const row = page.getByRole('row', { name: /eva\.ek/ });
    await row.waitFor();

    await page.getByLabel('Roll för eva.ek').selectOption('analyst');
    await page.getByRole('status').getByText('eva.ek har nu rollen').waitFor();
    await page.getByRole('button', { name: 'Stäng av eva.ek' }).click();
    await row.getByText('Avstängd').waitFor();
    await page.getByLabel('Nytt lösenord för eva.ek').fill('ett-helt-nytt-losenord');
    await row.getByRole('button', { name: 'Byt lösenord' }).click();
    await page.getByRole('status').getByText('Nytt lösenord satt för eva.ek').waitFor();
    await expectAccessible(page, 'users');

    const users = await apiGet<{ items: { username: string; role: string; disabled: boolean }[] }>(
      page,
      '/api/users',
    );
    const eva = users.items.find((u) => u.username === 'eva.ek');
    expect(eva).toMatchObject({ role: 'analyst', disabled: true });
  });

  it('gives and takes the approver right in the page, and the page fits a phone', async () => {
    const approverOf = async () =>
      (await apiGet<{ approvers: { username: string }[] }>(page, '/api/control')).approvers.map(
        (a) => a.username,
      );
    const right = page.getByLabel('Attesträtt för handlaggare');
    await right.waitFor();
    expect(await right.isChecked()).toBe(false);
    await right.check();
    await page.getByRole('status').getByText('handlaggare har nu attesträtt').waitFor();
    expect(await approverOf()).toContain('handlaggare');
    await expect.poll(() => right.isChecked()).toBe(true);
    // A role that approves no runs has no approver right to give.
    await expect(page.getByLabel('Attesträtt för eva.ek').count()).resolves.toBe(0);
    await right.uncheck();
    await page.getByRole('status').getByText('handlaggare har inte längre attesträtt').waitFor();
    expect(await approverOf()).not.toContain('handlaggare');
    const audit = await apiGet<{ items: { action: string }[] }>(page, '/api/audit?q=attesträtt');
    expect(audit.items.map((e) => e.action).slice(0, 2)).toEqual([
      'user.revoke_approver',
      'user.grant_approver',
    ]);
    await expectFitsEveryWidth(page, 'users with the approver right');
  });
});
