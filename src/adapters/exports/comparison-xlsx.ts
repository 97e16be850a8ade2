import ExcelJS from 'exceljs';
import { aggregateRows, comparisonCells, formatSource } from '../../core/compare/compare.js';
import type { ComparisonDataset, FactValue } from '../../core/compare/dataset.js';

const SHEET_FACTS = 'Fakta';
const SHEET_MATRIX = 'Regioner';
const SHEET_AGGREGATES = 'Rapporterade antal';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF2' } };
const UNKNOWN_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

/** How a reader sees a value: ja, nej, okänt or the number. Unknown is never written as ja or nej. */
function valueSv(value: FactValue): string | number {
  if (typeof value === 'number') return value;
  return value === 'yes' ? 'ja' : value === 'no' ? 'nej' : 'okänt';
}

function header(ws: ExcelJS.Worksheet, cells: string[]): void {
  const row = ws.addRow(cells);
  row.font = { bold: true };
  row.eachCell((c) => (c.fill = HEADER_FILL));
}

/**
 * The comparison of the regions as an Excel workbook: a matrix of criteria × regions, every fact with
 * its source and quote, and the counts the seeds report beside the known yes.
 */
export async function comparisonXlsx(ds: ComparisonDataset): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Vårdval';
  wb.title = 'Jämförelse av regionernas förfrågningsunderlag';
  const cells = comparisonCells(ds);
  const at = new Map(cells.map((c) => [`${c.region_code}|${c.criterion}`, c]));

  const matrix = wb.addWorksheet(SHEET_MATRIX, { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  header(matrix, ['Kriterium', 'År', ...ds.regions.map((r) => r.code)]);
  for (const c of ds.criteria) {
    const row = matrix.addRow([
      c.label + (c.unit ? ` (${c.unit})` : ''),
      c.year ?? 'odaterat',
      ...ds.regions.map((r) => valueSv(at.get(`${r.code}|${c.id}`)!.value)),
    ]);
    row.eachCell((cell, col) => {
      if (col > 2 && cell.value === 'okänt') cell.fill = UNKNOWN_FILL;
    });
  }
  matrix.getColumn(1).width = 60;
  for (let i = 3; i <= ds.regions.length + 2; i++) matrix.getColumn(i).width = 7;

  const facts = wb.addWorksheet(SHEET_FACTS, { views: [{ state: 'frozen', ySplit: 1 }] });
  header(facts, ['region_code', 'Region', 'criterion', 'Kriterium', 'Värde', 'Källa', 'Citat', 'Anmärkning']);
  const names = new Map(ds.regions.map((r) => [r.code, r.name]));
  const labels = new Map(ds.criteria.map((c) => [c.id, c.label]));
  for (const c of cells)
    facts.addRow([
      c.region_code,
      names.get(c.region_code),
      c.criterion,
      labels.get(c.criterion),
      valueSv(c.value),
      formatSource(c.source),
      c.source?.quote ?? '',
      c.note ?? '',
    ]);
  [5, 22, 30, 50, 8, 60, 60, 60].forEach((w, i) => (facts.getColumn(i + 1).width = w));

  const agg = wb.addWorksheet(SHEET_AGGREGATES, { views: [{ state: 'frozen', ySplit: 1 }] });
  header(agg, [
    'criterion',
    'Kriterium',
    'År',
    'Källans antal',
    'Kända ja',
    'Kända nej',
    'Okända',
    'Härlett',
    'Källa',
    'Citat',
  ]);
  for (const a of aggregateRows(ds))
    agg.addRow([
      a.criterion,
      labels.get(a.criterion),
      a.year,
      a.reported_count,
      a.known_yes,
      a.known_no,
      a.unknown,
      a.derived ?? (a.reported_percent !== undefined ? `${a.reported_percent} % av ${a.base}` : ''),
      formatSource(a.source),
      a.source.quote,
    ]);
  [30, 50, 6, 12, 9, 9, 8, 40, 60, 60].forEach((w, i) => (agg.getColumn(i + 1).width = w));

  const written = await wb.xlsx.writeBuffer();
  return Buffer.from(written as unknown as Uint8Array);
}
