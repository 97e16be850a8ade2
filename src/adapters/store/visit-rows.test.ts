import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestDatabase, pgDown } from '../../test-support/databases.js';
import { publishedRulebook } from '../../test-support/rulebooks.js';
import { useSyntheticRegion } from '../../test-support/synthetic-region.js';
import { visitRowsMissing } from '../../test-support/visit-rows.js';
import { pay } from '../files/payment-run.js';
import { PROJECT_ROOT, connect, type Connection } from './connection.js';
import { importFolder, importFolderInto } from './import-batch.js';
import { loadBatch } from './load-batch.js';
import { createRun, forgetCachedBatch } from './runs.js';
import { StoreError } from './store-error.js';
import { resumeVisitRows, writeVisitRows } from './visit-rows.js';

/**
 * An import's visit rows are written after it, in the background, a chunk per transaction: the
 * batch is run before they are in; what needs the rows (a run after a listing change) is refused
 * with how far they have come; a writer stopped halfway goes on after a restart from where it
 * stopped, without a row twice; and the rows in the end are those an import in one transaction
 * writes. (kill -9 of the server while they are written: http/kill9.test.ts.)
 */

const EXAMPLE = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml');
const region = useSyntheticRegion('visit-rows', {
  population: 3000,
  seed: 5,
  from: '2024-10',
  to: '2025-03',
});

const one = async <T>(conn: Connection, query: ReturnType<typeof sql>): Promise<T> =>
  ((await conn.db.execute(query)) as unknown as { rows: T[] }).rows[0]!;

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`visit rows after the import on ${kind}`, () => {
    let home: string | undefined;
    let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    let conn: Connection | undefined;
    const chunkKb = process.env.VARDVAL_VISIT_ROWS_CHUNK_KB;
    const open = (): Promise<Connection> =>
      home ? connect({ home }) : connect({ databaseUrl: database!.url });

    beforeAll(async () => {
      // Small chunks: a few hundred transactions for the region's visits.
      process.env.VARDVAL_VISIT_ROWS_CHUNK_KB = '16';
      if (kind === 'pglite') home = mkdtempSync(join(tmpdir(), 'vardval-visit-rows-'));
      else database = await createTestDatabase('vardval_visit_rows');
    });
    afterAll(async () => {
      if (chunkKb === undefined) delete process.env.VARDVAL_VISIT_ROWS_CHUNK_KB;
      else process.env.VARDVAL_VISIT_ROWS_CHUNK_KB = chunkKb;
      await conn?.close();
      if (home) rmSync(home, { recursive: true, force: true });
      await database?.drop();
    });

    it('goes on after a stop from where it stopped, runs meanwhile, and ends with the rows of a one-transaction import', async () => {
      conn = await open();
      const version = await publishedRulebook(conn.db);
      // Stopped (the connection closed) once the first chunk is in.
      let closing: Promise<void> | undefined;
      const stopping = conn;
      const batch = await importFolderInto(conn, region.dir, 'officer', {
        progress: {
          visitRows: (written) => {
            if (written > 0 && !closing) closing = stopping.close();
          },
        },
      });
      for (let i = 0; i < 200 && !closing; i++) await new Promise((r) => setTimeout(r, 25));
      expect(closing).toBeDefined();
      await closing;
      conn = await open();

      const visits = batch.counts.visits!;
      const state = await one<{ written: number | null; rows: number; ids: number }>(
        conn,
        sql`SELECT visit_rows_written AS written,
                   (SELECT count(*)::int FROM visit WHERE batch_id = ${batch.id}) AS rows,
                   (SELECT count(*)::int FROM batch_visit_ids WHERE batch_id = ${batch.id}) AS ids
            FROM import_batch WHERE id = ${batch.id}`,
      );
      // Whole chunks and a count that says how many: no half-written chunk.
      expect(state.written).toBeGreaterThan(0);
      expect(state.written).toBeLessThan(visits);
      expect(state.rows).toBe(state.written);
      expect(state.ids).toBeGreaterThan(0);

      // What needs the visit rows is refused, saying how far they have come.
      const refused = await loadBatch(conn.db, batch.id, { rows: true }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as StoreError).code).toBe('conflict');
      expect((refused as StoreError).message).toContain(
        `(${state.written!.toLocaleString('sv-SE')} av ${visits.toLocaleString('sv-SE')})`,
      );
      // The month runs on the batch meanwhile (from its columnar form) and pays as the folder does.
      forgetCachedBatch(conn.db);
      const run = await createRun(conn.db, '2025-03', version, batch.id, 'officer');
      const folder = pay({ rulebookFile: EXAMPLE, dataDir: region.dir, month: '2025-03' }).statements;
      expect(run.statements.total_ore).toBe(folder.total_ore);
      expect(run.statements.total_ore).toBeGreaterThan(0);

      // The next start goes on.
      const errors: unknown[] = [];
      expect(await resumeVisitRows(conn, (_, e) => errors.push(e))).toEqual([batch.id]);
      await writeVisitRows(conn, batch.id);
      expect(errors).toEqual([]);
      const after = await one<{ written: number | null; rows: number; distinct: number; ids: number }>(
        conn,
        sql`SELECT visit_rows_written AS written,
                   (SELECT count(*)::int FROM visit WHERE batch_id = ${batch.id}) AS rows,
                   (SELECT count(DISTINCT "row")::int FROM visit WHERE batch_id = ${batch.id}) AS distinct,
                   (SELECT count(*)::int FROM batch_visit_ids WHERE batch_id = ${batch.id}) AS ids
            FROM import_batch WHERE id = ${batch.id}`,
      );
      expect(after).toEqual({ written: null, rows: visits, distinct: visits, ids: 0 });
      expect(await resumeVisitRows(conn, (_, e) => errors.push(e))).toEqual([]);

      // The same rows, cell for cell, as an import in one transaction writes.
      const whole = await importFolder(conn.db, region.dir, 'officer');
      expect(await visitRowsMissing(conn, batch.id, whole.id)).toBe(0);
      expect(await visitRowsMissing(conn, whole.id, batch.id)).toBe(0);
      // And the rows read back are the batch's data set, as its columnar form has it.
      forgetCachedBatch(conn.db);
      const fromRows = await loadBatch(conn.db, batch.id, { rows: true });
      expect(fromRows.visits.count).toBe(visits);
      expect(Array.from(fromRows.visits.date)).toEqual(
        Array.from((await loadBatch(conn.db, batch.id)).visits.date),
      );
    }, 180_000);
  });
}
