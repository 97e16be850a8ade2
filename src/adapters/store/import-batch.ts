import { OPEN_END, formatDate } from '../../core/calendar.js';
import { OWNERSHIP_CODES } from '../../core/data/dataset.js';
import { desc, eq, sql } from 'drizzle-orm';
import { saveBatchColumns, saveBatchTexts } from './batch-cache.js';
import type { Connection, CopyRows, Db } from './connection.js';
import {
  CHUNK_ROWS,
  LISTING_COLUMNS,
  VISIT_COLUMNS,
  prepareImport,
  storedColumns,
  summaryOf,
  tableRows,
  type FolderSummary,
  type PreparedImport,
  type ReadProgress,
} from './import-prepare.js';
import type { ArrivingFiles } from '../files/arriving-files.js';
import type { LargeTable } from './import-rows.js';
import { readImportOffThread, type ImportReading } from './import-thread.js';
import { loadBatch } from './load-batch.js';
import { rememberBatch } from './runs.js';
import * as t from './schema.js';
import { writeAudit, type AuditEntry } from './users.js';
import { writeBatchRows, type BatchRowsProgress } from './batch-rows.js';

/**
 * An import batch: a data folder validated by the same loader the CLI uses, written in one
 * transaction. A folder with errors throws InputErrors and stores nothing. For the server
 * (importFolderInto) the reading runs on a worker thread, and the transaction stores the batch,
 * its small tables, its columnar form and the texts its large tables' rows are made from; the
 * listing and visit rows come after the transaction, in the background (batch-rows.ts), a chunk
 * at a time by COPY so requests are answered between chunks: the batch is whole and can be run
 * without them, from its columnar form.
 */

export { column } from './import-prepare.js';
export type { RowTexts } from './import-prepare.js';

const SMALL_CHUNK_ROWS = 2000;

async function insertChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += SMALL_CHUNK_ROWS) await write(rows.slice(i, i + SMALL_CHUNK_ROWS));
}

/**
 * Without a COPY connection (a caller's transaction), the large tables go in as one JSON document
 * per chunk, unpacked by json_to_recordset: one statement and one parameter per chunk.
 */
async function jsonInsert(
  tx: Db,
  table: string,
  columns: [string, string][],
  rows: unknown[][],
): Promise<void> {
  const names = columns.map(([n]) => `"${n}"`).join(', ');
  const types = columns.map(([n, type]) => `"${n}" ${type}`).join(', ');
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(columns.map(([n], k) => [n, r[k]]))));
  await tx.execute(
    sql
      .raw(`INSERT INTO "${table}" (${names}) SELECT ${names} FROM json_to_recordset(`)
      .append(sql`${json}::json`)
      .append(sql.raw(`) AS r(${types})`)),
  );
}

const INDICATOR_COLUMNS = storedColumns('indicators.csv');
/** The event table does not keep the person an event is about. */
const EVENT_COLUMNS = storedColumns('events.csv').filter(([name]) => name !== 'person_id');

async function jsonChunks(
  tx: Db,
  table: string,
  columns: [string, string][],
  rows: unknown[][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS)
    await jsonInsert(tx, table, columns, rows.slice(i, i + CHUNK_ROWS));
}

export interface BatchSummary {
  id: number;
  files: { name: string; sha256: string; rows: number }[];
  counts: Record<string, number>;
}

/** What an import reports while it runs: a file's reading, then rows written of the file's rows. */
export interface ImportProgress {
  read?: (p: ReadProgress) => void;
  /** The whole folder is read and checked: the batch is being stored. */
  folderRead?: () => void;
  written?: (file: string, rows: number, of: number) => void;
  /** The listing and visit rows written after the import (importFolderInto). */
  batchRows?: BatchRowsProgress;
  /** Their writing failed (they are written at the next start). */
  batchRowsFailed?: (error: unknown) => void;
}

export interface ImportOptions {
  label?: string;
  /** Written in the import's transaction, with the batch as target: no import without its row. */
  audit?: AuditEntry;
  progress?: ImportProgress;
  /** The folder's files are still being unpacked: they are read as far as they have come. */
  arriving?: ArrivingFiles;
}

/** Imports into a caller's Db (possibly its transaction), reading the folder on this thread. */
export async function importFolder(
  db: Db,
  dir: string,
  by: string | null,
  label?: string,
  audit?: AuditEntry,
): Promise<BatchSummary> {
  const prepared = prepareImport(dir);
  return db.transaction((tx) => writeBatch(tx as unknown as Db, by, { label, audit }, { prepared }));
}

