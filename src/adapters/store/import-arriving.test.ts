import { appendFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { useSyntheticRegion } from '../../test-support/synthetic-region.js';
import { rowsMissing } from '../../test-support/rows-missing.js';
import { ArrivingFiles } from '../files/arriving-files.js';
import { importFolderInto } from './import-batch.js';
import { writeBatchRows } from './batch-rows.js';

/**
 * An uploaded zip's files are read while they are still being unpacked (zip-inflate.ts): the
 * import follows each file as it arrives. Here the files are written by the test in parts cut
 * inside a row, the second halves a while after the first, and what is stored (once the rows are
 * written after the import) is what the whole folder gives.
 */

const region = useSyntheticRegion('import-arriving', {
  population: 2000,
  seed: 3,
  from: '2024-12',
  to: '2025-03',
});

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`import of files still arriving on ${kind}`, () => {
    const store = useTestStore(kind);

    it('reads the files as they are written and stores what the whole folder gives', async () => {
      const { conn } = store;
      const names = readdirSync(region.dir);
      const bytes = new Map(names.map((n) => [n, readFileSync(join(region.dir, n))]));
      const dir = mkdtempSync(join(tmpdir(), 'vardval-arriving-'));
      const arriving = ArrivingFiles.expecting(
        names.map((name) => ({ name, size: bytes.get(name)!.length })),
      );
      for (const name of names) writeFileSync(join(dir, name), '');
      const write = (name: string, from: number, to?: number): void => {
        const part = bytes.get(name)!.subarray(from, to);
        appendFileSync(join(dir, name), part);
        arriving.wrote(name, part.length);
        if (to === undefined) arriving.complete(name);
      };
      // Halfway through a row (and a KiB) of the two large files; the others whole.
      const half = (name: string): number => bytes.get(name)!.length >> 1;
      for (const name of names)
        if (name === 'listings.csv' || name === 'visits.csv') write(name, 0, half(name));
        else write(name, 0);

      const importing = importFolderInto(conn, dir, 'officer', { arriving });
      await sleep(100);
      write('listings.csv', half('listings.csv'));
      await sleep(200);
      write('visits.csv', half('visits.csv'));
      const batch = await importing;

      const whole = await importFolderInto(conn, region.dir, 'officer');
      expect(batch.files).toEqual(whole.files);
      expect(batch.counts).toEqual(whole.counts);
      await writeBatchRows(conn, batch.id);
      await writeBatchRows(conn, whole.id);
      for (const table of ['listing', 'visit'] as const)
        expect([
          await rowsMissing(conn, table, batch.id, whole.id),
          await rowsMissing(conn, table, whole.id, batch.id),
        ]).toEqual([0, 0]);
      expect(batch.counts.listings).toBeGreaterThan(1000);
    }, 120_000);
  });
}
