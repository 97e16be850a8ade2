import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLAT_CAPITATION } from '../test-support/rulebook-yaml.js';
import { amounts, runCase, type CaseFiles } from '../test-support/cases.js';
import { statementsJson } from '../../adapters/exports/statements-files.js';

const model = `
- id: kap
  type: capitation
  label: Kapitering
  source: "FFU 9.2"
  annual_amount: 2460
  parts:
    - share: 0.6
      weight:
        kind: age_sex
        table:
          - {from: 0, to: 7, F: 1.3, M: 1.4}
          - {from: 7, to: 65, F: 0.9, M: 0.8}
          - {from: 65, to: 200, F: 1.7, M: 1.6}
    - {share: 0.4, weight: {kind: cni, reference: 1.0}}
- id: besok
  type: visit_fee
  label: Besöksersättning
  source: "FFU 9.4"
  applies_to: all
  fees:
    - {profession: lakare, contact: fysiskt, amount: 350.5}
    - {profession: lakare, amount: 201.25}
    - {profession: sjukskoterska, amount: 149.99}
- id: tack
  type: coverage
  label: Täckningsgrad
  source: "FFU 9.3"
  base: kap
  factor: [[0.4, 0.95], [0.9, 1.05]]
- id: moms
  type: vat_compensation
  label: Momskompensation
  source: "FFU 9.11"
  rate: 0.06`;

const unitIds = ['U1', 'U2'];
const areaIds = ['A1', 'A2'];
const professions = ['lakare', 'sjukskoterska', 'kurator'];
const contacts = ['fysiskt', 'digitalt', 'telefon'];

const personArb = fc.record({
  unit: fc.constantFrom(...unitIds),
  area: fc.constantFrom(...areaIds),
  sex: fc.constantFrom('F', 'M', ''),
  birth: fc.date({ min: new Date('1920-01-01'), max: new Date('2025-02-28'), noInvalidDate: true }),
  visits: fc.array(
    fc.record({
      unit: fc.constantFrom(...unitIds),
      profession: fc.constantFrom(...professions),
      contact: fc.constantFrom(...contacts),
      day: fc.integer({ min: 0, max: 390 }),
    }),
    { maxLength: 4 },
  ),
});

type Person = typeof personArb extends fc.Arbitrary<infer T> ? T : never;

function filesOf(persons: Person[], copies = 1): CaseFiles {
  const listings: string[] = [];
  const visits: string[] = [];
  for (let c = 0; c < copies; c++) {
    persons.forEach((p, i) => {
      const id = `P${c}-${i}`;
      listings.push(`${id},${p.unit},,${p.birth.toISOString().slice(0, 10)},${p.sex},${p.area},2020-01-01,,`);
      p.visits.forEach((v, k) => {
        const date = new Date(Date.UTC(2024, 2, 1) + v.day * 86_400_000).toISOString().slice(0, 10);
        visits.push(`V${c}-${i}-${k},${id},${v.unit},${date},${v.profession},${v.contact},,,`);
      });
    });
  }
  return { listings, visits };
}

