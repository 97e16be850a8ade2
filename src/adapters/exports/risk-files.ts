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
export function bandColumn(key: string): string {
  return `band_${key.replace('-', '_').replace('+', 'plus')}`;
}

/** Per unit (active in the month, by id): listed, mean score and persons per band. No person ids. */
export function riskUnitsCsv(data: DataSet, month: MonthContext, units: UnitRisk): string {
  const order = [...Array(data.units.count).keys()]
    .filter((u) => month.active[u])
    .sort((a, b) => compare(data.units.id[a], data.units.id[b]));
  const nb = units.bands.length;
  const header = ['unit_id', 'name', 'listed', 'mean_score', ...units.bands.map((b) => bandColumn(b.key))];
  const rows = order.map((u) => {
    const n = units.listed[u];
    const mean = n > 0 ? Math.round((units.scoreSum[u] / n) * 1000) / 1000 : 0;
    const bands = Array.from(units.bandCounts.subarray(u * nb, (u + 1) * nb), String);
    return [csvCell(data.units.id[u]), csvCell(data.units.name[u]), String(n), String(mean), ...bands].join(
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
      const row = month.listedRows[i];
      const p = listings.person[row];
      const flags = risk.categories[p];
      let cats = names.get(flags);
      if (cats === undefined) names.set(flags, (cats = categoryNames(map, flags).join('|')));
      chunk += `${csvCell(personIdOfRow(row))},${csvCell(units.id[listings.unit[row]])},${risk.score[p]},${cats}\n`;
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
