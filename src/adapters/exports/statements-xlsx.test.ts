import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Statements } from '../../core/engine/run.js';
import { runCase } from '../../test-support/cases.js';
import {
  KRONOR_FORMAT,
  providerYearXlsx,
  SHEET_DERIVATION,
  SHEET_LINES,
  SHEET_RUN,
  SHEET_SUMMARY,
  SHEET_YEAR_SUMMARY,
  statementsXlsx,
  type YearRun,
} from './statements-xlsx.js';
import type { RunApproval } from './common.js';

const approved: RunApproval = { status: 'approved', by: 'attestant', at: new Date('2025-04-03T10:00:00Z') };
import { sampleStatements } from './test-support/sample-statements.js';
import { nth } from '../../test-support/nth.js';

async function readBack(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return wb;
}

/** Kronor cells back to whole öre: exact for any amount an Excel double holds to the öre. */
const ore = (v: unknown): number => Math.round(Number(v) * 100);

function headerIndex(ws: ExcelJS.Worksheet): Map<string, number> {
  const index = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => index.set(String(cell.value), col));
  return index;
}

async function checkTotals(s: Statements, unitIds?: string[]): Promise<ExcelJS.Workbook> {
  const wb = await readBack(await statementsXlsx(s, unitIds ? { unitIds } : undefined));
  const units = unitIds ? unitIds.map((id) => s.units.find((u) => u.unit_id === id)!) : s.units;
  const expectedTotal = units.reduce((a, u) => a + u.total_ore, 0);

  const summary = wb.getWorksheet(SHEET_SUMMARY)!;
  const cols = headerIndex(summary);
  const totalCol = cols.get('Summa')!;
  const firstAmountCol = cols.get('Ägarform')! + 1;
  const totalRow = summary.getRow(units.length + 2);
  expect(totalRow.getCell(1).value).toBe('Summa');

  let allCells = 0;
  units.forEach((unit, i) => {
    const row = summary.getRow(i + 2);
    expect(row.getCell(1).value).toBe(unit.unit_id);
    let rowSum = 0;
    for (let col = firstAmountCol; col < totalCol; col++) rowSum += ore(row.getCell(col).value ?? 0);
    expect(rowSum).toBe(unit.total_ore);
    expect(ore(row.getCell(totalCol).value)).toBe(unit.total_ore);
    allCells += rowSum;
  });
  expect(allCells).toBe(expectedTotal);

  // Every amount column's total: a SUM over the unit rows with its result cached.
  for (let col = firstAmountCol; col <= totalCol; col++) {
    const value = totalRow.getCell(col).value as ExcelJS.CellFormulaValue;
    const letter = summary.getColumn(col).letter;
    expect(value.formula).toBe(`SUM(${letter}2:${letter}${units.length + 1})`);
    let columnSum = 0;
    for (let r = 2; r <= units.length + 1; r++) columnSum += ore(summary.getRow(r).getCell(col).value ?? 0);
    expect(ore(value.result)).toBe(columnSum);
  }
  expect(ore((totalRow.getCell(totalCol).value as ExcelJS.CellFormulaValue).result)).toBe(expectedTotal);

  // Rader: one row per unit and line, summing to the same total.
  const lines = wb.getWorksheet(SHEET_LINES)!;
  const lineCols = headerIndex(lines);
  const lineCount = units.reduce((a, u) => a + u.lines.length, 0);
  expect(lines.rowCount).toBe(lineCount + 1);
  let linesSum = 0;
  for (let r = 2; r <= lines.rowCount; r++)
    linesSum += ore(lines.getRow(r).getCell(lineCols.get('Belopp (kr)')!).value);
  expect(linesSum).toBe(expectedTotal);
  return wb;
}

