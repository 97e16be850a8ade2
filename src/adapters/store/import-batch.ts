import { basename, join } from 'node:path';
import { existsSync } from 'node:fs';
import { checkPersonId } from '../../core/identity.js';
import { OPEN_END, formatDate } from '../../core/calendar.js';
import { OWNERSHIP_CODES, type DataSet } from '../../core/data/dataset.js';
import { DATA_FILE_COLUMNS, type ColumnKind, type DataFileName } from '../../core/data/files.js';
import { loadDataFolder } from '../files/data-folder/index.js';
import { InputErrors, type LocatedError } from '../files/located-error.js';
import { fieldText, tokenizeCsvFile } from '../files/csv-tokenizer.js';
import { sql } from 'drizzle-orm';
import type { Connection, CopyRows, Db } from './connection.js';
import * as t from './schema.js';
import { writeAudit, type AuditEntry } from './users.js';

/**
 * An import batch: a data folder validated by the same loader the CLI uses, then written in one
 * transaction. A folder with errors throws InputErrors before anything is written.
 */

const CHUNK_ROWS = 2000;

/** A stored table's columns: its file's columns (codes as their index) between the batch's row and line. */
function storedColumns(file: DataFileName): [string, string][] {
  const types: Record<ColumnKind, string | undefined> = {
    person: 'text',
    text: 'text',
    code: 'smallint',
    date: 'integer',
    number: 'double precision',
    integer: 'integer',
    codes: 'text', // diagnoses, as the cell reads
  };
  const columns = DATA_FILE_COLUMNS[file].flatMap((c): [string, string][] => {
    const type = types[c.kind];
    return type ? [[c.name, type]] : [];
  });
  return [['batch_id', 'integer'], ['row', 'integer'], ...columns, ['line', 'integer']];
}
const LISTING_COLUMNS = storedColumns('listings.csv');
const VISIT_COLUMNS = storedColumns('visits.csv');

/**
 * One column of a validated file, in row order (the loader keeps codes, not these texts). Person
 * ids are normalised (every spelling, 10 or 12 digits, → 12 digits) so one person matches across
 * files, and a number whose check digit or date is wrong is refused with its line, never stored.
 */
export function column(file: string, name: string): string[] {
  const out: string[] = [];
  if (!existsSync(file)) return out;
  let col = -1;
  let line = 1;
  const errors: LocatedError[] = [];
  tokenizeCsvFile(file, {
    onHeader: (names) => (col = names.findIndex((n) => n.toLowerCase() === name)),
    onRow: (row) => {
      line++;
      if (row.count === 1 && row.end[0] === row.start[0]) return;
      const raw = fieldText(row, col).trim();
      if (name !== 'person_id') return void out.push(raw);
      const check = checkPersonId(raw);
      if (!check.ok && errors.length < 100)
        errors.push({
          file: basename(file),
          line,
          where: name,
          code: `person_id_${check.reason}`,
          message:
            check.reason === 'luhn'
              ? 'Personnumret har fel kontrollsiffra'
              : 'Personnumret har inget giltigt födelsedatum',
        });
      out.push(check.ok ? check.normalized : raw);
    },
  });
  if (errors.length) throw new InputErrors(errors);
  return out;
}

async function insertChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) await write(rows.slice(i, i + CHUNK_ROWS));
}

/**
 * The large tables go in as one JSON document per chunk, unpacked by json_to_recordset: one
 * statement and one parameter for 50 000 rows, the same SQL on PGlite and PostgreSQL, and about
 * fifty times faster than multi-row VALUES on the embedded store.
 */
