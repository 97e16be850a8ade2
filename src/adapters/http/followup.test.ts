import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { first } from '../../test-support/nth.js';
import { regionUser, providerUser } from '../../test-support/http.js';
import { HEADERS, writeCaseFolder } from '../../test-support/cases.js';
import { connect, PROJECT_ROOT, type Connection } from '../store/connection.js';
import { importFolder } from '../store/import-batch.js';
import { listAudit } from '../store/users.js';
import { publishRulebook, saveRulebookDraft } from '../store/runs.js';
import { createApp } from './app.js';
import { createLogger } from './log.js';
import { signInAll } from '../../test-support/sessions.js';

/** Follow-up through the API: the real app on an embedded store, every role. */

let conn: Connection;
let app: ReturnType<typeof createApp>;
const versions: Record<string, number> = {};
const USERS = [
  regionUser('handlaggare', 'officer'),
  providerUser('vardgivare', '5560160680'),
  regionUser('analytiker', 'analyst'),
];
const sessions = new Map<string, { cookie: string; csrf: string }>();

async function as(username: string, path: string, init: RequestInit = {}): Promise<Response> {
  const s = sessions.get(username)!;
  const headers = new Headers(init.headers);
  headers.set('cookie', s.cookie);
  if (init.method && init.method !== 'GET') headers.set('x-csrf-token', s.csrf);
  return app.request(path, { ...init, headers });
}
const json = async <T>(res: Promise<Response>): Promise<T> => (await res).json() as Promise<T>;
const post = (user: string, body: unknown) =>
  as(user, '/api/followup/facts', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  conn = await connect({ home: 'memory://' });
  app = createApp({ conn, log: createLogger(new Writable({ write: (_c, _e, done) => done() })) });
  // U1 (private, Östersund 2380) and U2 (public, Åre 2321); U1's visits 2 of 3 within 3 days, U2's 1 of 1
  const data = writeCaseFolder(
    {
      units: [
        'U1,5560160680,VC Ett,private,2380,2020-01-01,,,,',
        'U2,2321000016,VC Två,public,2321,2020-01-01,,,,',
      ],
      listings: ['P1,U1,D1,1985-02-10,F,A1,2020-01-01,,', 'P2,U2,D2,1975-06-01,M,A2,2020-01-01,,'],
      events: [],
      indicators: ['U1,telefontillganglighet,2025-01-01,2025-03-31,45,50'],
    },
    {
      'visits.csv': `${[
        `${HEADERS.visits},visit_type`,
        'V1,P1,U1,2025-01-10,lakare,fysiskt,D1,2025-01-08,,',
        'V2,P1,U1,2025-02-10,lakare,fysiskt,D9,2025-02-01,,',
        'V3,P1,U1,2025-03-10,lakare,fysiskt,D1,2025-03-10,,',
        'V4,P2,U2,2025-03-11,lakare,fysiskt,D2,2025-03-11,,',
        'V5,P1,U1,2025-02-11,sjukskoterska,fysiskt,,,,halsosamtal',
      ].join('\n')}\n`,
    },
  );
  await importFolder(conn.db, data, 'test');
  for (const f of ['vardval-2025', 'vardvalsystem-landsbygd-2025', 'vardvalsystem-tatort-2025']) {
    const v = await saveRulebookDraft(
      conn.db,
      readFileSync(join(PROJECT_ROOT, `rulebooks/exempel/${f}.yaml`), 'utf8'),
      'test',
    );
    await publishRulebook(conn.db, v.id);
    versions[f] = v.id;
  }
  await signInAll(app, conn.db, USERS, 'ett-langt-losenord', sessions);
}, 60_000);

afterAll(async () => conn?.close());

interface Point {
  from: string;
  numerator: number;
  denominator: number;
  value: number | null;
}
interface Series {
  id: string;
  computed: boolean;
  region: Point[];
  units: { unit_id: string; points: Point[] }[];
}
interface IndicatorsBody {
  systems: { rulebook_id: string; scope: string | null; units: number; indicators: Series[] }[];
}

