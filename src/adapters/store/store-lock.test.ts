import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from './connection.js';
import { StoreLockedError, lockStore } from './store-lock.js';

describe('the embedded store belongs to one process', () => {
  it('refuses a second opener while the first has it, and lets it in after close', async () => {
    const home = mkdtempSync(join(tmpdir(), 'vardval-lock-'));
    const first = await connect({ home });
    await expect(connect({ home })).rejects.toBeInstanceOf(StoreLockedError);
    await first.close();
    const again = await connect({ home });
    await again.close();
  }, 240_000);

  it('refuses a lock held by another live process, and takes over one whose process is gone', async () => {
    const home = mkdtempSync(join(tmpdir(), 'vardval-lock-'));
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(join(home, 'vardval.lock'), String(other.pid));
      expect(() => lockStore(home)).toThrow(/används redan av process/);
    } finally {
      other.kill('SIGKILL');
    }
    await new Promise((resolve) => other.once('exit', resolve));
    const release = lockStore(home);
    release();
  });
});
