import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { first } from '../../test-support/nth.js';
import { useApiTest } from '../../test-support/api-test.js';
import { STORE_KINDS, pgDown } from '../../test-support/databases.js';
import { officerAndProviders } from '../../test-support/http.js';
import { exampleLov, exampleNss } from '../demo/procurement-examples.js';
import * as t from '../store/schema.js';
import { listAudit } from '../store/users.js';

/**
 * Rights a caller must not be able to give itself (issue 19, points 1 and 6): national-tariff
 * activity is the region's evidence, the transitional right is decided by an officer once per
 * provider, and every date that decides a right is the server's, whatever the client sends.
 */

const OWN = '5560160680';
const OTHER = '5565475489';
const USERS = officerAndProviders(OWN, OTHER);
const MONTHS = Array.from({ length: 24 }, (_, i) => ({
  month: `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
  full_time: true,
  on_national_tariff: true,
}));
const REQUEST = {
  provider_id: OWN,
  provider_name: 'Dr Ledande AB',
  profession: 'doctor',
  orientation: 'allmänmedicin',
  tariff_ends: '2026-12-31',
};

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`rights decided by the region on ${kind}`, () => {
    const api = useApiTest({ kind, users: USERS, today: '2025-01-01' });
    const { call } = api;

    const nssContracts = async (providerId: string) =>
      api.conn.db
        .select()
        .from(t.contracts)
        .where(and(eq(t.contracts.providerId, providerId), eq(t.contracts.connectionForm, 'nss')));

    it('lets no provider record its own national-tariff months or grant itself the transitional right', async () => {
      expect((await call('vardgivare', 'PUT', `/api/activity/${OWN}`, { months: MONTHS })).status).toBe(403);
      const unrecorded = await call('vardgivare', 'POST', '/api/transitional-requests', REQUEST);
      expect(unrecorded.status).toBe(409);
      expect(unrecorded.body.detail).toContain('inga månader enligt nationella taxan registrerade');

      expect((await call('handlaggare', 'PUT', `/api/activity/${OWN}`, { months: MONTHS })).body.saved).toBe(
        24,
      );
      expect((await call('vardgivare', 'GET', `/api/activity/${OWN}`)).body.items).toHaveLength(24);
      expect((await call('annan', 'GET', `/api/activity/${OWN}`)).status).toBe(404);

      api.today = '2026-11-02';
      const asked = await call('vardgivare', 'POST', '/api/transitional-requests', REQUEST);
      expect(asked.status).toBe(201);
      expect(asked.body).toMatchObject({ status: 'requested', eligible: true, contract_id: null });
      expect(asked.body.requested_at).toBe('2026-11-02');
      expect(await nssContracts(OWN)).toEqual([]);
      const twice = await call('vardgivare', 'POST', '/api/transitional-requests', REQUEST);
      expect([twice.status, twice.body.detail]).toEqual([
        409,
        `En begäran om övergångsrätt (nr ${asked.body.id}) väntar redan på handläggarens beslut`,
      ]);

      const decision = { decision: 'grant', reason: 'Heltid 24 av 24 månader', decided_at: '2020-01-01' };
      const self = await call(
        'vardgivare',
        'POST',
        `/api/transitional-requests/${asked.body.id}/decision`,
        decision,
      );
      expect(self.status).toBe(403);
      api.today = '2026-11-20';
      const granted = await call(
        'handlaggare',
        'POST',
        `/api/transitional-requests/${asked.body.id}/decision`,
        decision,
      );
      expect(granted.status).toBe(200);
      expect(granted.body).toMatchObject({ status: 'granted', decided_at: '2026-11-20' });
      expect(granted.body.result.contract).toMatchObject({ start: '2027-01-01', end: '2033-12-31' });
      const again = await call(
        'handlaggare',
        'POST',
        `/api/transitional-requests/${asked.body.id}/decision`,
        {
          decision: 'refuse',
          reason: 'Omprövning',
        },
      );
      expect(again.status).toBe(409);

      api.today = '2026-12-01';
      const second = await call('vardgivare', 'POST', '/api/transitional-requests', REQUEST);
      expect(second.status).toBe(409);
      expect(second.body.detail).toMatch(/beviljades redan 2026-11-20 .*en gång per vårdgivare/);
      expect((await nssContracts(OWN)).map((c) => c.id)).toEqual([granted.body.contract_id]);
      expect((await call('annan', 'GET', '/api/transitional-requests')).body.items).toEqual([]);
      const actions = (await listAudit(api.conn.db, { limit: 1000 })).map((a) => a.action);
      expect(actions).toEqual(
        expect.arrayContaining(['activity.record', 'transitional.request', 'transitional.granted']),
      );
    });

    it('refuses a tender after the deadline whatever day the client claims, and dates awards and signing by the server', async () => {
      api.today = '2025-03-01';
      const proc = (
        await call('handlaggare', 'POST', '/api/procedures', {
          ...exampleNss('2025-03-01', '2025-03-31'),
          criteria: exampleNss('2025-03-01', '2025-03-31').criteria.map((c) => ({
            id: c.id,
            name: c.name,
            weight: c.weight,
            max_score: c.maxScore,
          })),
        })
      ).body;
      expect(
        (await call('handlaggare', 'POST', `/api/procedures/${proc.id}/publish`)).body.published_at,
      ).toBe('2025-03-01');
      const tender = async (user: string, org: string) =>
        (
          await call(user, 'POST', `/api/procedures/${proc.id}/applications`, {
            provider_id: org,
            applicant_name: `Geriatrik ${org}`,
          })
        ).body.id as number;
      const onTime = await tender('annan', OTHER);
      const late = await tender('vardgivare', OWN);
      api.today = '2025-03-20';
      expect((await call('annan', 'POST', `/api/applications/${onTime}/submit`)).status).toBe(200);

      api.today = '2025-04-01';
      const backdated = await call('vardgivare', 'POST', `/api/applications/${late}/submit`, {
        submitted_at: '2025-03-20',
      });
      expect([backdated.status, backdated.body.detail]).toEqual([
        409,
        'Sista dag för anbud var 2025-03-31; anbudet kom in 2025-04-01',
      ]);
      const row = first(await api.conn.db.select().from(t.applications).where(eq(t.applications.id, late)));
      expect([row.status, row.submittedAt]).toEqual(['draft', null]);

      await call('handlaggare', 'POST', `/api/applications/${onTime}/assessments`, {
        assessments: [
          { requirement_id: 'U1', outcome: 'clear', evidence: 'Belastningsregister', reason: 'Ingen dom' },
          { requirement_id: 'K1', outcome: 'met', evidence: 'Specialistbevis', reason: 'Geriatriker' },
        ],
      });
      await call('handlaggare', 'POST', `/api/applications/${onTime}/scores`, {
        scores: { tillganglighet: 4, kontinuitet: 4, samverkan: 4 },
      });
      api.today = '2025-04-08';
      const award = await call('handlaggare', 'POST', `/api/procedures/${proc.id}/award`, {
        sent_at: '2025-03-01',
        electronic: true,
      });
      expect(award.body.award).toMatchObject({ sent_at: '2025-04-08', standstill_last_day: '2025-04-22' });
      api.today = '2025-04-22';
      const during = await call('handlaggare', 'POST', `/api/procedures/${proc.id}/sign`, {
        signed_at: '2025-05-01',
        start_date: '2025-06-01',
      });
      expect([during.status, during.body.detail]).toEqual([
        409,
        'Avtalsspärr råder till och med 2025-04-22; avtal får tecknas tidigast 2025-04-23',
      ]);
      api.today = '2025-04-23';
      const signed = await call('handlaggare', 'POST', `/api/procedures/${proc.id}/sign`, {
        start_date: '2025-06-01',
      });
      expect(signed.body.procedure.award.signed_at).toBe('2025-04-23');
    });

    it('dates a LOV decision by the server, not by the decided_at the client sends', async () => {
      api.today = '2025-01-02';
      const lov = (
        await call('handlaggare', 'POST', '/api/procedures', {
          ...exampleLov(null, '2025-01-01'),
          criteria: [],
        })
      ).body;
      await call('handlaggare', 'POST', `/api/procedures/${lov.id}/publish`);
      const a = (
        await call('vardgivare', 'POST', `/api/procedures/${lov.id}/applications`, {
          provider_id: OWN,
          applicant_name: 'Ledande AB',
        })
      ).body;
      api.today = '2025-02-01';
      const submitted = await call('vardgivare', 'POST', `/api/applications/${a.id}/submit`, {
        submitted_at: '2024-12-01',
      });
      expect(submitted.body.submitted_at).toBe('2025-02-01');
      await call('handlaggare', 'POST', `/api/applications/${a.id}/assessments`, {
        assessments: ['U1', 'U2', 'K1', 'K2'].map((r) => ({
          requirement_id: r,
          outcome: r.startsWith('U') ? 'clear' : 'met',
          evidence: 'Intyg',
          reason: 'Kontrollerat',
        })),
      });
      api.today = '2025-02-20';
      const decided = await call('handlaggare', 'POST', `/api/applications/${a.id}/decision`, {
        decision: 'approve',
        reason: 'Alla krav uppfyllda',
        decided_at: '2024-12-31',
      });
      expect(decided.body.application.decided_at).toBe('2025-02-20');
      const contract = first(
        await api.conn.db.select().from(t.contracts).where(eq(t.contracts.id, decided.body.contract_id)),
      );
      expect(contract.startDate).toBe('2025-02-20');
    });
  });
}
