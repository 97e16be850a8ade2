import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockStore } from './store-lock.js';

/**
 * Backups of the embedded store: the whole PGlite data folder as one gzipped tar (PGlite's own
 * dumpDataDir), and back into a fresh folder (loadDataDir). The store belongs to one process, so a
 * backup is taken with the server stopped: while it runs, the store's lock refuses the backup with
 * a clear message. On PostgreSQL, pg_dump and pg_restore do the same (see the README).
 */

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

const LOCK_FILE = 'vardval.lock';

/** Writes the store in `home` to `out` (a .tar.gz); refuses while another process holds the store. */
export async function backupStore(home: string, out: string): Promise<{ bytes: number }> {
  if (!existsSync(join(home, 'PG_VERSION')))
    throw new BackupError(`Det finns ingen inbäddad databas i ${home} att säkerhetskopiera`);
  const release = lockStore(home);
  try {
    const client = await PGlite.create(home);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await (await client.dumpDataDir('gzip')).arrayBuffer());
    } finally {
      await client.close();
    }
    // Written beside its place and renamed: a backup file is whole or absent.
    const partial = `${out}.${process.pid}.part`;
    writeFileSync(partial, bytes, { mode: 0o600 });
    renameSync(partial, out);
    return { bytes: bytes.length };
  } finally {
    release();
  }
}

/** Restores a backup into `home`, which must be empty or absent (an existing store is never overwritten). */
export async function restoreStore(file: string, home: string): Promise<void> {
  if (!existsSync(file)) throw new BackupError(`Säkerhetskopian ${file} finns inte`);
  if (existsSync(home) && readdirSync(home).length > 0)
    throw new BackupError(
      `${home} är inte tom; återställ till en ny mapp (flytta undan den gamla, eller sätt VARDVAL_HOME)`,
    );
  mkdirSync(home, { recursive: true });
  const release = lockStore(home);
  try {
    const client = await PGlite.create({ dataDir: home, loadDataDir: new Blob([readFileSync(file)]) });
    try {
      await client.query('SELECT 1');
    } finally {
      await client.close();
    }
  } catch (error) {
    release();
    // Nothing half-restored is left to be taken for a store.
    for (const name of readdirSync(home)) rmSync(join(home, name), { recursive: true, force: true });
    throw new BackupError(
      `Säkerhetskopian ${file} kunde inte läsas in: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // The archive may carry the lock of the process that made it; this one's release removes it.
  release();
  rmSync(join(home, LOCK_FILE), { force: true });
}