/**
 * Imports into a connection in one transaction: the folder read on a worker thread; the server
 * keeps answering throughout. The batch is stored with its columnar form and the texts of its
 * rows, and its listing and visit rows are written after the transaction, in the background
 * (batch-rows.ts). The data set read serves the batch's first run.
 */
export async function importFolderInto(
  conn: Connection,
  dir: string,
  by: string | null,
  labelOrOptions?: string | ImportOptions,
  audit?: AuditEntry,
): Promise<BatchSummary> {
  const options: ImportOptions =
    typeof labelOrOptions === 'object' ? labelOrOptions : { label: labelOrOptions, audit };
  const reading = readImportOffThread(dir, options.progress?.read, options.arriving);
  try {
    // A folder with errors is refused before the transaction opens.
    const read = await reading.folderRead;
    options.progress?.folderRead?.();
    const summary = await conn.copyTransaction((db, copy) =>
      writeBatch(db, by, options, { copy, reading, read }),
    );
    const { data } = await reading.prepared;
    rememberBatch(conn.db, summary.id, loadBatch(conn.db, summary.id, { read: data }));
    const texts = reading.textParts();
    // A failure loses nothing: the counts and texts stay, and the next start goes on (resumeBatchRows).
    writeBatchRows(conn, summary.id, { data, texts }, options.progress?.batchRows).catch((error) =>
      options.progress?.batchRowsFailed?.(error),
    );
    return summary;
  } finally {
    reading.stop();
  }
}

/**
 * How a batch's large tables are stored: their rows made here from the texts and written in the
 * caller's transaction (small folders: tests, the demo), or (the server's import) the columnar
 * form and the texts packed by the import's worker thread, stored by COPY as they come, the rows
 * made from them after the import.
 */
type LargeRows =
  { prepared: PreparedImport } | { copy: CopyRows; reading: ImportReading; read: FolderSummary };

const LARGE: { table: LargeTable; columns: [string, string][] }[] = [
  { table: 'listing', columns: LISTING_COLUMNS },
  { table: 'visit', columns: VISIT_COLUMNS },
];

/** Writes the large tables' rows in the caller's transaction, as chunks of JSON. */
async function writeLargeRows(tx: Db, batchId: number, prepared: PreparedImport): Promise<void> {
  const { data } = prepared;
  const count = { listing: data.listings.count, visit: data.visits.count };
  const made = tableRows(prepared, batchId);
  for (const { table, columns } of LARGE)
    for (let start = 0; start < count[table]; start += CHUNK_ROWS)
      await jsonInsert(tx, table, columns, made[table](start, Math.min(count[table], start + CHUNK_ROWS)));
}

const d = (v: number): string | null => (v === 0 || v === OPEN_END ? null : formatDate(v));

/**
 * Writes a folder as a new batch, in the caller's transaction: the batch row, the listing and
 * visit rows (or, with COPY, their counts at 0: they come after), then the small tables, and with
 * COPY the packed parts as the worker packs them.
 */
