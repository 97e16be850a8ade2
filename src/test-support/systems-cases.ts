import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { headerLine } from '../core/data/files.js';
import { capitationYaml } from '../core/test-support/rulebook-yaml.js';
import { rulebookYaml, writeCaseFolder } from './cases.js';

/**
 * Small regions for narrow and area-scoped choice systems: rulebooks that pay flat capitation
 * under a scope, and units with the optional services and area columns.
 */

/** A rulebook test/NAME/2025 of region `region` with the given scope (YAML flow text). */
export function scopedRulebookText(name: string, annual: number, scope: string, region = 'Z'): string {
  return rulebookYaml(capitationYaml(annual), `scope: ${scope}`)
    .replace('id: test/vardval/2025', `id: test/${name}/2025`)
    .replace('region: {code: Z,', `region: {code: ${region},`);
}

/** Writes scopedRulebookText to DIR/NAME.yaml and returns the path. */
export function scopedRulebook(
  dir: string,
  name: string,
  annual: number,
  scope: string,
  region = 'Z',
): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, scopedRulebookText(name, annual, scope, region));
  return file;
}

/** A unit as unit_id, kommun, services (vardcentral|bvc or empty), area (or empty). */
export type SystemsUnit = [string, string, string, string];

/** units.csv with the optional services and area columns. */
export function unitsCsv(rows: SystemsUnit[]): string {
  return `${[
    headerLine('units.csv'),
    ...rows.map(
      ([id, kommun, services, area]) =>
        `${id},5560160680,VC ${id},private,${kommun},2020-01-01,,,,,${services},${area}`,
    ),
  ].join('\n')}\n`;
}

export const SYSTEMS_AREAS = [
  'A1,2361,1.2,tatort,5',
  'A2,2361,0.8,glesbygd,80',
  'A3,2321,1.0,landsbygd,40',
  'A4,2380,1.0,glesbygd,60',
  'A5,2380,1.1,tatort,3',
];

/** A data folder with these units, one listed person at each. */
export function systemsFolder(units: SystemsUnit[]): string {
  const listings = units.map(([id], i) => `P${i + 1},${id},,1980-01-01,F,A1,2020-01-01,,`);
  return writeCaseFolder({ areas: SYSTEMS_AREAS, listings }, { 'units.csv': unitsCsv(units) });
}
