import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { checkPersonId } from '../../core/identity.js';
import { OPEN_END, formatDate } from '../../core/calendar.js';
import { OWNERSHIP_CODES, type DataSet } from '../../core/data/dataset.js';
import { loadDataFolder } from '../files/data-folder.js';
import { fieldText, tokenizeCsvFile } from '../files/csv-tokenizer.js';
import type { Db } from './connection.js';
import * as t from './schema.js';

/**
 * An import batch: a data folder validated by the same loader the CLI uses, then written in one
 * transaction. A folder with errors throws InputErrors before anything is written.
 */

const CHUNK_ROWS = 2000;

/**
 * One column of a validated file, in row order (the loader keeps codes, not these texts). Person
 * ids are normalised (YYYYMMDD-NNNN → 12 digits) so one person matches across files.
 */
function column(file: string, name: string): string[] {
  const out: string[] = [];
  if (!existsSync(file)) return out;
  let col = -1;
  tokenizeCsvFile(file, {
    onHeader: (names) => (col = names.findIndex((n) => n.toLowerCase() === name)),
    onRow: (row) => {
      if (row.count === 1 && row.end[0] === row.start[0]) return;
      const raw = fieldText(row, col).trim();
      if (name !== 'person_id') return void out.push(raw);
      const check = checkPersonId(raw);
      out.push(check.ok ? check.normalized : raw);
    },
  });
  return out;
}

async function insertChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) await write(rows.slice(i, i + CHUNK_ROWS));
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
): Promise<BatchSummary> {
  const data = loadDataFolder(dir, { require: ['units.csv', 'areas.csv', 'listings.csv'] });
  const texts: RowTexts = {
    listingPersons: column(join(dir, 'listings.csv'), 'person_id'),
    visitPersons: column(join(dir, 'visits.csv'), 'person_id'),
    visitIds: column(join(dir, 'visits.csv'), 'visit_id'),
    eventIds: column(join(dir, 'events.csv'), 'event_id'),
  };
  return importDataSet(db, data, texts, by, label);
}

const d = (v: number): string | null => (v === 0 || v === OPEN_END ? null : formatDate(v));

export async function importDataSet(
  db: Db,
  data: DataSet,
  texts: RowTexts,
  by: string | null,
  label?: string,
): Promise<BatchSummary> {
  const counts = {
    units: data.units.count,
    areas: data.areas.count,
    listings: data.listings.count,
    visits: data.visits.count,
    indicators: data.indicators.count,
    events: data.events.count,
  };
  return db.transaction(async (tx) => {
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
      startDate: formatDate(units.start[i]),
      endDate: d(units.end[i]),
      branchOf: units.branchOf[i] >= 0 ? units.id[units.branchOf[i]] : null,
      extra: Object.fromEntries([...units.extra].map(([k, v]) => [k, v[i]])),
      line: units.line[i],
    }));
    await insertChunks(unitRows, (c) => tx.insert(t.units).values(c));
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
      batchId,
      row: i,
      personId: texts.listingPersons[i],
      unitId: units.id[listings.unit[i]],
      doctorId: listings.doctor[i] >= 0 ? data.doctors[listings.doctor[i]] : null,
      birthDate: listings.birth[i],
      sex: listings.sex[i],
      area: areas.code[listings.area[i]],
      listedFrom: listings.from[i],
      listedTo: listings.to[i],
      riskGroup: listings.riskGroup[i] >= 0 ? listings.riskGroups[listings.riskGroup[i]] : null,
      line: listings.line[i],
    }));
    await insertChunks(listingRows, (c) => tx.insert(t.listings).values(c));
    for (let start = 0; start < visits.count; start += CHUNK_ROWS) {
      const end = Math.min(visits.count, start + CHUNK_ROWS);
      const chunk = [];
      for (let i = start; i < end; i++) {
        chunk.push({
          batchId,
          row: i,
          visitId: texts.visitIds[i],
          personId: texts.visitPersons[i],
          unitId: units.id[visits.unit[i]],
          date: visits.date[i],
          profession: visits.profession[i],
          contact: visits.contact[i],
          doctorId: visits.doctor[i] >= 0 ? data.doctors[visits.doctor[i]] : null,
          bookedDate: visits.booked[i] || null,
          line: visits.line[i],
        });
      }
      await tx.insert(t.visits).values(chunk);
    }
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
    return { id: batchId, files: data.files, counts };
  });
}
