import type { Db } from '../adapters/store/connection.js';
import { importFolder } from '../adapters/store/import-batch.js';
import { writeCaseFolder, type CaseFiles } from './cases.js';

/** Writes the case's files to a folder (see writeCaseFolder) and imports it as a batch by `test`. */
export function importCase(
  db: Db,
  files: CaseFiles,
  raw: Record<string, string> = {},
): ReturnType<typeof importFolder> {
  return importFolder(db, writeCaseFolder(files, raw), 'test');
}