async function writeBatch(
  tx: Db,
  by: string | null,
  { label, audit, progress }: ImportOptions,
  rows: LargeRows,
): Promise<BatchSummary> {
  const read = 'prepared' in rows ? summaryOf(rows.prepared) : rows.read;
  const { data, eventIds, counts } = read;
  // With COPY the listing and visit rows come after the import, from row 0.
  const after = 'copy' in rows ? 0 : null;
  const [batch] = await tx
    .insert(t.importBatches)
    .values({
      createdBy: by,
      label: label ?? null,
      files: data.files,
      counts,
      listingRowsWritten: after,
      visitRowsWritten: after,
    })
    .returning({ id: t.importBatches.id });
  if (!batch) throw new Error('the import batch row was not written');
  const batchId = batch.id;
  if ('prepared' in rows) await writeLargeRows(tx, batchId, rows.prepared);
  // The small tables while the worker packs the large columns.
  const { units, areas, indicators, events } = data;
  const unitRows = units.id.map((id, i) => ({
    batchId,
    row: i,
    unitId: id,
    providerId: units.providerId[i]!,
    name: units.name[i]!,
    ownership: OWNERSHIP_CODES[units.ownership[i]!]!,
    kommun: units.kommun[i]! || null,
    area: units.area[i]! || null,
    services: units.services[i]!.length ? units.services[i]!.join('|') : null,
    startDate: formatDate(units.start[i]!),
    endDate: d(units.end[i]!),
    branchOf: units.branchOf[i]! >= 0 ? units.id[units.branchOf[i]!]! : null,
    extra: Object.fromEntries([...units.extra].map(([k, v]) => [k, v[i]!])),
    line: units.line[i]!,
  }));
  await insertChunks(unitRows, (c) => tx.insert(t.units).values(c));
  progress?.written?.('units.csv', units.count, units.count);
  await carryRegistryUnits(tx, batchId);
  const providers = [...new Set(units.providerId)].map((id) => ({ id }));
  await insertChunks(providers, (c) => tx.insert(t.providers).values(c).onConflictDoNothing());
  await insertChunks(
    areas.code.map((code, i) => ({
      batchId,
      row: i,
      area: code,
      kommun: areas.kommun[i]! || null,
      cni: Number.isNaN(areas.cni[i]!) ? null : areas.cni[i]!,
      ruralClass: areas.ruralClass[i]! >= 0 ? areas.ruralClasses[areas.ruralClass[i]!]! : null,
      hospitalKm: Number.isNaN(areas.hospitalKm[i]!) ? null : areas.hospitalKm[i]!,
      line: areas.line[i]!,
    })),
    (c) => tx.insert(t.areas).values(c),
  );
  progress?.written?.('areas.csv', areas.count, areas.count);
  // Indicators and events are tens of thousands of rows in a region: JSON chunks, one statement each.
  await jsonChunks(
    tx,
    'indicator',
    INDICATOR_COLUMNS,
    Array.from({ length: indicators.count }, (_, i) => [
      batchId,
      i,
      units.id[indicators.unit[i]!]!,
      indicators.indicators[indicators.indicator[i]!]!,
      indicators.from[i]!,
      indicators.to[i]!,
      indicators.numerator[i]!,
      indicators.denominator[i]!,
      indicators.line[i]!,
    ]),
  );
  progress?.written?.('indicators.csv', indicators.count, indicators.count);
  await jsonChunks(
    tx,
    'event',
    EVENT_COLUMNS,
    Array.from({ length: events.count }, (_, i) => [
      batchId,
      i,
      eventIds[i]!,
      units.id[events.unit[i]!]!,
      events.types[events.type[i]!]!,
      events.date[i]!,
      events.line[i]!,
    ]),
  );
  progress?.written?.('events.csv', events.count, events.count);
  // The columnar form and the rows' texts go in through COPY, each part as soon as the worker
  // has packed it; a caller's own transaction (small folders: tests, the demo) leaves them out,
  // and runs read that batch's rows.
  if ('copy' in rows) {
    const { reading, copy } = rows;
    await saveBatchColumns(batchId, read.contentHash, reading.parts('batch_columns'), copy);
    await saveBatchTexts(batchId, reading.parts('batch_visit_ids'), copy);
  }
  if (audit) await writeAudit(tx, { ...audit, target: `batch:${batchId}`, detail: counts });
  return { id: batchId, files: data.files, counts };
}

/**
 * Units the region registered by approving an application live in the registry, not in the
 * monthly files: a new batch takes them over from the one before, unless its file now has them.
 */
async function carryRegistryUnits(tx: Db, batchId: number): Promise<void> {
  await tx.execute(sql`
    INSERT INTO unit (batch_id, "row", unit_id, provider_id, name, ownership, kommun, area, services,
                      start_date, end_date, branch_of, extra, line)
    SELECT ${batchId},
           (SELECT coalesce(max("row"), -1) FROM unit WHERE batch_id = ${batchId})
             + row_number() OVER (ORDER BY p."row"),
           p.unit_id, p.provider_id, p.name, p.ownership, p.kommun, p.area, p.services, p.start_date, p.end_date,
           p.branch_of, p.extra, p.line
    FROM unit p
    WHERE p.batch_id = (SELECT max(id) FROM import_batch WHERE id < ${batchId})
      AND p.extra ->> 'source' = 'application'
      AND NOT EXISTS (SELECT 1 FROM unit n WHERE n.batch_id = ${batchId} AND n.unit_id = p.unit_id)`);
}

export type ImportBatchRow = typeof t.importBatches.$inferSelect;

/** Every import, newest first. */
export async function listImportBatches(db: Db): Promise<ImportBatchRow[]> {
  return db.select().from(t.importBatches).orderBy(desc(t.importBatches.id));
}

/** One import, undefined when there is none with that id. */
export async function findImportBatch(db: Db, id: number): Promise<ImportBatchRow | undefined> {
  const [row] = await db.select().from(t.importBatches).where(eq(t.importBatches.id, id));
  return row;
}
