import ExcelJS from 'exceljs';
import type { IndicatorPoint, IndicatorSeries } from '../../core/followup/report.js';
import { csvCell } from './statements-files.js';

/**
 * Follow-up as a long table (one row per system, indicator, unit or region, and period), so it can
 * be filtered and pivoted: CSV for any tool, XLSX with a sheet per system. Only aggregates and
 * units, never persons.
 */

/** A point as a reader may see it: a small count is null for an analyst (röjandekontroll). */
export type ShownPoint = Omit<IndicatorPoint, 'numerator' | 'denominator'> & {
  numerator: number | null;
  denominator: number | null;
};
type ShownSeries = Omit<IndicatorSeries, 'region' | 'units'> & {
  region: ShownPoint[];
  units: { unit_id: string; name: string; points: ShownPoint[] }[];
};

export interface FollowUpSystem {
  rulebook_id: string;
  scope: string | null;
  indicators: ShownSeries[];
}

const HEADER = [
  'system',
  'indicator',
  'origin',
  'unit_id',
  'unit_name',
  'period_from',
  'period_to',
  'numerator',
  'denominator',
  'value',
  'target',
  'source',
];
const REGION = 'REGIONEN';

function rows(systems: FollowUpSystem[]): (string | number | null)[][] {
  const out: (string | number | null)[][] = [];
  for (const s of systems) {
    const system = s.scope ? `${s.rulebook_id} (${s.scope})` : s.rulebook_id;
    for (const ind of s.indicators) {
      const lines = [{ unit_id: REGION, name: 'Hela systemet', points: ind.region }, ...ind.units];
      for (const u of lines)
        for (const p of u.points)
          out.push([
            system,
            ind.id,
            ind.computed ? 'beräknad' : 'importerad',
            u.unit_id,
            u.name,
            p.from,
            p.to,
            p.numerator,
            p.denominator,
            p.value,
            ind.target,
            ind.source,
          ]);
    }
  }
  return out;
}

export function followUpCsv(systems: FollowUpSystem[]): string {
  const body = rows(systems).map((r) =>
    r.map((v) => (v === null ? '' : typeof v === 'number' ? String(v) : csvCell(v))).join(','),
  );
  return `${[HEADER.join(','), ...body].join('\n')}\n`;
}

export async function followUpXlsx(systems: FollowUpSystem[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Vårdval';
  wb.title = 'Uppföljning';
  const all = rows(systems);
  const ws = wb.addWorksheet('Uppföljning', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow([
    'System',
    'Indikator',
    'Ursprung',
    'HSA-id',
    'Enhet',
    'Från',
    'Till',
    'Täljare',
    'Nämnare',
    'Andel',
    'Mål',
    'Källa',
  ]);
  ws.getRow(1).font = { bold: true };
  for (const r of all) ws.addRow(r);
  ws.getColumn(10).numFmt = '0.0%';
  ws.getColumn(11).numFmt = '0%';
  ws.columns.forEach((col, i) => (col.width = [28, 22, 12, 20, 30, 12, 12, 10, 10, 10, 8, 50][i]));
  const written = await wb.xlsx.writeBuffer();
  return Buffer.from(written as unknown as Uint8Array);
}
