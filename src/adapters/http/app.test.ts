import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf, providerUser, regionUser } from '../../test-support/http.js';
import { writeCaseFolder } from '../../test-support/cases.js';
import { connect, PROJECT_ROOT, type Connection } from '../store/connection.js';
import { importFolder } from '../store/import-batch.js';
import { createRun, publishRulebook, saveRulebookDraft } from '../store/runs.js';
import { approveAsSecondPerson } from '../../test-support/attest.js';
import { exampleLov } from '../demo/procurement-examples.js';
import type { Role } from '../store/users.js';
import { createApp } from './app.js';
import { createLogger } from './log.js';
import { signInAll } from '../../test-support/sessions.js';

/** Every request goes through app.request(): the real app, the real store (PGlite), no server. */

const PERSON = '189001019802';
const logLines: string[] = [];
let conn: Connection;
let app: ReturnType<typeof createApp>;
let runId: number;
let draftRunId: number;
let versionId: number;

const USERS = [
  regionUser('admin', 'admin'),
  regionUser('handlaggare', 'officer'),
  providerUser('vardgivare', '5560160680'),
  regionUser('analytiker', 'analyst'),
  regionUser('revisor', 'auditor'),
];
const PASSWORD = 'ett-langt-losenord';

interface Session {
  cookie: string;
  csrf: string;
}
const sessions = new Map<string, Session>();

