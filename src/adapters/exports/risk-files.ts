import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSet } from '../../core/data/dataset.js';
import type { MonthContext } from '../../core/engine/month-context.js';
import { compare } from '../../core/engine/run.js';
import { categoryNames, type ComorbidityMap } from '../../core/risk/comorbidity-map.js';
import type { UnitRisk } from '../../core/risk/grouper.js';
import type { PersonRisk } from '../../core/risk/month-risk.js';
import { csvCell } from './statements-files.js';

/** risk-units.csv's column for a band: band_0, band_3_4, band_5plus. */
function bandColumn(key: string): string {
  return `band_${key.replace('-', '_').replace('+', 'plus')}`;
}

/** One unit's risk in a month: its listed persons, their summed score and the persons per band. */
export interface UnitRiskRow {
  unitId: string;
  name: string;
  listed: number;
  scoreSum: number;
  bands: number[];
}

/** The units active in the month, by id, each with its risk figures. */
export function unitRiskRows(data: DataSet, month: MonthContext, units: UnitRisk): UnitRiskRow[] {
  const nb = units.bands.length;
  return [...Array(data.units.count).keys()]
    .filter((u) => month.active[u])
    .map((u) => ({
      unitId: data.units.id[u]!,
      name: data.units.name[u]!,
      listed: units.listed[u]!,
      scoreSum: units.scoreSum[u]!,
      bands: Array.from(units.bandCounts.subarray(u * nb, (u + 1) * nb)),
    }))
    .sort((a, b) => compare(a.unitId, b.unitId));
}

/** Per unit (active in the month, by id): listed, mean score and persons per band. No person ids. */
function riskUnitsCsv(data: DataSet, month: MonthContext, units: UnitRisk): string {
  const header = ['unit_id', 'name', 'listed', 'mean_score', ...units.bands.map((b) => bandColumn(b.key))];
  const rows = unitRiskRows(data, month, units).map((u) => {
    const mean = u.listed > 0 ? Math.round((u.scoreSum / u.listed) * 1000) / 1000 : 0;
    return [csvCell(u.unitId), csvCell(u.name), String(u.listed), String(mean), ...u.bands.map(String)].join(
      ',',
    );
  });
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

/**
 * risk.csv: one row per person listed on the cut-off day, in listings.csv's order. It holds person
 * ids and is for the region's own use; it is written in chunks (10 M rows at national scale).
 */
function writeRiskCsv(
  path: string,
  data: DataSet,
  month: MonthContext,
  risk: PersonRisk,
  map: ComorbidityMap,
  personIdOfRow: (row: number) => string,
): void {
  const fd = openSync(path, 'w');
  try {
    const names = new Map<number, string>();
    let chunk = 'person_id,unit_id,score,categories\n';
    const { listings, units } = data;
    for (let i = 0; i < month.listedRows.length; i++) {
      const row = month.listedRows[i]!;
      const p = listings.person[row]!;
      const flags = risk.categories[p]!;
      let cats = names.get(flags);
      if (cats === undefined) names.set(flags, (cats = categoryNames(map, flags).join('|')));
      chunk += `${csvCell(personIdOfRow(row))},${csvCell(units.id[listings.unit[row]!]!)},${risk.score[p]},${cats}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

export function writeRisk(
  dir: string,
  data: DataSet,
  month: MonthContext,
  risk: PersonRisk,
  map: ComorbidityMap,
  units: UnitRisk,
  personIdOfRow: (row: number) => string,
): string[] {
  mkdirSync(dir, { recursive: true });
  writeRiskCsv(join(dir, '.risk.csv.tmp'), data, month, risk, map, personIdOfRow);
  writeFileSync(join(dir, '.risk-units.csv.tmp'), riskUnitsCsv(data, month, units));
  for (const name of ['risk.csv', 'risk-units.csv']) renameSync(join(dir, `.${name}.tmp`), join(dir, name));
  return ['risk.csv', 'risk-units.csv'].map((n) => join(dir, n));
}