describe('statementsXlsx', () => {
  it('writes four Swedish sheets whose amounts add up to the statements to the öre', async () => {
    const s = sampleStatements();
    const wb = await checkTotals(s);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      SHEET_SUMMARY,
      SHEET_LINES,
      SHEET_DERIVATION,
      SHEET_RUN,
    ]);

    const summary = wb.getWorksheet(SHEET_SUMMARY)!;
    expect(summary.getRow(1).values).toEqual([
      undefined,
      'HSA-id',
      'Enhet',
      'Organisationsnummer',
      'Ägarform',
      // Components in rulebook order, one seen only in a later unit after its predecessor there.
      'Kapiteringsersättning',
      'Geografiskt tillägg',
      'Besöksersättning',
      'Vite för utebliven SIP',
      'Momskompensation',
      'Summa',
    ]);
    expect([2, 3, 4].map((r) => summary.getRow(r).getCell(4).value)).toEqual([
      'privat',
      'offentlig',
      'idéburen',
    ]);
    // A component a unit has no line for is empty, not zero.
    expect(summary.getRow(4).getCell(5).value).toBeNull();
    expect(summary.getRow(4).getCell(6).value).toBeNull();
    expect(summary.getRow(2).getCell(8).value).toBe(-10000.33);
    expect(summary.getRow(2).getCell(10).value).toBe(1418100.92);
    for (let col = 5; col <= 10; col++) {
      expect(summary.getRow(2).getCell(col).numFmt).toBe(KRONOR_FORMAT);
      expect(summary.getRow(5).getCell(col).numFmt).toBe(KRONOR_FORMAT);
    }
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(summary.autoFilter).toBeTruthy();

    const lines = wb.getWorksheet(SHEET_LINES)!;
    expect(lines.getRow(1).values).toEqual([
      undefined,
      'HSA-id',
      'Enhet',
      'Komponent',
      'Benämning',
      'Antal',
      'Belopp (kr)',
      'Förklaring',
      'Källa',
    ]);
    expect(lines.getRow(3).getCell(8).value).toBe('FFU 2025 avsnitt 9.4 <Besöksersättning>');

    const derivation = wb.getWorksheet(SHEET_DERIVATION)!;
    const doctor = derivation
      .getRows(1, derivation.rowCount)!
      .find((r) => r.getCell(3).value === 'läkare, fysiskt besök')!;
    expect(doctor.getCell(4).value).toBe(33);
    expect(doctor.getCell(5).value).toBe(350);
    expect(doctor.getCell(7).value).toBe('2025-01-01');
    expect(doctor.getCell(9).value).toBe(11550);
    const first = lines.getRow(2);
    expect(first.getCell(6).numFmt).toBe(KRONOR_FORMAT);
    expect(first.getCell(7).value).toBe(nth(nth(s.units, 0).lines, 0).explanation);
    expect(lines.getRow(5).getCell(5).value).toBe(1442547.09);
    expect(lines.getRow(5).getCell(5).numFmt).toBe('#,##0.00');
    expect(lines.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const run = wb.getWorksheet(SHEET_RUN)!;
    const facts = new Map<string, unknown>();
    run.eachRow((row) => facts.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(facts.get('Månad')).toBe('2025-03');
    expect(facts.get('Regelbok')).toBe('exempel/vardval/2025');
    expect(facts.get('Regelbokens sha256')).toBe(s.identity.rulebook.sha256);
    expect(facts.get('Motorversion')).toBe('0.1.0');
    for (const input of s.identity.inputs) expect(facts.get(input.file)).toBe(input.sha256);
  });

  it('exports only the asked-for units, in the asked-for order, and refuses unknown ones', async () => {
    const s = sampleStatements();
    await checkTotals(s, ['SE2321000016-CCC3', 'SE2321000016-AAA1']);
    await expect(statementsXlsx(s, { unitIds: ['nope'] })).rejects.toThrow(/nope/);
  });

  it('adds up statements the engine computed', async () => {
    const s = runCase(
      `
- id: kap
  type: capitation
  label: Kapitering
  source: "FFU 9.2"
  annual_amount: 2460.37
  parts:
    - share: 1
      weight: {kind: cni, reference: 1.0}`,
      {
        listings: [
          'P1,U1,,1950-01-01,F,A1,2020-01-01,,',
          'P2,U1,,1990-01-01,M,A2,2020-01-01,,',
          'P3,U2,,2010-01-01,F,A2,2020-01-01,,',
        ],
      },
    );
    expect(s.total_ore).not.toBe(0);
    await checkTotals(s);
  });

  it('writes a provider’s year: a summary of what each run paid and a sheet per month that adds up', async () => {
    const s = sampleStatements();
    const own = s.units.slice(0, 2);
    const runs: YearRun[] = [
      { runId: 3, month: '2025-03', rulebookId: 'r', correctsRunId: null, approval: approved, units: own },
      { runId: 4, month: '2025-04', rulebookId: 'r', correctsRunId: null, approval: approved, units: own },
      {
        runId: 7,
        month: '2025-03',
        rulebookId: 'r',
        correctsRunId: 3,
        approval: approved,
        units: own.slice(0, 1),
      },
    ];
    const wb = await readBack(await providerYearXlsx({ providerId: '5585545352', year: '2025', runs }));
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET_YEAR_SUMMARY, '2025-03', '2025-04']);
    const paid = (units: typeof own) => units.reduce((a, u) => a + u.total_ore, 0);
    const summary = wb.getWorksheet(SHEET_YEAR_SUMMARY)!;
    const rows = summary.getRows(5, 3)!;
    expect(rows.map((r) => r.getCell(1).value)).toEqual(['mars 2025', 'mars 2025', 'april 2025']);
    expect(nth(rows, 1).getCell(2).value).toBe('7 (korrigerar 3)');
    expect(rows.map((r) => ore(r.getCell(6).value))).toEqual([paid(own), paid(own.slice(0, 1)), paid(own)]);
    const total = summary.getRow(8);
    expect(total.getCell(1).value).toBe('Summa för året');
    expect(ore(total.getCell(6).value)).toBe(paid(own) * 2 + paid(own.slice(0, 1)));
    const march = wb.getWorksheet('2025-03')!;
    let lineSum = 0;
    march.eachRow((row, n) => {
      if (n > 1 && row.getCell(1).value !== 'Summa') lineSum += ore(row.getCell(6).value);
    });
    expect(lineSum).toBe(paid(own) + paid(own.slice(0, 1)));
    expect(march.getRow(1).getCell(8).value).toBe('Källa');
  });
});
