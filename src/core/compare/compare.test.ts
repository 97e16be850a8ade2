import { describe, expect, it } from 'vitest';
import { parseRulebookText } from '../../adapters/files/rulebook-file.js';
import { rulebookYaml } from '../test-support/cases.js';
import {
  aggregateContradictions,
  aggregateRows,
  budgetShares,
  changesOverTime,
  comparisonCells,
  factRows,
  hslMatrix,
} from './compare.js';
import { baselineConformance, compensationFeatures } from './conformance.js';
import { validateComparison, type ComparisonDataset, type ComparisonInput } from './dataset.js';

const SRC = {
  seed: 'praktikertjanst-2024-hur-styr-regionerna.txt',
  section: 'Krav på hälsosamtal',
  quote: 'x',
};

function input(facts: unknown[], aggregates: unknown[] = []): ComparisonInput {
  return {
    regions: {
      source: SRC,
      regions: [
        { code: 'AB', name: 'Region Stockholm' },
        { code: 'C', name: 'Region Uppsala' },
        { code: 'D', name: 'Region Sörmland' },
      ],
    },
    criteria: {
      criteria: [
        { id: 'sip', group: 'hsl', hsl_point: 4, kind: 'boolean', year: 2024, label: 'SIP' },
        { id: 'psychologist', group: 'hsl', hsl_point: 1, kind: 'boolean', year: 2024, label: 'Psykolog' },
        {
          id: 'primary_care_budget_share_percent',
          group: 'budget',
          kind: 'number',
          year: 2024,
          label: 'Andel',
        },
      ],
    },
    facts: { facts },
    aggregates: { aggregates },
  };
}

function dataset(facts: unknown[], aggregates: unknown[] = []): ComparisonDataset {
  const r = validateComparison(input(facts, aggregates));
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.dataset;
}

