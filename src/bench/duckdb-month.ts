import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { addMonths, firstDay, formatDate, lastDay, type MonthInt } from '../core/calendar.js';
import { valueInForce } from '../core/rulebook/dated.js';
import type { ComponentOf, Rulebook } from '../core/rulebook/schema.js';
import { DATA_FILE_COLUMNS, type ColumnKind } from '../core/data/files.js';

/**
 * The same month as one SQL query in DuckDB, written from spec/payment-model.md and the rulebook's
 * values (an independent implementation: it shares no code with the engine). Amounts per unit in
 * öre, each line rounded once, half away from zero.
 */

export interface UnitAmounts {
  /** unit_id → [capitation, visit fee, coverage] in öre. */
  [unitId: string]: [number, number, number];
}

/** The files the month reads. */
const TABLES = ['units', 'areas', 'listings', 'visits'] as const;

/** DuckDB's type for each kind of column of the data files' table. */
const SQL_TYPES: Record<ColumnKind, string> = {
  person: 'VARCHAR',
  text: 'VARCHAR',
  code: 'VARCHAR',
  codes: 'VARCHAR',
  date: 'DATE',
  number: 'DOUBLE',
  integer: 'INTEGER',
};

const str = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const num = (v: number): string => {
  if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
  return `${v}::DOUBLE`;
};
const date = (d: number): string => `DATE '${formatDate(d)}'`;

function inForce(value: Parameters<typeof valueInForce>[0], on: number): number {
  const found = valueInForce(value, on);
  if (!found) throw new Error('no value in force');
  return found.value;
}

function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, n).split('\n')[0]!.trim();
  } finally {
    closeSync(fd);
  }
}

/** Round half away from zero to a whole number (of öre). */
const roundOre = (x: string): string => `(sign(${x}) * floor(abs(${x}) + 0.5))`;

export function loadStatements(dir: string): string[] {
  return TABLES.map((table) => {
    const file = join(dir, `${table}.csv`);
    // DuckDB must be told every column of the file, in the file's order, with an explicit type.
    const kinds = new Map<string, ColumnKind>(DATA_FILE_COLUMNS[`${table}.csv`].map((c) => [c.name, c.kind]));
    const cols = firstLine(file)
      .split(',')
      .map((c) => `${str(c)}: ${str(SQL_TYPES[kinds.get(c.toLowerCase()) ?? 'text'])}`)
      .join(', ');
    return `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv(${str(file)}, header = true, delim = ',', quote = '"', columns = {${cols}})`;
  });
}

