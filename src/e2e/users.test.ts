import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './test-support/browser.js';
import { expectAccessible, settled, useDemoSite } from './test-support/demo-site.js';

/** An admin manages a user in the web page, with the server running (issue 13). */

describe.skipIf(!existsSync(CHROMIUM))('the user page in chromium', () => {
  const site = useDemoSite(1000);
  let page: Page;

  beforeAll(async () => {
    page = await site.newPage();
  });

  it('creates a user, changes its role, disables it and sets a new password', async () => {
    await page.goto('/');
    await page.getByLabel('Användarnamn').fill('admin');
    await page.getByLabel('Lösenord').fill('demo-admin-2025');
    await page.getByRole('button', { name: 'Logga in' }).click();
    const nav = page.getByRole('navigation', { name: 'Huvudmeny' });
    await nav.getByRole('link', { name: 'Användare' }).click();
    await page.getByRole('heading', { name: 'Användare', level: 1 }).waitFor();
    await settled(page);

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

    const users = await page.evaluate(async () => (await fetch('/api/users')).json());
    const eva = (users as { items: { username: string; role: string; disabled: boolean }[] }).items.find(
      (u) => u.username === 'eva.ek',
    );
    expect(eva).toMatchObject({ role: 'analyst', disabled: true });
  });
});