const BULK_ROWS = 50_000;
async function bulkInsert(
  tx: Db,
  table: string,
  columns: [string, string][],
  rows: Record<string, unknown>[],
): Promise<void> {
  const names = columns.map(([n]) => `"${n}"`).join(', ');
  const types = columns.map(([n, type]) => `"${n}" ${type}`).join(', ');
  for (let i = 0; i < rows.length; i += BULK_ROWS) {
    const json = JSON.stringify(rows.slice(i, i + BULK_ROWS));
    await tx.execute(
      sql
        .raw(`INSERT INTO "${table}" (${names}) SELECT ${names} FROM json_to_recordset(`)
        .append(sql`${json}::json`)
        .append(sql.raw(`) AS r(${types})`)),
    );
  }
}

/** The texts the columnar data set does not keep, per row. */
export interface RowTexts {
  listingPersons: string[];
  visitPersons: string[];
  visitIds: string[];
  eventIds: string[];
}

export interface BatchSummary {
  id: number;
  files: { name: string; sha256: string; rows: number }[];
  counts: Record<string, number>;
}

export async function importFolder(
  db: Db,
  dir: string,
  by: string | null,
  label?: string,
  audit?: AuditEntry,
): Promise<BatchSummary> {
  const { data, texts } = readFolder(dir);
  return importDataSet(db, data, texts, by, label, undefined, audit);
}

/** Imports into a connection: COPY on PostgreSQL, JSON batches on PGlite; one transaction either way. */
export async function importFolderInto(
  conn: Connection,
  dir: string,
  by: string | null,
  label?: string,
  audit?: AuditEntry,
): Promise<BatchSummary> {
  if (!conn.copyTransaction) return importFolder(conn.db, dir, by, label, audit);
  const { data, texts } = readFolder(dir);
  return conn.copyTransaction((db, copy) => importDataSet(db, data, texts, by, label, copy, audit));
}

function readFolder(dir: string): { data: DataSet; texts: RowTexts } {
  const data = loadDataFolder(dir, { require: ['units.csv', 'areas.csv', 'listings.csv'] });
  const texts: RowTexts = {
    listingPersons: column(join(dir, 'listings.csv'), 'person_id'),
    visitPersons: column(join(dir, 'visits.csv'), 'person_id'),
    visitIds: column(join(dir, 'visits.csv'), 'visit_id'),
    eventIds: column(join(dir, 'events.csv'), 'event_id'),
  };
  return { data, texts };
}

const d = (v: number): string | null => (v === 0 || v === OPEN_END ? null : formatDate(v));

