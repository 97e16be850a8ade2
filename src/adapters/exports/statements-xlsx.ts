import ExcelJS from 'exceljs';
import type { Statements } from '../../core/engine/run.js';
import { approvalText, componentColumns, OWNERSHIP_SV, selectUnits, type RunApproval } from './common.js';

/** Kronor with two decimals; Excel shows the separators of the reader's locale (`1 234,50 kr`). */
export const KRONOR_FORMAT = '#,##0.00 "kr"';

export const SHEET_SUMMARY = 'Sammanställning';
export const SHEET_LINES = 'Rader';
export const SHEET_RUN = 'Körning';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF2' } };

/**
 * The month's statements as an Excel workbook: a summary with one row per unit and one column per
 * component, every line with its explanation, and the run's identity. Amounts are numbers in kronor
 * (öre / 100), so they can be summed and filtered; totals are computed in whole öre.
 */
export async function statementsXlsx(
  s: Statements,
  options?: { unitIds?: string[]; approval?: RunApproval },
): Promise<Buffer> {
  const units = selectUnits(s, options?.unitIds);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Vårdval';
  wb.title = `Utbetalningsunderlag ${s.identity.month}`;
  wb.subject = s.identity.rulebook.id;
  const status = options?.approval ? approvalText(options.approval) : undefined;
  if (status) wb.description = status;

  addSummary(wb, s, units);
  addLines(wb, units);
  addRun(wb, s, units.length, status);
  if (status) markStatus(wb, status, options!.approval!.status === 'draft');

  const written = await wb.xlsx.writeBuffer();
  return Buffer.from(written as unknown as Uint8Array);
}

type Units = ReturnType<typeof selectUnits>;

