import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionUser, providerUser } from '../../test-support/http.js';
import { writeCaseFolder } from '../../test-support/cases.js';
import { signInAll, type TestSession } from '../../test-support/sessions.js';
import { connect, type Connection } from '../store/connection.js';
import { importFolder } from '../store/import-batch.js';
import { createApp } from './app.js';
import { createLogger } from './log.js';

/** The listed populations' morbidity on the unit page and in follow-up: counts and means, never persons. */

const PERSON = '189001019802';
let conn: Connection;
let app: ReturnType<typeof createApp>;
const logLines: string[] = [];
const sessions = new Map<string, TestSession>();
const USERS = [
  regionUser('handlaggare', 'officer'),
  providerUser('vardgivare', '5560160680'),
  regionUser('analytiker', 'analyst'),
];

async function get<T>(user: string, path: string): Promise<{ status: number; body: T; text: string }> {
  const res = await app.request(path, { headers: { cookie: sessions.get(user)!.cookie } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, text };
}

const visit = (id: string, person: string, date: string, dx: string) =>
  `${id},${person},U2,${date},lakare,fysiskt,,,${dx}`;

beforeAll(async () => {
  conn = await connect({ home: 'memory://' });
  app = createApp({
    conn,
    log: createLogger(
      new Writable({
        write(chunk, _e, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    ),
  });
  const data = writeCaseFolder({
    listings: [
      `${PERSON},U1,,1940-01-01,F,A1,2020-01-01,,`,
      'P2,U1,,1950-01-01,M,A1,2020-01-01,,',
      'P3,U1,,1990-01-01,F,A1,2020-01-01,,',
      'P4,U2,,1960-01-01,M,A2,2020-01-01,,',
    ],
    visits: [
      // Heart failure (1) in January, COPD (1) in March: score 1 for February, 2 from April.
      visit('V1', PERSON, '2025-01-15', 'I50.0'),
      visit('V2', PERSON, '2025-03-10', 'J44.9'),
      // Metastatic cancer: 6.
      visit('V3', 'P2', '2024-12-01', 'C78.0'),
      visit('V4', 'P4', '2025-01-20', 'J06.9'),
      visit('V5', 'P9', '2025-01-20', 'B20'),
    ],
  });
  await importFolder(conn.db, data, 'test');
  await signInAll(app, conn.db, USERS, 'ett-langt-losenord', sessions);
});

afterAll(async () => {
  await conn.close();
});

interface Profile {
  morbidity: {
    map: string;
    weights: string;
    window_months: number;
    listed: number;
    mean_score: number | null;
    bands: { label: string; count: number }[];
  } | null;
}

describe('the unit page', () => {
  it('shows the listed persons per score band on the cut-off day, and the mean score', async () => {
    const { status, body, text } = await get<Profile>('vardgivare', '/api/ui/units/U1/profile?month=2025-04');
    expect(status).toBe(200);
    expect(body.morbidity).toEqual({
      map: 'charlson_icd10_se',
      weights: 'charlson_1987',
      window_months: 24,
      listed: 3,
      mean_score: 2.667,
      bands: [
        { label: '0', count: 1 },
        { label: '1', count: 0 },
        { label: '2', count: 1 },
        { label: '3–4', count: 0 },
        { label: '5+', count: 1 },
      ],
    });
    expect(text).not.toContain(PERSON);
  });

  it('counts only what was dated before the month', async () => {
    const { body } = await get<Profile>('handlaggare', '/api/ui/units/U1/profile?month=2025-02');
    expect(body.morbidity?.bands.map((b) => b.count)).toEqual([1, 1, 0, 0, 1]);
  });
});

interface Series {
  available: boolean;
  region: { month: string; listed: number; mean_score: number | null }[];
  units: { unit_id: string; points: { month: string; listed: number; mean_score: number | null }[] }[];
}

describe('follow-up', () => {
  it('shows the mean score per unit and month, and for the region', async () => {
    const { status, body } = await get<Series>(
      'handlaggare',
      '/api/followup/morbidity?from=2025-02&to=2025-04',
    );
    expect(status).toBe(200);
    expect(body.available).toBe(true);
    expect(body.units.map((u) => u.unit_id)).toEqual(['U1', 'U2']);
    expect(body.units[0]?.points).toEqual([
      { month: '2025-02', listed: 3, mean_score: 2.333 },
      { month: '2025-03', listed: 3, mean_score: 2.333 },
      { month: '2025-04', listed: 3, mean_score: 2.667 },
    ]);
    expect(body.units[1]?.points.map((p) => p.mean_score)).toEqual([0, 0, 0]);
    expect(body.region.map((p) => p.mean_score)).toEqual([1.75, 1.75, 2]);
  });

  it('gives providers their own units and analysts the region only, without persons', async () => {
    const provider = await get<Series>('vardgivare', '/api/followup/morbidity?from=2025-03&to=2025-03');
    expect(provider.body.units.map((u) => u.unit_id)).toEqual(['U1']);
    const analyst = await get<Series>('analytiker', '/api/followup/morbidity?from=2025-03&to=2025-03');
    expect(analyst.body.units).toEqual([]);
    expect(analyst.body.region).toHaveLength(1);
    expect(analyst.text + provider.text + logLines.join('')).not.toContain(PERSON);
  });

  it('refuses a range that runs backwards or is too long, pointing at to', async () => {
    const back = await get<{ detail: string }>(
      'handlaggare',
      '/api/followup/morbidity?from=2025-04&to=2025-02',
    );
    expect(back.status).toBe(400);
    expect(back.text).toContain('/to');
    const long = await get<{ detail: string }>(
      'handlaggare',
      '/api/followup/morbidity?from=2022-01&to=2025-03',
    );
    expect(long.status).toBe(400);
    expect(long.body.detail).toContain('Högst 36 månader');
  });
});
