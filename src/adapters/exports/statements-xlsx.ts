import { OWNERSHIP_SV } from '../../core/labels.js';
import ExcelJS from 'exceljs';
import type { Statements, UnitStatement } from '../../core/engine/run.js';
import {
  approvalText,
  componentColumns,
  countSv,
  formatOrgnr,
  monthNameSv,
  selectUnits,
  type RunApproval,
} from './common.js';

/** Kronor with two decimals; Excel shows the separators of the reader's locale (`1 234,50 kr`). */
export const KRONOR_FORMAT = '#,##0.00 "kr"';

export const SHEET_SUMMARY = 'Sammanställning';
export const SHEET_LINES = 'Rader';
export const SHEET_RUN = 'Körning';
export const SHEET_DERIVATION = 'Härledning';

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
  addDerivation(wb, units);
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
  const totalRow = ws.addRow(['Summa', countSv(units.length, 'enhet', 'enheter')]);
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
  printLandscape(ws);
}

function addLines(wb: ExcelJS.Workbook, units: Units): void {
  const ws = wb.addWorksheet(SHEET_LINES, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.columns = [
    { header: 'HSA-id', key: 'unit', width: 20 },
    { header: 'Enhet', key: 'name', width: 28 },
    { header: 'Komponent', key: 'component', width: 22 },
    ...lineColumns(100, 60),
  ];
  for (const unit of units) {
    for (const line of unit.lines) {
      const row = addLineRow(ws, { unit: unit.unit_id, name: unit.name, component: line.component }, line);
      row.alignment = { vertical: 'top' };
      row.getCell('explanation').alignment = { vertical: 'top', wrapText: true };
    }
  }
  styleHeader(ws.getRow(1));
  fitWidths(ws, [1, 2, 3, 4], 10, 45);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(ws.rowCount, 1), column: 8 } };
  printLandscape(ws);
}

type Line = UnitStatement['lines'][number];
const WRAP: Partial<ExcelJS.Style> = { alignment: { wrapText: true } };

/** The columns a sheet of statement lines shares after its own leading columns. */
function lineColumns(explanationWidth: number, sourceWidth: number): Partial<ExcelJS.Column>[] {
  return [
    { header: 'Benämning', key: 'label', width: 36 },
    { header: 'Antal', key: 'quantity', width: 14 },
    { header: 'Belopp (kr)', key: 'amount', width: 17, style: { numFmt: KRONOR_FORMAT } },
    { header: 'Förklaring', key: 'explanation', width: explanationWidth, style: WRAP },
    { header: 'Källa', key: 'source', width: sourceWidth, style: WRAP },
  ];
}

/** One statement line as a row of a sheet with {@link lineColumns}, after the sheet's own cells. */
function addLineRow(
  ws: ExcelJS.Worksheet,
  leading: Record<string, string | number>,
  line: Line,
): ExcelJS.Row {
  const row = ws.addRow({
    ...leading,
    label: line.label,
    quantity: line.quantity,
    amount: line.amount_ore / 100,
    explanation: line.explanation,
    source: line.source ?? '',
  });
  row.getCell('quantity').numFmt = quantityFormat(line.quantity);
  return row;
}

/** Landscape A4, one page wide, the header row repeated on every printed page. */
function printLandscape(ws: ExcelJS.Worksheet): void {
  ws.pageSetup = { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
  ws.pageSetup.printTitlesRow = '1:1';
}

/** Every line's derivation, one step a row: what the statement page shows under each line. */
function addDerivation(wb: ExcelJS.Workbook, units: Units, name = SHEET_DERIVATION): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.columns = [
    { header: 'HSA-id', key: 'unit', width: 20 },
    { header: 'Komponent', key: 'component', width: 22 },
    { header: 'Steg', key: 'label', width: 60 },
    { header: 'Antal', key: 'quantity', width: 14 },
    { header: 'Sats eller vikt', key: 'rate', width: 14 },
    { header: 'Enhet', key: 'rateUnit', width: 16 },
    { header: 'Gäller från', key: 'validFrom', width: 12 },
    { header: 'Resultat', key: 'result', width: 12 },
    { header: 'Belopp (kr)', key: 'amount', width: 17, style: { numFmt: KRONOR_FORMAT } },
    { header: 'Källa', key: 'source', width: 50 },
  ];
  for (const unit of units) {
    for (const line of unit.lines) {
      const steps = line.derivation?.steps ?? [{ label: line.explanation }];
      for (const step of steps) {
        const row = ws.addRow({
          unit: unit.unit_id,
          component: line.component,
          label: step.label,
          quantity: step.quantity ?? null,
          rate: step.rate ?? null,
          rateUnit: step.rate_unit ?? '',
          validFrom: step.valid_from ?? '',
          result: step.result === undefined || Number.isNaN(step.result) ? null : step.result,
          amount: step.amount_ore === undefined ? null : step.amount_ore / 100,
          source: line.source ?? '',
        });
        if (step.quantity !== undefined) row.getCell('quantity').numFmt = quantityFormat(step.quantity);
        row.alignment = { vertical: 'top' };
        row.getCell('label').alignment = { vertical: 'top', wrapText: true };
      }
    }
  }
  styleHeader(ws.getRow(1));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(ws.rowCount, 1), column: 10 } };
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

