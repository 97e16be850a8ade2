import { and, eq, isNull, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { endContract } from '../adapters/store/contract-registry.js';
import { DEMO_RULEBOOK_ID } from '../adapters/demo/demo.js';
import { createRun } from '../adapters/store/runs.js';
import * as t from '../adapters/store/schema.js';
import { screenshot } from './test-support/browser.js';
import { describeOnDemoSite } from './test-support/demo-site.js';
import { expectAccessible, openPage } from './test-support/steps.js';
import { defined } from '../core/test-support/defined.js';

/**
 * The contract decides the money, in chromium on the demo region: a run after one provider's
 * contract ended lists that provider's units as unpaid with the reason, and a unit under a group
 * contract shows the contract and each member's share; the lead sees the whole split.
 */

const FYSIO = '5565475489';

describeOnDemoSite('contracts in the web interface', { population: 1500 }, (site) => {
  let runId: number;
  let groupUnit: string;
  let endedUnits: string[];

  beforeAll(async () => {
    const db = site.conn.db;
    const [leadRow] = await db.select().from(t.users).where(eq(t.users.username, 'vardgivare'));
    const lead = defined(leadRow, 'the user vardgivare');
    const [batchRow] = await db.select({ id: t.importBatches.id }).from(t.importBatches);
    const batch = defined(batchRow, 'an import batch');
    const active = await db
      .select()
      .from(t.units)
      .where(and(eq(t.units.batchId, batch.id), isNull(t.units.endDate), isNull(t.units.branchOf)))
      .orderBy(t.units.unitId);
    groupUnit = active.find((u) => u.providerId === lead.providerId)!.unitId;
    const other = active.find((u) => u.providerId !== lead.providerId && u.startDate < '2025-01-01')!;
    endedUnits = active.filter((u) => u.providerId === other.providerId).map((u) => u.unitId);
    // The lead runs its unit together with a physiotherapist from 2025: 60 and 40 percent.
    const [groupRow] = await db
      .insert(t.contracts)
      .values({
        providerId: lead.providerId!,
        unitId: groupUnit,
        connectionForm: 'lov',
        startDate: '2025-01-01',
      })
      .returning();
    const group = defined(groupRow, 'the new group contract');
    await db.insert(t.contractMembers).values([
      {
        contractId: group.id,
        orgNr: lead.providerId!,
        name: 'Demovårdgivaren',
        sharePercent: 60,
        isLead: true,
        onLeaving: 'reallocate',
      },
      {
        contractId: group.id,
        orgNr: FYSIO,
        name: 'Fysio Norr AB',
        sharePercent: 40,
        isLead: false,
        onLeaving: 'reallocate',
      },
    ]);
    const [wideRow] = await db
      .select()
      .from(t.contracts)
      .where(and(eq(t.contracts.providerId, other.providerId), sql`${t.contracts.unitId} is null`));
    const wide = defined(wideRow, "the other provider's region-wide contract");
    await endContract(db, wide.id, '2025-11-30', { actor: 'handlaggare', role: 'officer' });
    const [versionRow] = await db
      .select()
      .from(t.rulebookVersions)
      .where(eq(t.rulebookVersions.rulebookId, DEMO_RULEBOOK_ID));
    const version = defined(versionRow, 'a version of the demo rulebook');
    runId = (await createRun(db, '2025-12', version.id, batch.id, 'handlaggare')).runId;
  });

  it('lists the units of an ended contract as unpaid, with the reason, on the run page', async () => {
    const officer = await site.loggedIn('officer');
    await openPage(officer, `/utbetalningar/${runId}`);
    await officer.getByRole('heading', { name: 'Enheter utan utbetalning' }).waitFor();
    const unpaid = officer.getByTestId('unpaid-units');
    for (const unit of endedUnits) {
      const row = unpaid.getByRole('row').filter({ hasText: unit });
      await expect(row.innerText()).resolves.toMatch(/Avtal \d+ upphörde 2025-11-30/);
    }
    await expectAccessible(officer, 'körning med enheter utan utbetalning');
    await screenshot(officer, '30-enheter-utan-utbetalning');
  });

  it('shows a group contract’s split on the unit’s statement, adding up to its total', async () => {
    const provider = await site.loggedIn('provider');
    await openPage(provider, `/utbetalningar/${runId}/enheter/${encodeURIComponent(groupUnit)}`);
    await provider.getByRole('heading', { name: 'Avtal och fördelning' }).waitFor();
    const rows = provider.getByTestId('statement-split').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    const texts = await rows.allInnerTexts();
    expect(texts.some((r) => r.includes('(huvudman)') && r.includes('60 %'))).toBe(true);
    expect(texts.some((r) => r.includes(FYSIO) && r.includes('40 %'))).toBe(true);
    const ore = (text: string) => Math.round(Number(text.replace(/[^\d,-]/g, '').replace(',', '.')) * 100);
    const parts = await rows.locator('td:last-child').allInnerTexts();
    const total = await provider.getByTestId('statement-total').innerText();
    expect(parts.reduce((s, p) => s + ore(p), 0)).toBe(ore(total));
    await expectAccessible(provider, 'underlag med gemensamt avtal');
    await screenshot(provider, '31-avtal-och-fordelning');
  });
});
