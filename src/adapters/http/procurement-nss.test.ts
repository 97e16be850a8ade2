import { describe, expect, it } from 'vitest';
import { useApiTest } from '../../test-support/api-test.js';
import { importCase } from '../../test-support/store-cases.js';
import { officerAndProviders } from '../../test-support/http.js';
import { exampleNss } from '../demo/procurement-examples.js';
import { listAudit } from '../store/users.js';

/**
 * The NSS pieces the web pages use, through app.request() on a real (embedded) store, with the
 * server's clock moved by the test: scoring with motivations, a tie broken with a reason, the
 * standstill over Christmas, signing by the server's date, the tenderer's view and a member leaving.
 */

const OWN = '5560160680';
const OTHER = '5565475489';
const MEMBER = '2021005489';
const api = useApiTest({
  users: officerAndProviders(OWN, OTHER),
  today: '2026-12-01',
  seed: async (db) => {
    await importCase(db, {
      units: [
        'U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,',
        'U2,5560160680,VC Ett filial,private,2361,2020-01-01,,U1,1,',
      ],
      listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,'],
    });
  },
});
const { call } = api;

describe('NSS pages through the API', () => {
  it('scores with motivations, breaks a tie with a reason, and signs by the server date after Christmas', async () => {
    const nss = exampleNss('2026-11-01', '2026-12-10');
    const proc = (
      await call('handlaggare', 'POST', '/api/procedures', {
        ...nss,
        rulebook_id: null,
        criteria: nss.criteria.map((c) => ({
          id: c.id,
          name: c.name,
          weight: c.weight,
          max_score: c.maxScore,
        })),
      })
    ).body;
    await call('handlaggare', 'POST', `/api/procedures/${proc.id}/publish`, { published_at: '2026-11-01' });
    const ids: number[] = [];
    for (const [user, org, group] of [
      [
        'vardgivare',
        OWN,
        {
          lead_org_nr: OWN,
          on_member_leaving: 'reallocate',
          members: [
            { org_nr: OWN, name: 'Vårdgivaren AB', share_percent: 70 },
            { org_nr: MEMBER, name: 'Geriatrikerna', share_percent: 30 },
          ],
        },
      ],
      ['annan', OTHER, null],
    ] as const) {
      const a = (
        await call(user, 'POST', `/api/procedures/${proc.id}/applications`, {
          provider_id: org,
          applicant_name: `Geriatrik ${org}`,
          group,
          units: org === OWN ? [{ unit_id: 'U1', name: 'VC Ett' }] : [],
        })
      ).body;
      await call(user, 'POST', `/api/applications/${a.id}/submit`, { submitted_at: '2026-12-01' });
      await call('handlaggare', 'POST', `/api/applications/${a.id}/assessments`, {
        assessments: [
          { requirement_id: 'U1', outcome: 'clear', evidence: 'Belastningsregister', reason: 'Ingen dom' },
          { requirement_id: 'K1', outcome: 'met', evidence: 'Specialistbevis', reason: 'Geriatriker' },
        ],
      });
      ids.push(a.id);
    }
    const scoring = (motivation: string) => ({
      scores: [
        { criterion_id: 'tillganglighet', score: 4, motivation: 'Öppet kvällar' },
        { criterion_id: 'kontinuitet', score: 3, motivation },
        { criterion_id: 'samverkan', score: 5, motivation: 'Avtal med kommunen' },
      ],
    });
    const unmotivated = await call(
      'handlaggare',
      'POST',
      `/api/applications/${ids[0]}/scoring`,
      scoring(' '),
    );
    expect([unmotivated.status, unmotivated.body.pointer]).toEqual([400, '/scores/1/motivation']);
    // Scoring is the region's: a tenderer cannot score its own tender.
    expect(
      (await call('vardgivare', 'POST', `/api/applications/${ids[0]}/scoring`, scoring('x'))).status,
    ).toBe(403);
    for (const appId of ids) {
      const scored = await call(
        'handlaggare',
        'POST',
        `/api/applications/${appId}/scoring`,
        scoring('Fast läkare'),
      );
      expect(scored.status).toBe(200);
    }
    // Before the decision the tenderer sees its criteria but not the region's scores.
    const early = await call('vardgivare', 'GET', `/api/applications/${ids[0]}/tender`);
    expect(early.body.criteria.map((c: { score: number | null }) => c.score)).toEqual([null, null, null]);
    expect(early.body.decision).toBeNull();
    expect((await call('vardgivare', 'GET', `/api/applications/${ids[1]}/tender`)).status).toBe(404);

    const evaluation = (await call('handlaggare', 'GET', `/api/procedures/${proc.id}/evaluation`)).body;
    expect(evaluation.tie.application_ids).toEqual(ids);
    api.today = '2026-12-14';
    const unbroken = await call('handlaggare', 'POST', `/api/procedures/${proc.id}/award`, {
      electronic: true,
    });
    expect([unbroken.status, unbroken.body.pointer]).toEqual([409, '/tie_break']);
    const award = await call('handlaggare', 'POST', `/api/procedures/${proc.id}/award`, {
      electronic: true,
      tie_break: { application_ids: [ids[0]], reason: 'Närmast vårdcentralen i glesbygd' },
    });
    expect(award.status).toBe(200);
    expect(award.body.award.sent_at).toBe('2026-12-14');

    api.today = '2026-12-28';
    const s = (await call('vardgivare', 'GET', `/api/procedures/${proc.id}/standstill`)).body;
    expect(s.standstill).toMatchObject({
      nominal_last_day: '2026-12-24',
      last_day: '2026-12-28',
      earliest_signing: '2026-12-29',
      may_sign: false,
    });
    expect(s.standstill.moved.map((m: { reason: string }) => m.reason)).toEqual([
      'julafton',
      'juldagen',
      'annandag jul',
      'söndag',
    ]);
    const early2 = await call('handlaggare', 'POST', `/api/procedures/${proc.id}/sign`, {
      start_date: '2027-01-01',
    });
    expect(early2.status).toBe(409);
    expect(early2.body.detail).toContain('tidigast 2026-12-29');
    api.today = '2026-12-29';
    expect(
      (await call('handlaggare', 'GET', `/api/procedures/${proc.id}/standstill`)).body.standstill.may_sign,
    ).toBe(true);
    const signed = await call('handlaggare', 'POST', `/api/procedures/${proc.id}/sign`, {
      start_date: '2027-01-01',
    });
    expect(signed.status).toBe(200);
    expect(signed.body.procedure.award.signed_at).toBe('2026-12-29');

    const view = (await call('vardgivare', 'GET', `/api/applications/${ids[0]}/tender`)).body;
    expect(view.criteria.map((c: { motivation: string }) => c.motivation)).toEqual([
      'Öppet kvällar',
      'Fast läkare',
      'Avtal med kommunen',
    ]);
    expect(view.decision.outcome).toBe('awarded');
    expect(view.decision.reason).toContain('Närmast vårdcentralen i glesbygd');
    expect(view.decision.review.court).toBe('förvaltningsrätten');
    const loser = (await call('annan', 'GET', `/api/applications/${ids[1]}/tender`)).body;
    expect(loser.decision.outcome).toBe('not_awarded');

    const contractId = signed.body.contract_ids[0];
    const details = (await call('vardgivare', 'GET', `/api/contracts/${contractId}/details`)).body;
    expect(details.term).toMatchObject({
      years: 7,
      end: '2033-12-31',
      reprocurement_from: '2032-12-31',
      warning: null,
    });
    expect(details.units.map((u: { unit_id: string }) => u.unit_id)).toEqual(['U1', 'U2']);
    api.today = '2033-01-10';
    const later = (await call('vardgivare', 'GET', `/api/contracts/${contractId}/details`)).body;
    expect(later.term.warning).toContain('ny upphandling');

    expect(
      (
        await call('vardgivare', 'POST', `/api/contracts/${contractId}/members/leave-preview`, {
          org_nr: MEMBER,
          left_at: '2028-06-30',
        })
      ).status,
    ).toBe(403);
    const notMember = await call(
      'handlaggare',
      'POST',
      `/api/contracts/${contractId}/members/leave-preview`,
      {
        org_nr: OTHER,
        left_at: '2028-06-30',
      },
    );
    expect([notMember.status, notMember.body.pointer]).toEqual([404, '/org_nr']);
    const preview = (
      await call('handlaggare', 'POST', `/api/contracts/${contractId}/members/leave-preview`, {
        org_nr: MEMBER,
        left_at: '2028-06-30',
      })
    ).body;
    expect(preview.outcome).toBe('reallocated');
    expect(preview.members).toEqual([{ org_nr: OWN, name: 'Vårdgivaren AB', share_percent: 100 }]);
    expect(preview.units).toHaveLength(2);
    // A preview changes nothing.
    const members = (await call('handlaggare', 'GET', `/api/contracts/${contractId}/members`)).body.items;
    expect(members.every((m: { left_at: string | null }) => m.left_at === null)).toBe(true);
    const actions = (await listAudit(api.conn.db, { limit: 1000 })).map((a) => a.action);
    expect(actions.filter((a) => a === 'tender.motivate')).toHaveLength(2);
  });
});
