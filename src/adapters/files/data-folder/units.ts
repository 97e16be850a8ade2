import { NO_DATE, OPEN_END } from '../../../core/calendar.js';
import type { UnitTable } from '../../../core/data/dataset.js';
import { columnNames, type ColumnName } from '../../../core/data/files.js';
import { checkOrganisationNumber } from '../../../core/identity.js';
import { fieldColumn, type CsvRow } from '../csv-tokenizer.js';
import { KEY, fieldKey, type ByteKeys } from './byte-keys.js';
import { LastField, OWNERSHIP_INDEX } from './dictionaries.js';
import type { FileContext } from './file-context.js';
import { readFile, type Loaded, type LoadOptions } from './read-file.js';

/** Code → index maps kept beside the tables while loading (the engine needs only the tables). */
export const unitIndexes = new WeakMap<UnitTable, Map<string, number>>();

export function unitIndexOf(units: UnitTable): Map<string, number> {
  let m = unitIndexes.get(units);
  if (!m) {
    m = new Map(units.id.map((id, i) => [id, i]));
    unitIndexes.set(units, m);
  }
  return m;
}

/** services: codes separated by `|` (vardcentral|bvc), each written like a rulebook's scope names it. */
function readServices(ctx: FileContext, row: Parameters<FileContext['text']>[0], col: number): string[] {
  const cell = ctx.text(row, col);
  if (cell === '') return [];
  const out: string[] = [];
  for (const code of cell.split('|').map((x) => x.trim())) {
    if (!/^[a-z][a-z0-9_]*$/.test(code)) {
      ctx.fail(
        row,
        col,
        'services',
        'data.bad_value',
        `services skrivs som tjänster med små bokstäver åtskilda av |, t.ex. vardcentral|bvc, inte "${cell}"`,
      );
      return [];
    }
    if (!out.includes(code)) out.push(code);
  }
  return out;
}

/** The unit a row's unit_id names, or undefined after a located error when units.csv lacks it. */
export function unitOfRow(
  ctx: FileContext,
  row: CsvRow,
  col: number,
  unitIndex: Map<string, number>,
): number | undefined {
  const unitId = ctx.text(row, col);
  const u = unitIndex.get(unitId);
  if (u === undefined)
    ctx.fail(row, col, 'unit_id', 'data.unknown_reference', `Enheten ${unitId} finns inte i units.csv`);
  return u;
}

/**
 * A row's unit_id found in units.csv's keys straight from bytes, through the last field (rows often
 * repeat a unit); -1 after a located error for an empty or unknown unit.
 */
export class UnitColumn {
  private readonly last = new LastField();
  constructor(private readonly unitKeys: ByteKeys) {}

  of(ctx: FileContext, row: CsvRow, col: number): number {
    if (this.last.hit(row, col)) return this.last.value;
    fieldKey(row, col);
    const u = this.unitKeys.get(KEY.b, KEY.s, KEY.e, KEY.h);
    if (u !== -1) {
      this.last.remember(row, col, u);
      return u;
    }
    const unitId = ctx.text(row, col);
    ctx.fail(
      row,
      col,
      'unit_id',
      unitId === '' ? 'data.required' : 'data.unknown_reference',
      unitId === '' ? 'Värde saknas i unit_id' : `Enheten ${unitId} finns inte i units.csv`,
    );
    return -1;
  }
}

