import { describe, expect, it } from 'vitest';
import { useApiTest } from '../../test-support/api-test.js';
import { first } from '../../test-support/nth.js';
import { importCase } from '../../test-support/store-cases.js';
import { ANALYST, officerAndProviders, testApp } from '../../test-support/http.js';
import { ocdsErrors } from '../../test-support/ocds.js';
import { publishedRulebook } from '../../test-support/rulebooks.js';
import { exampleLov, exampleNss } from '../demo/procurement-examples.js';
import { listAudit } from '../store/users.js';

/** The procurement API through app.request(): the real app on a real (embedded) store. */

const OWN = '5560160680';
const OTHER = '5565475489';
const MEMBER = '2021005489';
/** A sole trader's organisationsnummer is the owner's personnummer (here Skatteverket's test number). */
const SOLE_TRADER = '9001019802';

const toBody = (p: ReturnType<typeof exampleLov>) => ({
  ...p,
  rulebook_id: p.rulebookId,
  criteria: p.criteria.map((c) => ({
    id: c.id,
    name: c.name,
    weight: c.weight,
    max_score: c.maxScore,
    basis: c.basis,
  })),
});

/** The server's day: every date that decides a right is the server's, so the tests set the clock. */
const api = useApiTest({
  users: [...officerAndProviders(OWN, OTHER), ANALYST],
  today: '2025-01-02',
  seed: async (db) => {
    await publishedRulebook(db);
    await importCase(db, {
      units: ['U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,'],
      listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,'],
    });
  },
});
const { call } = api;

