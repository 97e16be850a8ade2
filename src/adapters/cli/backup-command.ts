import type { Command } from 'commander';
import { resolve } from 'node:path';
import { BackupError, backupStore, restoreStore } from '../store/backup.js';
import { defaultHome } from '../store/connection.js';
import { StoreLockedError } from '../store/store-lock.js';

/**
 * `vardval backup --out FILE` and `vardval restore FILE`: the embedded store (VARDVAL_HOME, else
 * var/store) to one file and back into a fresh folder. Taken with the server stopped; on
 * PostgreSQL (DATABASE_URL) the commands point at pg_dump and pg_restore instead.
 */
export function registerBackupCommands(program: Command, out: (text: string) => void): void {
  const embeddedOnly = (): void => {
    if (process.env.DATABASE_URL)
      throw new BackupError(
        'DATABASE_URL är satt: säkerhetskopiera PostgreSQL med pg_dump --format=custom och återställ med pg_restore (se README)',
      );
  };
  const refuse = (error: unknown): never => {
    if (error instanceof StoreLockedError)
      throw new BackupError(
        `${error.message.split('.')[0]}. Stoppa servern innan du säkerhetskopierar eller återställer den inbäddade databasen.`,
      );
    throw error;
  };

  program
    .command('backup')
    .description(
      'Säkerhetskopierar den inbäddade databasen (VARDVAL_HOME eller var/store) till en fil; servern ska vara stoppad',
    )
    .requiredOption('--out <fil>', 'filen att skriva (.tar.gz)')
    .action(async (o: { out: string }) => {
      embeddedOnly();
      const home = defaultHome();
      const { bytes } = await backupStore(home, resolve(o.out)).catch(refuse);
      out(`Säkerhetskopierade ${home} till ${resolve(o.out)} (${Math.ceil(bytes / 1024)} KiB)`);
    });

  program
    .command('restore')
    .description(
      'Återställer en säkerhetskopia till en ny, tom mapp för den inbäddade databasen (VARDVAL_HOME eller var/store)',
    )
    .argument('<fil>', 'säkerhetskopian (från vardval backup)')
    .action(async (file: string) => {
      embeddedOnly();
      const home = defaultHome();
      await restoreStore(resolve(file), home).catch(refuse);
      out(`Återställde ${resolve(file)} till ${home}; starta servern med VARDVAL_HOME=${home}`);
    });
}