/** One paid run of a month in a provider's year: its statements for the provider's units. */
export interface YearRun {
  runId: number;
  month: string;
  rulebookId: string;
  approval: RunApproval;
  /** Set when the run corrects an earlier one: it pays the difference. */
  correctsRunId: number | null;
  units: UnitStatement[];
}

export const SHEET_YEAR_SUMMARY = 'Sammanställning';

/**
 * A provider's statements for a year, for its bookkeeping: a summary (what each run paid, month by
 * month, and the year's total) and a sheet per month with every line, its explanation and source.
 * A correction's lines are the whole new computation less what was paid before, so the month's rows
 * add up to what was paid in the month.
 */
export async function providerYearXlsx(input: {
  providerId: string;
  providerName?: string;
  year: string;
  runs: YearRun[];
}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Vårdval';
  wb.title = `Utbetalningsunderlag ${input.year} för ${formatOrgnr(input.providerId)}`;
  const summary = wb.addWorksheet(SHEET_YEAR_SUMMARY, { views: [{ state: 'frozen', ySplit: 4 }] });
  summary.addRow([`Utbetalningsunderlag ${input.year}`, input.providerName ?? formatOrgnr(input.providerId)]);
  summary.addRow(['Organisationsnummer', formatOrgnr(input.providerId)]);
  summary.addRow([]);
  const header = summary.addRow(['Månad', 'Körning', 'Regelbok', 'Status', 'Enheter', 'Summa (kr)']);
  styleHeader(header);
  summary.getRow(1).font = { bold: true, size: 13 };
  const months = [...new Set(input.runs.map((r) => r.month))].sort();
  let yearOre = 0;
  for (const month of months) {
    const runs = input.runs.filter((r) => r.month === month).sort((a, b) => a.runId - b.runId);
    for (const run of runs) {
      const ore = run.units.reduce((s, u) => s + u.total_ore, 0);
      yearOre += ore;
      const row = summary.addRow([
        monthNameSv(month),
        run.correctsRunId ? `${run.runId} (korrigerar ${run.correctsRunId})` : run.runId,
        run.rulebookId,
        approvalText(run.approval),
        run.units.length,
        ore / 100,
      ]);
      row.getCell(6).numFmt = KRONOR_FORMAT;
    }
    addMonthSheet(wb, month, runs);
  }
  const total = summary.addRow(['Summa för året', '', '', '', '', yearOre / 100]);
  total.font = { bold: true };
  total.getCell(6).numFmt = KRONOR_FORMAT;
  total.getCell(6).border = { top: { style: 'thin' }, bottom: { style: 'double' } };
  if (months.length === 0) summary.addRow(['Inga godkända utbetalningar under året']);
  summary.getColumn(1).width = 20;
  summary.getColumn(2).width = 22;
  summary.getColumn(3).width = 26;
  summary.getColumn(4).width = 60;
  summary.getColumn(5).width = 10;
  summary.getColumn(6).width = 18;
  const written = await wb.xlsx.writeBuffer();
  return Buffer.from(written as unknown as Uint8Array);
}

function addMonthSheet(wb: ExcelJS.Workbook, month: string, runs: YearRun[]): void {
  const ws = wb.addWorksheet(month, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: 'Körning', key: 'run', width: 10 },
    { header: 'HSA-id', key: 'unit', width: 20 },
    { header: 'Enhet', key: 'name', width: 28 },
    ...lineColumns(90, 50),
  ];
  let ore = 0;
  for (const run of runs) {
    for (const unit of run.units) {
      ore += unit.total_ore;
      for (const line of unit.lines) {
        const row = addLineRow(ws, { run: run.runId, unit: unit.unit_id, name: unit.name }, line);
        row.alignment = { vertical: 'top', wrapText: true };
      }
    }
  }
  const total = ws.addRow({ run: 'Summa', amount: ore / 100 });
  total.font = { bold: true };
  styleHeader(ws.getRow(1));
}
