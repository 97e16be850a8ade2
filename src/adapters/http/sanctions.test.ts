import { describe, expect, it } from 'vitest';
import { useApiTest } from '../../test-support/api-test.js';
import { importCase } from '../../test-support/store-cases.js';
import { officerAndProviders } from '../../test-support/http.js';
import { publishedRulebook } from '../../test-support/rulebooks.js';
import { recordFact } from '../store/unit-facts.js';

/** The sanctions API: who sees, answers and decides what, and whose clock dates each step. */

const OWN = '5560160680';
const OTHER = '2321000016';
let versionId: number;
const api = useApiTest({
  users: officerAndProviders(OWN, OTHER),
  today: '2025-04-01',
  seed: async (db) => {
    await importCase(db, {
      listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U2,,1980-01-01,M,A1,2020-01-01,,'],
    });
    versionId = await publishedRulebook(db);
    for (const unitId of ['U1', 'U2'])
      await recordFact(
        db,
        { unitId, fact: 'psychologist', value: false, validFrom: '2025-01-01' },
        { username: 'test', role: 'officer' },
      );
  },
});
const { call } = api;

describe('sanctions through the API', () => {
  it('lets a provider see and answer only its own proposals, and only the region decide, on the server’s days', async () => {
    expect(
      (
        await call('vardgivare', 'POST', '/api/sanctions/proposals', {
          version_id: versionId,
          month: '2025-03',
        })
      ).status,
    ).toBe(403);
    const proposed = await call('handlaggare', 'POST', '/api/sanctions/proposals', {
      version_id: versionId,
      month: '2025-03',
    });
    expect(proposed.status).toBe(201);
    const byUnit = new Map(proposed.body.created.map((s: { unit_id: string; id: number }) => [s.unit_id, s]));
    const own = byUnit.get('U1') as { id: number; proposed_at: string; answer_due: string };
    const other = byUnit.get('U2') as { id: number };
    expect([own.proposed_at, own.answer_due]).toEqual(['2025-04-01', '2025-04-15']);

    const mine = (await call('vardgivare', 'GET', '/api/sanctions')).body.items;
    expect(mine.map((s: { unit_id: string }) => s.unit_id)).toEqual(['U1']);
    expect((await call('vardgivare', 'GET', `/api/sanctions/${other.id}`)).status).toBe(404);
    expect(
      (await call('vardgivare', 'POST', `/api/sanctions/${other.id}/answer`, { text: 'Inte vårt' })).status,
    ).toBe(404);

    api.today = '2025-04-10';
    const answered = await call('vardgivare', 'POST', `/api/sanctions/${own.id}/answer`, {
      text: 'Psykolog finns via avtal',
      answered_at: '2025-03-01',
    });
    expect([answered.status, answered.body.status, answered.body.answered_at]).toEqual([
      200,
      'answered',
      '2025-04-10',
    ]);
    const self = await call('vardgivare', 'POST', `/api/sanctions/${own.id}/decision`, {
      decision: 'cancel',
      reason: 'Vi tycker inte det',
    });
    expect(self.status).toBe(403);
    const early = await call('handlaggare', 'POST', `/api/sanctions/${other.id}/decision`, {
      decision: 'confirm',
      reason: 'Ej uppfyllt',
    });
    expect([early.status, early.body.detail]).toEqual([
      409,
      'Vårdgivaren får yttra sig till och med 2025-04-15; beslut fattas när yttrandet kommit eller tiden gått ut',
    ]);
    const reduced = await call('handlaggare', 'POST', `/api/sanctions/${own.id}/decision`, {
      decision: 'reduce',
      amount_ore: 2_000_000,
      reason: 'Delvis',
    });
    expect([reduced.status, reduced.body.pointer]).toEqual([400, '/amount_ore']);
    const decided = await call('handlaggare', 'POST', `/api/sanctions/${own.id}/decision`, {
      decision: 'confirm',
      reason: 'Avtalet gäller först från maj',
      decided_at: '2025-01-01',
    });
    expect([decided.body.status, decided.body.decided_at, decided.body.settle_month]).toEqual([
      'confirmed',
      '2025-04-10',
      '2025-03',
    ]);
  });
});
