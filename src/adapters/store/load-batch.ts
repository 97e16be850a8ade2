import { createHash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { OPEN_END, parseDate } from '../../core/calendar.js';
import { OWNERSHIP_CODES, type DataSet } from '../../core/data/dataset.js';
import { batchContentHash, readBatchColumns } from './batch-cache.js';
import type { Db } from './connection.js';
import { StoreError } from './store-error.js';
import * as t from './schema.js';
import { expectRowsWritten } from './batch-rows.js';

/** Interns codes to indexes in first-seen order, as the CSV loader does. */
class Dict {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  get(value: string | null): number {
    if (value === null) return -1;
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

const ymd = (s: string | null): number => (s === null ? OPEN_END : parseDate(s)!);

/**
 * Reads an import batch back into the columnar data set the engine runs on. Rows come back in
 * their file order, so a run from the store equals a run from the folder, byte for byte. A batch
 * whose columnar form is stored (batch-cache.ts) and whose listings have not changed since is read
 * from that form in one go; its units and areas, which the registry may add to, from their rows.
 */
export async function loadBatch(
  db: Db,
  batchId: number,
  options: { rows?: boolean; read?: DataSet } = {},
): Promise<DataSet> {
  const [batch] = await db.select().from(t.importBatches).where(eq(t.importBatches.id, batchId));
  if (!batch) throw new StoreError('not_found', `Importen ${batchId} finns inte`);
  const unitRows = await db
    .select()
    .from(t.units)
    .where(eq(t.units.batchId, batchId))
    .orderBy(asc(t.units.row));
  const areaRows = await db
    .select()
    .from(t.areas)
    .where(eq(t.areas.batchId, batchId))
    .orderBy(asc(t.areas.row));
  const unitIndex = new Map(unitRows.map((u, i) => [u.unitId, i]));
  const areaIndex = new Map(areaRows.map((a, i) => [a.area, i]));
  const extraKeys = unitRows.length ? Object.keys(unitRows[0]!.extra as Record<string, string>) : [];
  const ruralClasses = new Dict();
  const units: DataSet['units'] = {
    count: unitRows.length,
    id: unitRows.map((u) => u.unitId),
    providerId: unitRows.map((u) => u.providerId),
    name: unitRows.map((u) => u.name),
    ownership: Uint8Array.from(unitRows, (u) => OWNERSHIP_CODES.indexOf(u.ownership as never)),
    kommun: unitRows.map((u) => u.kommun ?? ''),
    area: unitRows.map((u) => u.area ?? ''),
    services: unitRows.map((u) => (u.services ? u.services.split('|') : [])),
    start: Int32Array.from(unitRows, (u) => ymd(u.startDate)),
    end: Int32Array.from(unitRows, (u) => ymd(u.endDate)),
    branchOf: Int32Array.from(unitRows, (u) => (u.branchOf === null ? -1 : unitIndex.get(u.branchOf)!)),
    extra: new Map(
      extraKeys.map((k) => [k, unitRows.map((u) => (u.extra as Record<string, string>)[k] ?? '')]),
    ),
    line: Int32Array.from(unitRows, (u) => u.line),
  };
  const areas: DataSet['areas'] = {
    count: areaRows.length,
    code: areaRows.map((a) => a.area),
    kommun: areaRows.map((a) => a.kommun ?? ''),
    cni: Float64Array.from(areaRows, (a) => a.cni ?? NaN),
    ruralClass: Int32Array.from(areaRows, (a) => ruralClasses.get(a.ruralClass)),
    ruralClasses: ruralClasses.values,
    hospitalKm: Float64Array.from(areaRows, (a) => a.hospitalKm ?? NaN),
    line: Int32Array.from(areaRows, (a) => a.line),
  };

  const changes = await changeLog(db, batchId);
  if (!options.rows && changes.length === 0) {
    // Just imported: the data set read from the folder is what the stored columns hold.
    const stored =
      options.read ??
      (await readBatchColumns(db, batchId, batchContentHash(batch.files as DataSet['files'])));
    // Units appended after the import (carried over, registered) come after the file's, in row order.
    if (stored && stored.units.id.every((id, i) => units.id[i] === id))
      return { ...stored, units, areas, files: batch.files as DataSet['files'] };
  }

  expectRowsWritten(batch, 'listing');
  expectRowsWritten(batch, 'visit');
  const persons = new Dict();
  const doctors = new Dict();
  const riskGroups = new Dict();
  const l = await db
    .select()
    .from(t.listings)
    .where(eq(t.listings.batchId, batchId))
    .orderBy(asc(t.listings.row));
  const listings: DataSet['listings'] = {
    count: l.length,
    person: Int32Array.from(l, (r) => persons.get(r.personId)),
    unit: Int32Array.from(l, (r) => unitIndex.get(r.unitId)!),
    doctor: Int32Array.from(l, (r) => doctors.get(r.doctorId)),
    birth: Int32Array.from(l, (r) => r.birthDate),
    sex: Uint8Array.from(l, (r) => r.sex),
    area: Int32Array.from(l, (r) => areaIndex.get(r.area)!),
    from: Int32Array.from(l, (r) => r.listedFrom),
    to: Int32Array.from(l, (r) => r.listedTo),
    riskGroup: Int32Array.from(l, (r) => riskGroups.get(r.riskGroup)),
    riskGroups: riskGroups.values,
    line: Int32Array.from(l, (r) => r.line),
  };
  const personCount = persons.values.length;
  const personOf = new Map(persons.values.map((p, i) => [p, i]));
  const diagnosisCells = new Dict();
  const v = await db.select().from(t.visits).where(eq(t.visits.batchId, batchId)).orderBy(asc(t.visits.row));
  const visits: DataSet['visits'] = {
    count: v.length,
    person: Int32Array.from(v, (r) => personOf.get(r.personId) ?? -1),
    unit: Int32Array.from(v, (r) => unitIndex.get(r.unitId)!),
    date: Int32Array.from(v, (r) => r.date),
    profession: Uint8Array.from(v, (r) => r.profession),
    contact: Uint8Array.from(v, (r) => r.contact),
    doctor: Int32Array.from(v, (r) => doctors.get(r.doctorId)),
    booked: Int32Array.from(v, (r) => r.bookedDate ?? 0),
    // The file had the optional column visit_type when any row has a value (0 = ordinary visit).
    ...(v.some((r) => r.visitType !== null)
      ? { visitType: Uint8Array.from(v, (r) => r.visitType ?? 0) }
      : {}),
    // Likewise diagnoses ('' for an empty cell), each distinct cell numbered in row order as the loader does.
    ...(v.some((r) => r.diagnoses !== null)
      ? {
          diagnoses: {
            cell: Int32Array.from(v, (r) => (r.diagnoses ? diagnosisCells.get(r.diagnoses) : -1)),
            cells: diagnosisCells.values,
          },
        }
      : {}),
    line: Int32Array.from(v, (r) => r.line),
  };
  const indicatorNames = new Dict();
  const ind = await db
    .select()
    .from(t.indicators)
    .where(eq(t.indicators.batchId, batchId))
    .orderBy(asc(t.indicators.row));
  const eventTypes = new Dict();
  const ev = await db.select().from(t.events).where(eq(t.events.batchId, batchId)).orderBy(asc(t.events.row));
  // What indicators and events have alike: their rows' count, unit (as its index) and line.
  const withUnit = (rows: { unitId: string; line: number }[]) => ({
    count: rows.length,
    unit: Int32Array.from(rows, (r) => unitIndex.get(r.unitId)!),
    line: Int32Array.from(rows, (r) => r.line),
  });
  const indRows = withUnit(ind);
  const evRows = withUnit(ev);
  return {
    units,
    areas,
    listings,
    visits,
    // The keys in the loader's order: the stored columnar form and the rows read back compare equal.
    indicators: {
      count: indRows.count,
      unit: indRows.unit,
      indicator: Int32Array.from(ind, (r) => indicatorNames.get(r.indicator)),
      indicators: indicatorNames.values,
      from: Int32Array.from(ind, (r) => r.periodFrom),
      to: Int32Array.from(ind, (r) => r.periodTo),
      numerator: Float64Array.from(ind, (r) => r.numerator),
      denominator: Float64Array.from(ind, (r) => r.denominator),
      line: indRows.line,
    },
    events: {
      count: evRows.count,
      unit: evRows.unit,
      type: Int32Array.from(ev, (r) => eventTypes.get(r.eventType)),
      types: eventTypes.values,
      date: Int32Array.from(ev, (r) => r.date),
      line: evRows.line,
    },
    personCount,
    doctors: doctors.values,
    files: [...(batch.files as DataSet['files']), ...changes],
  };
}

/** Listing changes made after import are an input too: the run names them by a hash of the log. */
async function changeLog(db: Db, batchId: number): Promise<DataSet['files']> {
  const changes = await db
    .select()
    .from(t.listingChanges)
    .where(eq(t.listingChanges.batchId, batchId))
    .orderBy(asc(t.listingChanges.id));
  if (changes.length === 0) return [];
  const text = changes
    .map((c) => [c.id, c.personId, c.unitId, c.doctorId ?? '', c.fromDate].join(','))
    .join('\n');
  return [
    {
      name: 'listing-changes',
      sha256: createHash('sha256').update(text).digest('hex'),
      rows: changes.length,
    },
  ];
}
