import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulebookYaml, writeCaseFolder } from '../../test-support/cases.js';
import { loadDataFolder } from './data-folder/index.js';
import { locatedErrors } from '../../test-support/located-errors.js';
import { filesNeeded, runLoaded } from './payment-run.js';
import { parseRulebookText } from './rulebook-file.js';

/**
 * A month from files: what the core's cases test in memory, here through the loader and the
 * rulebook file, so a problem the run finds points at the file and line a user opens.
 */

const kap = `
- id: kap
  type: capitation
  label: K
  source: s
  annual_amount: 1200
  parts: [{share: 1, weight: {kind: flat}}]`;

/** Capitation weighted by comorbidity with the named weight set of the Swedish Charlson map. */
const byComorbidity = (weights: string) =>
  kap.replace(
    '{kind: flat}',
    `{kind: comorbidity, weights: ${weights}, table: {"0": 1, "1+": 2}, default: 1}`,
  );

function runFiles(components: string, month: number, listings: string[] = []) {
  const rb = parseRulebookText(rulebookYaml(components), 'test.yaml');
  const data = loadDataFolder(writeCaseFolder({ listings }), { require: filesNeeded(rb.rulebook) });
  return runLoaded(rb, data, month).statements;
}

describe('a month run from files', () => {
  it('refuses a month outside the rulebook’s validity, pointing at the rulebook’s line', () => {
    expect(() => runFiles(kap, 202601)).toThrow(
      /test\.yaml:5:\d+: valid_from: Regelboken gäller 2025-01-01–2025-12-31/,
    );
  });

  it('reports a dated parameter with no value in force at its YAML line', () => {
    const late = kap.replace('annual_amount: 1200', 'annual_amount: {2025-06-01: 1200}');
    expect(() => runFiles(late, 202503)).toThrow(
      /test\.yaml:\d+:\d+: compensation\.components\[0\]\.annual_amount: Inget värde gäller 2025-03-01/,
    );
  });

  it('reports a listed person whose area has no CNI at the line in listings.csv', () => {
    const cni = kap.replace('{kind: flat}', '{kind: cni, reference: 1}');
    const dir = writeCaseFolder({
      areas: ['A1,2361,,tatort,5'],
      listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,'],
    });
    const rb = parseRulebookText(rulebookYaml(cni), 'test.yaml');
    expect(() => runLoaded(rb, loadDataFolder(dir), 202503)).toThrow(
      /listings\.csv:2: area: Området A1 saknar cni/,
    );
  });

  it('reads ; files with decimal commas and a BOM', () => {
    const dir = writeCaseFolder(
      { listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,'] },
      {
        'areas.csv':
          '\ufeffarea;kommun;CNI;rural_class;hospital_km\r\nA1;2361;1,5;tatort;5,5\r\nA2;2361;0,5;glesbygd;80\r\n',
      },
    );
    const rb = parseRulebookText(
      rulebookYaml(kap.replace('{kind: flat}', '{kind: cni, reference: 1}')),
      't.yaml',
    );
    const data = loadDataFolder(dir);
    expect(Array.from(data.areas.cni)).toEqual([1.5, 0.5]);
    expect(data.areas.hospitalKm[0]).toBe(5.5);
    expect(runLoaded(rb, data, 202503).statements.units[0]!.lines[0]!.amount_ore).toBe(15000);
  });

  it('needs visits.csv for comorbidity, and says where when it has no diagnoses column', () => {
    const rb = parseRulebookText(rulebookYaml(byComorbidity('charlson_1987')), 'test.yaml');
    expect(filesNeeded(rb.rulebook)).toContain('visits.csv');
    const dir = writeCaseFolder({ listings: ['P1,U1,,1950-01-01,F,A1,2020-01-01,,'] });
    writeFileSync(join(dir, 'visits.csv'), 'visit_id,person_id,unit_id,date,profession,contact\n');
    const data = loadDataFolder(dir, { require: ['visits.csv'] });
    expect(locatedErrors(() => runLoaded(rb, data, 202503))).toEqual([
      'visits.csv:1: diagnoses: Kolumnen diagnoses saknas i rubrikraden; regelboken viktar kapiteringen med samsjuklighet ur diagnoserna [data.missing_column]',
    ]);
  });

  it('points at the weight set in the rulebook when the comorbidity map has no such set', () => {
    const rb = parseRulebookText(rulebookYaml(byComorbidity('acg')), 'test.yaml');
    const dir = writeCaseFolder({ listings: ['P1,U1,,1950-01-01,F,A1,2020-01-01,,'] });
    const data = loadDataFolder(dir, { require: filesNeeded(rb.rulebook) });
    const [e] = locatedErrors(() => runLoaded(rb, data, 202503));
    expect(e).toMatch(/^test\.yaml:\d+:\d+: compensation\.components\[0\]\.parts\[0\]\.weight\.weights: /);
    expect(e).toContain(
      'Viktuppsättningen acg finns inte i charlson_icd10_se; finns: charlson_1987, quan_2011',
    );
  });
});
