import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';

/**
 * What an officer uploads on the import page: the named files of a data folder zipped under `<name>/`,
 * written beside the folder as `<name>.zip`. Returns the zip's path.
 */
export function zipOfFolder(folder: string, files: string[], name: string): string {
  const path = join(dirname(folder), `${name}.zip`);
  const entries = Object.fromEntries(files.map((f) => [`${name}/${f}`, readFileSync(join(folder, f))]));
  writeFileSync(path, zipSync(entries));
  return path;
}
