import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statementsJson } from '../exports/statements-files.js';
import { pay } from '../files/payment-run.js';
import { InputErrors } from '../files/located-error.js';
import { writeCaseFolder } from '../../test-support/cases.js';
import { connect, PROJECT_ROOT, type Connection } from './connection.js';
import { importFolder, importFolderInto } from './import-batch.js';
import { loadBatch } from './load-batch.js';
import { writeBatchRows } from './batch-rows.js';
import {
  approveRun,
  createRun,
  publishRulebook,
  runStatements,
  saveRulebookDraft,
  StoreError,
  updateRulebookDraft,
} from './runs.js';
import * as t from './schema.js';
import { approveAsSecondPerson } from '../../test-support/attest.js';
import { first } from '../../test-support/nth.js';

/**
 * One store suite, two databases: the embedded PGlite and a real PostgreSQL server. Each
 * PostgreSQL run gets a database of its own, dropped afterwards.
 */

const UNITS = [
  'U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,',
  'U2,2321000016,VC Två,public,2361,2020-01-01,,,,',
];
const LISTINGS = [
  '189001019802,U1,L1,1890-01-01,F,A1,2020-01-01,,RUB1',
  'P2,U2,,1980-01-01,M,A2,2020-01-01,,',
  'P3,U1,,2019-06-30,,A2,2024-01-01,,',
];
const FIRST_VISIT = 'V1,189001019802,U1,2025-03-03,lakare,fysiskt,L1,2025-03-01,J06.9';
const DATA = writeCaseFolder({
  units: UNITS,
  listings: LISTINGS,
  visits: [
    FIRST_VISIT,
    'V2,P2,U1,2025-03-04,lakare,digitalt,,,',
    'V3,P9,U2,2025-02-10,sjukskoterska,telefon,,,',
  ],
  indicators: ['U1,telefontillganglighet,2025-01-01,2025-03-31,85,100'],
  events: ['E1,U1,sip_late,2025-03-05,'],
});
const EXAMPLE = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml');

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`store on ${kind}`, () => {
    const store = useTestStore(kind);
    let conn: Connection;
    beforeAll(() => {
      conn = store.conn;
    });

    it('imports a data folder as a batch (COPY on both stores) and reads it back into the same columns', async () => {
      const batch = await importFolderInto(conn, DATA, 'officer');
      const viaJson = await importFolder(conn.db, DATA, 'officer');
      const [a, b] = [await loadBatch(conn.db, batch.id), await loadBatch(conn.db, viaJson.id)];
      expect(
        JSON.stringify({ ...a, files: [] }, (_, v) =>
          ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v,
        ),
      ).toBe(
        JSON.stringify({ ...b, files: [] }, (_, v) =>
          ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v,
        ),
      );
      expect(batch.counts).toEqual({ units: 2, areas: 2, listings: 3, visits: 3, indicators: 1, events: 1 });
      expect(typeof conn.copyTransaction).toBe('function');
      // Text that CSV must quote survives COPY.
      const odd = writeCaseFolder({ listings: ['"P,""5",U1,"L,1",1980-01-01,F,A1,2020-01-01,,"RUB,1"'] });
      const oddBatch = await importFolderInto(conn, odd, 'officer');
      // Its listing rows are written after the import.
      await writeBatchRows(conn, oddBatch.id);
      const rows = await conn.db.select().from(t.listings).where(eq(t.listings.batchId, oddBatch.id));
      expect(rows.map((r) => [r.personId, r.doctorId, r.riskGroup])).toEqual([['P,"5', 'L,1', 'RUB,1']]);
      const data = await loadBatch(conn.db, batch.id);
      expect(data.units.id).toEqual(['U1', 'U2']);
      expect(Array.from(data.listings.birth)).toEqual([18900101, 19800101, 20190630]);
      expect(Array.from(data.visits.person)).toEqual([0, 1, -1]);
      expect(data.files.map((f) => f.name)).toContain('visits.csv');
    });

    it('computes the same statements from the store as from the folder, to the byte', async () => {
      const batch = await importFolder(conn.db, DATA, 'officer');
      const version = await saveRulebookDraft(conn.db, readFileSync(EXAMPLE, 'utf8'), 'officer');
      await publishRulebook(conn.db, version.id);
      const run = await createRun(conn.db, '2025-04', version.id, batch.id, 'officer');
      const fromFolder = pay({ rulebookFile: EXAMPLE, dataDir: DATA, month: '2025-04' }).statements;
      expect(JSON.stringify(run.statements.units)).toBe(JSON.stringify(fromFolder.units));
      expect(statementsJson(run.statements)).toBe(
        statementsJson({ ...fromFolder, identity: { ...fromFolder.identity } }),
      );
      const stored = await runStatements(conn.db, run.runId);
      expect(stored.map((s) => s.totalOre)).toEqual(fromFolder.units.map((u) => u.total_ore));
    });

    it('imports nothing from a folder with errors', async () => {
      const before = await conn.db.select({ n: sql<number>`count(*)::int` }).from(t.importBatches);
      const broken = writeCaseFolder({ listings: ['P1,U9,,1980-01-01,F,A1,2020-01-01,,'] });
      await expect(importFolder(conn.db, broken, 'officer')).rejects.toBeInstanceOf(InputErrors);
      const after = await conn.db.select({ n: sql<number>`count(*)::int` }).from(t.importBatches);
      expect(first(after).n).toBe(first(before).n);
    });

    it('keeps a published rulebook immutable', async () => {
      const yaml = readFileSync(EXAMPLE, 'utf8');
      const v = await saveRulebookDraft(conn.db, yaml, 'officer');
      await updateRulebookDraft(
        conn.db,
        v.id,
        yaml.replace('Förfrågningsunderlag Vårdval primärvård 2025', 'Utkast 2025'),
      );
      await publishRulebook(conn.db, v.id);
      await expect(updateRulebookDraft(conn.db, v.id, yaml)).rejects.toThrow(
        /publicerad regelbok kan inte ändras/,
      );
      await expect(publishRulebook(conn.db, v.id)).rejects.toBeInstanceOf(StoreError);
    });

    it('lets exactly one of two concurrent approvals win, and pays a correction as a delta', async () => {
      const batch = await importFolder(conn.db, DATA, 'officer');
      const v = await saveRulebookDraft(
        conn.db,
        readFileSync(EXAMPLE, 'utf8').replace('id: exempel/vardval/2025', 'id: exempel/vardval-b/2025'),
        'officer',
      );
      await publishRulebook(conn.db, v.id);
      const a = await createRun(conn.db, '2025-03', v.id, batch.id, 'officer');
      const b = await createRun(conn.db, '2025-03', v.id, batch.id, 'officer');
      const results = await Promise.allSettled([
        approveRun(conn.db, a.runId, 'x'),
        approveRun(conn.db, b.runId, 'y'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(StoreError);

      // New data for the month (one more listed person at U2) makes the next run a correction.
      const more = writeCaseFolder({
        units: UNITS,
        listings: [...LISTINGS, 'P4,U2,,1970-01-01,F,A1,2020-01-01,,'],
        visits: [FIRST_VISIT],
        indicators: [],
        events: [],
      });
      const batch2 = await importFolder(conn.db, more, 'officer');
      const c = await createRun(conn.db, '2025-03', v.id, batch2.id, 'officer');
      expect(c.correctsRunId).not.toBeNull();
      const stored = await runStatements(conn.db, c.runId);
      for (const s of stored) {
        const lines = s.lines as { component: string; amount_ore: number }[];
        expect(s.totalOre).toBe(lines.reduce((acc, l) => acc + l.amount_ore, 0));
        expect(lines.at(-1)?.component).toBe('tidigare_utbetalt');
      }
      await approveAsSecondPerson(conn.db, c.runId);
      await expect(approveAsSecondPerson(conn.db, c.runId)).rejects.toThrow(/redan godkänd/);
      // A correction of the correction, on the same data, pays nothing more: all paid so far counts.
      const d = await createRun(conn.db, '2025-03', v.id, batch2.id, 'officer');
      expect((await runStatements(conn.db, d.runId)).map((s) => s.totalOre).every((x) => x === 0)).toBe(true);
    });

    it('refuses to change or delete the audit log', async () => {
      await conn.db.insert(t.auditLog).values({ actor: 'officer', action: 'test' });
      await expect(conn.db.delete(t.auditLog)).rejects.toThrow();
      await expect(conn.db.update(t.auditLog).set({ action: 'x' })).rejects.toThrow();
    });
  });
}

describe('listing changes through the store', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connect({ home: 'memory://' });
  }, 60_000);
  afterAll(async () => conn.close());

  it('closes the period in force, opens a new one, enforces the rulebook’s limit and shows in the next run', async () => {
    const { changeListing } = await import('./listing-changes.js');
    const batch = await importFolder(conn.db, DATA, 'officer');
    const v = await saveRulebookDraft(conn.db, readFileSync(EXAMPLE, 'utf8'), 'officer');
    await publishRulebook(conn.db, v.id);
    const before = await createRun(conn.db, '2025-04', v.id, batch.id, 'officer');
    const count = (s: typeof before.statements, unit: string) =>
      s.units.find((u) => u.unit_id === unit)?.lines.find((l) => l.component === 'kapitering')?.quantity;
    expect([count(before.statements, 'U1'), count(before.statements, 'U2')]).toEqual([2, 1]);

    await changeListing(
      conn.db,
      { personId: '18900101-9802', unitId: 'U2', doctorId: null, from: '2025-03-15' },
      'officer',
    );
    const after = await createRun(conn.db, '2025-04', v.id, batch.id, 'officer');
    expect([count(after.statements, 'U1'), count(after.statements, 'U2')]).toEqual([1, 2]);
    expect(after.statements.identity.inputs.map((i) => i.file)).toContain('listing-changes');

    // The example rulebook allows two changes per 12 months.
    await changeListing(
      conn.db,
      { personId: '189001019802', unitId: 'U1', doctorId: null, from: '2025-05-01' },
      'officer',
    );
    await expect(
      changeListing(
        conn.db,
        { personId: '189001019802', unitId: 'U2', doctorId: null, from: '2025-06-01' },
        'officer',
      ),
    ).rejects.toThrow(/högst 2 byten/);
    await expect(
      changeListing(
        conn.db,
        { personId: '189001019802', unitId: 'U9', doctorId: null, from: '2025-07-01' },
        'officer',
      ),
    ).rejects.toThrow(/tar inte emot listningar/);
    const history = await conn.db
      .select()
      .from(t.listings)
      .where(sql`${t.listings.personId} = '189001019802' and ${t.listings.batchId} = ${batch.id}`);
    expect(
      history.map((h) => [h.unitId, h.listedFrom, h.listedTo]).sort((a, b) => Number(a[1]) - Number(b[1])),
    ).toEqual([
      ['U1', 20200101, 20250315],
      ['U2', 20250315, 20250501],
      ['U1', 20250501, 99991231],
    ]);
    // Each change's row follows the file's three rows and the changes before it, once each.
    expect(history.filter((h) => h.line === 0).map((h) => h.row)).toEqual(expect.arrayContaining([3, 4]));
    const rows = await conn.db
      .select({ row: t.listings.row })
      .from(t.listings)
      .where(eq(t.listings.batchId, batch.id));
    expect(rows.map((r) => r.row).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
  });
});
