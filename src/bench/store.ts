/**
 * Store benchmark (issue 3): import 1 million listings into PGlite and into PostgreSQL (COPY), and
 * statement reads under load (autocannon, 50 connections, 20 s) on both stores. Prints a table and
 * writes var/bench/store-results.json. Not a test: run with `npm run bench:store`.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import pg from 'pg';
import { createApp } from '../adapters/http/app.js';
import { createLogger } from '../adapters/http/log.js';
import { PROJECT_ROOT, connect, type Connection } from '../adapters/store/connection.js';
import { seedDemoIfEmpty } from '../adapters/demo/demo.js';
import { importFolder, importFolderInto } from '../adapters/store/import-batch.js';
import { synthesize } from '../adapters/synth/synthesize.js';
import { Writable } from 'node:stream';

const ADMIN_URL = process.env.VARDVAL_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const root = join(PROJECT_ROOT, 'var', 'bench');

async function listingsFolder(): Promise<{ dir: string; rows: number }> {
  const dir = join(root, 'store-1m');
  if (!existsSync(join(dir, 'listings.csv'))) {
    const source = join(root, '1m');
    if (!existsSync(join(source, 'listings.csv'))) {
      console.log('Skapar 1 miljon invånare för lagertestet …');
      await synthesize({
        out: source,
        population: 1_000_000,
        seed: 1,
        from: '2024-02',
        to: '2025-03',
        identityDir: join(PROJECT_ROOT, 'fixtures', 'identity'),
      });
    }
    mkdirSync(dir, { recursive: true });
    for (const f of ['units.csv', 'areas.csv', 'listings.csv']) copyFileSync(join(source, f), join(dir, f));
  }
  const { loadDataFolder } = await import('../adapters/files/data-folder/index.js');
  return { dir, rows: loadDataFolder(dir).listings.count };
}

async function postgres(): Promise<{ conn: Connection; drop: () => Promise<void> } | undefined> {
  const name = `vardval_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(
      `PostgreSQL svarar inte på ${ADMIN_URL} (${(error as Error).message}); hoppar över den delen`,
    );
    return undefined;
  }
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const conn = await connect({ databaseUrl: ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) });
  return {
    conn,
    drop: async () => {
      await conn.close();
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name}`);
      await a.end();
    },
  };
}

async function timeImport(label: string, fn: () => Promise<unknown>, rows: number) {
  const t0 = performance.now();
  await fn();
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${label}: ${rows.toLocaleString('sv-SE')} listningar på ${s.toFixed(1)} s = ${Math.round(rows / s).toLocaleString('sv-SE')} rader/s`,
  );
  return { label, rows, seconds: s, rowsPerSecond: rows / s };
}

async function loadTest(label: string, conn: Connection) {
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  await seedDemoIfEmpty(conn, { population: 5000, log: () => undefined });
  const app = createApp({ conn, log: createLogger(quiet) });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'handlaggare', password: 'demo-handlaggare-2025' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const runs = (await (await fetch(`${base}/api/runs?status=approved`, { headers: { cookie } })).json()) as {
    items: { id: number }[];
  };
  const run = (await (
    await fetch(`${base}/api/runs/${runs.items[0]!.id}`, { headers: { cookie } })
  ).json()) as { id: number; units: { unit_id: string }[] };
  const paths = run.units.map((u) => `/api/runs/${run.id}/statements/${u.unit_id}`);
  const result = await autocannon({
    url: base,
    connections: 50,
    duration: LOAD_SECONDS,
    // The load generator gets a thread of its own, so it does not share the server's event loop.
    workers: 1,
    headers: { cookie },
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  await new Promise<void>((r) => server.close(() => r()));
  const out = {
    label,
    requestsPerSecond: result.requests.average,
    p99ms: result.latency.p99,
    p50ms: result.latency.p50,
    errors: result.errors + result.non2xx,
  };
  console.log(
    `${label}: ${Math.round(out.requestsPerSecond)} förfrågningar/s, p50 ${out.p50ms} ms, p99 ${out.p99ms} ms, fel ${out.errors}`,
  );
  return out;
}

async function main() {
  mkdirSync(root, { recursive: true });
  const parts = (process.env.BENCH_STORE_PARTS ?? 'import,load').split(',');
  const imports = [];
  const loads = [];
  if (parts.includes('import')) {
    const { dir, rows } = await listingsFolder();

    const home = join(root, 'store-pglite');
    rmSync(home, { recursive: true, force: true });
    const lite = await connect({ home });
    imports.push(await timeImport('PGlite (JSON-batchar)', () => importFolder(lite.db, dir, 'bench'), rows));
    await lite.close();
    rmSync(home, { recursive: true, force: true });

    const pgA = await postgres();
    if (pgA) {
      imports.push(
        await timeImport('PostgreSQL (COPY)', () => importFolderInto(pgA.conn, dir, 'bench'), rows),
      );
      imports.push(
        await timeImport(
          'PostgreSQL (JSON-batchar, jämförelse)',
          () => importFolder(pgA.conn.db, dir, 'bench'),
          rows,
        ),
      );
      await pgA.drop();
    }
  }
  if (parts.includes('load')) {
    const liteLoad = await connect({ home: join(root, 'store-load') });
    loads.push(await loadTest('PGlite', liteLoad));
    await liteLoad.close();
    rmSync(join(root, 'store-load'), { recursive: true, force: true });
    rmSync(join(root, 'store-load-demo-data'), { recursive: true, force: true });
    const pgB = await postgres();
    if (pgB) {
      loads.push(await loadTest('PostgreSQL', pgB.conn));
      await pgB.drop();
    }
  }

  console.log('\nImport av listningar');
  console.table(
    imports.map((i) => ({
      lager: i.label,
      rader: i.rows,
      sekunder: +i.seconds.toFixed(1),
      'rader/s': Math.round(i.rowsPerSecond),
    })),
  );
  console.log(`Läsning av utbetalningsunderlag under last (50 anslutningar, ${LOAD_SECONDS} s)`);
  console.table(
    loads.map((l) => ({
      lager: l.label,
      'förfrågningar/s': Math.round(l.requestsPerSecond),
      'p50 ms': l.p50ms,
      'p99 ms': l.p99ms,
      'mål p99 ≤ 50 ms': l.label === 'PGlite' ? (l.p99ms <= 50 ? '✓' : '✗') : '',
      fel: l.errors,
    })),
  );
  writeFileSync(join(root, 'store-results.json'), `${JSON.stringify({ imports, loads }, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
