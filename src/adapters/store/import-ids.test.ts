import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { writeCaseFolder } from '../../test-support/cases.js';
import { InputErrors } from '../files/located-error.js';
import type { Db } from './connection.js';
import { importFolder, importFolderInto } from './import-batch.js';
import { textColumns } from './import-prepare.js';
import * as t from './schema.js';
import { writeBatchRows } from './batch-rows.js';

/**
 * The import keeps the person and visit id texts while the loader reads the folder (no second
 * reading of the files) and writes the listing and visit rows from them after the import: the
 * stored texts are what reading the files again gave, and a person id found wrong only when the
 * texts are checked (after the whole folder is read) still stores nothing and is reported with
 * its file and line.
 */

const LISTINGS = [
  '198503151238,U1,L1,1985-03-15,F,A1,2020-01-01,,RUB1',
  '19770704-4561,U2,,1977-07-04,M,A2,2020-01-01,,',
  '020202-7892,U1,,2002-02-02,,A2,2024-01-01,,',
  ' P7 ,U1,,2019-06-30,,A2,2024-01-01,,',
  '"P,""5",U2,"L,1",1980-01-01,F,A1,2020-01-01,,"RUB,1"',
];
const VISITS = [
  'V1,198503151238,U1,2025-03-03,lakare,fysiskt,L1,2025-03-01,J06.9',
  ' V2 ,020202-7892,U1,2025-03-04,lakare,digitalt,,,',
  'V3,P9,U2,2025-02-10,sjukskoterska,telefon,,,',
];

async function count(db: Db): Promise<number[]> {
  const n = async (table: string): Promise<number> => {
    const r = await db.execute(sql.raw(`SELECT count(*)::int AS n FROM "${table}"`));
    return (r as unknown as { rows: { n: number }[] }).rows[0]!.n;
  };
  return [await n('import_batch'), await n('listing'), await n('visit')];
}

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`import ids on ${kind}`, () => {
    const store = useTestStore(kind);

    it('stores the person and visit ids as reading the files again gave them, by COPY and by JSON', async () => {
      const { conn } = store;
      const dir = writeCaseFolder({ listings: LISTINGS, visits: VISITS });
      const [listingPersons] = textColumns(join(dir, 'listings.csv'), ['person_id']);
      const [visitIds, visitPersons] = textColumns(join(dir, 'visits.csv'), ['visit_id', 'person_id']);
      expect(listingPersons).toEqual(['198503151238', '197707044561', '200202027892', 'P7', 'P,"5']);
      const viaCopy = await importFolderInto(conn, dir, 'officer');
      // Its listing and visit rows are written after the import.
      await writeBatchRows(conn, viaCopy.id);
      for (const batch of [viaCopy, await importFolder(conn.db, dir, null)]) {
        const listings = await conn.db
          .select({ person: t.listings.personId })
          .from(t.listings)
          .where(eq(t.listings.batchId, batch.id))
          .orderBy(asc(t.listings.row));
        expect(listings.map((r) => r.person)).toEqual(listingPersons);
        const visits = await conn.db
          .select({ id: t.visits.visitId, person: t.visits.personId })
          .from(t.visits)
          .where(eq(t.visits.batchId, batch.id))
          .orderBy(asc(t.visits.row));
        expect(visits.map((r) => [r.id, r.person])).toEqual(visitIds!.map((id, i) => [id, visitPersons![i]]));
      }
    });

    it('stores nothing, not even the units, when a person id is found wrong once the folder is read', async () => {
      const { conn } = store;
      const before = await count(conn.db);
      // A 10-digit number with a wrong check digit: the loader reads it as a pseudonym, the import
      // refuses it when the texts are checked, after the whole folder is read.
      const dir = writeCaseFolder({
        listings: LISTINGS,
        visits: [...VISITS, 'V4,020202-7893,U1,2025-03-04,lakare,digitalt,,,'],
      });
      const written: [string, number][] = [];
      const error = await importFolderInto(conn, dir, 'officer', {
        progress: { written: (file, rows) => written.push([file, rows]) },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputErrors);
      expect((error as InputErrors).errors).toMatchObject([
        { file: 'visits.csv', line: 5, where: 'person_id', code: 'person_id_luhn' },
      ]);
      // Refused before the import's transaction: not a row of any file written.
      expect(written).toEqual([]);
      expect(await count(conn.db)).toEqual(before);
    });

    it('stores nothing and reports every error of visits.csv once listings.csv was read', async () => {
      const { conn } = store;
      const before = await count(conn.db);
      const dir = writeCaseFolder({
        listings: LISTINGS,
        visits: [
          ...VISITS,
          'V4,P9,U9,2025-03-04,lakare,digitalt,,,',
          'V1,P9,U1,2025-03-05,lakare,digitalt,,,',
        ],
      });
      const error = await importFolderInto(conn, dir, 'officer').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputErrors);
      expect((error as InputErrors).errors).toMatchObject([
        { file: 'visits.csv', line: 5, where: 'unit_id' },
        { file: 'visits.csv', line: 6, where: 'visit_id', code: 'data.duplicate_key' },
      ]);
      expect(await count(conn.db)).toEqual(before);
    });
  });
}
