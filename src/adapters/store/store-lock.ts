import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The embedded store belongs to one process at a time: PGlite has no locking of its own, and two
 * processes writing the same folder (the server and `vardval users add`, say) would corrupt it.
 * A lock file holds the owner's process id; one left by a process that is gone is taken over.
 */

export class StoreLockedError extends Error {
  constructor(
    readonly home: string,
    readonly pid: number,
  ) {
    super(
      `Den inbäddade databasen i ${home} används redan av process ${pid}` +
        ' (en server eller ett annat kommando). Stoppa den först, eller gör ändringen i webbsidan medan servern körs.',
    );
    this.name = 'StoreLockedError';
  }
}

const LOCK_FILE = 'vardval.lock';
const held = new Set<string>();

/** Whether process `pid` runs (on this machine; a process of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the store's lock or throws StoreLockedError; returns the release. */
export function lockStore(home: string): () => void {
  const path = join(home, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (held.has(path)) throw new StoreLockedError(home, process.pid);
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(path);
      return () => {
        held.delete(path);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
        throw new StoreLockedError(home, pid);
      // The owner is gone (killed, crashed): its lock means nothing any more.
      rmSync(path, { force: true });
    }
  }
  throw new StoreLockedError(home, 0);
}
