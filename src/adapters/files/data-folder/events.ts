import type { EventTable, UnitTable } from '../../../core/data/dataset.js';
import { columnNames } from '../../../core/data/files.js';
import { intern } from './dictionaries.js';
import { personRef } from './person-index.js';
import { readFile, type Loaded, type LoadOptions } from './read-file.js';
import { unitIndexOf } from './units.js';

/** events.csv: one row per event; a person id, when given, is checked but not kept. */
export function readEvents(dir: string, loaded: Loaded, options: LoadOptions, units: UnitTable): EventTable {
  const unitIndex = unitIndexOf(units);
  const rows: { u: number; t: number; d: number; line: number }[] = [];
  const types: string[] = [];
  const typeIndex = new Map<string, number>();
  const ids = new Set<string>();
  readFile(dir, 'events.csv', loaded, options, (ctx) => {
    const c: Record<string, number> = {};
    return {
      header() {
        for (const k of columnNames('events.csv')) c[k] = ctx.col(k);
      },
      row(row) {
        const id = ctx.requiredText(row, c.event_id, 'event_id');
        if (id !== undefined && ids.has(id)) {
          ctx.fail(row, c.event_id, 'event_id', 'data.duplicate_key', `Händelsen ${id} finns redan`);
          return;
        }
        if (id !== undefined) ids.add(id);
        const unitId = ctx.text(row, c.unit_id);
        const u = unitIndex.get(unitId);
        if (u === undefined)
          ctx.fail(
            row,
            c.unit_id,
            'unit_id',
            'data.unknown_reference',
            `Enheten ${unitId} finns inte i units.csv`,
          );
        const type = ctx.requiredText(row, c.event_type, 'event_type');
        const d = ctx.date(row, c.date, 'date', true);
        if (!ctx.isEmpty(row, c.person_id) && personRef(ctx, row, c.person_id) === -1) return;
        if (id === undefined || u === undefined || type === undefined || d < 0) return;
        rows.push({ u, t: intern(typeIndex, types, type), d, line: row.line });
      },
    };
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
