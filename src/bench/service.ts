/**
 * Service benchmark (issue 13): the service as a region runs it, beside `vardval pay` on the same
 * files. For each size and store: import of the folder as a zip through the API (until the batch
 * can be run, and until its visit rows are all written in the background; rows per second are
 * counted on the latter), the first run of a month, a run after a restart (a cold store: the batch
 * read back from the store), a simulation under two rulebooks, and statement reads under load
 * (autocannon, p50/p99). Totals are checked against `vardval pay` to the öre. Not a test:
 * `npm run bench:service`, or smaller:
 *
 *   node dist/bench/service.js --persons 300000 --store pglite
 *
 * Results are printed and written to var/bench/service-results.json.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs, promisify } from 'node:util';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { zipSync } from 'fflate';
import pg from 'pg';
import { createApp } from '../adapters/http/app.js';
import { createLogger } from '../adapters/http/log.js';
import { PROJECT_ROOT, connect, type Connection } from '../adapters/store/connection.js';
import { publishRulebook, saveRulebookDraft } from '../adapters/store/runs.js';
import { createUser } from '../adapters/store/users.js';
import { synthesize } from '../adapters/synth/synthesize.js';

const execFileAsync = promisify(execFile);
const ADMIN_URL = process.env.VARDVAL_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = join(PROJECT_ROOT, 'var', 'bench');
const RULEBOOK = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml');
const SCENARIO = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2026.yaml');
const PASSWORD = 'bench-losenord-2025';

const { values } = parseArgs({
  options: {
    persons: { type: 'string', multiple: true },
    store: { type: 'string', default: 'both' },
    month: { type: 'string', default: '2025-03' },
    'load-seconds': { type: 'string', default: '10' },
  },
});
const SIZES = (values.persons ?? ['300000', '2400000']).map(Number);
const STORES = values.store === 'both' ? ['pglite', 'postgres'] : [values.store!];
const MONTH = values.month!;
const LOAD_SECONDS = Number(values['load-seconds']);

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const fmt = (n: number) => n.toLocaleString('sv-SE', { maximumFractionDigits: 1 });

async function region(persons: number): Promise<{ dir: string; zip: string }> {
  const base = join(ROOT, `service-${persons}`);
  const dir = join(base, 'data');
  if (!existsSync(join(dir, 'visits.csv'))) {
    console.log(`Skapar en region med ${fmt(persons)} invånare …`);
    await synthesize({
      out: dir,
      population: persons,
      seed: 1,
      from: '2024-02',
      to: '2025-03',
      identityDir: join(PROJECT_ROOT, 'fixtures', 'identity'),
    });
  }
  const zip = join(base, 'region.zip');
  if (!existsSync(zip))
    writeFileSync(
      zip,
      zipSync(Object.fromEntries(readdirSync(dir).map((f) => [`region/${f}`, readFileSync(join(dir, f))])), {
        level: 1,
      }),
    );
  return { dir, zip };
}

/** `vardval pay` on the folder, as a user runs it: its own process, wall time, and its total. */
function payOnFolder(dir: string): { seconds: number; totalOre: number } {
  const out = mkdtempSync(join(tmpdir(), 'vardval-bench-pay-'));
  try {
    const t0 = performance.now();
    execFileSync(
      process.execPath,
      [
        join(PROJECT_ROOT, 'bin', 'vardval.js'),
        'pay',
        '--rulebook',
        RULEBOOK,
        '--data',
        dir,
        '--month',
        MONTH,
        '--out',
        out,
      ],
      { stdio: 'ignore' },
    );
    const s = seconds(t0);
    const statements = JSON.parse(readFileSync(join(out, 'statements.json'), 'utf8')) as {
      total_ore: number;
    };
    return { seconds: s, totalOre: statements.total_ore };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

interface Store {
  open(): Promise<Connection>;
  drop(): Promise<void>;
}

async function store(kind: string, persons: number): Promise<Store | undefined> {
  if (kind === 'pglite') {
    const home = join(ROOT, `service-${persons}`, 'store-pglite');
    rmSync(home, { recursive: true, force: true });
    return {
      open: () => connect({ home }),
      drop: async () => rmSync(home, { recursive: true, force: true }),
    };
  }
  const name = `vardval_bench_service_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`PostgreSQL svarar inte på ${ADMIN_URL} (${(error as Error).message}); hoppar över den`);
    return undefined;
  }
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    open: () => connect({ databaseUrl: url }),
    drop: async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name}`);
      await a.end();
    },
  };
}