/** The month's query: one row per active unit with cap_ore, visit_ore, coverage_ore. */
export function monthQuery(rulebook: Rulebook, month: MonthInt): string {
  const components = rulebook.compensation.components;
  const cap = components.find((c) => c.type === 'capitation') as ComponentOf<'capitation'>;
  const fee = components.find((c) => c.type === 'visit_fee') as ComponentOf<'visit_fee'>;
  const cov = components.find((c) => c.type === 'coverage') as ComponentOf<'coverage'>;
  if (!cap || !fee || !cov || cov.base !== cap.id)
    throw new Error('the bench rulebook has an unexpected shape');
  if (fee.applies_to !== 'all') throw new Error('only applies_to: all is written as SQL here');
  const cutoff = firstDay(month);
  const last = lastDay(month);
  const annual = inForce(cap.annual_amount, cutoff);

  // Capitation: Σ share_k · weight_k(person) per listed person.
  const terms: string[] = [];
  const joins: string[] = [];
  const ctes: string[] = [];
  cap.parts.forEach((part, k) => {
    const w = part.weight;
    switch (w.kind) {
      case 'flat':
        terms.push(`${num(part.share)} * 1`);
        break;
      case 'age_sex': {
        // The first band that holds the age, as the table reads from the top.
        const table = w.table;
        const band = (v: (b: (typeof table)[number]) => string): string =>
          `(CASE ${table.map((b) => `WHEN l.age >= ${b.from} AND l.age < ${b.to} THEN ${v(b)}`).join(' ')} END)`;
        terms.push(
          `${num(part.share)} * (CASE l.sex WHEN 'F' THEN ${band((b) => num(b.F))} WHEN 'M' THEN ${band((b) => num(b.M))} ELSE ${band((b) => `(${num(b.F)} + ${num(b.M)}) / 2`)} END)`,
        );
        break;
      }
      case 'risk_group': {
        const rows = Object.entries(w.table)
          .map(([g, v]) => `(${str(g)}, ${num(v)})`)
          .join(', ');
        ctes.push(`risk_${k}(grp, w) AS (VALUES ${rows})`);
        joins.push(`LEFT JOIN risk_${k} r${k} ON r${k}.grp = l.risk_group`);
        terms.push(
          `${num(part.share)} * (CASE WHEN l.risk_group IS NULL THEN ${num(w.missing)} ELSE coalesce(r${k}.w, ${num(w.default)}) END)`,
        );
        break;
      }
      case 'cni': {
        if (w.reference === undefined) throw new Error('cni bands are not written as SQL here');
        joins.push(`JOIN areas c${k} ON c${k}.area = l.area`);
        terms.push(`${num(part.share)} * (c${k}.cni / ${num(w.reference)})`);
        break;
      }
      case 'area_class':
        throw new Error('area_class is not written as SQL here');
    }
  });

  // Visit fee: the most specific matching row, else default (fee rows per profession × contact).
  const fees = fee.fees.map((f) => ({
    p: f.profession === undefined ? 'NULL' : str(f.profession),
    c: f.contact === undefined ? 'NULL' : str(f.contact),
    a: num(inForce(f.amount, cutoff)),
  }));
  const feeRows = fees.map((f, i) => `(${i}, ${f.p}::VARCHAR, ${f.c}::VARCHAR, ${f.a})`).join(', ');
  ctes.push(`fee_rows(row_no, profession, contact, amount) AS (VALUES ${feeRows})`);
  // Of rows naming the same profession and contact, the first counts.
  ctes.push(
    'fees AS (SELECT profession, contact, arg_min(amount, row_no) AS amount FROM fee_rows GROUP BY ALL)',
  );
  const feeDefault = num(inForce(fee.default, cutoff));

  // Coverage: counted kinds, the window, and the factor as a piecewise-linear CASE.
  const window = { from: firstDay(addMonths(month, -cov.window_months)), to: cutoff };
  const counted: string[] = [];
  if (cov.counted?.professions)
    counted.push(`v.profession IN (${cov.counted.professions.map(str).join(', ')})`);
  if (cov.counted?.contacts) counted.push(`v.contact IN (${cov.counted.contacts.map(str).join(', ')})`);
  const pts = cov.factor;
  const factorCases = [`WHEN x <= ${num(pts[0]![0])} THEN ${num(pts[0]![1])}`];
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0] = pts[i - 1]!;
    const [x1, y1] = pts[i]!;
    factorCases.push(
      `WHEN x <= ${num(x1)} THEN ${num(y0)} + (${num(y1)} - ${num(y0)}) * (x - ${num(x0)}) / (${num(x1)} - ${num(x0)})`,
    );
  }
  const factor = (x: string): string =>
    `(CASE ${factorCases.join(' ').replace(/\bx\b/g, x)} ELSE ${num(pts[pts.length - 1]![1])} END)`;

  const capOre = roundOre(`${num(annual)} / 12 * coalesce(cw.wsum, 0) * 100`);
  return `
WITH
active AS (
  SELECT unit_id FROM units
  WHERE start_date <= ${date(last)} AND (end_date IS NULL OR end_date >= ${date(cutoff)})
),
listed AS (
  SELECT person_id, unit_id, sex, risk_group, area,
    (${Math.floor(cutoff)} - (year(birth_date) * 10000 + month(birth_date) * 100 + day(birth_date))) // 10000 AS age
  FROM listings
  WHERE listed_from <= ${date(cutoff)} AND (listed_to IS NULL OR listed_to > ${date(cutoff)})
),
${ctes.join(',\n')},
cap_w AS (
  SELECT l.unit_id, count(*) AS listed, sum(${terms.join(' + ')}) AS wsum
  FROM listed l
  ${joins.join('\n  ')}
  GROUP BY l.unit_id
),
month_visits AS (
  SELECT unit_id, profession, contact, count(*) AS n
  FROM visits WHERE date >= ${date(cutoff)} AND date <= ${date(last)}
  GROUP BY ALL
),
visit_sek AS (
  SELECT mv.unit_id, sum(mv.n) AS n,
    sum(mv.n * coalesce(f3.amount, f2.amount, f1.amount, f0.amount, ${feeDefault})) AS sek
  FROM month_visits mv
  LEFT JOIN fees f3 ON f3.profession = mv.profession AND f3.contact = mv.contact
  LEFT JOIN fees f2 ON f2.profession = mv.profession AND f2.contact IS NULL
  LEFT JOIN fees f1 ON f1.profession IS NULL AND f1.contact = mv.contact
  LEFT JOIN fees f0 ON f0.profession IS NULL AND f0.contact IS NULL
  GROUP BY mv.unit_id
),
cov AS (
  SELECT l.unit_id, count(*) AS all_visits, count(*) FILTER (WHERE v.unit_id = l.unit_id) AS here
  FROM visits v JOIN listed l ON l.person_id = v.person_id
  WHERE v.date >= ${date(window.from)} AND v.date < ${date(window.to)}${counted.map((c) => ` AND ${c}`).join('')}
  GROUP BY l.unit_id
),
lines AS (
  SELECT a.unit_id,
    ${capOre} AS cap_ore,
    ${roundOre('coalesce(vs.sek, 0) * 100')} AS visit_ore,
    CASE WHEN coalesce(cv.all_visits, 0) = 0 THEN 1::DOUBLE
         ELSE ${factor('(cv.here::DOUBLE / cv.all_visits)')} END AS factor
  FROM active a
  LEFT JOIN cap_w cw ON cw.unit_id = a.unit_id
  LEFT JOIN visit_sek vs ON vs.unit_id = a.unit_id
  LEFT JOIN cov cv ON cv.unit_id = a.unit_id
)
SELECT unit_id, cap_ore, visit_ore, ${roundOre('(factor - 1) * cap_ore')} AS coverage_ore
FROM lines ORDER BY unit_id`;
}