export async function importDataSet(
  db: Db,
  data: DataSet,
  texts: RowTexts,
  by: string | null,
  label?: string,
  copy?: CopyRows,
  /** Written in the import's transaction, with the batch as target: no import without its row. */
  audit?: AuditEntry,
): Promise<BatchSummary> {
  const counts = {
    units: data.units.count,
    areas: data.areas.count,
    listings: data.listings.count,
    visits: data.visits.count,
    indicators: data.indicators.count,
    events: data.events.count,
  };
  // With COPY the caller already holds the transaction; otherwise open one here.
  const inTransaction = <T>(fn: (tx: Db) => Promise<T>): Promise<T> =>
    copy ? fn(db) : db.transaction((tx) => fn(tx as unknown as Db));
  const bulk = (
    table: string,
    columns: [string, string][],
    rows: Record<string, unknown>[],
    tx: Db,
  ): Promise<void> =>
    copy
      ? copy(
          table,
          columns.map(([n]) => n),
          rows.map((r) => columns.map(([n]) => r[n])),
        )
      : bulkInsert(tx, table, columns, rows);
  return inTransaction(async (tx) => {
    const [batch] = await tx
      .insert(t.importBatches)
      .values({ createdBy: by, label: label ?? null, files: data.files, counts })
      .returning({ id: t.importBatches.id });
    const batchId = batch.id;
    const { units, areas, listings, visits, indicators, events } = data;
    const unitRows = units.id.map((id, i) => ({
      batchId,
      row: i,
      unitId: id,
      providerId: units.providerId[i],
      name: units.name[i],
      ownership: OWNERSHIP_CODES[units.ownership[i]],
      kommun: units.kommun[i] || null,
      area: units.area[i] || null,
      services: units.services[i].length ? units.services[i].join('|') : null,
      startDate: formatDate(units.start[i]),
      endDate: d(units.end[i]),
      branchOf: units.branchOf[i] >= 0 ? units.id[units.branchOf[i]] : null,
      extra: Object.fromEntries([...units.extra].map(([k, v]) => [k, v[i]])),
      line: units.line[i],
    }));
    await insertChunks(unitRows, (c) => tx.insert(t.units).values(c));
    await carryRegistryUnits(tx, batchId);
    const providers = [...new Set(units.providerId)].map((id) => ({ id }));
    await insertChunks(providers, (c) => tx.insert(t.providers).values(c).onConflictDoNothing());
    await insertChunks(
      areas.code.map((code, i) => ({
        batchId,
        row: i,
        area: code,
        kommun: areas.kommun[i] || null,
        cni: Number.isNaN(areas.cni[i]) ? null : areas.cni[i],
        ruralClass: areas.ruralClass[i] >= 0 ? areas.ruralClasses[areas.ruralClass[i]] : null,
        hospitalKm: Number.isNaN(areas.hospitalKm[i]) ? null : areas.hospitalKm[i],
        line: areas.line[i],
      })),
      (c) => tx.insert(t.areas).values(c),
    );
    const listingRows = Array.from({ length: listings.count }, (_, i) => ({
      batch_id: batchId,
      row: i,
      person_id: texts.listingPersons[i],
      unit_id: units.id[listings.unit[i]],
      doctor_id: listings.doctor[i] >= 0 ? data.doctors[listings.doctor[i]] : null,
      birth_date: listings.birth[i],
      sex: listings.sex[i],
      area: areas.code[listings.area[i]],
      listed_from: listings.from[i],
      listed_to: listings.to[i],
      risk_group: listings.riskGroup[i] >= 0 ? listings.riskGroups[listings.riskGroup[i]] : null,
      line: listings.line[i],
    }));
    await bulk('listing', LISTING_COLUMNS, listingRows, tx);
    const dx = visits.diagnoses;
    const visitRows = Array.from({ length: visits.count }, (_, i) => ({
      batch_id: batchId,
      row: i,
      visit_id: texts.visitIds[i],
      person_id: texts.visitPersons[i],
      unit_id: units.id[visits.unit[i]],
      date: visits.date[i],
      profession: visits.profession[i],
      contact: visits.contact[i],
      doctor_id: visits.doctor[i] >= 0 ? data.doctors[visits.doctor[i]] : null,
      booked_date: visits.booked[i] || null,
      visit_type: visits.visitType ? visits.visitType[i] : null,
      diagnoses: dx ? (dx.cell[i] >= 0 ? dx.cells[dx.cell[i]] : '') : null,
      line: visits.line[i],
    }));
    await bulk('visit', VISIT_COLUMNS, visitRows, tx);
    await insertChunks(
      Array.from({ length: indicators.count }, (_, i) => ({
        batchId,
        row: i,
        unitId: units.id[indicators.unit[i]],
        indicator: indicators.indicators[indicators.indicator[i]],
        periodFrom: indicators.from[i],
        periodTo: indicators.to[i],
        numerator: indicators.numerator[i],
        denominator: indicators.denominator[i],
        line: indicators.line[i],
      })),
      (c) => tx.insert(t.indicators).values(c),
    );
    await insertChunks(
      Array.from({ length: events.count }, (_, i) => ({
        batchId,
        row: i,
        eventId: texts.eventIds[i],
        unitId: units.id[events.unit[i]],
        eventType: events.types[events.type[i]],
        date: events.date[i],
        line: events.line[i],
      })),
      (c) => tx.insert(t.events).values(c),
    );
    if (audit) await writeAudit(tx, { ...audit, target: `batch:${batchId}`, detail: counts });
    return { id: batchId, files: data.files, counts };
  });
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