/** The service on a store: the real app on a port, and an officer logged in through the API. */
async function service(conn: Connection) {
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const app = createApp({ conn, log: createLogger(quiet) });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const login = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'handlaggare', password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = ((await login.json()) as { csrf_token: string }).csrf_token;
  const call = async <T>(
    path: string,
    init: { method?: string; body?: Buffer | string; type?: string } = {},
  ) => {
    const res = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { cookie, 'x-csrf-token': csrf, ...(init.type ? { 'content-type': init.type } : {}) },
      body: init.body,
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  /**
   * A file posted as a browser sends it: from another process (upload.ts), streamed from disk.
   * (fetch here, given the 220 MB zip as one buffer, spent 1.5–2 s before its first byte on the
   * server's own thread.)
   */
  const upload = async <T>(path: string, file: string, type: string): Promise<T> => {
    const { stdout } = await execFileAsync(
      process.execPath,
      [join(PROJECT_ROOT, 'dist', 'bench', 'upload.js'), `${base}${path}`, file, type, cookie, csrf],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const { status, body } = JSON.parse(stdout) as { status: number; body: string };
    if (status >= 300) throw new Error(`POST ${path}: ${status} ${body}`);
    return JSON.parse(body) as T;
  };
  return {
    base,
    cookie,
    call,
    upload,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function measure(
  kind: string,
  persons: number,
  zip: string,
  pay: { seconds: number; totalOre: number },
) {
  const s = await store(kind, persons);
  if (!s) return undefined;
  let conn = await s.open();
  try {
    await createUser(conn.db, { username: 'handlaggare', password: PASSWORD, role: 'officer' });
    const versions: number[] = [];
    for (const file of [RULEBOOK, SCENARIO]) {
      const v = await saveRulebookDraft(conn.db, readFileSync(file, 'utf8'), 'bench');
      await publishRulebook(conn.db, v.id, 'bench-admin');
      versions.push(v.id);
    }
    let api = await service(conn);
    let t0 = performance.now();
    const importStart = t0;
    const batch = await api.upload<{ id: number; counts: Record<string, number> }>(
      '/api/imports',
      zip,
      'application/zip',
    );
    // The batch is stored and can be run; its visit rows are still being written in the background.
    const importSeconds = seconds(t0);
    const rows = (batch.counts.listings ?? 0) + (batch.counts.visits ?? 0);
    const runBody = JSON.stringify({ month: MONTH, rulebook_version_id: versions[0] });
    /** A run of the month on the imported batch, timed. */
    const timedRun = async (on: typeof api): Promise<[{ id: number; total_ore: number }, number]> => {
      const start = performance.now();
      const run = await on.call<{ id: number; total_ore: number }>('/api/runs', {
        method: 'POST',
        body: runBody,
        type: 'application/json',
      });
      return [run, seconds(start)];
    };
    const [first, firstRun] = await timedRun(api);
    // Every row in the store: the listing and visit rows' background writing is over.
    for (;;) {
      const { items } = await api.call<{
        items: { id: number; listing_rows_written: number | null; visit_rows_written: number | null }[];
      }>('/api/imports');
      const stored = items.find((b) => b.id === batch.id);
      if (stored?.listing_rows_written === null && stored.visit_rows_written === null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const allRowsSeconds = seconds(importStart);

    // A restart: the server and its store closed and opened again; the batch is read from the store.
    await api.close();
    await conn.close();
    conn = await s.open();
    api = await service(conn);
    const [cold, coldRun] = await timedRun(api);
    t0 = performance.now();
    await api.call('/api/ui/simulations', {
      method: 'POST',
      body: JSON.stringify({ base_version_id: versions[0], scenario_version_id: versions[1], month: MONTH }),
      type: 'application/json',
    });
    const simulation = seconds(t0);

    const run = await api.call<{ units: { unit_id: string }[] }>(`/api/runs/${cold.id}`);
    const load = await autocannon({
      url: api.base,
      connections: 20,
      duration: LOAD_SECONDS,
      workers: 1,
      headers: { cookie: api.cookie },
      requests: run.units.map((u) => ({
        method: 'GET',
        path: `/api/runs/${cold.id}/statements/${u.unit_id}`,
      })),
    });
    await api.close();
    return {
      store: kind,
      persons,
      rows,
      importSeconds,
      allRowsSeconds,
      rowsPerSecond: rows / allRowsSeconds,
      firstRun,
      coldRun,
      simulation,
      reads: {
        perSecond: load.requests.average,
        p50: load.latency.p50,
        p99: load.latency.p99,
        errors: load.errors + load.non2xx,
      },
      payTotal: pay.totalOre,
      firstTotal: first.total_ore,
      coldTotal: cold.total_ore,
      sameTotals: first.total_ore === pay.totalOre && cold.total_ore === pay.totalOre,
      importPlusFirstRatio: (importSeconds + firstRun) / pay.seconds,
      coldRatio: coldRun / pay.seconds,
    };
  } finally {
    await conn.close();
    await s.drop();
  }
}

async function main() {
  mkdirSync(ROOT, { recursive: true });
  const results = [];
  for (const persons of SIZES) {
    const { dir, zip } = await region(persons);
    // The median of three: on a shared machine one run of the command line varied by a third.
    const pays = [payOnFolder(dir), payOnFolder(dir), payOnFolder(dir)].sort((a, b) => a.seconds - b.seconds);
    const pay = pays[1]!;
    if (new Set(pays.map((p) => p.totalOre)).size !== 1) throw new Error('vardval pay gave different totals');
    console.log(
      `vardval pay, ${fmt(persons)} invånare: ${pays.map((p) => fmt(p.seconds)).join(' / ')} s (median ${fmt(pay.seconds)}), summa ${pay.totalOre} öre`,
    );
    for (const kind of STORES) {
      console.log(`… ${kind}`);
      const r = await measure(kind, persons, zip, pay);
      if (!r) continue;
      results.push({ paySeconds: pay.seconds, ...r });
      console.log(JSON.stringify(r));
    }
  }
  console.log(
    `\nTjänsten bredvid vardval pay (månad ${MONTH}; läsningar: 20 anslutningar, ${LOAD_SECONDS} s)`,
  );
  console.table(
    results.map((r) => ({
      lager: r.store,
      invånare: r.persons,
      'pay s': +r.paySeconds.toFixed(1),
      'import s': +r.importSeconds.toFixed(1),
      'alla rader s': +r.allRowsSeconds.toFixed(1),
      'rader/s': Math.round(r.rowsPerSecond),
      'första körning s': +r.firstRun.toFixed(1),
      '(import+första)/pay': +r.importPlusFirstRatio.toFixed(1),
      'kall körning s': +r.coldRun.toFixed(1),
      'kall/pay': +r.coldRatio.toFixed(1),
      'simulering s': +r.simulation.toFixed(1),
      'läsning p50 ms': r.reads.p50,
      'läsning p99 ms': r.reads.p99,
      'samma summa': r.sameTotals ? 'ja' : 'NEJ',
    })),
  );
  writeFileSync(join(ROOT, 'service-results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (results.some((r) => !r.sameTotals)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
