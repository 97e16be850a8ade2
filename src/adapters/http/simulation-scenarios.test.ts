import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCaseFolder } from '../../test-support/cases.js';
import { pgDown, STORE_KINDS, useTestStore } from '../../test-support/databases.js';
import { apiCaller, providerUser, regionUser, TEST_PASSWORD, testApp } from '../../test-support/http.js';
import { signInAll, type TestSession } from '../../test-support/sessions.js';
import { PROJECT_ROOT } from '../store/connection.js';
import { importFolder } from '../store/import-batch.js';
import { publishRulebook, saveRulebookDraft } from '../store/runs.js';
import type { createApp } from './app.js';

/**
 * What-if in the browser, through the API on both stores: a changed rulebook run against the one
 * in force (budget-neutral), scenarios saved under a name and shared, and a provider's question
 * about its own unit with more listed persons.
 */

const OWN = '5560160680';
const USERS = [
  regionUser('handlaggare', 'officer'),
  regionUser('kollega', 'officer'),
  regionUser('analytiker', 'analyst'),
  providerUser('vardgivare', OWN),
];
const YAML_2025 = readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2025.yaml'), 'utf8');
/** More capitation, no supplement for sparsely populated areas: the town unit wins, the rural one loses. */
const SCENARIO = YAML_2025.replace(
  'annual_amount: {2025-01-01: 2400, 2025-07-01: 2460}',
  'annual_amount: {2025-01-01: 3000, 2025-07-01: 3060}',
).replace('glesbygd: 360', 'glesbygd: 0');