async function login(username: string, password = PASSWORD): Promise<Response> {
  return app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

async function as(username: string | undefined, path: string, init: RequestInit = {}): Promise<Response> {
  const s = username ? sessions.get(username) : undefined;
  const headers = new Headers(init.headers);
  if (s) {
    headers.set('cookie', s.cookie);
    if (init.method && init.method !== 'GET') headers.set('x-csrf-token', s.csrf);
  }
  return app.request(path, { ...init, headers });
}

beforeAll(async () => {
  conn = await connect({ home: 'memory://' });
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  app = createApp({ conn, log: createLogger(sink) });
  const data = writeCaseFolder({
    units: [
      'U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,',
      'U2,2321000016,VC Två,public,2361,2020-01-01,,,,',
    ],
    listings: [`${PERSON},U1,L1,1890-01-01,F,A1,2020-01-01,,RUB1`, 'P2,U2,,1980-01-01,M,A2,2020-01-01,,'],
    visits: [`V1,${PERSON},U1,2025-03-03,lakare,fysiskt,L1,,`],
    indicators: [],
    events: [],
  });
  const batch = await importFolder(conn.db, data, 'test');
  const v = await saveRulebookDraft(
    conn.db,
    readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2025.yaml'), 'utf8'),
    'test',
  );
  versionId = v.id;
  await publishRulebook(conn.db, v.id);
  runId = (await createRun(conn.db, '2025-03', v.id, batch.id, 'test')).runId;
  await approveAsSecondPerson(conn.db, runId);
  draftRunId = (await createRun(conn.db, '2025-04', v.id, batch.id, 'test')).runId;
  await signInAll(app, conn.db, USERS, PASSWORD, sessions);
}, 60_000);

afterAll(async () => conn?.close());

/**
 * Who may call what, written out: role × endpoint → allowed (x) or refused (-). Reviewed like a
 * rule; deliberately not read from ACCESS in guard.ts, so a change there that gives a role more
 * (or less) fails here until this table says the same.
 */
const EXPECTED_ACCESS = `
  endpoint                |  admin  | officer | provider| analyst | auditor
  list units              |    x    |    x    |    x    |    x    |    -
  one unit                |    x    |    x    |    x    |    x    |    -
  listing counts          |    x    |    x    |    x    |    x    |    -
  person listings         |    x    |    x    |    -    |    -    |    -
  list runs               |    x    |    x    |    x    |    x    |    -
  one run                 |    x    |    x    |    x    |    x    |    -
  statement               |    x    |    x    |    x    |    x    |    -
  csv export              |    x    |    x    |    x    |    x    |    -
  create run              |    x    |    x    |    -    |    -    |    -
  list rulebooks          |    x    |    x    |    x    |    x    |    -
  one rulebook            |    x    |    x    |    x    |    x    |    -
  unit profile            |    x    |    x    |    x    |    x    |    -
  validate rulebook       |    x    |    x    |    -    |    -    |    -
  audit log               |    x    |    -    |    -    |    -    |    x
  compare regions         |    x    |    x    |    x    |    x    |    x
  compare export          |    x    |    x    |    x    |    x    |    x
  baseline conformance    |    x    |    x    |    x    |    x    |    -
  list procedures         |    x    |    x    |    x    |    x    |    -
  create procedure        |    x    |    x    |    -    |    -    |    -
  applications            |    x    |    x    |    x    |    -    |    -
  transitional requests   |    x    |    x    |    x    |    -    |    -
  re-procurement warnings |    x    |    x    |    -    |    -    |    -
  follow-up indicators    |    x    |    x    |    x    |    x    |    -
  follow-up conformance   |    x    |    x    |    x    |    x    |    -
  follow-up export        |    x    |    x    |    x    |    x    |    -
  unit facts              |    x    |    x    |    x    |    -    |    -
  report a fact           |    x    |    x    |    x    |    -    |    -
  record national-tariff activity |    x    |    x    |    -    |    -    |    -
  sanctions               |    x    |    x    |    x    |    -    |    -
  propose sanctions       |    x    |    x    |    -    |    -    |    -
  simulate a draft        |    x    |    x    |    -    |    -    |    -
  list scenarios          |    x    |    x    |    -    |    -    |    -
  save a scenario         |    x    |    x    |    -    |    -    |    -
  unit what-if            |    x    |    x    |    x    |    x    |    -
  import jobs             |    x    |    x    |    -    |    -    |    -
  year statements xlsx    |    x    |    x    |    x    |    x    |    -
  question a line         |    -    |    -    |    x    |    -    |    -
  statement questions     |    x    |    x    |    x    |    -    |    -
  open questions          |    x    |    x    |    x    |    -    |    -
  answer a question       |    x    |    x    |    -    |    -    |    -
`;

/** The roles allowed each endpoint, from EXPECTED_ACCESS. */
function expectedAccess(): Map<string, Role[]> {
  const [head = '', ...rows] = EXPECTED_ACCESS.trim().split('\n');
  const roles = head
    .split('|')
    .slice(1)
    .map((r) => r.trim() as Role);
  return new Map(
    rows.map((row) => {
      const [name = '', ...cells] = row.split('|').map((c) => c.trim());
      return [name, roles.filter((_, i) => cells[i] === 'x')];
    }),
  );
}

describe('authorization matrix: every role against every endpoint', () => {
  const endpoints: {
    name: string;
    method: string;
    path: () => string;
    body?: () => unknown;
    ok: number;
  }[] = [
    { name: 'list units', method: 'GET', path: () => '/api/units', ok: 200 },
    { name: 'one unit', method: 'GET', path: () => '/api/units/U1', ok: 200 },
    {
      name: 'listing counts',
      method: 'GET',
      path: () => '/api/listing-counts',

      ok: 200,
    },
    {
      name: 'person listings',
      method: 'GET',
      path: () => `/api/persons/${PERSON}/listings`,

      ok: 200,
    },
    { name: 'list runs', method: 'GET', path: () => '/api/runs', ok: 200 },
    {
      name: 'question a line',
      method: 'POST',
      path: () => `/api/runs/${runId}/statements/U1/questions`,
      body: () => ({ component: 'kapitering', text: 'Varför 1 listad?' }),
      ok: 201,
    },
    {
      name: 'statement questions',
      method: 'GET',
      path: () => `/api/runs/${runId}/statements/U1/questions`,
      ok: 200,
    },
    { name: 'open questions', method: 'GET', path: () => '/api/questions?status=open', ok: 200 },
    {
      // No such question: a role allowed to answer gets past the guard to "not found".
      name: 'answer a question',
      method: 'POST',
      path: () => '/api/questions/999999/answer',
      body: () => ({ text: 'Raden stämmer', outcome: 'confirm' }),
      ok: 404,
    },
    {
      name: 'year statements xlsx',
      method: 'GET',
      path: () => '/api/statements/year/2025/xlsx?provider_id=5560160680',
      ok: 200,
    },
    { name: 'one run', method: 'GET', path: () => `/api/runs/${runId}`, ok: 200 },
    {
      name: 'statement',
      method: 'GET',
      path: () => `/api/runs/${runId}/statements/U1`,

      ok: 200,
    },
    {
      name: 'csv export',
      method: 'GET',
      path: () => `/api/runs/${runId}/export/csv`,

      ok: 200,
    },
    {
      name: 'create run',
      method: 'POST',
      path: () => '/api/runs',
      body: () => ({ month: '2025-05', rulebook_version_id: versionId }),

      ok: 201,
    },
    {
      name: 'list rulebooks',
      method: 'GET',
      path: () => '/api/rulebooks',

      ok: 200,
    },
    {
      name: 'one rulebook',
      method: 'GET',
      path: () => `/api/rulebooks/${versionId}`,

      ok: 200,
    },
    {
      name: 'unit profile',
      method: 'GET',
      path: () => '/api/ui/units/U1/profile',

      ok: 200,
    },
    {
      name: 'validate rulebook',
      method: 'POST',
      path: () => '/api/rulebooks/validate',
      body: () => ({ yaml: readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2025.yaml'), 'utf8') }),

      ok: 200,
    },
    { name: 'audit log', method: 'GET', path: () => '/api/audit', ok: 200 },
    {
      name: 'compare regions',
      method: 'GET',
      path: () => '/api/compare',

      ok: 200,
    },
    {
      name: 'compare export',
      method: 'GET',
      path: () => '/api/compare/export/facts.csv',

      ok: 200,
    },
    {
      name: 'baseline conformance',
      method: 'GET',
      path: () => `/api/compare/conformance/${versionId}`,

      ok: 200,
    },
    // Procurement (issue 5)
    {
      name: 'list procedures',
      method: 'GET',
      path: () => '/api/procedures',

      ok: 200,
    },
    {
      name: 'create procedure',
      method: 'POST',
      path: () => '/api/procedures',
      body: () => ({ ...exampleLov(null, '2025-01-01'), criteria: [] }),

      ok: 201,
    },
    { name: 'applications', method: 'GET', path: () => '/api/applications', ok: 200 },
    {
      name: 'transitional requests',
      method: 'GET',
      path: () => '/api/transitional-requests',

      ok: 200,
    },
    {
      name: 'record national-tariff activity',
      method: 'PUT',
      path: () => '/api/activity/5560160680',
      body: () => ({ months: [{ month: '2025-01', full_time: true, on_national_tariff: true }] }),
      ok: 200,
    },
    {
      name: 're-procurement warnings',
      method: 'GET',
      path: () => '/api/procurement/warnings?today=2031-01-01',

      ok: 200,
    },
    {
      name: 'follow-up indicators',
      method: 'GET',
      path: () => `/api/followup/indicators?version_ids=${versionId}&from=2025-01&to=2025-03`,

      ok: 200,
    },
    {
      name: 'follow-up conformance',
      method: 'GET',
      path: () => `/api/followup/conformance?version_ids=${versionId}&month=2025-03`,

      ok: 200,
    },
    {
      name: 'follow-up export',
      method: 'GET',
      path: () => `/api/followup/export/csv?version_ids=${versionId}&from=2025-01&to=2025-03`,

      ok: 200,
    },
    {
      name: 'unit facts',
      method: 'GET',
      path: () => '/api/followup/facts',

      ok: 200,
    },
    {
      name: 'sanctions',
      method: 'GET',
      path: () => '/api/sanctions',
      ok: 200,
    },
    {
      name: 'propose sanctions',
      method: 'POST',
      path: () => '/api/sanctions/proposals',
      body: () => ({ version_id: versionId, month: '2025-03' }),
      ok: 201,
    },
    { name: 'import jobs', method: 'GET', path: () => '/api/import-jobs', ok: 200 },
    {
      name: 'simulate a draft',
      method: 'POST',
      path: () => '/api/ui/simulations/draft',
      body: () => ({
        base_version_id: versionId,
        yaml: readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2025.yaml'), 'utf8'),
        month: '2025-03',
      }),
      ok: 200,
    },
    { name: 'list scenarios', method: 'GET', path: () => '/api/simulation-scenarios', ok: 200 },
    {
      name: 'save a scenario',
      method: 'POST',
      path: () => '/api/simulation-scenarios',
      body: () => ({
        name: 'Oförändrad',
        base_version_id: versionId,
        yaml: readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2025.yaml'), 'utf8'),
      }),
      ok: 201,
    },
    {
      name: 'unit what-if',
      method: 'POST',
      path: () => '/api/ui/units/U1/what-if',
      body: () => ({ month: '2025-03', count: 5, age_from: 0, age_to: 6 }),
      ok: 200,
    },
    {
      name: 'report a fact',
      method: 'POST',
      path: () => '/api/followup/facts',
      body: () => ({ unit_id: 'U1', fact: 'psychologist', value: true, valid_from: '2025-01-01' }),

      ok: 201,
    },
  ];
  const matrix = expectedAccess();
  it('has one row of the expected matrix per endpoint tested, and no other', () => {
    expect([...matrix.keys()].sort()).toEqual(endpoints.map((e) => e.name).sort());
  });
  for (const e of endpoints) {
    const allowed = matrix.get(e.name) ?? [];
    for (const u of [...USERS.map((x) => x.username), undefined]) {
      const role = USERS.find((x) => x.username === u)?.role;
      it(`${e.name} as ${role ?? 'anonymous'}`, async () => {
        const res = await as(u, e.path(), {
          method: e.method,
          ...(e.body
            ? { body: JSON.stringify(e.body()), headers: { 'content-type': 'application/json' } }
            : {}),
        });
        const expected = !role ? 401 : allowed.includes(role) ? e.ok : 403;
        expect(res.status).toBe(expected);
        if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      });
    }
  }

  it('serves OCDS open data to everyone, logged in or not', async () => {
    for (const u of [...USERS.map((x) => x.username), undefined])
      expect((await as(u, '/api/ocds')).status).toBe(200);
  });

  it('approves a draft as officer only, and refuses a second approval', async () => {
    expect((await as('analytiker', `/api/runs/${draftRunId}/approve`, { method: 'POST' })).status).toBe(403);
    expect((await as('handlaggare', `/api/runs/${draftRunId}/approve`, { method: 'POST' })).status).toBe(200);
    const again = await as('handlaggare', `/api/runs/${draftRunId}/approve`, { method: 'POST' });
    expect(again.status).toBe(409);
  });
});

describe('who sees what', () => {
  it("gives a provider 404 for another provider's statement, and only its own units", async () => {
    expect((await as('vardgivare', `/api/runs/${runId}/statements/U2`)).status).toBe(404);
    expect((await as('vardgivare', '/api/units/U2')).status).toBe(404);
    const units = (await (await as('vardgivare', '/api/units')).json()) as { items: { unit_id: string }[] };
    expect(units.items.map((u) => u.unit_id)).toEqual(['U1']);
    const run = (await (await as('vardgivare', `/api/runs/${runId}`)).json()) as {
      units: { unit_id: string }[];
      total_ore: number;
    };
    expect(run.units.map((u) => u.unit_id)).toEqual(['U1']);
    const csv = await (await as('vardgivare', `/api/runs/${runId}/export/csv`)).text();
    expect(csv).toContain('U1,');
    expect(csv).not.toContain('U2,');
  });

  it('gives an analyst per-unit statements (a public record) but never a person-level field', async () => {
    expect((await as('analytiker', `/api/runs/${runId}/statements/U1`)).status).toBe(200);
    for (const path of [
      '/api/units',
      '/api/units/U1',
      '/api/listing-counts',
      '/api/runs',
      `/api/runs/${runId}`,
      `/api/runs/${runId}/statements/U1`,
      '/api/rulebooks',
      '/api/compare',
      '/api/compare/export/facts.csv',
      `/api/compare/conformance/${versionId}`,
    ]) {
      const text = await (await as('analytiker', path)).text();
      expect(text).not.toMatch(/person_id|birth_date|\d{12}/);
    }
    expect((await as('analytiker', `/api/persons/${PERSON}/listings`)).status).toBe(403);
  });

  it('profiles a unit’s listed population in counts, for the cut-off day of the latest approved month', async () => {
    const approved = (await (await as('handlaggare', '/api/runs?status=approved')).json()) as {
      items: { month: string }[];
    };
    const latest = approved.items
      .map((r) => r.month)
      .sort()
      .at(-1);
    const byDefault = (await (await as('vardgivare', '/api/ui/units/U1/profile')).json()) as {
      month: string;
    };
    expect(byDefault.month).toBe(latest);
    const res = await as('vardgivare', '/api/ui/units/U1/profile?month=2025-03');
    const body = (await res.json()) as {
      month: string;
      listed: number;
      age_sex: { label: string; F: number; M: number; unknown: number }[];
      rural: { rural_class: string | null; count: number }[];
    };
    expect(body.month).toBe('2025-03');
    expect(body.listed).toBe(1);
    // Born 1890-01-01: 135 completed years on 2025-03-01, in the open top band.
    expect(body.age_sex.find((b) => b.F > 0)).toMatchObject({ label: '85+', F: 1, M: 0 });
    expect(body.rural.reduce((n, r) => n + r.count, 0)).toBe(1);
    const before = await as('vardgivare', '/api/ui/units/U1/profile?month=2019-12');
    expect(((await before.json()) as { listed: number }).listed).toBe(0);
    expect((await as('vardgivare', '/api/ui/units/U2/profile')).status).toBe(404);
    const bad = await as('handlaggare', '/api/ui/units/U1/profile?month=2025-13');
    expect(bad.status).toBe(400);
    expect(await (await as('analytiker', '/api/ui/units/U1/profile')).text()).not.toMatch(/person_id|\d{12}/);
  });

  it('audits a person lookup without keeping the number in clear', async () => {
    const res = await as('handlaggare', `/api/persons/${PERSON}/listings`);
    expect(((await res.json()) as { periods: unknown[] }).periods).toHaveLength(1);
    const audit = (await (await as('revisor', '/api/audit?page_size=500')).json()) as {
      items: { action: string; actor: string; target: string }[];
    };
    const entry = audit.items.find((a) => a.action === 'read_person_listings' && a.actor === 'handlaggare');
    expect(entry?.target).toMatch(/^person:[0-9a-f]{16}$/);
    expect(JSON.stringify(audit)).not.toContain(PERSON);
  });

  it('finds a person typed with 10 digits and calls a malformed number a format error, at the field', async () => {
    // Born 1890: over 100, so the 10-digit form has a plus.
    const ten = `${PERSON.slice(2, 8)}+${PERSON.slice(8)}`;
    const found = await as('handlaggare', `/api/persons/${encodeURIComponent(ten)}/listings`);
    expect(((await found.json()) as { periods: unknown[] }).periods).toHaveLength(1);
    const bad = await as('handlaggare', `/api/persons/${encodeURIComponent(PERSON.slice(0, 11))}/listings`);
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { detail: string; errors: { pointer: string; code: string }[] };
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/personId', code: 'format' })]);
    expect(problem.detail).toMatch(/fel format/);
    expect(JSON.stringify(problem)).not.toContain(PERSON.slice(0, 11));
  });
});

describe('sessions and request hygiene', () => {
  it('refuses a state change without the CSRF token', async () => {
    const s = sessions.get('handlaggare')!;
    const res = await app.request('/api/runs', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ month: '2025-06', rulebook_version_id: versionId }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { title: string }).title).toBe('CSRF-skydd');
  });

  it('limits failed logins', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await login('admin', 'fel-losenord-123')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('rejects malformed and oversized bodies cleanly, pointing at the field', async () => {
    const bad = await as('handlaggare', '/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ month: '2025-13x', rulebook_version_id: 'x' }),
    });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { pointer: string; errors: { pointer: string }[] };
    expect(problem.errors.map((e) => e.pointer).sort()).toEqual(['/month', '/rulebook_version_id']);
    const notJson = await as('handlaggare', '/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"month": ',
    });
    expect(notJson.status).toBe(400);
    const huge = await as('handlaggare', '/api/rulebooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ yaml: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
  });

  it('reports rulebook errors with their line and column', async () => {
    const res = await as('handlaggare', '/api/rulebooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        yaml: 'id: a/b/2025\nregion: {code: Z, name: X}\nsystem: vardval\ntitle: T\nvalid_from: 2025-01-01\nvalid_to: 2025-12-31\ncompensation: {components: [{id: k, type: bonus, label: K, source: s}]}\n',
      }),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { detail: string }[] };
    expect(body.errors[0]?.detail).toMatch(
      /regelbok\.yaml:7:\d+: compensation\.components\[0\]\.type: Okänd komponenttyp "bonus"/,
    );
  });

  it('validates a rulebook without saving it, giving each error its line, column and YAML path', async () => {
    const before = ((await (await as('handlaggare', '/api/rulebooks')).json()) as { items: unknown[] }).items
      .length;
    const res = await as('handlaggare', '/api/rulebooks/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        yaml: 'id: a/b/2025\nregion: {code: Z, name: X}\nsystem: vardval\ntitle: T\nvalid_from: 2025-01-01\nvalid_to: 2025-12-31\ncompensation:\n  components:\n    - {id: k, type: bonus, label: K, source: s}\n',
      }),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { line: number; column: number; where: string }[] };
    expect(body.errors[0]).toMatchObject({ line: 9, where: 'compensation.components[0].type' });
    expect(body.errors[0]?.column).toBeGreaterThan(0);
    const ok = await as('handlaggare', '/api/rulebooks/validate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        yaml: readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2026.yaml'), 'utf8'),
      }),
    });
    expect(await ok.json()).toMatchObject({ valid: true, rulebook_id: 'exempel/vardval/2026' });
    const after = ((await (await as('handlaggare', '/api/rulebooks')).json()) as { items: unknown[] }).items
      .length;
    expect(after).toBe(before);
  });

  it('logs out', async () => {
    const res = await login('revisor');
    const cookie = cookieOf(res);
    const { csrf_token } = (await res.json()) as { csrf_token: string };
    expect(
      (
        await app.request('/api/session', {
          method: 'DELETE',
          headers: { cookie, 'x-csrf-token': csrf_token },
        })
      ).status,
    ).toBe(204);
    expect((await app.request('/api/session', { headers: { cookie } })).status).toBe(401);
  });

  it('writes no personal identity number to any log line', () => {
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.join('\n')).not.toContain(PERSON);
    expect(logLines.join('\n')).toContain('<personnummer>');
  });
});

