import { describe, expect, it } from 'vitest';
import { HEADERS, writeCaseFolder } from '../../test-support/cases.js';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { loadDataFolder } from '../files/data-folder/index.js';
import { importFolder } from './import-batch.js';
import { loadBatch } from './load-batch.js';
import { factsOn, listFacts, recordFact } from './unit-facts.js';
import { listAudit } from './users.js';

/** Follow-up in the store, on PGlite and on PostgreSQL alike. */

const visits = (typed: boolean) =>
  `${[
    typed ? `${HEADERS.visits},visit_type` : HEADERS.visits,
    `V1,P1,U1,2025-03-03,sjukskoterska,fysiskt,,,${typed ? ',halsosamtal' : ''}`,
    `V2,P1,U1,2025-03-04,lakare,fysiskt,D1,2025-03-01,${typed ? ',' : ''}`,
  ].join('\n')}\n`;
const files = { listings: ['P1,U1,D1,1985-01-01,F,A1,2020-01-01,,'] };

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`follow-up store on ${kind}`, () => {
    const store = useTestStore(kind);
    const actor = { username: 'handlaggare', role: 'officer' };

    it('keeps the history of reported facts and gives the one in force on a day', async () => {
      const db = store.conn.db;
      await recordFact(
        db,
        { unitId: 'U1', fact: 'opening_hours_per_week', value: 40, validFrom: '2025-01-01' },
        actor,
      );
      await recordFact(
        db,
        { unitId: 'U1', fact: 'opening_hours_per_week', value: 45, validFrom: '2025-04-01' },
        actor,
      );
      await recordFact(
        db,
        { unitId: 'U1', fact: 'psychologist', value: false, validFrom: '2025-01-01' },
        actor,
      );
      await recordFact(
        db,
        { unitId: 'U2', fact: 'psychologist', value: true, validFrom: '2025-02-01' },
        actor,
      );
      const march = await factsOn(db, '2025-03-01');
      expect(Object.fromEntries(march.get('U1')!)).toEqual({
        opening_hours_per_week: 40,
        psychologist: false,
      });
      expect(Object.fromEntries(march.get('U2')!)).toEqual({ psychologist: true });
      expect(march.get('U3')).toBeUndefined();
      expect((await factsOn(db, '2025-04-01')).get('U1')!.get('opening_hours_per_week')).toBe(45);
      expect((await factsOn(db, '2025-01-15')).get('U2')).toBeUndefined();
      expect((await listFacts(db, 'U1')).map((f) => f.value)).toEqual([40, 45, false]);
      const audit = await listAudit(db, { limit: 10 });
      expect(audit.filter((a) => a.action === 'unit_fact.record')).toHaveLength(4);
    });

    it('keeps visit_type through import, and leaves it absent for files without the column', async () => {
      for (const typed of [true, false]) {
        const dir = writeCaseFolder(files, { 'visits.csv': visits(typed) });
        const batch = await importFolder(store.conn.db, dir, `typed ${typed}`);
        const data = await loadBatch(store.conn.db, batch.id);
        expect(data.visits.visitType ? [...data.visits.visitType] : undefined).toEqual(
          typed ? [1, 0] : undefined,
        );
        expect(data.visits.visitType).toEqual(loadDataFolder(dir).visits.visitType);
      }
    });
  });
}