export /** units.csv: one row per unit; branch_of is resolved after the whole file is read. */
function readUnits(dir: string, loaded: Loaded, options: LoadOptions): UnitTable {
  const t: UnitTable = {
    count: 0,
    id: [],
    providerId: [],
    name: [],
    ownership: new Uint8Array(0),
    kommun: [],
    area: [],
    services: [],
    start: new Int32Array(0),
    end: new Int32Array(0),
    branchOf: new Int32Array(0),
    extra: new Map(),
    line: new Int32Array(0),
  };
  const index = new Map<string, number>();
  const own: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const lines: number[] = [];
  const branchRefs: { row: number; ref: string; line: number; column: number }[] = [];
  const ctxHolder: { ctx?: FileContext } = {};
  readFile(dir, 'units.csv', loaded, options, (ctx) => {
    ctxHolder.ctx = ctx;
    // st_fte, sabo_places and any other column go to `extra`, counted by unit_supplement.
    const standard = new Set<string>(
      columnNames('units.csv').filter((k) => k !== 'st_fte' && k !== 'sabo_places'),
    );
    let c: Record<ColumnName<'units.csv'>, number>;
    let extraCols: [string, number][] = [];
    return {
      header() {
        c = ctx.columnIndexes('units.csv');
        extraCols = ctx
          .columns()
          .filter((k) => !standard.has(k))
          .map((k) => [k, ctx.col(k)]);
        for (const [k] of extraCols) t.extra.set(k, []);
      },
      row(row) {
        const id = ctx.requiredText(row, c.unit_id, 'unit_id');
        const provider = ctx.requiredText(row, c.provider_id, 'provider_id');
        const name = ctx.requiredText(row, c.name, 'name');
        const ownership = ctx.text(row, c.ownership);
        const o = OWNERSHIP_INDEX.get(ownership);
        if (o === undefined)
          ctx.fail(
            row,
            c.ownership,
            'ownership',
            'data.bad_value',
            `ownership ska vara public, private eller nonprofit, inte "${ownership}"`,
          );
        if (provider !== undefined && !checkOrganisationNumber(provider)) {
          ctx.fail(
            row,
            c.provider_id,
            'provider_id',
            'data.bad_orgnr',
            `Organisationsnumret ${provider} har fel kontrollsiffra`,
          );
        }
        const s = ctx.date(row, c.start_date, 'start_date', true);
        const e = ctx.date(row, c.end_date, 'end_date', false);
        if (s > 0 && e > 0 && e < s)
          ctx.fail(row, c.end_date, 'end_date', 'data.bad_period', 'end_date ligger före start_date');
        if (id === undefined) return;
        if (index.has(id)) {
          ctx.fail(
            row,
            c.unit_id,
            'unit_id',
            'data.duplicate_key',
            `Enheten ${id} finns redan på rad ${lines[index.get(id)!]}`,
          );
          return;
        }
        index.set(id, t.id.length);
        t.id.push(id);
        t.providerId.push(provider ?? '');
        t.name.push(name ?? '');
        own.push(o ?? 0);
        t.kommun.push(ctx.text(row, c.kommun));
        t.area.push(ctx.text(row, c.area));
        t.services.push(readServices(ctx, row, c.services));
        start.push(s);
        end.push(e === NO_DATE ? OPEN_END : e);
        lines.push(row.line);
        const ref = ctx.text(row, c.branch_of);
        if (ref !== '')
          branchRefs.push({
            row: t.id.length - 1,
            ref,
            line: row.line,
            column: fieldColumn(row, c.branch_of),
          });
        for (const [k, col] of extraCols) t.extra.get(k)!.push(ctx.text(row, col));
      },
    };
  });
  t.count = t.id.length;
  t.ownership = Uint8Array.from(own);
  t.start = Int32Array.from(start);
  t.end = Int32Array.from(end);
  t.line = Int32Array.from(lines);
  t.branchOf = new Int32Array(t.count).fill(-1);
  for (const b of branchRefs) {
    const target = index.get(b.ref);
    if (target === undefined) {
      loaded.errors.push({
        file: 'units.csv',
        line: b.line,
        column: b.column,
        where: 'branch_of',
        code: 'data.unknown_reference',
        message: `branch_of: enheten ${b.ref} finns inte i units.csv`,
      });
    } else t.branchOf[b.row] = target;
  }
  unitIndexes.set(t, index);
  return t;
}