function addSummary(wb: ExcelJS.Workbook, s: Statements, units: Units): void {
  const columns = componentColumns(units);
  const ws = wb.addWorksheet(SHEET_SUMMARY, { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  const fixed = ['HSA-id', 'Enhet', 'Organisationsnummer', 'Ägarform'];
  const header = [...fixed, ...columns.map((c) => c.label), 'Summa'];
  ws.addRow(header);

  const first = 2;
  for (const unit of units) {
    const byComponent = new Map<string, number>();
    for (const line of unit.lines)
      byComponent.set(line.component, (byComponent.get(line.component) ?? 0) + line.amount_ore);
    const amounts = columns.map((c) => {
      const ore = byComponent.get(c.component);
      return ore === undefined ? null : ore / 100;
    });
    ws.addRow([
      unit.unit_id,
      unit.name,
      unit.provider_id,
      OWNERSHIP_SV[unit.ownership],
      ...amounts,
      unit.total_ore / 100,
    ]);
  }
  const last = first + units.length - 1;

  // The total row: a formula for whoever edits the sheet, and its value cached (summed in öre) so
  // the figure shows without recalculation, in viewers that never calculate too.
  const totalRow = ws.addRow(['Summa', `${units.length} enheter`]);
  const amountCols = columns.map((c) => c.component);
  amountCols.push('');
  amountCols.forEach((component, i) => {
    const col = fixed.length + 1 + i;
    const ore = units.reduce(
      (sum, u) =>
        sum +
        (component === ''
          ? u.total_ore
          : u.lines.filter((l) => l.component === component).reduce((a, l) => a + l.amount_ore, 0)),
      0,
    );
    const letter = ws.getColumn(col).letter;
    totalRow.getCell(col).value =
      units.length === 0 ? 0 : { formula: `SUM(${letter}${first}:${letter}${last})`, result: ore / 100 };
  });
  totalRow.font = { bold: true };
  totalRow.eachCell({ includeEmpty: true }, (cell) => {
    cell.border = { top: { style: 'thin' }, bottom: { style: 'double' } };
  });

  styleHeader(ws.getRow(1));
  ws.getRow(1).height = 45;
  for (let col = fixed.length + 1; col <= header.length; col++) {
    const column = ws.getColumn(col);
    column.numFmt = KRONOR_FORMAT;
    column.width = 17;
  }
  ws.getColumn(header.length).font = { bold: true };
  fitWidths(ws, [1, 2, 3, 4], 10, 40);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(last, 1), column: header.length } };
  ws.pageSetup = { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  ws.pageSetup.printTitlesRow = '1:1';
}

function addLines(wb: ExcelJS.Workbook, units: Units): void {
  const ws = wb.addWorksheet(SHEET_LINES, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.columns = [
    { header: 'HSA-id', key: 'unit', width: 20 },
    { header: 'Enhet', key: 'name', width: 28 },
    { header: 'Komponent', key: 'component', width: 22 },
    { header: 'Benämning', key: 'label', width: 36 },
    { header: 'Antal', key: 'quantity', width: 14 },
    { header: 'Belopp (kr)', key: 'amount', width: 17, style: { numFmt: KRONOR_FORMAT } },
    { header: 'Förklaring', key: 'explanation', width: 100, style: { alignment: { wrapText: true } } },
  ];
  for (const unit of units) {
    for (const line of unit.lines) {
      const row = ws.addRow({
        unit: unit.unit_id,
        name: unit.name,
        component: line.component,
        label: line.label,
        quantity: line.quantity,
        amount: line.amount_ore / 100,
        explanation: line.explanation,
      });
      row.getCell('quantity').numFmt = quantityFormat(line.quantity);
      row.alignment = { vertical: 'top' };
      row.getCell('explanation').alignment = { vertical: 'top', wrapText: true };
    }
  }
  styleHeader(ws.getRow(1));
  fitWidths(ws, [1, 2, 3, 4], 10, 45);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(ws.rowCount, 1), column: 7 } };
  ws.pageSetup = { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  ws.pageSetup.printTitlesRow = '1:1';
}

/**
 * Where the run stands, where nobody can miss it: a note on the summary's first cell, and the
 * header of every printed page.
 */
function markStatus(wb: ExcelJS.Workbook, status: string, draft: boolean): void {
  const summary = wb.getWorksheet(SHEET_SUMMARY)!;
  summary.getCell('A1').note = status;
  if (draft) summary.properties.tabColor = { argb: 'FF9B1C1C' };
  for (const ws of wb.worksheets) ws.headerFooter.oddHeader = `&C&B${status.replace(/&/g, '&&')}`;
}

function addRun(wb: ExcelJS.Workbook, s: Statements, unitCount: number, status?: string): void {
  const { identity } = s;
  const ws = wb.addWorksheet(SHEET_RUN, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(['Uppgift', 'Värde']);
  const facts: [string, string | number][] = [
    ...(status === undefined ? [] : [['Status', status] as [string, string]]),
    ['Månad', identity.month],
    ...(identity.parameters_on === undefined
      ? []
      : [['Parametrar per (simulering)', identity.parameters_on] as [string, string]]),
    ['Regelbok', identity.rulebook.id],
    ['Regelbokens sha256', identity.rulebook.sha256],
    ['Motorversion', identity.engine_version],
    ['Enheter i underlaget', s.units.length],
    ['Enheter i exporten', unitCount],
    ['Summa för alla enheter', s.total_ore / 100],
  ];
  for (const [key, value] of facts) ws.addRow([key, value]);
  ws.getCell(`B${ws.rowCount}`).numFmt = KRONOR_FORMAT;
  ws.addRow([]);
  const inputsHeader = ws.addRow(['Indatafil', 'sha256']);
  for (const input of identity.inputs) ws.addRow([input.file, input.sha256]);

  styleHeader(ws.getRow(1));
  styleHeader(inputsHeader);
  ws.getColumn(1).width = 28;
  ws.getColumn(2).width = 70;
  ws.getColumn(2).alignment = { horizontal: 'left' };
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'top', wrapText: true };
    cell.border = { bottom: { style: 'thin' } };
  });
}

/** Column widths from the longest text, within bounds. */
function fitWidths(ws: ExcelJS.Worksheet, cols: number[], min: number, max: number): void {
  for (const col of cols) {
    const column = ws.getColumn(col);
    let longest = 0;
    column.eachCell({ includeEmpty: false }, (cell, rowNumber) => {
      if (rowNumber > 1) longest = Math.max(longest, String(cell.value ?? '').length);
    });
    column.width = Math.min(max, Math.max(min, longest + 2));
  }
}

/** Whole numbers without decimals; fractions with as many as they have (at most six). */
function quantityFormat(value: number): string {
  if (Number.isInteger(value)) return '#,##0';
  const decimals = Math.min(6, (String(value).split('.')[1] ?? '').length || 6);
  return `#,##0.${'0'.repeat(decimals)}`;
}
