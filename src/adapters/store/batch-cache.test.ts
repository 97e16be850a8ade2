import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { pay } from '../files/payment-run.js';
import { synthesize } from '../synth/synthesize.js';
import { PROJECT_ROOT } from './connection.js';
import { headerLength, layOutDataSet, rebuildDataSet } from './batch-cache.js';
import type { DataSet } from '../../core/data/dataset.js';
import { importFolder, importFolderInto } from './import-batch.js';
import { writeBatchRows } from './batch-rows.js';
import { loadBatch } from './load-batch.js';
import { createRun, forgetCachedBatch, publishRulebook, saveRulebookDraft } from './runs.js';

/**
 * The columnar form of an imported batch: read back in one go it is the same data set as the rows
 * give, and a run on it pays what `vardval pay` pays on the folder, to the öre.
 */

const EXAMPLE = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml');
const asJson = (v: unknown): string =>
  JSON.stringify(v, (_, x) =>
    ArrayBuffer.isView(x) ? Array.from(x as Int32Array) : x instanceof Map ? [...x] : x,
  );

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vardval-columns-'));
  await synthesize({
    out: dir,
    population: 3000,
    seed: 7,
    from: '2024-02',
    to: '2025-03',
    identityDir: join(PROJECT_ROOT, 'fixtures', 'identity'),
    personsPerUnit: 600,
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the columnar layout', () => {
  it('keeps a column that never goes down as its steps, and adds them up to the same values', () => {
    const data = {
      lines: Int32Array.from([-2147483648, 0, 5, 5, 2147483647]),
      down: Int32Array.from([3, 2, 1]),
      bytes: Uint8Array.from([1, 2]),
    } as unknown as DataSet;
    const { prefix, columns, offsets, bytes } = layOutDataSet(data, 'TESTLAY1');
    // Wrapping steps: 0 - (-2^31) wraps to -2^31, and adds up to 0 again.
    expect(Array.from(columns[0]!)).toEqual([-2147483648, -2147483648, 5, 0, 2147483642]);
    expect(columns[1]).toBe((data as unknown as { down: Int32Array }).down);
    const all = Buffer.alloc(bytes);
    prefix.copy(all);
    columns.forEach((c, i) =>
      all.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), prefix.length + offsets[i]!),
    );
    const length = headerLength(all.subarray(0, 16), 'TESTLAY1')!;
    const back = rebuildDataSet(all.toString('utf8', 16, 16 + length), (column, at) =>
      column.set(all.subarray(at, at + column.byteLength)),
    );
    expect(asJson(back)).toBe(asJson(data));
  });
});

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`batch columns on ${kind}`, () => {
    const store = useTestStore(kind);

    it('reads the stored columns as the same data set the rows give, and pays as the folder does', async () => {
      const { conn } = store;
      const batch = await importFolderInto(conn, dir, 'officer');
      await writeBatchRows(conn, batch.id);
      const parts = await conn.db.execute(
        sql`SELECT count(*)::int AS n FROM batch_columns WHERE batch_id = ${batch.id}`,
      );
      expect((parts as unknown as { rows: { n: number }[] }).rows[0]?.n).toBeGreaterThan(0);
      const fromColumns = await loadBatch(conn.db, batch.id);
      const fromRows = await loadBatch(conn.db, batch.id, { rows: true });
      expect(asJson(fromColumns)).toBe(asJson(fromRows));

      const version = await saveRulebookDraft(conn.db, readFileSync(EXAMPLE, 'utf8'), 'officer');
      await publishRulebook(conn.db, version.id);
      forgetCachedBatch(conn.db);
      const run = await createRun(conn.db, '2025-03', version.id, batch.id, 'officer');
      const folder = pay({ rulebookFile: EXAMPLE, dataDir: dir, month: '2025-03' }).statements;
      expect(run.statements.units.map((u) => [u.unit_id, u.total_ore])).toEqual(
        folder.units.map((u) => [u.unit_id, u.total_ore]),
      );
      expect(run.statements.units.reduce((s, u) => s + u.total_ore, 0)).toBeGreaterThan(0);

      // The columns are what is read: without the visit rows the batch still reads whole from them.
      await conn.db.execute(sql`DELETE FROM visit WHERE batch_id = ${batch.id}`);
      expect((await loadBatch(conn.db, batch.id, { rows: true })).visits.count).toBe(0);
      expect((await loadBatch(conn.db, batch.id)).visits.count).toBe(fromRows.visits.count);
    });

    it('writes the same rows through COPY as through JSON in a caller transaction', async () => {
      const { conn } = store;
      const viaCopy = await importFolderInto(conn, dir, 'officer');
      await writeBatchRows(conn, viaCopy.id);
      const viaJson = await importFolder(conn.db, dir, 'officer');
      const a = await loadBatch(conn.db, viaCopy.id, { rows: true });
      const b = await loadBatch(conn.db, viaJson.id, { rows: true });
      expect(asJson({ ...a, files: [] })).toBe(asJson({ ...b, files: [] }));
    });
  });
}