function shuffled<T>(rows: T[], seed: number): T[] {
  const out = [...rows];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('payment run invariants', () => {
  it("a unit's total is the sum of its lines, and the run's total the sum of the units'", () => {
    fc.assert(
      fc.property(fc.array(personArb, { minLength: 1, maxLength: 25 }), (persons) => {
        const s = runCase(model, filesOf(persons));
        for (const u of s.units) expect(u.total_ore).toBe(u.lines.reduce((acc, l) => acc + l.amount_ore, 0));
        expect(s.total_ore).toBe(s.units.reduce((acc, u) => acc + u.total_ore, 0));
        for (const u of s.units) for (const l of u.lines) expect(Number.isInteger(l.amount_ore)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('shuffling the input rows changes nothing, to the byte', () => {
    fc.assert(
      fc.property(
        fc.array(personArb, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 1e9 }),
        (persons, seed) => {
          const files = filesOf(persons);
          const a = statementsJson(runCase(model, files));
          const b = runCase(model, {
            listings: shuffled(files.listings!, seed),
            visits: shuffled(files.visits!, seed + 1),
          });
          // The input hashes differ (other bytes); everything computed must not.
          expect(JSON.stringify(b.units)).toBe(JSON.stringify(JSON.parse(a).units));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('doubling every listed person doubles capitation (to the öre, ±1 for rounding)', () => {
    fc.assert(
      fc.property(fc.array(personArb, { minLength: 1, maxLength: 20 }), (persons) => {
        const once = amounts(runCase(model, filesOf(persons)));
        const twice = amounts(runCase(model, filesOf(persons, 2)));
        for (const u of unitIds) {
          const a = once[u]?.kap ?? 0;
          const b = twice[u]?.kap ?? 0;
          expect(Math.abs(b - 2 * a)).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('gives byte-identical statements for the same inputs', () => {
    const files = filesOf([
      {
        unit: 'U1',
        area: 'A1',
        sex: 'F',
        birth: new Date('1950-05-05'),
        visits: [{ unit: 'U1', profession: 'lakare', contact: 'fysiskt', day: 370 }],
      },
    ]);
    expect(statementsJson(runCase(model, files))).toBe(statementsJson(runCase(model, files)));
  });
});

describe('input errors found by the run', () => {
  const kap = FLAT_CAPITATION;

  it('rejects two listings of one person on the cut-off day, naming both lines but not the number', () => {
    const run = () =>
      runCase(kap, {
        listings: [
          '189001019802,U1,,1890-01-01,F,A1,2020-01-01,,',
          '189001019802,U2,,1890-01-01,F,A1,2024-01-01,,',
        ],
      });
    expect(run).toThrow(
      /listings\.csv:3: listed_from: Personen är listad två gånger på brytdagen \(även rad 2\)/,
    );
    expect(run).not.toThrow(/189001019802/);
  });

  it('rejects listing at a branch unless the rulebook allows it', () => {
    const files: CaseFiles = {
      units: [
        'U1,5560160680,VC Ett,private,2361,2020-01-01,,,,',
        'U2,5560160680,Filial,private,2361,2020-01-01,,U1,,',
      ],
      listings: ['P1,U2,,1980-01-01,F,A1,2020-01-01,,'],
    };
    expect(() => runCase(kap, files)).toThrow(/listings\.csv:2: unit_id: .*filialen U2/);
    expect(amounts(runCase(kap, files, '2025-03', 'listing: {branches_may_list: true}'))).toEqual({
      U1: {},
      U2: { kap: 10000 },
    });
  });

  it('rejects a person listed at a unit that is not active in the month', () => {
    const files: CaseFiles = {
      units: [
        'U1,5560160680,VC Ett,private,2361,2020-01-01,2025-01-31,,',
        'U2,2321000016,VC Två,public,2361,2020-01-01,,,,',
      ],
      listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,'],
    };
    expect(() => runCase(kap, files)).toThrow(/listings\.csv:2: unit_id: .*inte är aktiv/);
  });

  it('gives lines only to units active in the month', () => {
    // U1 closes on the cut-off day (still active), U2 opens the month after.
    const s = runCase(kap, {
      units: [
        'U1,5560160680,VC Ett,private,2361,2020-01-01,2025-03-01,,',
        'U2,2321000016,VC Två,public,2361,2025-04-01,,,,',
      ],
    });
    expect(s.units.map((u) => u.unit_id)).toEqual(['U1']);
  });

  // The adapters locate these at the rulebook file's line (src/adapters/files/payment-run.test.ts).
  it('refuses a month outside the rulebook’s validity, pointing at the rulebook', () => {
    expect(() => runCase(kap, {}, '2026-01')).toThrow(/^valid_from: Regelboken gäller 2025-01-01–2025-12-31/);
  });

  it('reports a dated parameter with no value in force at its path in the rulebook', () => {
    const late = kap.replace('annual_amount: 1200', 'annual_amount: {2025-06-01: 1200}');
    expect(() => runCase(late, {})).toThrow(
      /^compensation\.components\[0\]\.annual_amount: Inget värde gäller 2025-03-01/,
    );
  });
});
