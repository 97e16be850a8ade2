import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCaseFolder } from '../test-support/cases.js';
import type { AppEnv } from '../adapters/http/context.js';
import { registerWeb } from '../adapters/http/web.js';
import { connect, PROJECT_ROOT, type Connection } from '../adapters/store/connection.js';
import { importFolder } from '../adapters/store/import-batch.js';
import { createRun, publishRulebook, saveRulebookDraft } from '../adapters/store/runs.js';
import { approveAsSecondPerson } from '../test-support/attest.js';
import type { SimulationComponent } from '../core/simulation/view.js';
import { signInAll, type TestSession } from '../test-support/sessions.js';
import {
  apiCaller,
  providerUser,
  regionUser,
  TEST_PASSWORD,
  testApp,
  type TestUser,
} from '../test-support/http.js';
import { defined } from '../core/test-support/defined.js';

/** The endpoints the web interface adds (/api/ui/…) and the serving of the built interface. */

const USERS: TestUser[] = [
  regionUser('admin', 'admin'),
  regionUser('handlaggare', 'officer'),
  providerUser('vardgivare', '5560160680'),
  regionUser('analytiker', 'analyst'),
  regionUser('revisor', 'auditor'),
];

let conn: Connection;
let app: ReturnType<typeof testApp>;
const sessions = new Map<string, TestSession>();
const call = apiCaller(() => app, sessions);
const get = (user: string | undefined, path: string) => call(user, 'GET', path);
let v2025: number;
let v2026: number;
let approvedRun: number;
let correctionRun: number;

/** What POST /api/ui/simulations is asked: next year's rulebook on March, unless the test says otherwise. */
interface SimulationAsked {
  base_version_id: number;
  scenario_version_id: number;
  month: string;
  budget_neutral?: boolean;
  scale?: string[];
}
const simulate = (user: string, asked: Partial<SimulationAsked> = {}) =>
  call(user, 'POST', '/api/ui/simulations', {
    base_version_id: v2025,
    scenario_version_id: v2026,
    month: '2025-03',
    ...asked,
  });

beforeAll(async () => {
  conn = await connect({ home: 'memory://' });
  app = testApp(conn);
  const data = writeCaseFolder({
    units: [
      'U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,',
      'U2,2321000016,VC Två,public,2361,2020-01-01,,,,',
    ],
    listings: [
      '189001019802,U1,L1,1890-01-01,F,A1,2020-01-01,,RUB1',
      'P2,U2,,1980-01-01,M,A2,2020-01-01,,',
      'P3,U2,,1950-01-01,F,A2,2020-01-01,,',
    ],
    visits: ['V1,189001019802,U1,2025-03-03,lakare,fysiskt,L1,,'],
  });
  const batch = await importFolder(conn.db, data, 'test');
  for (const file of ['vardval-2025.yaml', 'vardval-2026.yaml']) {
    const v = await saveRulebookDraft(
      conn.db,
      readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel', file), 'utf8'),
      'test',
    );
    await publishRulebook(conn.db, v.id);
    if (file.includes('2025')) v2025 = v.id;
    else v2026 = v.id;
  }
  approvedRun = (await createRun(conn.db, '2025-03', v2025, batch.id, 'test')).runId;
  await approveAsSecondPerson(conn.db, approvedRun);
  const april = (await createRun(conn.db, '2025-04', v2025, batch.id, 'test')).runId;
  await approveAsSecondPerson(conn.db, april);
  // A correction of March: the month's figure must not count March twice.
  correctionRun = (await createRun(conn.db, '2025-03', v2025, batch.id, 'test')).runId;
  await signInAll(app, conn.db, USERS, TEST_PASSWORD, sessions);
}, 60_000);

afterAll(async () => conn?.close());

interface Overview {
  months: { month: string; total_ore: number; status: string }[];
  month: string;
  runs: { id: number; status: string }[];
  total_ore: number;
  components: { component: string; amount_ore: number }[];
  ownership: { ownership: string; amount_ore: number }[];
  units: { unit_id: string; total_ore: number }[];
}

