import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestDatabase, pgDown } from '../../test-support/databases.js';
import { publishedRulebook } from '../../test-support/rulebooks.js';
import { useSyntheticRegion } from '../../test-support/synthetic-region.js';
import { rowsMissing } from '../../test-support/rows-missing.js';
import { pay } from '../files/payment-run.js';
import { PROJECT_ROOT, connect, type Connection } from './connection.js';
import { importFolder, importFolderInto } from './import-batch.js';
import { loadBatch } from './load-batch.js';
import { createRun, forgetCachedBatch } from './runs.js';
import { StoreError } from './store-error.js';
import { resumeBatchRows, writeBatchRows, type BatchRowsProgress } from './batch-rows.js';
import { personListings } from './units.js';

/**
 * An import's listing and visit rows are written after it, in the background, a chunk per
 * transaction: the batch is run before they are in; what needs the rows (a person lookup, a run
 * after a listing change) is refused with how far they have come; a writer stopped halfway goes on
 * after a restart from where it stopped, without a row twice; and the rows in the end are those an
 * import in one transaction writes. (kill -9 of the server while they are written: http/kill9.test.ts.)
 */

const EXAMPLE = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml');
const region = useSyntheticRegion('batch-rows', {
  population: 3000,
  seed: 5,
  from: '2024-10',
  to: '2025-03',
});

interface State {
  listings: number | null;
  visits: number | null;
  listingRows: number;
  visitRows: number;
  distinctListings: number;
  distinctVisits: number;
  texts: number;
}

const state = async (conn: Connection, batchId: number): Promise<State> =>
  (
    (await conn.db.execute(
      sql`SELECT listing_rows_written AS listings, visit_rows_written AS visits,
               (SELECT count(*)::int FROM listing WHERE batch_id = ${batchId}) AS "listingRows",
               (SELECT count(*)::int FROM visit WHERE batch_id = ${batchId}) AS "visitRows",
               (SELECT count(DISTINCT "row")::int FROM listing WHERE batch_id = ${batchId}) AS "distinctListings",
               (SELECT count(DISTINCT "row")::int FROM visit WHERE batch_id = ${batchId}) AS "distinctVisits",
               (SELECT count(*)::int FROM batch_visit_ids WHERE batch_id = ${batchId}) AS texts
        FROM import_batch WHERE id = ${batchId}`,
    )) as unknown as { rows: State[] }
  ).rows[0]!;

