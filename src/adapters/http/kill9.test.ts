import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf } from '../../test-support/http.js';
import { first } from '../../test-support/nth.js';
import { STORE_KINDS, createTestDatabase, pgDown } from '../../test-support/databases.js';
import { rowsMissing } from '../../test-support/rows-missing.js';
import { freePort } from '../../e2e/test-support/browser.js';
import { PROJECT_ROOT, connect, type Connection } from '../store/connection.js';
import { importFolder } from '../store/import-batch.js';
import { publishRulebook, saveRulebookDraft } from '../store/runs.js';
import { createUser } from '../store/users.js';
import { synthesize } from '../synth/synthesize.js';

/**
 * kill -9 of the real server (a child process) during an import and during an approval, on both
 * stores: after a restart nothing is lost and nothing is half-written (the batch is whole or
 * absent, the run approved with its audit row or still a draft without one), and no import work
 * folder with personal data is left.
 */

const PASSWORD = 'ett-langt-losenord';
const MAIN = join(PROJECT_ROOT, 'src', 'adapters', 'cli', 'main.ts');

interface Server {
  child: ChildProcess;
  base: string;
}

let zip: Uint8Array;
let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'vardval-kill9-'));
  const dir = join(work, 'region');
  await synthesize({
    out: dir,
    population: 40_000,
    seed: 9,
    from: '2024-11',
    to: '2025-03',
    identityDir: join(PROJECT_ROOT, 'fixtures', 'identity'),
    personsPerUnit: 4000,
  });
  zip = zipSync(Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))])));
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The CLI's `serve`, from the sources (through tsx), in a process of its own. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(['node', 'vardval', 'serve', '--port', '${port}']);`,
    ],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`the server ended: ${stderr}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) {
        const server = { child, base };
        started.add(server);
        child.once('exit', () => started.delete(server));
        return server;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not start: ${stderr}`);
}

/** Servers a test started: one a failed test leaves running is killed after it (afterEach). */
const started = new Set<Server>();

async function kill9(server: Server): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGKILL');
  await exited;
}

async function stop(server: Server): Promise<void> {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

async function login(base: string, username: string, password: string) {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  const cookie = cookieOf(res);
  const csrf = ((await res.json()) as { csrf_token: string }).csrf_token;
  return (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { cookie, 'x-csrf-token': csrf, ...(init.headers as Record<string, string>) },
    });
}

type Call = Awaited<ReturnType<typeof login>>;
interface Batch {
  id: number;
  counts: { listings: number; visits: number };
  listing_rows_written: number | null;
  visit_rows_written: number | null;
}