describe('GET /api/ui/overview', () => {
  it('answers every reading role but the auditor', async () => {
    for (const u of ['admin', 'handlaggare', 'vardgivare', 'analytiker'])
      expect((await get(u, '/api/ui/overview')).status).toBe(200);
    expect((await get('revisor', '/api/ui/overview')).status).toBe(403);
    expect((await get(undefined, '/api/ui/overview')).status).toBe(401);
  });

  it('sums the effective run of each month, whose parts add up to the total', async () => {
    const o = (await get('handlaggare', '/api/ui/overview?month=2025-03')).body as Overview;
    expect(o.months.map((m) => m.month)).toEqual(['2025-03', '2025-04']);
    // The correction is a draft: March is still the approved run.
    expect(o.runs.map((r) => r.id)).toEqual([approvedRun]);
    const run = (await get('handlaggare', `/api/runs/${approvedRun}`)).body as { total_ore: number };
    expect(o.total_ore).toBe(run.total_ore);
    expect(o.components.reduce((s, c) => s + c.amount_ore, 0)).toBe(o.total_ore);
    expect(o.ownership.reduce((s, c) => s + c.amount_ore, 0)).toBe(o.total_ore);
    expect(o.units.reduce((s, c) => s + c.total_ore, 0)).toBe(o.total_ore);
    expect(o.months[0]?.total_ore).toBe(o.total_ore);
  });

  it('after a correction is approved, shows the new computation in full, not the delta', async () => {
    const before = (await get('handlaggare', `/api/runs/${approvedRun}`)).body as { total_ore: number };
    expect((await call('handlaggare', 'POST', `/api/runs/${correctionRun}/approve`)).status).toBe(200);
    const o = (await get('handlaggare', '/api/ui/overview?month=2025-03')).body as Overview;
    expect(o.runs.map((r) => r.id)).toEqual([correctionRun]);
    // Same data and rulebook: the new computation equals the old, and no "tidigare utbetalt" line counts.
    expect(o.total_ore).toBe(before.total_ore);
    expect(o.components.map((c) => c.component)).not.toContain('tidigare_utbetalt');
  });

  it('shows a provider only its own units', async () => {
    const o = (await get('vardgivare', '/api/ui/overview?month=2025-04')).body as Overview;
    expect(o.units.map((u) => u.unit_id)).toEqual(['U1']);
    expect(o.ownership.map((x) => x.ownership)).toEqual(['private']);
    expect(o.total_ore).toBe(o.units[0]?.total_ore);
  });

  it('refuses a malformed month', async () => {
    const res = await app.request('/api/ui/overview?month=mars', {
      headers: { cookie: defined(sessions.get('handlaggare'), 'the officer\u2019s session').cookie },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('GET /api/ui/units/{unitId}/statements', () => {
  it('lists a unit in every run, and hides another provider\u2019s unit as not found', async () => {
    const own = (await get('vardgivare', '/api/ui/units/U1/statements')).body as {
      items: { run_id: number; month: string }[];
    };
    expect(own.items.length).toBe(3);
    expect(
      defined(own.items[0], 'a statement').month >= defined(own.items[1], 'a second statement').month,
    ).toBe(true);
    expect((await get('vardgivare', '/api/ui/units/U2/statements')).status).toBe(404);
    expect((await get('analytiker', '/api/ui/units/U2/statements')).status).toBe(200);
    expect((await get('revisor', '/api/ui/units/U2/statements')).status).toBe(403);
  });
});

describe('POST /api/ui/simulations', () => {
  interface Sim {
    month: string;
    scenario: { parameters_on: string | null };
    units: { unit_id: string; base_ore: number; scenario_ore: number; diff_ore: number }[];
    components: SimulationComponent[];
    by_ownership: { key: string; diff_ore: number }[];
    by_rural_class: { key: string; diff_ore: number }[];
    total: { base_ore: number; scenario_ore: number; diff_ore: number };
  }

  it('runs next year\u2019s rulebook on this month, with totals that add up', async () => {
    const res = await simulate('analytiker');
    expect(res.status).toBe(200);
    const sim = res.body as Sim;
    expect(sim.scenario.parameters_on).toBe('2026-01-01');
    expect(sim.units.map((u) => u.unit_id)).toEqual(['U1', 'U2']);
    const run = (await get('handlaggare', `/api/runs/${approvedRun}`)).body as { total_ore: number };
    expect(sim.total.base_ore).toBe(run.total_ore);
    expect(sim.total.diff_ore).toBe(sim.total.scenario_ore - sim.total.base_ore);
    for (const grouping of [sim.by_ownership, sim.by_rural_class])
      expect(grouping.reduce((s, t) => s + t.diff_ore, 0)).toBe(sim.total.diff_ore);
    expect(sim.components.reduce((s, c) => s + c.base_ore, 0)).toBe(sim.total.base_ore);
    expect(sim.components.find((c) => c.component === 'kapitering')?.label).toBe('Kapiteringsersättning');
  });

  it('makes the scenario budget-neutral on request, with the factor and the shares before and after', async () => {
    const res = await simulate('analytiker', { budget_neutral: true });
    expect(res.status).toBe(200);
    const sim = res.body as Sim & {
      budget_neutral: { scale_factor: number; scaled_components: string[]; residual_ore: number };
    };
    expect(sim.total.scenario_ore).toBe(sim.total.base_ore);
    expect(sim.budget_neutral.residual_ore).toBe(0);
    expect(sim.budget_neutral.scaled_components).toContain('kapitering');
    expect(sim.budget_neutral.scaled_components).not.toContain('momskompensation');
    expect(sim.components.find((c) => c.component === 'vite_sip')?.scalable ?? false).toBe(false);
    expect(sim.components.reduce((s, c) => s + c.scenario_share, 0)).toBeCloseTo(1, 9);
    for (const u of sim.units) expect(u.diff_ore).toBe(u.scenario_ore - u.base_ore);
    const bad = await simulate('analytiker', { scale: ['finns_inte'] });
    expect(bad.status).toBe(422);
    const problem = bad.body as { errors: { detail: string }[] };
    expect(problem.errors[0]?.detail).toContain('/scale: Komponenten "finns_inte" finns inte');
  });

  it('simulates on the listing as it is after a listing change, not on a stale copy', async () => {
    const units = async () =>
      ((await simulate('handlaggare', { scenario_version_id: v2025, month: '2025-07' })).body as Sim).units;
    const before = await units();
    const moved = await call('handlaggare', 'POST', '/api/persons/189001019802/listing-changes', {
      unit_id: 'U2',
      from: '2025-06-01',
    });
    expect(moved.status).toBe(201);
    const after = await units();
    const base = (units: Sim['units'], id: string) => units.find((u) => u.unit_id === id)!.base_ore;
    // U1's only listed person moved to U2 before the cut-off day.
    expect(base(after, 'U1')).toBeLessThan(base(before, 'U1'));
    expect(base(after, 'U2')).toBeGreaterThan(base(before, 'U2'));
  });

  it('gives a provider its own units only, and nobody without the right role anything', async () => {
    const sim = (await simulate('vardgivare')).body as Sim;
    expect(sim.units.map((u) => u.unit_id)).toEqual(['U1']);
    expect(sim.total.base_ore).toBe(sim.units[0]?.base_ore);
    expect((await simulate('revisor', { base_version_id: 1, scenario_version_id: 1 })).status).toBe(403);
    // Without the CSRF token a logged-in POST is refused.
    const s = sessions.get('analytiker')!;
    const noCsrf = await app.request('/api/ui/simulations', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ base_version_id: v2025, scenario_version_id: v2026, month: '2025-03' }),
    });
    expect(noCsrf.status).toBe(403);
  });

  it('explains a month outside the base rulebook as located errors', async () => {
    const res = await simulate('analytiker', { base_version_id: v2026, scenario_version_id: v2025 });
    expect(res.status).toBe(422);
    const body = res.body as { title: string; errors: { detail: string }[] };
    expect(body.title).toBe('Indata innehåller fel');
    expect(body.errors.length).toBeGreaterThan(0);
    expect((await simulate('analytiker', { base_version_id: 999, scenario_version_id: v2025 })).status).toBe(
      404,
    );
  });
});

describe('GET /api/ui/rulebooks/{id}/document', () => {
  it('gives the validated document with its evaluation order', async () => {
    const res = await get('vardgivare', `/api/ui/rulebooks/${v2025}/document`);
    expect(res.status).toBe(200);
    const doc = res.body as {
      version: number;
      evaluation_order: string[];
      rulebook: { title: string; compensation: { components: { id: string }[] } };
    };
    expect(doc.rulebook.title).toBe('Förfrågningsunderlag Vårdval primärvård 2025');
    expect([...doc.evaluation_order].sort()).toEqual(
      doc.rulebook.compensation.components.map((c) => c.id).sort(),
    );
    expect((await get('revisor', `/api/ui/rulebooks/${v2025}/document`)).status).toBe(403);
    expect((await get('handlaggare', '/api/ui/rulebooks/999/document')).status).toBe(404);
  });
});

describe('serving the web interface', () => {
  let dist: string;
  let web: OpenAPIHono<AppEnv>;
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'vardval-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><html lang="sv"><title>Vårdval</title></html>');
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
    web = new OpenAPIHono<AppEnv>();
    registerWeb(web, dist);
    web.get('/api/*', (c) => c.json({ api: true }));
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('serves files with their types and index.html for every page', async () => {
    const asset = await web.request('/assets/app-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await web.request('/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');
    for (const path of [
      '/',
      '/utbetalningar/12',
      '/enheter/SE2321000016-1ABC',
      '/regelbocker/jamfor?a=1&b=2',
    ]) {
      const res = await web.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toContain('lang="sv"');
    }
  });

  it('leaves /api to the API, answers a missing asset with 404, and never leaves the folder', async () => {
    expect(await (await web.request('/api/units')).json()).toEqual({ api: true });
    expect((await web.request('/assets/saknas.js')).status).toBe(404);
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json'])
      expect(await (await web.request(path)).text()).not.toContain('"name"');
  });

  it('says in Swedish how to build the interface when it is missing', async () => {
    const bare = new OpenAPIHono<AppEnv>();
    registerWeb(bare, join(dist, 'saknas'));
    const res = await bare.request('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });

  it('is part of the app: /api paths still answer as the API', async () => {
    // Anonymous: authentication is checked first, so an unknown path says no more than a known one.
    const res = await app.request('/api/nothing-here');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
