import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAsSecondPerson } from '../../test-support/attest.js';
import { writeCaseFolder } from '../../test-support/cases.js';
import { signInAll, type TestSession } from '../../test-support/sessions.js';
import { createApp } from '../http/app.js';
import { createLogger } from '../http/log.js';
import { BackupError, backupStore } from '../store/backup.js';
import { PROJECT_ROOT, connect, type Connection } from '../store/connection.js';
import { importFolder } from '../store/import-batch.js';
import { createRun, publishRulebook, saveRulebookDraft } from '../store/runs.js';
import { StoreLockedError } from '../store/store-lock.js';
import { cli } from '../../test-support/cli.js';

/** Backup of the embedded store: back up, restore into a fresh folder, serve the same statements. */

const quiet = () => createLogger(new Writable({ write: (_c, _e, done) => done() }));

/** What an officer is served for the run: its statements, unit by unit, as the API answers. */
async function served(conn: Connection, runId: number, sessions: Map<string, TestSession>, login: boolean) {
  const app = createApp({ conn, log: quiet() });
  if (login)
    await signInAll(
      app,
      conn.db,
      [{ username: 'handlaggare', role: 'officer' }],
      'ett-langt-losenord',
      sessions,
    );
  const { cookie } = sessions.get('handlaggare')!;
  const run = (await (await app.request(`/api/runs/${runId}`, { headers: { cookie } })).json()) as {
    status: string;
    units: { unit_id: string }[];
  };
  const statements = [];
  for (const u of run.units) {
    const res = await app.request(`/api/runs/${runId}/statements/${u.unit_id}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    statements.push(await res.json());
  }
  return { status: run.status, statements };
}

describe('vardval backup and restore (embedded store)', () => {
  const saved = { home: process.env.VARDVAL_HOME, url: process.env.DATABASE_URL };
  let dir: string;
  let home: string;
  let runId: number;
  let before: Awaited<ReturnType<typeof served>>;
  const sessions = new Map<string, TestSession>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vardval-backup-'));
    home = join(dir, 'store');
    delete process.env.DATABASE_URL;
    const conn = await connect({ home });
    try {
      const batch = await importFolder(
        conn.db,
        writeCaseFolder({
          units: [
            'U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,',
            'U2,2321000016,VC Två,public,2361,2020-01-01,,,,',
          ],
          listings: ['189001019802,U1,,1890-01-01,F,A1,2020-01-01,,', 'P2,U2,,1980-01-01,M,A2,2020-01-01,,'],
          visits: ['V1,189001019802,U1,2025-03-03,lakare,fysiskt,,,'],
          indicators: [],
          events: [],
        }),
        'test',
      );
      const v = await saveRulebookDraft(
        conn.db,
        readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2025.yaml'), 'utf8'),
        'test',
      );
      await publishRulebook(conn.db, v.id);
      runId = (await createRun(conn.db, '2025-03', v.id, batch.id, 'test')).runId;
      await approveAsSecondPerson(conn.db, runId);
      before = await served(conn, runId, sessions, true);
      // While the store is open (a server runs), a backup is refused by the store's lock.
      await expect(backupStore(home, join(dir, 'live.tar.gz'))).rejects.toBeInstanceOf(StoreLockedError);
      expect(existsSync(join(dir, 'live.tar.gz'))).toBe(false);
    } finally {
      await conn.close();
    }
  }, 120_000);

  afterAll(() => {
    for (const [key, value] of [
      ['VARDVAL_HOME', saved.home],
      ['DATABASE_URL', saved.url],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up, restores into a fresh folder and serves the same approved statements', async () => {
    const file = join(dir, 'vardval.tar.gz');
    process.env.VARDVAL_HOME = home;
    const backup = await cli('backup', '--out', file);
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/Säkerhetskopierade/);
    expect(existsSync(file)).toBe(true);

    const fresh = join(dir, 'restored');
    process.env.VARDVAL_HOME = fresh;
    const restore = await cli('restore', file);
    expect(restore.code).toBe(0);
    const conn = await connect({ home: fresh });
    try {
      const after = await served(conn, runId, sessions, false);
      expect(after.status).toBe('approved');
      expect(after.statements.length).toBeGreaterThan(0);
      expect(after).toEqual(before);
    } finally {
      await conn.close();
    }
    // An existing store is never overwritten.
    await expect(cli('restore', file)).rejects.toBeInstanceOf(BackupError);
  });
});
