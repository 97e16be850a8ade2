import type { AreaTable } from '../../../core/data/dataset.js';
import { intern } from './dictionaries.js';
import { readFile, type Loaded, type LoadOptions } from './read-file.js';

export function emptyAreas(): AreaTable {
  return {
    count: 0,
    code: [],
    kommun: [],
    cni: new Float64Array(0),
    ruralClass: new Int32Array(0),
    ruralClasses: [],
    hospitalKm: new Float64Array(0),
    line: new Int32Array(0),
  };
}

/** areas.csv: one row per area code. */
export function readAreas(dir: string, loaded: Loaded, options: LoadOptions): AreaTable {
  const t = emptyAreas();
  const index = new Map<string, number>();
  const classIndex = new Map<string, number>();
  const cni: number[] = [];
  const km: number[] = [];
  const cls: number[] = [];
  const lines: number[] = [];
  readFile(dir, 'areas.csv', loaded, options, (ctx) => {
    let c = { area: -1, kommun: -1, cni: -1, rural: -1, km: -1 };
    return {
      header() {
        c = {
          area: ctx.col('area'),
          kommun: ctx.col('kommun'),
          cni: ctx.col('cni'),
          rural: ctx.col('rural_class'),
          km: ctx.col('hospital_km'),
        };
      },
      row(row) {
        const code = ctx.requiredText(row, c.area, 'area');
        if (code === undefined) return;
        if (index.has(code)) {
          ctx.fail(
            row,
            c.area,
            'area',
            'data.duplicate_key',
            `Området ${code} finns redan på rad ${t.line[index.get(code)!] || lines[index.get(code)!]}`,
          );
          return;
        }
        index.set(code, t.code.length);
        t.code.push(code);
        t.kommun.push(ctx.text(row, c.kommun));
        cni.push(ctx.number(row, c.cni, 'cni', false));
        km.push(ctx.number(row, c.km, 'hospital_km', false));
        const rc = ctx.text(row, c.rural);
        cls.push(rc === '' ? -1 : intern(classIndex, t.ruralClasses, rc));
        lines.push(row.line);
      },
    };
  });
  t.count = t.code.length;
  t.cni = Float64Array.from(cni);
  t.hospitalKm = Float64Array.from(km);
  t.ruralClass = Int32Array.from(cls);
  t.line = Int32Array.from(lines);
  return t;
}