describe('the comparison data set', () => {
  it('expands all and all_except, keeps a year per fact and leaves the rest unknown', () => {
    const ds = dataset([
      { criterion: 'sip', regions: 'all', value: 'yes', source: SRC },
      { criterion: 'sip', all_except: ['AB'], year: 2022, value: 'no', source: SRC },
      { criterion: 'psychologist', regions: ['C'], value: 'yes', source: SRC },
    ]);
    const cells = comparisonCells(ds);
    expect(cells).toHaveLength(9);
    const at = (r: string, c: string) => cells.find((x) => x.region_code === r && x.criterion === c)!;
    expect(at('D', 'sip').value).toBe('yes'); // the 2024 fact, not the 2022 one
    expect(at('C', 'psychologist')).toMatchObject({ value: 'yes', source: SRC });
    expect(at('AB', 'psychologist')).toEqual({
      region_code: 'AB',
      criterion: 'psychologist',
      value: 'unknown',
    });
    expect(at('D', 'primary_care_budget_share_percent').value).toBe('unknown');
  });

  it('names the file, the path and the reason for every inconsistency', () => {
    // Six facts, each wrong in its own way (reported once the seeds are right).
    const wrong = [
      { criterion: 'sip', regions: ['Q'], value: 'yes', source: SRC },
      { criterion: 'sip', regions: ['AB'], value: 3, source: SRC },
      { criterion: 'nope', regions: ['AB'], value: 'yes', source: SRC },
      { criterion: 'psychologist', regions: ['C'], value: 'yes', source: SRC },
      { criterion: 'psychologist', regions: 'all', value: 'no', source: SRC },
      { criterion: 'primary_care_budget_share_percent', regions: ['C'], value: 'yes', source: SRC },
    ];
    const counts = [{ criterion: 'sip', year: 2024, source: SRC }];
    const r = validateComparison(
      input(
        [...wrong, { criterion: 'sip', regions: ['C'], value: 'yes', source: { ...SRC, seed: 'annan.txt' } }],
        counts,
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // The seed is checked by shape first, so only that issue is reported for facts.
    expect(r.issues).toEqual([
      expect.objectContaining({ file: 'facts', path: ['facts', 6, 'source', 'seed'] }),
    ]);
    const r2 = validateComparison(input(wrong, counts));
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    expect(r2.issues.map((i) => [i.file, i.path.join('.'), i.code])).toEqual([
      ['facts', 'facts.0.regions.0', 'compare.unknown_region'],
      ['facts', 'facts.1.value', 'compare.value_kind'],
      ['facts', 'facts.2.criterion', 'compare.unknown_criterion'],
      ['facts', 'facts.4.criterion', 'compare.duplicate_fact'],
      ['facts', 'facts.5.value', 'compare.value_kind'],
      ['aggregates', 'aggregates.0.reported_count', 'compare.reported'],
    ]);
    expect(r2.issues[3]?.message).toBe('C har redan ett faktum för psychologist 2024 (facts[3])');
  });

  it('puts the reported count beside the known yes of the same year, and finds contradictions', () => {
    const ds = dataset(
      [
        { criterion: 'sip', regions: ['AB', 'C'], value: 'yes', source: SRC },
        { criterion: 'sip', regions: ['D'], value: 'no', source: SRC },
        { criterion: 'sip', regions: ['AB'], year: 2022, value: 'yes', source: SRC },
        { criterion: 'psychologist', regions: ['AB', 'C'], value: 'no', source: SRC },
      ],
      [
        { criterion: 'sip', year: 2024, reported_count: 2, source: SRC },
        { criterion: 'sip', year: 2022, reported_percent: 67, base: 3, source: SRC },
        { criterion: 'psychologist', year: 2024, reported_count: 2, source: SRC },
      ],
    );
    expect(
      aggregateRows(ds).map((a) => [a.criterion, a.year, a.reported_count, a.known_yes, a.unknown]),
    ).toEqual([
      ['sip', 2024, 2, 2, 0],
      ['sip', 2022, 2, 1, 2],
      ['psychologist', 2024, 2, 0, 1],
    ]);
    // Two regions say no, so at most one can say yes: the count 2 is contradicted.
    expect(aggregateContradictions(ds)).toEqual([
      'psychologist 2024: källan anger 2, men 2 av 3 regioner har nej',
    ]);
    const wrong = dataset(
      [{ criterion: 'sip', regions: 'all', value: 'yes', source: SRC }],
      [{ criterion: 'sip', year: 2024, reported_count: 2, source: SRC }],
    );
    expect(aggregateContradictions(wrong)).toEqual([
      'sip 2024: källan anger 2, men 3 regioner har ja',
      'sip 2024: källan anger 2, men alla regioner är kända och 3 har ja',
    ]);
  });

  it('groups the HSL criteria by point and gives the budget share per region', () => {
    const ds = dataset([
      { criterion: 'sip', regions: ['C'], value: 'yes', source: SRC },
      { criterion: 'primary_care_budget_share_percent', regions: ['D'], value: 12.5, source: SRC },
    ]);
    const m = hslMatrix(ds);
    expect(m.map((p) => [p.point, p.rows.map((r) => r.criterion.id)])).toEqual([
      [1, ['psychologist']],
      [2, []],
      [3, []],
      [4, ['sip']],
      [5, []],
    ]);
    expect(m[3]?.rows[0]).toMatchObject({ yes: 1, no: 0, unknown: 2 });
    const b = budgetShares(ds);
    expect(b.regions.map((r) => r.share.value)).toEqual(['unknown', 'unknown', 12.5]);
  });
});

const baseline = parseRulebookText(
  `${rulebookYaml(`
- id: kap
  type: capitation
  label: Kapitering
  source: "x"
  annual_amount: 0
  parts: [{share: 1, weight: {kind: flat}}]`)}
requirements:
  - {id: a, text: A, level: ska, hsl_points: [4], criteria: [sip], source: x}
  - {id: b, text: B, level: ska, hsl_points: [1], criteria: [psychologist], source: x}
  - {id: c, text: C, level: bor, hsl_points: [5], criteria: [academic_unit], source: x}
`,
  'baslinje.yaml',
).rulebook;

describe('conformance of a rulebook to the baseline', () => {
  it('lists what is covered, by what, and what is lacking; a recommendation is weaker than a requirement', () => {
    const rb = parseRulebookText(
      `${rulebookYaml(`
- id: kap
  type: capitation
  label: Kapitering
  source: "x"
  annual_amount: 1200
  parts:
    - {share: 0.5, weight: {kind: age_sex, table: [{from: 0, to: 200, F: 1, M: 1}]}}
    - {share: 0.5, weight: {kind: cni, reference: 1}}`)}
requirements:
  - {id: s1, text: S, level: bor, hsl_points: [4], criteria: [sip], source: x}
  - {id: s2, text: S, level: ska, hsl_points: [5], criteria: [academic_unit, extra], source: x}
`,
      'region.yaml',
    ).rulebook;
    const conf = baselineConformance(baseline, rb);
    expect(conf.covered).toEqual(['sip', 'academic_unit']);
    expect(conf.lacking).toEqual(['psychologist']);
    const sip = conf.rows.find((r) => r.criterion === 'sip')!;
    expect(sip).toMatchObject({ baseline_level: 'ska', weaker: true, hsl_points: [4] });
    expect(sip.covered_by).toEqual([{ kind: 'requirement', id: 's1', level: 'bor' }]);
    expect(conf.rows.find((r) => r.criterion === 'academic_unit')!.weaker).toBe(false);
    // Same weight for women and men: age adjustment, not sex.
    expect([...compensationFeatures(rb).keys()]).toEqual(['capitation_age', 'capitation_socioeconomic']);
  });
});

describe('the comparison over time', () => {
  const ds = () =>
    dataset([
      { criterion: 'sip', regions: 'all', value: 'yes', source: SRC },
      { criterion: 'sip', regions: ['C'], year: 2022, value: 'no', note: 'tillkom', source: SRC },
      { criterion: 'sip', regions: ['D'], year: 2022, value: 'yes', source: SRC },
      { criterion: 'psychologist', regions: ['AB'], year: 2022, value: 'no', source: SRC },
    ]);

  it('sets each earlier fact beside the region’s value in the compared year', () => {
    expect(changesOverTime(ds())).toEqual([
      {
        region_code: 'AB',
        criterion: 'psychologist',
        label: 'Psykolog',
        before: { year: 2022, value: 'no', source: SRC },
        now: { year: 2024, value: 'unknown' },
        changed: false,
      },
      {
        region_code: 'C',
        criterion: 'sip',
        label: 'SIP',
        before: { year: 2022, value: 'no', note: 'tillkom', source: SRC },
        now: { year: 2024, value: 'yes', source: SRC },
        changed: true,
      },
      {
        region_code: 'D',
        criterion: 'sip',
        label: 'SIP',
        before: { year: 2022, value: 'yes', source: SRC },
        now: { year: 2024, value: 'yes', source: SRC },
        changed: false,
      },
    ]);
  });

  it('lists the facts of other years after the compared year in facts.csv order', () => {
    const rows = factRows(ds()).filter((r) => r.region_code === 'C' && r.criterion === 'sip');
    expect(rows.map((r) => [r.year, r.value, r.note])).toEqual([
      [2024, 'yes', undefined],
      [2022, 'no', 'tillkom'],
    ]);
    expect(factRows(ds())).toHaveLength(9 + 3);
  });
});