export interface DuckDbRun {
  loadSeconds: number;
  /** Best of three after a warm-up. */
  querySeconds: number;
  queryRuns: number[];
  amounts: UnitAmounts;
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
}

export async function runDuckDb(dir: string, rulebook: Rulebook, month: MonthInt): Promise<DuckDbRun> {
  const instance = await DuckDBInstance.create(':memory:');
  const con: DuckDBConnection = await instance.connect();
  try {
    // Row order does not matter to the query; DuckDB loads faster when it need not keep it.
    await con.run('SET preserve_insertion_order = false');
    const [, loadSeconds] = await time(async () => {
      for (const sql of loadStatements(dir)) await con.run(sql);
    });
    const sql = monthQuery(rulebook, month);
    const read = async (): Promise<UnitAmounts> => {
      const reader = await con.runAndReadAll(sql);
      const out: UnitAmounts = {};
      for (const row of reader.getRowsJS()) {
        out[String(row[0])] = [Number(row[1]), Number(row[2]), Number(row[3])];
      }
      return out;
    };
    await read(); // warm-up
    const runs: number[] = [];
    let amounts: UnitAmounts = {};
    for (let i = 0; i < 3; i++) {
      const [a, s] = await time(read);
      runs.push(s);
      amounts = a;
    }
    return { loadSeconds, querySeconds: Math.min(...runs), queryRuns: runs, amounts };
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}