describe('OpenAPI', () => {
  it('documents every endpoint the app serves', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const served = app.routes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && r.path !== '/api/openapi.json')
      .map((r) => `${r.method} ${r.path}`);
    for (const route of new Set(served)) expect(documented).toContain(route);
  });
});

describe('listing changes through the API', () => {
  const change = (user: string, body: unknown) =>
    as(user, `/api/persons/${PERSON}/listing-changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('lets an officer move a person to another unit, and nobody else', async () => {
    for (const u of ['vardgivare', 'analytiker', 'revisor'])
      expect((await change(u, { unit_id: 'U2', from: '2025-06-01' })).status).toBe(403);
    const res = await change('handlaggare', { unit_id: 'U2', from: '2025-06-01' });
    expect(res.status).toBe(201);
    const { periods } = (await res.json()) as {
      periods: { unit_id: string; listed_from: string; listed_to: string | null }[];
    };
    expect(periods.map((p) => [p.unit_id, p.listed_from, p.listed_to])).toEqual([
      ['U1', '2020-01-01', '2025-06-01'],
      ['U2', '2025-06-01', null],
    ]);
  });

  it('explains a refused change', async () => {
    const res = await change('handlaggare', { unit_id: 'U2', from: '2025-07-01' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/redan listad vid U2/);
    const bad = await change('handlaggare', { unit_id: 'U1', from: '1 juli' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { pointer: string }).pointer).toBe('/from');
  });
});

describe('imports (zip of a data folder)', () => {
  const zipOf = (files: Record<string, string>) =>
    zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [`manad/${k}`, strToU8(v)])));
  const units = 'unit_id,provider_id,name,ownership,start_date\nU1,5560160680,VC Ett,private,2020-01-01\n';
  const areas = 'area,cni\nA1,1\n';

  it('imports a valid zip as a new batch with its file hashes', async () => {
    const body = zipOf({
      'units.csv': units,
      'areas.csv': areas,
      'listings.csv': 'person_id,unit_id,birth_date,sex,area,listed_from\nP1,U1,1980-01-01,F,A1,2020-01-01\n',
    });
    const res = await as('handlaggare', '/api/imports?label=test', {
      method: 'POST',
      headers: { 'content-type': 'application/zip' },
      body,
    });
    expect(res.status).toBe(201);
    const batch = (await res.json()) as {
      counts: Record<string, number>;
      files: { name: string; sha256: string }[];
    };
    expect(batch.counts.listings).toBe(1);
    expect(batch.files.map((f) => f.name)).toEqual(['areas.csv', 'listings.csv', 'units.csv']);
  });

  it('returns every located error of a broken zip and imports nothing', async () => {
    const before = ((await (await as('handlaggare', '/api/imports')).json()) as { items: unknown[] }).items
      .length;
    const body = zipOf({
      'units.csv': units,
      'areas.csv': areas,
      'listings.csv':
        'person_id,unit_id,birth_date,sex,area,listed_from\n189001019803,U9,1980-01-01,F,A1,2020-01-01\n',
    });
    const res = await as('handlaggare', '/api/imports', {
      method: 'POST',
      headers: { 'content-type': 'application/zip' },
      body,
    });
    expect(res.status).toBe(422);
    const problemBody = (await res.json()) as { detail: string; errors: { detail: string }[] };
    expect(problemBody.detail).toMatch(/^Datamappen i zip-filen innehåller fel; inget har importerats/);
    const details = problemBody.errors.map((e) => e.detail);
    expect(details).toEqual([
      expect.stringMatching(/^listings\.csv:2:1: person_id: .*Luhn/),
      expect.stringMatching(/^listings\.csv:2:14: unit_id: Enheten U9 finns inte/),
    ]);
    expect(JSON.stringify(details)).not.toContain('189001019803');
    expect(JSON.stringify(details)).not.toContain('/tmp');
    const after = ((await (await as('handlaggare', '/api/imports')).json()) as { items: unknown[] }).items
      .length;
    expect(after).toBe(before);
  });

  it('says clearly when the upload is not a zip', async () => {
    const res = await as('handlaggare', '/api/imports', {
      method: 'POST',
      headers: { 'content-type': 'application/zip' },
      body: 'inte en zip',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { title: string }).title).toBe('Filen är ingen giltig zip');
  });

  /** The zip with listings.csv declared `by` bytes larger (or smaller) than it unpacks to, in its central directory. */
  const misdeclared = (by: number): Uint8Array => {
    const listings =
      'person_id,unit_id,birth_date,sex,area,listed_from\n' +
      Array.from({ length: 2000 }, (_, i) => `P${i},U1,1980-01-01,F,A1,2020-01-01\n`).join('');
    const zip = zipOf({ 'units.csv': units, 'areas.csv': areas, 'listings.csv': listings });
    const view = Buffer.from(zip);
    const name = Buffer.from('manad/listings.csv');
    for (let at = view.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0;) {
      if (view.subarray(at + 46, at + 46 + name.length).equals(name)) {
        view.writeUInt32LE(view.readUInt32LE(at + 24) + by, at + 24);
        return view;
      }
      at = view.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4);
    }
    throw new Error('no central directory entry for listings.csv');
  };
  const importCount = async () =>
    ((await (await as('handlaggare', '/api/imports')).json()) as { items: unknown[] }).items.length;

  it('stops a zip whose file unpacks to more than it declares with a 413 and the reading of it, and stores nothing', async () => {
    const before = await importCount();
    const res = await as('handlaggare', '/api/imports', {
      method: 'POST',
      headers: { 'content-type': 'application/zip' },
      body: misdeclared(-100),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      'listings.csv packas upp till mer än zip-filen uppger; uppackningen avbröts',
    );
    expect(await importCount()).toBe(before);
  });

  it('says a zip whose file unpacks to less than it declares is broken, and stores nothing', async () => {
    const before = await importCount();
    const res = await as('handlaggare', '/api/imports', {
      method: 'POST',
      headers: { 'content-type': 'application/zip' },
      body: misdeclared(100),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      title: 'Filen är ingen giltig zip',
      detail: 'listings.csv kunde inte packas upp',
    });
    expect(await importCount()).toBe(before);
  });

  it('refuses imports from providers and analysts', async () => {
    const body = zipOf({ 'units.csv': units });
    expect(
      (
        await as('vardgivare', '/api/imports', {
          method: 'POST',
          headers: { 'content-type': 'application/zip' },
          body,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await as('analytiker', '/api/imports', {
          method: 'POST',
          headers: { 'content-type': 'application/zip' },
          body,
        })
      ).status,
    ).toBe(403);
  });
});

describe('contracts and subcontractors', () => {
  const post = (user: string, path: string, body: unknown) =>
    as(user, path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('registers a LOV contract and shows a provider only its own', async () => {
    expect(
      (
        await post('handlaggare', '/api/contracts', {
          provider_id: '556016-0680',
          connection_form: 'lov',
          rulebook_id: 'exempel/vardval/2025',
          start_date: '2025-01-01',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post('handlaggare', '/api/contracts', {
          provider_id: '2321000016',
          connection_form: 'lov',
          start_date: '2025-01-01',
          end_date: '2024-12-31',
        })
      ).status,
    ).toBe(400);
    await post('handlaggare', '/api/contracts', {
      provider_id: '2321000016',
      connection_form: 'lov',
      start_date: '2025-01-01',
    });
    expect(
      (
        await post('vardgivare', '/api/contracts', {
          provider_id: '5560160680',
          connection_form: 'lov',
          start_date: '2025-01-01',
        })
      ).status,
    ).toBe(403);
    const own = (await (await as('vardgivare', '/api/contracts')).json()) as {
      items: { provider_id: string }[];
    };
    expect(own.items.map((i) => i.provider_id)).toEqual(['5560160680']);
  });

  it('filters units by the connection form of the contracts in force, the provider’s or the unit’s own', async () => {
    // The latest import holds U1 only; its provider has the LOV contract registered above.
    expect(
      (
        await post('handlaggare', '/api/contracts', {
          provider_id: '5560160680',
          unit_id: 'U1',
          connection_form: 'nss',
          start_date: '2020-01-01',
        })
      ).status,
    ).toBe(201);
    // Ended long ago: does not count.
    expect(
      (
        await post('handlaggare', '/api/contracts', {
          provider_id: '5560160680',
          connection_form: 'national_tariff',
          start_date: '2001-01-01',
          end_date: '2010-12-31',
        })
      ).status,
    ).toBe(201);
    const ids = async (query: string) =>
      (
        (await (await as('handlaggare', `/api/units${query}`)).json()) as { items: { unit_id: string }[] }
      ).items.map((u) => u.unit_id);
    expect(await ids('?connection_form=nss')).toEqual(['U1']);
    expect(await ids('?connection_form=lov')).toEqual(['U1']);
    expect(await ids('?connection_form=national_tariff')).toEqual([]);
    const u1 = (await (await as('handlaggare', '/api/units/U1')).json()) as { connection_forms: string[] };
    expect(u1.connection_forms).toEqual(['lov', 'nss']);
  });

  it('lets a provider report a subcontractor for itself only, and the region decide once', async () => {
    const body = {
      provider_id: '5560160680',
      unit_id: 'U1',
      org_nr: '2321000016',
      name: 'Fysio AB',
      services: 'Fysioterapi',
      reported_at: '2025-02-01',
    };
    expect(
      (await post('vardgivare', '/api/subcontractors', { ...body, provider_id: '2321000016' })).status,
    ).toBe(403);
    const res = await post('vardgivare', '/api/subcontractors', body);
    expect(res.status).toBe(201);
    const { id, status } = (await res.json()) as { id: number; status: string };
    expect(status).toBe('reported');
    expect(
      (
        await post('vardgivare', `/api/subcontractors/${id}/decision`, {
          decision: 'approved',
          reason: 'x',
          decided_at: '2025-02-10',
        })
      ).status,
    ).toBe(403);
    const decided = await post('handlaggare', `/api/subcontractors/${id}/decision`, {
      decision: 'approved',
      reason: 'Uppfyller kraven',
      decided_at: '2025-02-10',
    });
    expect(((await decided.json()) as { status: string }).status).toBe('approved');
    expect(
      (
        await post('handlaggare', `/api/subcontractors/${id}/decision`, {
          decision: 'refused',
          reason: 'x',
          decided_at: '2025-02-11',
        })
      ).status,
    ).toBe(409);
    expect((await post('handlaggare', '/api/subcontractors', { ...body, org_nr: '2321000017' })).status).toBe(
      400,
    );
  });
});

describe('the comparison of the regions through the API', () => {
  type Cell = { region_code: string; criterion: string; value: string | number; source?: { seed: string } };

  it('never shows a fact the seeds do not give as yes or no', async () => {
    const body = (await (await as('analytiker', '/api/compare')).json()) as {
      regions: unknown[];
      cells: Cell[];
      aggregates: { criterion: string; year: number; reported_count: number; known_yes: number }[];
    };
    expect(body.regions).toHaveLength(21);
    const unknown = body.cells.filter((c) => !c.source);
    expect(unknown.length).toBeGreaterThan(0);
    for (const c of unknown) expect(c.value).toBe('unknown');
    const x = body.cells.find((c) => c.region_code === 'X' && c.criterion === 'psychologist')!;
    expect(x.value).toBe('unknown');
    const sip = body.aggregates.find((a) => a.criterion === 'sip' && a.year === 2024)!;
    expect([sip.reported_count, sip.known_yes]).toEqual([21, 21]);
  });

  it('exports the workbook with okänt, never ja or nej, for unknown facts', async () => {
    const res = await as('analytiker', '/api/compare/export/xlsx');
    expect(res.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as never);
    const facts = wb.getWorksheet('Fakta')!;
    const rows = facts.getSheetValues().slice(2) as unknown[][];
    const x = rows.find((r) => r[1] === 'X' && r[3] === 'psychologist')!;
    expect(x[5]).toBe('okänt');
    for (const r of rows) if (!r[6]) expect(r[5]).toBe('okänt');
  });

  it('lists what a stored rulebook lacks against the national baseline', async () => {
    const res = await as('analytiker', `/api/compare/conformance/${versionId}`);
    const body = (await res.json()) as { baseline: { id: string }; lacking: string[]; rows: unknown[] };
    expect(body.baseline.id).toBe('nationell-baslinje/vardval/2025');
    expect(body.lacking).toEqual(['collaboration_compensation']);
    expect(body.rows).toHaveLength(14);
    expect((await as('analytiker', '/api/compare/conformance/99999')).status).toBe(404);
  });
});

describe('a run on an import that does not exist', () => {
  it('answers 404 with a Swedish problem, and creates no run', async () => {
    const before = (await (await as('handlaggare', '/api/runs')).json()) as { items: unknown[] };
    const res = await as('handlaggare', '/api/runs', {
      method: 'POST',
      body: JSON.stringify({ month: '2025-06', rulebook_version_id: versionId, batch_id: 99999 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await res.json()) as { title: string; detail: string };
    expect(problem.title).toBe('Finns inte');
    expect(problem.detail).toBe('Importen 99999 finns inte');
    const after = (await (await as('handlaggare', '/api/runs')).json()) as { items: unknown[] };
    expect(after.items).toHaveLength(before.items.length);
  });
});
