import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { signInAll, type TestSession } from '../../test-support/sessions.js';
import { PROJECT_ROOT } from '../store/connection.js';
import { synthesize } from '../synth/synthesize.js';
import { createApp } from './app.js';
import { createLogger } from './log.js';
import type { ImportJobState } from './import-jobs.js';

/**
 * An import runs off the request loop: the server answers /api/health while a region is being
 * read and written, and the import, started as a job, reports rows read and written per file.
 */

let zip: Uint8Array;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vardval-jobs-'));
  await synthesize({
    out: dir,
    population: 30_000,
    seed: 3,
    from: '2024-02',
    to: '2025-03',
    identityDir: join(PROJECT_ROOT, 'fixtures', 'identity'),
    personsPerUnit: 3000,
  });
  zip = zipSync(Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))])));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`imports off the request loop on ${kind}`, () => {
    const store = useTestStore(kind);
    const sessions = new Map<string, TestSession>();
    let app: ReturnType<typeof createApp>;
    const as = (path: string, init: RequestInit = {}): Promise<Response> => {
      const s = sessions.get('handlaggare')!;
      const headers = new Headers(init.headers);
      headers.set('cookie', s.cookie);
      if (init.method && init.method !== 'GET') headers.set('x-csrf-token', s.csrf);
      return Promise.resolve(app.request(path, { ...init, headers }));
    };
    const post = (headers: Record<string, string> = {}) =>
      as('/api/imports?label=stor', {
        method: 'POST',
        headers: { 'content-type': 'application/zip', ...headers },
        body: zip,
      });

    beforeAll(async () => {
      app = createApp({
        conn: store.conn,
        log: createLogger(new Writable({ write: (_chunk, _enc, done) => done() })),
      });
      await signInAll(
        app,
        store.conn.db,
        [{ username: 'handlaggare', role: 'officer' }],
        'ett-langt-losenord',
        sessions,
      );
    });

    it('answers /api/health while an import is still running', async () => {
      const order: string[] = [];
      const importing = post().then(async (res) => {
        order.push('import');
        return res;
      });
      const health = await app.request('/api/health');
      order.push('health');
      expect(health.status).toBe(200);
      const res = await importing;
      expect(res.status).toBe(201);
      expect(order).toEqual(['health', 'import']);
    });

    it('runs an import as a job that reports rows read and written per file, to its end', async () => {
      const res = await post({ prefer: 'respond-async' });
      expect(res.status).toBe(202);
      const started = (await res.json()) as ImportJobState;
      expect(res.headers.get('location')).toBe(`/api/import-jobs/${started.id}`);
      expect(started.files.map((f) => f.name)).toContain('visits.csv');
      // A page that comes back finds the job in the list.
      const listed = (await (await as('/api/import-jobs')).json()) as { items: ImportJobState[] };
      expect(listed.items.map((j) => j.id)).toContain(started.id);
      let job = started;
      // The phases the import was in when /api/health and the job answered: the folder's reading
      // leaves the server answering on both stores, the rows' writing on PostgreSQL. (The embedded
      // store has one connection: a request that needs it waits for the import's transaction.)
      const answeredDuring = new Set<string>();
      let partlyWritten = false;
      // Done once the batch is stored; its visit rows are written after ('saving-rows').
      while (job.status === 'running' || job.phase === 'saving-rows') {
        if (job.status === 'done') expect(job.batch_id).not.toBeNull();
        await new Promise((resolve) => setTimeout(resolve, 20));
        const health = await app.request('/api/health');
        job = (await (await as(`/api/import-jobs/${started.id}`)).json()) as ImportJobState;
        if (health.status === 200 && job.status === 'running') answeredDuring.add(job.phase);
        const v = job.files.find((f) => f.name === 'visits.csv')!;
        if (v.rows_written > 0 && v.rows !== null && v.rows_written < v.rows) partlyWritten = true;
      }
      expect([job.status, job.phase]).toEqual(['done', 'done']);
      expect(answeredDuring.has('reading')).toBe(true);
      if (kind === 'postgres') expect(answeredDuring.has('writing')).toBe(true);
      if (kind === 'postgres') expect(partlyWritten).toBe(true);
      const visits = job.files.find((f) => f.name === 'visits.csv')!;
      expect(visits.rows).toBeGreaterThan(50_000);
      expect(visits.rows_read).toBe(visits.rows);
      expect(visits.rows_written).toBe(visits.rows);
      const batches = (await (await as('/api/imports')).json()) as {
        items: { id: number; visit_rows_written: number | null }[];
      };
      expect(batches.items.find((b) => b.id === job.batch_id)).toMatchObject({ visit_rows_written: null });
    });

    it('keeps a refused folder as a failed job with located errors', async () => {
      const broken = zipSync({
        'units.csv': new TextEncoder().encode(
          'unit_id,provider_id,name,ownership,start_date\nU1,5560160680,VC,private,2020-01-01\n',
        ),
        'areas.csv': new TextEncoder().encode('area\nA1\n'),
        'listings.csv': new TextEncoder().encode(
          'person_id,unit_id,birth_date,sex,area,listed_from\nP1,U9,1980-01-01,F,A1,2020-01-01\n',
        ),
      });
      const res = await as('/api/imports', {
        method: 'POST',
        headers: { 'content-type': 'application/zip', prefer: 'respond-async' },
        body: broken,
      });
      expect(res.status).toBe(202);
      let job = (await res.json()) as ImportJobState;
      while (job.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        job = (await (await as(`/api/import-jobs/${job.id}`)).json()) as ImportJobState;
      }
      expect(job.status).toBe('failed');
      expect(job.errors.map((e) => e.detail)).toEqual([
        expect.stringMatching(/^listings\.csv:2:\d+: unit_id: Enheten U9 finns inte/),
      ]);
      expect(job.batch_id).toBeNull();
    });
  });
}