describe('LOV through the API', () => {
  let lovId: number;
  let appId: number;

  it('lets only the region open and publish a choice system, and refuses criteria in LOV', async () => {
    expect(
      (await call('vardgivare', 'POST', '/api/procedures', toBody(exampleLov(null, '2025-01-01')))).status,
    ).toBe(403);
    const withCriteria = {
      ...toBody(exampleLov(null, '2025-01-01')),
      criteria: [{ id: 'q', name: 'Kvalitet', weight: 100, max_score: 5 }],
    };
    const refused = await call('handlaggare', 'POST', '/api/procedures', withCriteria);
    expect(refused.status).toBe(400);
    expect(refused.body.pointer).toBe('/criteria');
    const unpublished = await call(
      'handlaggare',
      'POST',
      '/api/procedures',
      toBody(exampleLov('ingen/sadan', '2025-01-01')),
    );
    expect([unpublished.status, unpublished.body.pointer]).toEqual([400, '/rulebook_id']);
    const created = await call(
      'handlaggare',
      'POST',
      '/api/procedures',
      toBody(exampleLov('exempel/vardval/2025', '2025-01-01')),
    );
    expect(created.status).toBe(201);
    lovId = created.body.id;
    expect(created.body.ocid).toBe(`ocds-vrdval-${lovId}`);
    api.today = '2025-01-02';
    const published = await call('handlaggare', 'POST', `/api/procedures/${lovId}/publish`);
    expect([published.status, published.body.published_at]).toEqual([200, '2025-01-02']);
    api.today = '2025-01-03';
    expect((await call('handlaggare', 'POST', `/api/procedures/${lovId}/publish`)).status).toBe(409);
  });

  it('takes a group application with a located error for a bad member, then applies for the provider itself only', async () => {
    const group = {
      lead_org_nr: OWN,
      on_member_leaving: 'reallocate',
      members: [
        { org_nr: OWN, name: 'Ledande AB', share_percent: 70 },
        { org_nr: MEMBER, name: 'Psykolog C', share_percent: 30 },
      ],
    };
    const body = {
      provider_id: OWN,
      applicant_name: 'Ledande AB',
      group,
      units: [{ unit_id: 'G1', name: 'VC Gruppen', kommun: '2380' }],
      subcontractors: [{ unit_id: 'G1', org_nr: '2321000016', name: 'Lab AB', services: 'Provtagning' }],
    };
    const bad = await call('vardgivare', 'POST', `/api/procedures/${lovId}/applications`, {
      ...body,
      group: { ...group, members: [group.members[0], { ...group.members[1], org_nr: '2021005488' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.pointer).toBe('/group/members/1/org_nr');
    const shares = await call('vardgivare', 'POST', `/api/procedures/${lovId}/applications`, {
      ...body,
      group: { ...group, members: [group.members[0], { ...group.members[1], share_percent: 20 }] },
    });
    expect([shares.status, shares.body.pointer]).toEqual([400, '/group/members']);
    // Sent empty, with a kommun typed as a name: every item at its field, in plain Swedish, once.
    const empty = await call('vardgivare', 'POST', `/api/procedures/${lovId}/applications`, {
      provider_id: OWN,
      applicant_name: '',
      units: [{ unit_id: 'G1', name: 'VC Gruppen', kommun: 'Ragunda' }],
    });
    expect(empty.status).toBe(400);
    const items = (empty.body as unknown as { errors: { pointer: string; detail: string }[] }).errors;
    expect(items).toEqual([
      expect.objectContaining({ pointer: '/applicant_name', detail: 'Fyll i fältet.' }),
      expect.objectContaining({
        pointer: '/units/0/kommun',
        detail: expect.stringMatching(/^Välj kommunen i listan/),
      }),
    ]);
    expect(empty.body.detail).toBe('2 uppgifter behöver rättas.');
    expect(
      (
        await call('vardgivare', 'POST', `/api/procedures/${lovId}/applications`, {
          ...body,
          provider_id: OTHER,
        })
      ).status,
    ).toBe(403);
    const created = await call('vardgivare', 'POST', `/api/procedures/${lovId}/applications`, body);
    expect(created.status).toBe(201);
    appId = created.body.id;
    expect(created.body.group.members).toHaveLength(2);
  });

  it('shows a provider its own application and status, and another provider a 404', async () => {
    expect((await call('annan', 'GET', `/api/applications/${appId}`)).status).toBe(404);
    api.today = '2025-02-01';
    expect((await call('annan', 'POST', `/api/applications/${appId}/submit`)).status).toBe(404);
    expect((await call('annan', 'GET', '/api/applications')).body.items).toEqual([]);
    expect((await call('analytiker', 'GET', '/api/applications')).status).toBe(403);
    expect((await call('vardgivare', 'POST', `/api/applications/${appId}/submit`)).body.status).toBe(
      'submitted',
    );
    const own = await call('vardgivare', 'GET', `/api/applications/${appId}`);
    expect([own.status, own.body.status]).toEqual([200, 'submitted']);
  });

  it('refuses approval before every requirement is assessed, then approves into a contract and the registry', async () => {
    const assess = (items: unknown[]) =>
      call('handlaggare', 'POST', `/api/applications/${appId}/assessments`, { assessments: items });
    expect(
      (
        await call('vardgivare', 'POST', `/api/applications/${appId}/assessments`, {
          assessments: [
            { requirement_id: 'U1', outcome: 'clear', evidence: 'Eget intyg', reason: 'Ingen konkurs' },
          ],
        })
      ).status,
    ).toBe(403);
    const wrongKind = await assess([{ requirement_id: 'U1', outcome: 'met', evidence: '', reason: 'x' }]);
    expect([wrongKind.status, wrongKind.body.pointer]).toEqual([400, '/assessments/0']);
    await assess([
      { requirement_id: 'U1', outcome: 'clear', evidence: 'Bolagsverket', reason: 'Ingen konkurs' },
      { requirement_id: 'U2', outcome: 'clear', evidence: 'Skatteverket', reason: 'Inga skulder' },
      { requirement_id: 'K1', outcome: 'met', evidence: 'Specialistbevis', reason: 'Uppfyllt' },
    ]);
    const decide = {
      decision: 'approve',
      reason: 'Alla krav uppfyllda',
      contract_start: '2025-04-01',
    };
    api.today = '2025-02-20';
    const early = await call('handlaggare', 'POST', `/api/applications/${appId}/decision`, decide);
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain('obedömda: K2');
    await assess([{ requirement_id: 'K2', outcome: 'met', evidence: 'Öppettider', reason: '45 h' }]);
    const approved = await call('handlaggare', 'POST', `/api/applications/${appId}/decision`, decide);
    expect(approved.status).toBe(200);
    expect(approved.body.application.status).toBe('approved');
    expect(approved.body.review.court).toBe('förvaltningsrätten');
    const after = await call('vardgivare', 'GET', `/api/applications/${appId}`);
    expect(after.body.review.text).toContain('förvaltningsrätten');
    expect(after.body.assessments).toHaveLength(4);
    const unit = await call('vardgivare', 'GET', '/api/units/G1');
    expect(unit.status).toBe(200);
    // Listable from the contract's start, not before.
    const early2 = await call('handlaggare', 'POST', '/api/persons/P1/listing-changes', {
      unit_id: 'G1',
      from: '2025-03-31',
    });
    expect([early2.status, early2.body.detail]).toEqual([
      400,
      'Enheten G1 tar inte emot listningar 2025-03-31 (finns inte, är stängd eller är en filial)',
    ]);
    const listed = await call('handlaggare', 'POST', '/api/persons/P1/listing-changes', {
      unit_id: 'G1',
      from: '2025-04-01',
    });
    expect(listed.status).toBe(201);
    expect(listed.body.periods.at(-1)).toMatchObject({ unit_id: 'G1', listed_from: '2025-04-01' });
    const members = await call('vardgivare', 'GET', `/api/contracts/${approved.body.contract_id}/members`);
    expect(
      members.body.items.map((m: { org_nr: string; share_percent: number }) => [m.org_nr, m.share_percent]),
    ).toEqual([
      [MEMBER, 30],
      [OWN, 70],
    ]);
    expect((await call('annan', 'GET', `/api/contracts/${approved.body.contract_id}/members`)).status).toBe(
      404,
    );

    // A branch reported during the contract, approved by the region.
    api.today = '2025-06-01';
    const branch = await call('vardgivare', 'POST', `/api/contracts/${approved.body.contract_id}/branches`, {
      unit_id: 'G1F',
      branch_of: 'G1',
      name: 'Filial Gruppen',
    });
    expect(branch.status).toBe(201);
    expect(
      (
        await call('vardgivare', 'POST', `/api/branches/${branch.body.id}/decision`, {
          decision: 'approved',
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    api.today = '2025-06-10';
    const ok = await call('handlaggare', 'POST', `/api/branches/${branch.body.id}/decision`, {
      decision: 'approved',
      reason: 'Godkänd',
    });
    expect(ok.body.status).toBe('approved');
    expect((await call('vardgivare', 'GET', '/api/units/G1F')).status).toBe(200);

    // The psychologist leaves: the lead takes over its share.
    const left = await call(
      'handlaggare',
      'POST',
      `/api/contracts/${approved.body.contract_id}/members/leave`,
      { org_nr: MEMBER, left_at: '2026-01-31' },
    );
    expect(left.body.outcome).toBe('reallocated');
    expect(left.body.members.find((m: { org_nr: string }) => m.org_nr === OWN).share_percent).toBe(100);
    const actions = (await listAudit(api.conn.db, { limit: 1000 })).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'application.assess',
        'application.approved',
        'branch.approved',
        'contract.member_left',
      ]),
    );
  });
});

describe('NSS through the API', () => {
  it('awards on quality, computes the standstill across Easter and refuses signing before it has run out', async () => {
    const priced = {
      ...toBody(exampleNss('2025-03-01', '2025-03-31')),
      criteria: [{ id: 'p', name: 'Pris', weight: 100, max_score: 5 }],
    };
    const refused = await call('handlaggare', 'POST', '/api/procedures', priced);
    expect([refused.status, refused.body.pointer]).toEqual([400, '/criteria/0']);
    expect(refused.body.detail).toContain('aldrig på pris');
    const proc = (
      await call('handlaggare', 'POST', '/api/procedures', toBody(exampleNss('2025-03-01', '2025-03-31')))
    ).body;
    api.today = '2025-03-01';
    await call('handlaggare', 'POST', `/api/procedures/${proc.id}/publish`);
    const ids: number[] = [];
    for (const [user, org] of [
      ['vardgivare', OWN],
      ['annan', OTHER],
    ] as const) {
      const a = (
        await call(user, 'POST', `/api/procedures/${proc.id}/applications`, {
          provider_id: org,
          applicant_name: `Geriatrik ${org}`,
        })
      ).body;
      api.today = '2025-03-20';
      await call(user, 'POST', `/api/applications/${a.id}/submit`);
      await call('handlaggare', 'POST', `/api/applications/${a.id}/assessments`, {
        assessments: [
          { requirement_id: 'U1', outcome: 'clear', evidence: 'Belastningsregister', reason: 'Ingen dom' },
          { requirement_id: 'K1', outcome: 'met', evidence: 'Specialistbevis', reason: 'Geriatriker' },
        ],
      });
      ids.push(a.id);
    }
    const late = (
      await call('vardgivare', 'POST', `/api/procedures/${proc.id}/applications`, {
        provider_id: OWN,
        applicant_name: 'Sen anbudsgivare',
      })
    ).body;
    // After the deadline, a tender is refused whatever day the client claims it was sent.
    api.today = '2025-04-01';
    const refusedLate = await call('vardgivare', 'POST', `/api/applications/${late.id}/submit`, {
      submitted_at: '2025-03-20',
    });
    expect([refusedLate.status, refusedLate.body.detail]).toEqual([
      409,
      'Sista dag för anbud var 2025-03-31; anbudet kom in 2025-04-01',
    ]);
    const score = (i: number, s: number[]) =>
      call('handlaggare', 'POST', `/api/applications/${ids[i]}/scores`, {
        scores: { tillganglighet: s[0], kontinuitet: s[1], samverkan: s[2] },
      });
    await score(0, [5, 3, 4]);
    await score(1, [4, 5, 3]); // 40·5+35·3+25·4 = 405 vs 40·4+35·5+25·3 = 410 (of 500)
    const evaluation = await call('handlaggare', 'GET', `/api/procedures/${proc.id}/evaluation`);
    expect(evaluation.body.winners).toEqual([ids[1]]);
    expect(evaluation.body.ranking.map((r: { weighted_score: number }) => r.weighted_score)).toEqual([
      82, 81,
    ]);
    api.today = '2025-04-08';
    const award = await call('handlaggare', 'POST', `/api/procedures/${proc.id}/award`, { electronic: true });
    expect(award.body.award).toMatchObject({
      standstill_last_day: '2025-04-22',
      earliest_signing: '2025-04-23',
    });
    api.today = '2025-04-22';
    const during = await call('handlaggare', 'POST', `/api/procedures/${proc.id}/sign`, {
      signed_at: '2025-04-23',
      start_date: '2025-05-01',
    });
    expect(during.status).toBe(409);
    expect(during.body.detail).toContain('tidigast 2025-04-23');
    const pending = await call(undefined, 'GET', `/api/ocds/packages/${proc.id}`);
    expect(pending.body.releases.at(-1).awards[0].status).toBe('pending');
    api.today = '2025-04-23';
    const signed = await call('handlaggare', 'POST', `/api/procedures/${proc.id}/sign`, {
      start_date: '2025-05-01',
    });
    expect(signed.status).toBe(200);
    expect(signed.body.end).toBe('2032-04-30');
    const warnings = await call('handlaggare', 'GET', '/api/procurement/warnings?today=2031-06-01');
    expect(warnings.body.items.map((w: { contract_id: number }) => w.contract_id)).toEqual(
      signed.body.contract_ids,
    );
  });
});

describe('OCDS open data', () => {
  it('publishes a valid release package per procedure, without login and without identity numbers', async () => {
    // A sole trader applies under the owner's personnummer (a test number from Skatteverket).
    const sole = await call('handlaggare', 'POST', '/api/procedures/1/applications', {
      provider_id: SOLE_TRADER,
      applicant_name: 'Dr Enskild',
    });
    expect(sole.status).toBe(201);
    api.today = '2025-03-01';
    await call('handlaggare', 'POST', `/api/applications/${sole.body.id}/submit`);
    const index = await call(undefined, 'GET', '/api/ocds');
    expect(index.status).toBe(200);
    expect(index.body.packages.length).toBe(2);
    for (const p of index.body.packages) {
      const pkg = await call(undefined, 'GET', new URL(p.uri).pathname);
      expect(pkg.status).toBe(200);
      expect(ocdsErrors(pkg.body)).toEqual([]);
      expect(JSON.stringify(pkg.body)).not.toMatch(/\b(19|20)\d{6}-?\d{4}\b/);
      expect(JSON.stringify(pkg.body)).not.toContain(SOLE_TRADER);
    }
    const lov = (await call(undefined, 'GET', new URL(index.body.packages[0].uri).pathname)).body;
    const local = lov.releases[0].parties.find((p: { name: string }) => p.name === 'Dr Enskild');
    expect(local).toEqual({ id: 'ocds-vrdval-1-party-1', name: 'Dr Enskild', roles: ['tenderer'] });
    const audit = JSON.stringify(await listAudit(api.conn.db, { limit: 1000 }));
    expect(audit).not.toContain(SOLE_TRADER);
    expect(lov.releases.map((r: { tag: string[] }) => r.tag[0])).toEqual(['tender', 'award', 'contract']);
    expect(lov.releases[1].awards[0].suppliers.map((s: { id: string }) => s.id)).toEqual([
      `SE-BLV-${OWN}`,
      `SE-BLV-${MEMBER}`,
    ]);
    expect((await call(undefined, 'GET', '/api/ocds/packages/999')).status).toBe(404);
  });

  it('links from the configured public address, never from the Host header a caller forges', async () => {
    const forged = {
      host: 'angripare.example',
      'x-forwarded-host': 'angripare.example',
      forwarded: 'host=angripare.example',
    };
    const configured = testApp(api.conn, undefined, { publicUrl: 'https://vardval.region.example/tjanst' });
    for (const [server, base] of [
      [configured, 'https://vardval.region.example/tjanst'],
      [api.app, 'http://localhost:3000'],
    ] as const) {
      const index = await server.request('http://angripare.example/api/ocds', { headers: forged });
      const body = (await index.json()) as { packages: { uri: string }[] };
      expect(body.packages.length).toBeGreaterThan(0);
      for (const p of body.packages) expect(p.uri.startsWith(`${base}/api/ocds/packages/`)).toBe(true);
      const pkg = await server.request(
        `http://angripare.example${new URL(first(body.packages).uri).pathname.replace('/tjanst', '')}`,
        {
          headers: forged,
        },
      );
      expect(pkg.status).toBe(200);
      const text = await pkg.text();
      expect(text).toContain(`${base}/api/ocds`);
      expect(text).not.toContain('angripare');
    }
  });

  it('catches an invalid package: the validator is not a rubber stamp', async () => {
    const pkg = (await call(undefined, 'GET', '/api/ocds/packages/1')).body;
    pkg.releases[0].tag = ['tilldelning'];
    delete pkg.publisher;
    const errors = ocdsErrors(pkg);
    expect(errors.some((e) => e.includes('publisher'))).toBe(true);
    expect(errors.some((e) => e.includes('tilldelning'))).toBe(true);
  });
});