describe('GET /api/followup/indicators', () => {
  const path = () =>
    `/api/followup/indicators?version_ids=${versions['vardval-2025']}&from=2025-01&to=2025-03`;

  it('gives an officer every unit and the pooled region, computed and imported side by side', async () => {
    const body = await json<IndicatorsBody>(as('handlaggare', path()));
    const series = new Map(body.systems[0]?.indicators.map((s) => [s.id, s]));
    const access = series.get('lakarbesok_3dagar')!;
    expect(access.computed).toBe(true);
    expect(access.units.map((u) => [u.unit_id, u.points[0]?.numerator, u.points[0]?.denominator])).toEqual([
      ['U1', 2, 3],
      ['U2', 1, 1],
    ]);
    expect(access.region[0]).toMatchObject({ from: '2025-01-01', numerator: 3, denominator: 4, value: 0.75 });
    const phone = series.get('telefontillganglighet')!;
    expect(phone.computed).toBe(false);
    expect(phone.units).toEqual([
      { unit_id: 'U1', name: 'VC Ett', points: [expect.objectContaining({ value: 0.9 })] },
    ]);
  });

  it('gives an analyst the pooled figures only, and a provider its own units', async () => {
    const analyst = await json<IndicatorsBody>(as('analytiker', path()));
    const a = first(analyst.systems).indicators.find((s) => s.id === 'lakarbesok_3dagar')!;
    expect(a.units).toEqual([]);
    // 3 of 4 visits: counts under 5, and the share they make, are not shown to an analyst.
    expect(a.region[0]).toMatchObject({ numerator: null, denominator: null, value: null });
    const provider = await json<IndicatorsBody>(as('vardgivare', path()));
    const p = first(provider.systems).indicators.find((s) => s.id === 'lakarbesok_3dagar')!;
    expect(p.units.map((u) => u.unit_id)).toEqual(['U1']);
  });

  it('follows each unit up under its own system in a differentiated region', async () => {
    const choices = await json<{
      items: { label: string; version_ids: number[]; differentiated: boolean }[];
    }>(as('handlaggare', '/api/followup/systems'));
    const diff = choices.items.find((c) => c.differentiated)!;
    expect(diff.label).toContain('Landsbygd och Tätort');
    const body = await json<IndicatorsBody>(
      as(
        'handlaggare',
        `/api/followup/indicators?version_ids=${diff.version_ids.join(',')}&from=2025-01&to=2025-03`,
      ),
    );
    const units = Object.fromEntries(
      body.systems.map((s) => [
        s.scope,
        s.indicators.find((i) => i.id === 'lakarbesok_3dagar')!.units.map((u) => u.unit_id),
      ]),
    );
    expect(units).toEqual({ Landsbygd: ['U2'], Tätort: ['U1'] });
  });

  it('refuses a reversed range and an unpublished version with a pointer or a reason', async () => {
    const bad = await as(
      'handlaggare',
      `/api/followup/indicators?version_ids=${versions['vardval-2025']}&from=2025-03&to=2025-01`,
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { pointer: string }).pointer).toBe('/to');
    const bothCatchAll = await as(
      'handlaggare',
      `/api/followup/indicators?version_ids=${versions['vardval-2025']},${versions['vardvalsystem-tatort-2025']}&from=2025-01&to=2025-03`,
    );
    expect(bothCatchAll.status).toBe(400);
  });

  it('exports CSV and XLSX with the same rows', async () => {
    const q = `version_ids=${versions['vardval-2025']}&from=2025-01&to=2025-03`;
    const csv = await (await as('handlaggare', `/api/followup/export/csv?${q}`)).text();
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'system,indicator,origin,unit_id,unit_name,period_from,period_to,numerator,denominator,value,target,source',
    );
    expect(
      lines.some((l) =>
        l.startsWith('exempel/vardval/2025,lakarbesok_3dagar,beräknad,U1,VC Ett,2025-01-01,2025-03-31,2,3,'),
      ),
    ).toBe(true);
    const res = await as('handlaggare', `/api/followup/export/xlsx?${q}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as never);
    expect(wb.getWorksheet('Uppföljning')!.rowCount).toBe(lines.length);
    const analystCsv = await (await as('analytiker', `/api/followup/export/csv?${q}`)).text();
    expect(analystCsv).not.toContain(',U1,');
    expect(analystCsv).toContain(',REGIONEN,');
    // The officer's file has the region's 3 of 4; the analyst's leaves the small counts empty.
    const regionRow = (csv: string) =>
      csv.split('\n').find((l) => l.includes('lakarbesok_3dagar') && l.includes(',REGIONEN,'))!;
    expect(regionRow(lines.join('\n'))).toContain(',3,4,0.75,');
    expect(regionRow(analystCsv)).toContain(',,,,');
  });
});

interface ConformanceBody {
  systems: {
    units: {
      unit_id: string;
      listed: number;
      checks: { requirement: string; status: string; source: string }[];
      penalties: { requirement: string; amount_ore: number }[];
    }[];
    requirements: { requirement: string; counts: { met: number; not_met: number; unknown: number } }[];
    proposed_penalties_ore: number;
  }[];
}

describe('requirement conformance through the API', () => {
  const path = () => `/api/followup/conformance?version_ids=${versions['vardval-2025']}&month=2025-04`;

  it('records facts (provider for its own units only), audits them, and checks each requirement', async () => {
    expect(
      (
        await post('vardgivare', {
          unit_id: 'U2',
          fact: 'psychologist',
          value: true,
          valid_from: '2025-01-01',
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await post('analytiker', {
          unit_id: 'U1',
          fact: 'psychologist',
          value: true,
          valid_from: '2025-01-01',
        })
      ).status,
    ).toBe(403);
    const bad = await post('handlaggare', {
      unit_id: 'U1',
      fact: 'Öppet',
      value: 40,
      valid_from: '2025-01-01',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { pointer: string }).pointer).toBe('/fact');
    expect(
      (
        await post('vardgivare', {
          unit_id: 'U1',
          fact: 'opening_hours_per_week',
          value: 39.9,
          valid_from: '2025-01-01',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post('vardgivare', {
          unit_id: 'U1',
          fact: 'psychologist',
          value: true,
          valid_from: '2025-01-01',
        })
      ).status,
    ).toBe(201);
    // a later report from May does not count for April
    expect(
      (
        await post('handlaggare', {
          unit_id: 'U1',
          fact: 'opening_hours_per_week',
          value: 45,
          valid_from: '2025-05-01',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post('handlaggare', {
          unit_id: 'U2',
          fact: 'opening_hours_per_week',
          value: 40,
          valid_from: '2025-01-01',
        })
      ).status,
    ).toBe(201);

    const body = await json<ConformanceBody>(as('handlaggare', path()));
    const byUnit = Object.fromEntries(
      first(body.systems).units.map((u) => [
        u.unit_id,
        Object.fromEntries(u.checks.map((c) => [c.requirement, c.status])),
      ]),
    );
    expect(byUnit.U1).toMatchObject({
      oppettider: 'not_met',
      psykolog: 'met',
      digitala_kontaktvagar: 'unknown',
    });
    expect(byUnit.U2).toMatchObject({ oppettider: 'met', psykolog: 'unknown' });
    const u1 = first(body.systems).units.find((u) => u.unit_id === 'U1')!;
    expect(u1.penalties).toEqual([
      expect.objectContaining({ requirement: 'oppettider', amount_ore: 1_000_000 }),
    ]);
    expect(u1.checks.find((c) => c.requirement === 'oppettider')!.source).toContain('Gävleborg');
    expect(body.systems[0]?.proposed_penalties_ore).toBe(1_000_000);
    expect(body.systems[0]?.requirements.find((r) => r.requirement === 'oppettider')!.counts).toEqual({
      met: 1,
      not_met: 1,
      unknown: 0,
    });

    const may = await json<ConformanceBody>(
      as('handlaggare', `/api/followup/conformance?version_ids=${versions['vardval-2025']}&month=2025-05`),
    );
    expect(may.systems[0]?.units[0]?.checks.find((c) => c.requirement === 'oppettider')!.status).toBe('met');

    const audit = await listAudit(conn.db, { limit: 50 });
    expect(audit.filter((a) => a.action === 'unit_fact.record').length).toBe(4);
  });

  it('gives an analyst counts per requirement and no units; a provider its own units', async () => {
    const analyst = await json<ConformanceBody>(as('analytiker', path()));
    expect(analyst.systems[0]?.units).toEqual([]);
    expect(analyst.systems[0]?.requirements.length).toBeGreaterThan(3);
    const provider = await json<ConformanceBody>(as('vardgivare', path()));
    expect(provider.systems[0]?.units.map((u) => u.unit_id)).toEqual(['U1']);
    const facts = await json<{ items: { unit_id: string }[] }>(as('vardgivare', '/api/followup/facts'));
    expect(new Set(facts.items.map((f) => f.unit_id))).toEqual(new Set(['U1']));
  });
});
