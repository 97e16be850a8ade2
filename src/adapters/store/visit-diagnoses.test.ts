import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { writeCaseFolder } from '../../test-support/cases.js';
import { loadDataFolder } from '../files/data-folder/index.js';
import { pay } from '../files/payment-run.js';
import { PROJECT_ROOT } from './connection.js';
import { importFolder, importFolderInto } from './import-batch.js';
import { loadBatch } from './load-batch.js';
import { createRun } from './runs.js';
import { EXAMPLE_RULEBOOK_2025, publishedRulebook } from '../../test-support/rulebooks.js';

/** Visits' diagnoses go into the store and come back as the folder has them, so the grouper runs on either. */

const visit = (id: string, person: string, date: string, dx: string) =>
  `${id},${person},U1,${date},lakare,fysiskt,,,${dx}`;
const DATA = writeCaseFolder({
  listings: ['P1,U1,,1940-01-01,F,A1,2020-01-01,,RUB1', 'P2,U2,,1950-01-01,M,A2,2020-01-01,,RUB3'],
  visits: [
    visit('V1', 'P1', '2024-11-03', 'I50.0|J44.9'),
    visit('V2', 'P2', '2024-12-04', ''),
    visit('V3', 'P2', '2025-01-04', 'C78.0'),
    visit('V4', 'P9', '2025-02-10', 'I50.0|J44.9'),
  ],
});
const CHARLSON = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-charlson-2025.yaml');

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`visits' diagnoses on ${kind}`, () => {
    const store = useTestStore(kind);

    it('are read back as the folder has them, by COPY and by JSON alike', async () => {
      const folder = loadDataFolder(DATA, { require: ['visits.csv'] }).visits.diagnoses;
      expect(folder?.cells).toEqual(['I50.0|J44.9', 'C78.0']);
      for (const batch of [
        await importFolderInto(store.conn, DATA, 'officer'),
        await importFolder(store.conn.db, DATA, 'officer'),
      ]) {
        const stored = (await loadBatch(store.conn.db, batch.id)).visits.diagnoses;
        expect(stored?.cells).toEqual(folder?.cells);
        expect(Array.from(stored!.cell)).toEqual(Array.from(folder!.cell));
      }
    });

    it('pay the example rulebook with the open grouper the same from the store as from the folder', async () => {
      const batch = await importFolder(store.conn.db, DATA, 'officer');
      // The Charlson rulebook is an overlay on 2025: its base is saved (and published) first.
      await publishedRulebook(store.conn.db, EXAMPLE_RULEBOOK_2025, 'officer');
      const version = await publishedRulebook(store.conn.db, readFileSync(CHARLSON, 'utf8'), 'officer');
      const run = await createRun(store.conn.db, '2025-03', version, batch.id, 'officer');
      const fromFolder = pay({ rulebookFile: CHARLSON, dataDir: DATA, month: '2025-03' }).statements;
      expect(JSON.stringify(run.statements.units)).toBe(JSON.stringify(fromFolder.units));
    });
  });
}