const listings = [
  ...Array.from({ length: 6 }, (_, i) => `P${i + 1},U1,,1980-01-0${i + 1},F,A1,2020-01-01,,`),
  ...Array.from({ length: 6 }, (_, i) => `Q${i + 1},U2,,1950-02-0${i + 1},M,A2,2020-01-01,,`),
];

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`what-if through the API (${kind})`, () => {
    const store = useTestStore(kind);
    let app: ReturnType<typeof createApp>;
    let versionId: number;
    let draftVersionId: number;
    const sessions = new Map<string, TestSession>();

    const call = apiCaller(() => app, sessions);

    beforeAll(async () => {
      const db = store.conn.db;
      app = testApp(store.conn, () => '2025-04-01');
      await importFolder(db, writeCaseFolder({ listings }), 'test');
      const version = await saveRulebookDraft(db, YAML_2025, 'test');
      await publishRulebook(db, version.id);
      versionId = version.id;
      draftVersionId = (await saveRulebookDraft(db, SCENARIO, 'test')).id;
      await signInAll(app, db, USERS, TEST_PASSWORD, sessions);
    }, 60_000);

    it('runs a changed rulebook budget-neutral: the total stays, the town unit wins and the rural one loses', async () => {
      const res = await call('handlaggare', 'POST', '/api/ui/simulations/draft', {
        base_version_id: versionId,
        yaml: SCENARIO,
        month: '2025-03',
        budget_neutral: true,
        scale: ['kapitering'],
      });
      expect(res.status).toBe(200);
      const sim = res.body;
      expect(sim.scenario.id).toBeNull();
      expect(sim.total.scenario_ore).toBe(sim.total.base_ore);
      expect(sim.budget_neutral.scaled_components).toEqual(['kapitering']);
      expect(sim.budget_neutral.scale_factor).toBeLessThan(1);
      const diff = (id: string) => sim.units.find((u: { unit_id: string }) => u.unit_id === id).diff_ore;
      expect(diff('U1')).toBeGreaterThan(0);
      expect(diff('U2')).toBeLessThan(0);
      expect(diff('U1') + diff('U2')).toBe(0);
      expect(sim.by_kommun).toEqual([expect.objectContaining({ key: '2361', units: 2, diff_ore: 0 })]);
      const supplement = sim.components.find(
        (k: { component: string }) => k.component === 'geografiskt_tillagg',
      );
      expect(supplement.base_share).toBeGreaterThan(0);
      expect(supplement.scenario_share).toBe(0);
    });

    it('says where a changed rulebook is wrong, and keeps drafts from those who do not write rulebooks', async () => {
      const bad = await call('handlaggare', 'POST', '/api/ui/simulations/draft', {
        base_version_id: versionId,
        yaml: SCENARIO.replace('rate: 0.06', 'rate: sex procent'),
        month: '2025-03',
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors[0].line).toBeGreaterThan(1);
      const denied = await call('analytiker', 'POST', '/api/ui/simulations/draft', {
        base_version_id: versionId,
        yaml: SCENARIO,
        month: '2025-03',
      });
      expect(denied.status).toBe(403);
    });

    it('saves a named scenario, shares it with another officer, and lets only its maker save over it', async () => {
      const body = {
        name: 'Mer kapitering, inget glesbygdstillägg',
        base_version_id: versionId,
        yaml: SCENARIO,
        budget_neutral: true,
        scale: ['kapitering'],
      };
      const saved = await call('handlaggare', 'POST', '/api/simulation-scenarios', body);
      expect(saved.status).toBe(201);
      expect(saved.body).toMatchObject({ name: body.name, created_by: 'handlaggare', scale: ['kapitering'] });
      const id = saved.body.id as number;
      const opened = await call('kollega', 'GET', `/api/simulation-scenarios/${id}`);
      expect(opened.status).toBe(200);
      expect(opened.body.yaml).toBe(SCENARIO);
      expect(opened.body.budget_neutral).toBe(true);
      const list = await call('kollega', 'GET', '/api/simulation-scenarios');
      expect(list.body.items.map((s: { id: number }) => s.id)).toContain(id);
      expect(list.body.items[0].yaml).toBeUndefined();
      expect((await call('kollega', 'PUT', `/api/simulation-scenarios/${id}`, body)).status).toBe(409);
      const renamed = await call('handlaggare', 'PUT', `/api/simulation-scenarios/${id}`, {
        ...body,
        name: 'Variant B',
        budget_neutral: false,
        scale: null,
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'Variant B', budget_neutral: false, scale: null });
      expect((await call('kollega', 'GET', `/api/simulation-scenarios/${id}`)).body.name).toBe('Variant B');
      expect((await call('vardgivare', 'GET', `/api/simulation-scenarios/${id}`)).status).toBe(403);
      expect((await call('handlaggare', 'GET', '/api/simulation-scenarios/999999')).status).toBe(404);
      const fromDraft = await call('handlaggare', 'POST', '/api/simulation-scenarios', {
        ...body,
        base_version_id: draftVersionId,
      });
      expect(fromDraft.status).toBe(409);
      const unnamed = await call('handlaggare', 'POST', '/api/simulation-scenarios', { ...body, name: ' ' });
      expect(unnamed.status).toBe(400);
    });

    it('answers a provider what its own unit would get with more listed persons, and nothing about others', async () => {
      const ask = { month: '2025-03', count: 10, age_from: 0, age_to: 4 };
      const res = await call('vardgivare', 'POST', '/api/ui/units/U1/what-if', ask);
      expect(res.status).toBe(200);
      const w = res.body;
      expect(w.rulebook.id).toBe(versionId);
      expect(w.diff_ore).toBeGreaterThan(0);
      expect(w.with_added_ore).toBe(w.current_ore + w.diff_ore);
      const capitation = w.components.find((k: { component: string }) => k.component === 'kapitering');
      expect(capitation.with_added_ore).toBeGreaterThan(capitation.current_ore);
      // Ten small children weigh more than ten persons of 20–44 (age and sex weights of the rulebook).
      const adults = await call('vardgivare', 'POST', '/api/ui/units/U1/what-if', {
        ...ask,
        age_from: 20,
        age_to: 44,
      });
      expect(adults.body.diff_ore).toBeLessThan(w.diff_ore);
      expect((await call('vardgivare', 'POST', '/api/ui/units/U2/what-if', ask)).status).toBe(404);
      expect((await call('handlaggare', 'POST', '/api/ui/units/U2/what-if', ask)).status).toBe(200);
      const backwards = await call('vardgivare', 'POST', '/api/ui/units/U1/what-if', { ...ask, age_from: 9 });
      expect(backwards.status).toBe(400);
    });
  });
}
