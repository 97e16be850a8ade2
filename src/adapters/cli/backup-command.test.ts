import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { approvedRun } from '../../test-support/attest.js';
import { importCase } from '../../test-support/store-cases.js';
import { cli, useCliHome } from '../../test-support/cli.js';
import { appWithOfficer, testApp } from '../../test-support/http.js';
import { publishedRulebook } from '../../test-support/rulebooks.js';
import { BackupError, backupStore } from '../store/backup.js';
import { connect } from '../store/connection.js';
import { StoreLockedError } from '../store/store-lock.js';

/** Backup of the embedded store: back up, restore into a fresh folder, serve the same statements. */

/** What an officer is served for the run: its statements, unit by unit, as the API answers. */
async function served(app: ReturnType<typeof testApp>, runId: number, cookie: string) {
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
  const temp = useCliHome('vardval-backup-');
  let dir: string;
  let home: string;
  let runId: number;
  let cookie: string;
  let before: Awaited<ReturnType<typeof served>>;

  beforeAll(async () => {
    dir = temp.dir;
    home = join(dir, 'store');
    const conn = await connect({ home });
    try {
      const batch = await importCase(conn.db, {
        units: [
          'U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,',
          'U2,2321000016,VC Två,public,2361,2020-01-01,,,,',
        ],
        listings: ['189001019802,U1,,1890-01-01,F,A1,2020-01-01,,', 'P2,U2,,1980-01-01,M,A2,2020-01-01,,'],
        visits: ['V1,189001019802,U1,2025-03-03,lakare,fysiskt,,,'],
        indicators: [],
        events: [],
      });
      runId = await approvedRun(conn.db, '2025-03', await publishedRulebook(conn.db), batch.id);
      const officer = await appWithOfficer(conn);
      cookie = officer.session.cookie;
      before = await served(officer.app, runId, cookie);
      // While the store is open (a server runs), a backup is refused by the store's lock.
      await expect(backupStore(home, join(dir, 'live.tar.gz'))).rejects.toBeInstanceOf(StoreLockedError);
      expect(existsSync(join(dir, 'live.tar.gz'))).toBe(false);
    } finally {
      await conn.close();
    }
  }, 120_000);

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
      const after = await served(testApp(conn), runId, cookie);
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