/** The imports once the server has written every listing and visit row it goes on with after a start. */
async function savedBatches(as: Call): Promise<Batch[]> {
  for (let i = 0; i < 1200; i++) {
    const { items } = (await (await as('/api/imports')).json()) as { items: Batch[] };
    if (items.every((b) => b.listing_rows_written === null && b.visit_rows_written === null)) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the listing and visit rows were not all written after the restart');
}

const rowsOf = async <T>(conn: Connection, query: ReturnType<typeof sql>): Promise<T[]> =>
  ((await conn.db.execute(query)) as unknown as { rows: T[] }).rows;

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`kill -9 of the server on ${kind}`, () => {
    let env: Record<string, string> & { TMPDIR: string };
    let temp: string;
    let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    /** The store, opened when no server holds it. */
    const open = () =>
      connect(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { home: env.VARDVAL_HOME });

    beforeAll(async () => {
      temp = mkdtempSync(join(work, `${kind}-`));
      mkdirSync(join(temp, 'tmp'));
      env = { TMPDIR: join(temp, 'tmp') };
      if (kind === 'pglite') env.VARDVAL_HOME = join(temp, 'store');
      else {
        database = await createTestDatabase('vardval_kill');
        env.DATABASE_URL = database.url;
      }
      // Two officers (one with the approver right), the example rulebook and a small batch.
      const conn = await open();
      try {
        await createUser(conn.db, { username: 'handlaggare', password: PASSWORD, role: 'officer' });
        await createUser(conn.db, {
          username: 'attestant',
          password: PASSWORD,
          role: 'officer',
          approver: true,
        });
        const v = await saveRulebookDraft(
          conn.db,
          readFileSync(join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml'), 'utf8'),
          'test',
        );
        await publishRulebook(conn.db, v.id, 'admin');
        await importFolder(conn.db, join(work, 'region'), 'test', 'Första');
      } finally {
        await conn.close();
      }
    }, 180_000);
    afterEach(async () => {
      for (const server of [...started]) await kill9(server);
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('loses nothing and half-writes nothing when killed during an import', async () => {
      let server = await startServer(env);
      let as = await login(server.base, 'handlaggare', PASSWORD);
      const before = ((await (await as('/api/imports')).json()) as { items: { id: number }[] }).items.length;
      const res = await as('/api/imports', {
        method: 'POST',
        headers: { 'content-type': 'application/zip', prefer: 'respond-async' },
        body: zip,
      });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      // Killed once rows are being written: seen in the job, or (the embedded store's one
      // connection busy with the import's transaction) when the job cannot answer at once.
      for (;;) {
        const job = await as(`/api/import-jobs/${id}`, { signal: AbortSignal.timeout(300) })
          .then((r) => r.json() as Promise<{ phase: string; files: { rows_written: number }[] }>)
          .catch(() => undefined);
        if (!job || (job.phase === 'writing' && job.files.some((f) => f.rows_written > 0))) break;
        expect(job.phase).not.toBe('done');
        await new Promise((r) => setTimeout(r, 20));
      }
      const killed = server.child.pid!;
      await kill9(server);

      server = await startServer(env);
      // The killed server's work folder (the upload's CSVs, personal data) is gone after the restart.
      expect(readdirSync(env.TMPDIR).filter((n) => n.startsWith(`vardval-import-${killed}-`))).toEqual([]);
      as = await login(server.base, 'handlaggare', PASSWORD);
      const after = (await savedBatches(as)).length;
      expect([before, before + 1]).toContain(after);
      await stop(server);

      // Every batch in the store is whole: its rows and its columnar form match its counts.
      const conn = await open();
      try {
        const batches = await rowsOf<{ id: number; listings: number; visits: number }>(
          conn,
          sql`SELECT id, (counts->>'listings')::int AS listings, (counts->>'visits')::int AS visits FROM import_batch`,
        );
        for (const b of batches) {
          const l = first(
            await rowsOf<{ n: number }>(
              conn,
              sql`SELECT count(*)::int AS n FROM listing WHERE batch_id = ${b.id}`,
            ),
          );
          const v = first(
            await rowsOf<{ n: number }>(
              conn,
              sql`SELECT count(*)::int AS n FROM visit WHERE batch_id = ${b.id}`,
            ),
          );
          expect([l.n, v.n]).toEqual([b.listings, b.visits]);
        }
        const orphans = first(
          await rowsOf<{ n: number }>(
            conn,
            sql`SELECT count(*)::int AS n FROM visit WHERE batch_id NOT IN (SELECT id FROM import_batch)`,
          ),
        );
        expect(orphans.n).toBe(0);
        const audits = first(
          await rowsOf<{ n: number }>(
            conn,
            sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'import'`,
          ),
        );
        expect(audits.n).toBe(after - before);
      } finally {
        await conn.close();
      }
    }, 600_000);

    it('goes on with the listing and visit rows when killed while they are written after an import', async () => {
      // Chunks of some ten rows: thousands of transactions, seconds to be killed during.
      let server = await startServer({ ...env, VARDVAL_VISIT_ROWS_CHUNK_KB: '1' });
      let as = await login(server.base, 'handlaggare', PASSWORD);
      const res = await as('/api/imports', {
        method: 'POST',
        headers: { 'content-type': 'application/zip' },
        body: zip,
      });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as Batch;
      // Killed once some of the listing rows (the first written) are in and some are not.
      let seen: Batch | undefined;
      for (let i = 0; i < 2000; i++) {
        const { items } = (await (await as('/api/imports')).json()) as { items: Batch[] };
        seen = items.find((b) => b.id === id)!;
        if (seen.listing_rows_written === null || seen.listing_rows_written > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(seen!.listing_rows_written).toBeGreaterThan(0);
      expect(seen!.listing_rows_written).toBeLessThan(seen!.counts.listings);
      expect(seen!.visit_rows_written).toBe(0);
      await kill9(server);

      // The batch is usable right after the restart: a run on it pays as it did before.
      server = await startServer(env);
      as = await login(server.base, 'handlaggare', PASSWORD);
      const saved = await savedBatches(as);
      expect(saved.find((b) => b.id === id)).toMatchObject({
        listing_rows_written: null,
        visit_rows_written: null,
      });
      await stop(server);

      // Every row once, cell for cell those of the same folder imported in one transaction (the first batch).
      const conn = await open();
      try {
        const firstId = Math.min(...saved.map((b) => b.id));
        for (const table of ['listing', 'visit'] as const) {
          expect(await rowsMissing(conn, table, id, firstId)).toBe(0);
          expect(await rowsMissing(conn, table, firstId, id)).toBe(0);
        }
        const ids = first(
          await rowsOf<{ n: number }>(
            conn,
            sql`SELECT count(*)::int AS n FROM batch_visit_ids WHERE batch_id = ${id}`,
          ),
        );
        expect(ids.n).toBe(0);
      } finally {
        await conn.close();
      }
    }, 600_000);

    it('loses nothing and half-writes nothing when killed during an approval', async () => {
      let server = await startServer(env);
      const officer = await login(server.base, 'handlaggare', PASSWORD);
      const versions = (await (await officer('/api/rulebooks')).json()) as {
        items: { id: number; rulebook_id: string; status: string }[];
      };
      const version = versions.items.find(
        (v) => v.rulebook_id === 'exempel/vardval/2025' && v.status === 'published',
      )!;
      const created = await officer('/api/runs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ month: '2025-03', rulebook_version_id: version.id }),
      });
      expect(created.status).toBe(201);
      const { id: runId } = (await created.json()) as { id: number };
      const approver = await login(server.base, 'attestant', PASSWORD);
      const approving = approver(`/api/runs/${runId}/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ comment: 'Granskad', missing_month_reason: 'Testkörning' }),
      }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 5));
      await kill9(server);
      await approving;

      server = await startServer(env);
      const after = await login(server.base, 'handlaggare', PASSWORD);
      const run = (await (await after(`/api/runs/${runId}`)).json()) as {
        status: string;
        approved_by: string | null;
      };
      await stop(server);
      const conn = await open();
      try {
        const audit = await rowsOf<{ actor: string }>(
          conn,
          sql`SELECT actor FROM audit_log WHERE action = 'approve_run' AND target = ${`run:${runId}`}`,
        );
        if (run.status === 'approved') {
          expect(run.approved_by).toBe('attestant');
          expect(audit.map((a) => a.actor)).toEqual(['attestant']);
        } else {
          expect(run.status).toBe('draft');
          expect(run.approved_by).toBeNull();
          expect(audit).toEqual([]);
        }
        const statements = first(
          await rowsOf<{ n: number }>(
            conn,
            sql`SELECT count(*)::int AS n FROM statement WHERE run_id = ${runId}`,
          ),
        );
        expect(statements.n).toBeGreaterThan(0);
      } finally {
        await conn.close();
      }
    }, 600_000);
  });
}
