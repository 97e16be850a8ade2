import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capitationYaml } from '../test-support/rulebook-yaml.js';
import { runSystems } from '../../adapters/files/payment-run.js';
import { loadRulebookFile, parseRulebookText } from '../../adapters/files/rulebook-file.js';
import { InputErrors } from '../../adapters/files/located-error.js';
import { caseData, rulebookYaml } from '../test-support/cases.js';
import { parseMonth } from '../calendar.js';

/**
 * A region with two choice systems (differentierat vårdval): Landsbygd for the units in Åre (2321)
 * and Härjedalen (2361), Tätort for every other kommun. Each pays capitation at its own level.
 */
const capitation = (annual: number) => capitationYaml(annual);

/**
 * A choice system's rulebook `test/<id>/2025`: capitation at `annual` kronor a year, for the units in
 * the kommuner given, or (`'other'`) in every kommun no other system names.
 */
function system(id: string, annual: number, label: string, kommuner: string[] | 'other') {
  const covers =
    kommuner === 'other' ? 'other_kommuner: true' : `kommuner: [${kommuner.map((k) => `'${k}'`).join(', ')}]`;
  const scope = `scope: {label: ${label}, ${covers}, source: "FFU 1.2"}`;
  const text = rulebookYaml(capitation(annual), scope).replace(
    'id: test/vardval/2025',
    `id: test/${id}/2025`,
  );
  return parseRulebookText(text, `${id}.yaml`);
}

const landsbygd = system('vardvalsystem-landsbygd', 2400, 'Landsbygd', ['2321', '2361']);
const tatort = system('vardvalsystem-tatort', 1200, 'Tätort', 'other');

const files = {
  units: [
    'U1,5560160680,VC Östersund,private,2380,2020-01-01,,,,',
    'U2,2321000016,VC Funäsdalen,public,2361,2020-01-01,,,,',
    'U3,2321000016,VC Åre,public,2321,2020-01-01,,,,',
    'U4,5560160680,VC Utan kommun,private,,2020-01-01,,,,',
  ],
  listings: [
    'P1,U1,,1980-01-01,F,A1,2020-01-01,,',
    'P2,U1,,1980-01-01,M,A1,2020-01-01,,',
    'P3,U2,,1980-01-01,F,A2,2020-01-01,,',
    'P4,U3,,1980-01-01,F,A2,2020-01-01,,',
    'P5,U3,,1980-01-01,M,A2,2020-01-01,,',
    'P6,U4,,1980-01-01,M,A1,2020-01-01,,',
  ],
};
const month = parseMonth('2025-03')!;

describe('differentiated choice systems', () => {
  it('pays each unit by the rulebook of its kommun’s system', () => {
    const data = caseData(files);
    const { statements, systems } = runSystems([landsbygd, tatort], data, month);
    const byUnit = Object.fromEntries(statements.units.map((u) => [u.unit_id, [u.rulebook, u.total_ore]]));
    expect(byUnit).toEqual({
      U1: ['test/vardvalsystem-tatort/2025', 20_000], // 2 × 1 200 / 12
      U2: ['test/vardvalsystem-landsbygd/2025', 20_000], // 1 × 2 400 / 12
      U3: ['test/vardvalsystem-landsbygd/2025', 40_000], // 2 × 2 400 / 12
      U4: ['test/vardvalsystem-tatort/2025', 10_000], // no kommun: the catch-all system
    });
    expect(statements.total_ore).toBe(90_000);
    expect(
      systems.map((s) => [s.label, s.statements.units.map((u) => u.unit_id), s.statements.total_ore]),
    ).toEqual([
      ['Landsbygd', ['U2', 'U3'], 60_000],
      ['Tätort', ['U1', 'U4'], 30_000],
    ]);
    expect(statements.identity.systems?.map((s) => [s.id, s.scope])).toEqual([
      ['test/vardvalsystem-landsbygd/2025', 'Landsbygd'],
      ['test/vardvalsystem-tatort/2025', 'Tätort'],
    ]);
    expect(statements.identity.rulebook.id).toBe(
      'test/vardvalsystem-landsbygd/2025+test/vardvalsystem-tatort/2025',
    );
  });

  it('gives the same result whatever the order of the rulebooks', () => {
    const data = caseData(files);
    const a = runSystems([landsbygd, tatort], data, month).statements.units;
    const b = runSystems([tatort, landsbygd], data, month).statements.units;
    expect(b).toEqual(a);
  });

  it('refuses a unit no system covers, with its line in units.csv', () => {
    const scopedTatort = system('vardvalsystem-tatort', 1200, 'Tätort', ['2380']);
    const data = caseData(files);
    try {
      runSystems([landsbygd, scopedTatort], data, month);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputErrors);
      const errors = (e as InputErrors).errors;
      expect(errors.map((x) => [x.file, x.line, x.code])).toEqual([['units.csv', 5, 'data.no_system']]);
      expect(errors[0]?.message).toContain('U4');
    }
  });

  it('refuses two systems claiming the same kommun', () => {
    const other = system('vardval-fjall', 3000, 'Fjäll', ['2361']);
    const data = caseData(files);
    expect(() => runSystems([landsbygd, other, tatort], data, month)).toThrow(/2361.*både/s);
  });

  it('the example pair pays the synthetic region’s units by kommun', () => {
    const dir = join(process.cwd(), 'rulebooks', 'exempel');
    const pair = ['vardvalsystem-landsbygd-2025.yaml', 'vardvalsystem-tatort-2025.yaml'].map((f) =>
      loadRulebookFile(join(dir, f)),
    );
    expect(pair.map((p) => p.rulebook.scope?.label)).toEqual(['Landsbygd', 'Tätort']);
    const rural = new Set(pair[0]?.rulebook.scope?.kommuner);
    expect(rural.has('2380')).toBe(false); // Östersund is the urban system's
    expect(rural.has('2361')).toBe(true);
  });
});
