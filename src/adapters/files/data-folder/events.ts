import type { EventTable, UnitTable } from '../../../core/data/dataset.js';
import { intern } from './dictionaries.js';
import { personRef } from './person-index.js';
import { readRows, type Loaded, type LoadOptions } from './read-file.js';
import { unitIndexOf, unitOfRow } from './units.js';

/** events.csv: one row per event; a person id, when given, is checked but not kept. */
export function readEvents(dir: string, loaded: Loaded, options: LoadOptions, units: UnitTable): EventTable {
  const unitIndex = unitIndexOf(units);
  const rows: { u: number; t: number; d: number; line: number }[] = [];
  const types: string[] = [];
  const typeIndex = new Map<string, number>();
  const ids = new Set<string>();
  readRows(dir, 'events.csv', loaded, options, (ctx, c, row) => {
    const id = ctx.requiredText(row, c.event_id, 'event_id');
    if (id !== undefined && ids.has(id)) {
      ctx.fail(row, c.event_id, 'event_id', 'data.duplicate_key', `Händelsen ${id} finns redan`);
      return;
    }
    if (id !== undefined) ids.add(id);
    const u = unitOfRow(ctx, row, c.unit_id, unitIndex);
    const type = ctx.requiredText(row, c.event_type, 'event_type');
    const d = ctx.date(row, c.date, 'date', true);
    if (!ctx.isEmpty(row, c.person_id) && personRef(ctx, row, c.person_id) === -1) return;
    if (id === undefined || u === undefined || type === undefined || d < 0) return;
    rows.push({ u, t: intern(typeIndex, types, type), d, line: row.line });
  });
  return {
    count: rows.length,
    unit: Int32Array.from(rows, (r) => r.u),
    type: Int32Array.from(rows, (r) => r.t),
    types,
    date: Int32Array.from(rows, (r) => r.d),
    line: Int32Array.from(rows, (r) => r.line),
  };
}
