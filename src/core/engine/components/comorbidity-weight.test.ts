import { describe, expect, it } from 'vitest';
import { defined } from '../../test-support/defined.js';
import { capitationYaml } from '../../test-support/rulebook-yaml.js';
import { loadComorbidityCatalog } from '../../../adapters/files/comorbidity-files.js';
import { amounts, caseData, line, rulebookOf, rulebookYaml, runOn } from '../../test-support/cases.js';
import { parseMonth } from '../../calendar.js';
import { explainUnit, runMonth } from '../run.js';

// The Swedish Charlson map is reference data shipped with the product (data/comorbidity).
const comorbidity = loadComorbidityCatalog();

const capitation = (parts: string, weights = 'charlson_1987') =>
  capitationYaml(1200, `\n${parts.replace('WEIGHTS', weights)}`);

const comorbidityOnly = `    - share: 1
      weight:
        kind: comorbidity
        weights: WEIGHTS
        table: {"0": 0.8, "1-2": 1.5, "3-5": 3}
        default: 4`;

const besideRiskGroup = `    - share: 0.5
      weight: {kind: risk_group, table: {RUB1: 1, RUB3: 2}, default: 1, missing: 1}
    - share: 0.5
      weight: {kind: comorbidity, weights: WEIGHTS, table: {"0": 1, "1+": 3}, default: 1}`;

const visit = (id: string, person: string, unit: string, date: string, dx: string) =>
  `${id},${person},${unit},${date},lakare,fysiskt,,,${dx}`;

const files = {
  listings: [
    'P1,U1,,1950-01-01,F,A1,2020-01-01,,RUB1',
    'P2,U1,,1950-01-01,M,A1,2020-01-01,,RUB3',
    'P3,U2,,1950-01-01,F,A2,2020-01-01,,RUB1',
    'P4,U2,,1950-01-01,M,A2,2020-01-01,,RUB1',
  ],
  visits: [
    // P2: heart failure at another unit, COPD on the last day of the window → score 2.
    visit('V1', 'P2', 'U2', '2024-04-11', 'I50.0'),
    visit('V2', 'P2', 'U1', '2025-02-28', 'J44.9'),
    // P3: breast cancer that has spread → metastatic only (6 under Charlson 1987).
    visit('V3', 'P3', 'U2', '2024-10-01', 'C50.9|C78.0'),
    // P4: a heart attack on the first day of the month is after the window → score 0.
    visit('V4', 'P4', 'U2', '2025-03-01', 'I21.9'),
    // Not listed: ignored, though the visit is at U1.
    visit('V5', 'P9', 'U1', '2024-06-01', 'B20'),
  ],
};

const run = (components: string) =>
  runOn(rulebookOf(rulebookYaml(components)), caseData(files), '2025-03', { comorbidity });

describe('capitation weighted by comorbidity (the open Charlson grouper)', () => {
  it('weights each listed person by the band of their score, with the default for a score no band covers', () => {
    const s = run(capitation(comorbidityOnly));
    // 1 200 kr / 12 = 100 kr per weight. U1: 0.8 (P1, 0) + 1.5 (P2, 2); U2: 4 (P3, 6) + 0.8 (P4, 0).
    expect(amounts(s)).toEqual({ U1: { kap: 23000 }, U2: { kap: 48000 } });
  });

  it('scores by Quan 2011 when the rulebook says so', () => {
    const s = run(capitation(comorbidityOnly, 'quan_2011'));
    // Quan: P2 heart failure 2 + COPD 1 = 3 → 3; P3 metastatic 6 → default 4.
    expect(amounts(s)).toEqual({ U1: { kap: 38000 }, U2: { kap: 48000 } });
  });

  it('goes beside a risk group weight, each part with its share', () => {
    const s = run(capitation(besideRiskGroup));
    // U1: 0.5 × (1 + 2) + 0.5 × (1 + 3) = 3.5; U2: 0.5 × (1 + 1) + 0.5 × (3 + 1) = 3.
    expect(amounts(s)).toEqual({ U1: { kap: 35000 }, U2: { kap: 30000 } });
    expect(line(s, 'U1', 'kap')?.explanation).toContain('samsjuklighet: viktsumma × andel');
  });

  it('explains the persons per band at the unit and the window of the diagnoses', () => {
    const data = caseData(files);
    const result = runMonth({
      ...rulebookOf(rulebookYaml(capitation(comorbidityOnly))),
      rulebookSha256: 'test',
      data,
      month: parseMonth('2025-03')!,
      comorbidity,
    });
    if (!result.ok) throw new Error(result.issues[0]?.message);
    const { detail } = result;
    const rows = defined(explainUnit(detail, data, 'U2')?.[0]).rows.join('\n');
    expect(rows).toContain(
      'diagnoser 2023-03-01–2025-02-28: poäng 0 0,8, poäng 1–2 1,5, poäng 3–5 3; övriga 4',
    );
    expect(rows).toContain('personer per poängband: 0: 1, 1–2: 0, 3–5: 0, övriga: 1; medelpoäng 3');
  });

  it('refuses bands that overlap or run backwards', () => {
    const bad = (table: string) => () =>
      rulebookOf(rulebookYaml(capitation(comorbidityOnly.replace(/table: .*/, `table: ${table}`))));
    expect(bad('{"0-2": 1, "2+": 2}')).toThrow('Poängbanden 0-2 och 2+ överlappar');
    expect(bad('{"3-1": 1}')).toThrow('sista poäng är lägre');
    expect(bad('{"hög": 1}')).toThrow('Ett poängband skrivs 0, 3-4 eller 5+');
  });
});
