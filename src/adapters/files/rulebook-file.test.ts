import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { rulebookJsonSchema } from '../../core/rulebook/schema.js';
import { rulebookYaml } from '../../test-support/cases.js';
import { locatedErrors } from '../../test-support/located-errors.js';
import { parseRulebookText } from './rulebook-file.js';

/** The located errors of the rulebook text, read as `r.yaml`. */
const errorsOf = (text: string): string[] => locatedErrors(() => parseRulebookText(text, 'r.yaml'));

const kap = `
- id: kap
  type: capitation
  label: Kapitering
  source: s
  annual_amount: 1200
  parts:
    - {share: 0.5, weight: {kind: flat}}
    - {share: 0.4, weight: {kind: flat}}`;

/** A coverage component whose base names no component of the rulebook. */
const coverageOfMissingBase = `
- id: tack
  type: coverage
  label: T
  source: s
  base: saknas
  factor: [[0.5, 1]]`;

describe('rulebook validation', () => {
  it('locates every error by line:column and YAML path', () => {
    const text = rulebookYaml(`${kap}
- id: okand
  type: bonus
  label: X
  source: s${coverageOfMissingBase}
- id: besok
  type: visit_fee
  label: B
  source: s
  fees: [{profession: tandlakare, amount: 100}]`);
    const errors = errorsOf(text);
    expect(errors).toContain(
      'r.yaml:19:13: compensation.components[1].type: Okänd komponenttyp "bonus"; giltiga typer: capitation, area_supplement, visit_fee, coverage, visits_elsewhere_charge, goal, unit_supplement, start_grant, penalty, vat_compensation [rulebook.unknown_type]',
    );
    expect(errors.find((e) => e.includes('fees[0].profession'))).toMatch(
      /^r\.yaml:32:27: compensation\.components\[3\]\.fees\[0\]\.profession: /,
    );
  });

  it('refuses a negative amount, an amount written with kr, and a share above 1, by line and in plain words', () => {
    const negative = errorsOf(rulebookYaml(kap.replace('annual_amount: 1200', 'annual_amount: -2700')));
    expect(negative).toEqual([
      expect.stringMatching(
        /^r\.yaml:\d+:\d+: compensation\.components\[0\]\.annual_amount: Beloppet kan inte vara negativt: skriv beloppet i kronor, t\.ex\. 2700/,
      ),
    ]);
    const withKr = errorsOf(rulebookYaml(kap.replace('annual_amount: 1200', 'annual_amount: 2 700 kr')));
    expect(withKr).toEqual([
      expect.stringContaining('skriv beloppet i kronor, t.ex. 2700 (utan mellanslag och "kr")'),
    ]);
    const share = errorsOf(rulebookYaml(kap.replace('share: 0.4', 'share: 40')));
    expect(share).toEqual([
      expect.stringMatching(
        /parts\[1\]\.share: Andelen kan inte vara större än 1: en andel skrivs som ett tal mellan 0 och 1/,
      ),
    ]);
    // The line is the value's own line.
    const line =
      rulebookYaml(kap)
        .split('\n')
        .findIndex((l) => l.includes('annual_amount')) + 1;
    expect(negative[0]).toMatch(new RegExp(`^r\\.yaml:${line}:`));
  });

  it('checks shares, references, dates and cycles once the shape is right', () => {
    const text = rulebookYaml(`${kap}${coverageOfMissingBase}
- id: start
  type: start_grant
  label: S
  source: s
  monthly_amount: {2025-02-30: 1000}
  months: 12
  mode: replace
  replaces: [kap]`);
    const errors = errorsOf(text);
    expect(errors).toEqual([
      'r.yaml:28:36: compensation.components[2].monthly_amount.2025-02-30: 2025-02-30 är inget giltigt datum [rulebook.bad_date]',
      'r.yaml:16:9: compensation.components[0].parts: Andelarna (share) ska summera till 1, men summerar till 0.9 [rulebook.shares]',
      'r.yaml:22:13: compensation.components[1].base: Komponenten "saknas" finns inte i regelboken [rulebook.unknown_reference]',
    ]);
  });

  it('refuses dates a monthly payment or a scenario cannot mean, at their line and in plain words', () => {
    const valid = kap.replace('share: 0.4', 'share: 0.5');
    const dated = (amounts: string, extra = '') =>
      errorsOf(rulebookYaml(valid.replace('annual_amount: 1200', `annual_amount: ${amounts}`), extra));
    const midMonth = dated('{2025-01-01: 1200, 2025-07-15: 1300}');
    expect(midMonth).toEqual([
      expect.stringMatching(
        /^r\.yaml:\d+:\d+: compensation\.components\[0\]\.annual_amount\.2025-07-15: En månad betalas med värdet som gäller den 1:a: ett värde från 2025-07-15 gäller först från 2025-08-01\. Skriv en månads första dag, t\.ex\. 2025-07-01 \[rulebook\.date_mid_month\]$/,
      ),
    ]);
    const line =
      rulebookYaml(kap)
        .split('\n')
        .findIndex((l) => l.includes('annual_amount')) + 1;
    expect(midMonth[0]).toMatch(new RegExp(`^r\\.yaml:${line}:`));
    expect(dated('{2025-01-01: 1200, 2026-01-01: 1300}')).toEqual([
      expect.stringContaining(
        'annual_amount.2026-01-01: Värdet från 2026-01-01 gäller aldrig: regelboken gäller bara till 2025-12-31',
      ),
    ]);
    expect(
      errorsOf(
        rulebookYaml(valid)
          .replace('valid_from: 2025-01-01', 'valid_from: 2025-01-15')
          .replace('valid_to: 2025-12-31', 'valid_to: 2025-12-30'),
      ),
    ).toEqual([
      expect.stringContaining(
        'valid_from: Ersättningen räknas per hel månad: valid_from ska vara en månads första dag, t.ex. 2025-01-01',
      ),
      expect.stringContaining(
        'valid_to: Ersättningen räknas per hel månad: valid_to ska vara en månads sista dag, t.ex. 2025-12-31',
      ),
    ]);
    const sanction = `sanctions:
  - id: vite
    text: Vite
    amount: {2025-01-01: 1000, 2025-03-10: 2000}
    source: s`;
    expect(dated('1200', sanction)).toEqual([
      expect.stringContaining(
        'sanctions[0].amount.2025-03-10: En månad betalas med värdet som gäller den 1:a',
      ),
    ]);
    // What the shipped rulebooks write is still valid: values from the first of a month, inside the period.
    expect(dated('{2025-01-01: 2400, 2025-07-01: 2460}')).toEqual([]);
  });

  it('finds a cycle between components', () => {
    const text = rulebookYaml(`
- id: moms
  type: vat_compensation
  label: M
  source: s
  rate: 0.06
  base: [start]
- id: start
  type: start_grant
  label: S
  source: s
  monthly_amount: 1000
  months: 12
  mode: guarantee
  replaces: [moms]`);
    expect(errorsOf(text)[0]).toMatch(/cirkel: (moms → start → moms|start → moms → start)/);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(errorsOf('id: [unclosed\nregion: x\n')[0]).toMatch(/^r\.yaml:\d+:\d+: YAML-fel/);
  });
});

describe('JSON Schema for editors', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(rulebookJsonSchema());
  const dir = join(process.cwd(), 'rulebooks');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));

  it.each(files)('accepts %s', (file) => {
    const ok = validate(parse(readFileSync(join(dir, file), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects an unknown component type and a misspelt key', () => {
    const doc = parse(rulebookYaml(kap.replace('annual_amount', 'anual_amount')));
    expect(validate(doc)).toBe(false);
  });
});

describe('schema/rulebook.schema.json', () => {
  it('is the schema generated from the definition (run `npx vardval schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(join(process.cwd(), 'schema', 'rulebook.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(rulebookJsonSchema())));
  });
});