const n = (v: number) => v.toLocaleString('sv-SE');

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`listing and visit rows after the import on ${kind}`, () => {
    let home: string | undefined;
    let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    let conn: Connection | undefined;
    const chunkKb = process.env.VARDVAL_VISIT_ROWS_CHUNK_KB;
    const open = (): Promise<Connection> =>
      home ? connect({ home }) : connect({ databaseUrl: database!.url });

    beforeAll(async () => {
      // Small chunks: a few hundred transactions for the region's rows.
      process.env.VARDVAL_VISIT_ROWS_CHUNK_KB = '16';
      if (kind === 'pglite') home = mkdtempSync(join(tmpdir(), 'vardval-batch-rows-'));
      else database = await createTestDatabase('vardval_batch_rows');
    });
    afterAll(async () => {
      if (chunkKb === undefined) delete process.env.VARDVAL_VISIT_ROWS_CHUNK_KB;
      else process.env.VARDVAL_VISIT_ROWS_CHUNK_KB = chunkKb;
      await conn?.close();
      if (home) rmSync(home, { recursive: true, force: true });
      await database?.drop();
    });

    it('goes on after a stop in either table from where it stopped, runs meanwhile, and ends with the rows of a one-transaction import', async () => {
      conn = await open();
      const version = await publishedRulebook(conn.db);
      /** Progress that closes the connection (a stop) once the first chunk of `file` is in. */
      const stopIn = (file: string) => {
        const stop: { closing?: Promise<void> } = {};
        const stopping = conn!;
        const progress: BatchRowsProgress = (name, written) => {
          if (name === file && written > 0 && !stop.closing) stop.closing = stopping.close();
        };
        return { stop, progress };
      };
      const stopped = async (stop: { closing?: Promise<void> }) => {
        for (let i = 0; i < 200 && !stop.closing; i++) await new Promise((r) => setTimeout(r, 25));
        expect(stop.closing).toBeDefined();
        await stop.closing;
        conn = await open();
      };

      // Stopped while the listing rows are written.
      const inListings = stopIn('listings.csv');
      const batch = await importFolderInto(conn, region.dir, 'officer', {
        progress: { batchRows: inListings.progress },
      });
      await stopped(inListings.stop);
      const { listings, visits } = batch.counts as { listings: number; visits: number };
      const first = await state(conn, batch.id);
      // Whole chunks and a count that says how many: no half-written chunk, no visit row yet.
      expect(first.listings).toBeGreaterThan(0);
      expect(first.listings).toBeLessThan(listings);
      expect(first.listingRows).toBe(first.listings);
      expect([first.visits, first.visitRows]).toEqual([0, 0]);
      expect(first.texts).toBeGreaterThan(0);

      // A person lookup needs the listing rows: refused, saying how far they have come.
      const [someone] = (
        (await conn.db.execute(
          sql`SELECT person_id FROM listing WHERE batch_id = ${batch.id} LIMIT 1`,
        )) as unknown as {
          rows: { person_id: string }[];
        }
      ).rows;
      const lookup = await personListings(conn.db, batch.id, someone!.person_id).catch((e: unknown) => e);
      expect(lookup).toBeInstanceOf(StoreError);
      expect((lookup as StoreError).code).toBe('conflict');
      expect((lookup as StoreError).message).toContain(
        `Listningsraderna i import ${batch.id} sparas ännu (${n(first.listings!)} av ${n(listings)})`,
      );
      // The month runs on the batch meanwhile (from its columnar form) and pays as the folder does.
      forgetCachedBatch(conn.db);
      const run = await createRun(conn.db, '2025-03', version, batch.id, 'officer');
      const folder = pay({ rulebookFile: EXAMPLE, dataDir: region.dir, month: '2025-03' }).statements;
      expect(run.statements.total_ore).toBe(folder.total_ore);
      expect(run.statements.total_ore).toBeGreaterThan(0);

      // The next start goes on, and is stopped again while the visit rows are written.
      const errors: unknown[] = [];
      const inVisits = stopIn('visits.csv');
      // (Started with progress first: the start's own call then joins the writing under way.)
      void writeBatchRows(conn, batch.id, undefined, inVisits.progress);
      expect(await resumeBatchRows(conn, (_, e) => errors.push(e))).toEqual([batch.id]);
      await stopped(inVisits.stop);
      const second = await state(conn, batch.id);
      expect(second.listings).toBeNull();
      expect([second.listingRows, second.distinctListings]).toEqual([listings, listings]);
      expect(second.visits).toBeGreaterThan(0);
      expect(second.visits).toBeLessThan(visits);
      expect(second.visitRows).toBe(second.visits);
      // What needs the visit rows is refused, saying how far they have come.
      const refused = await loadBatch(conn.db, batch.id, { rows: true }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as StoreError).message).toContain(
        `Besöksraderna i import ${batch.id} sparas ännu (${n(second.visits!)} av ${n(visits)})`,
      );

      // And the start after that goes on to the end.
      expect(await resumeBatchRows(conn, (_, e) => errors.push(e))).toEqual([batch.id]);
      await writeBatchRows(conn, batch.id);
      expect(errors).toEqual([]);
      expect(await state(conn, batch.id)).toEqual({
        listings: null,
        visits: null,
        listingRows: listings,
        visitRows: visits,
        distinctListings: listings,
        distinctVisits: visits,
        texts: 0,
      });
      expect(await resumeBatchRows(conn, (_, e) => errors.push(e))).toEqual([]);
      expect((await personListings(conn.db, batch.id, someone!.person_id)).length).toBeGreaterThan(0);

      // The same rows, cell for cell, as an import in one transaction writes.
      const whole = await importFolder(conn.db, region.dir, 'officer');
      for (const table of ['listing', 'visit'] as const) {
        expect(await rowsMissing(conn, table, batch.id, whole.id)).toBe(0);
        expect(await rowsMissing(conn, table, whole.id, batch.id)).toBe(0);
      }
      // And the rows read back are the batch's data set, as its columnar form has it.
      forgetCachedBatch(conn.db);
      const fromRows = await loadBatch(conn.db, batch.id, { rows: true });
      expect(fromRows.visits.count).toBe(visits);
      expect(Array.from(fromRows.visits.date)).toEqual(
        Array.from((await loadBatch(conn.db, batch.id)).visits.date),
      );
      expect(Array.from(fromRows.listings.from)).toEqual(
        Array.from((await loadBatch(conn.db, batch.id)).listings.from),
      );
    }, 180_000);
  });
}
