import { describe, expect, it } from 'vitest';
import { writeCaseFolder } from '../../../test-support/cases.js';
import { loadDataFolder } from './index.js';
import { locatedErrors } from '../../../test-support/located-errors.js';

describe('data folder', () => {
  it('loads a valid folder into columns with hashes of every file', () => {
    const dir = writeCaseFolder({
      listings: [
        '189001019802,U1,L1,1890-01-01,F,A1,2020-01-01,2026-01-01,RUB1',
        'P2,U2,,2000-02-29,,A2,2021-01-01,,',
      ],
    });
    const data = loadDataFolder(dir);
    expect(data.units.id).toEqual(['U1', 'U2']);
    expect(data.listings.count).toBe(2);
    expect(Array.from(data.listings.birth)).toEqual([18900101, 20000229]);
    expect(Array.from(data.listings.to)).toEqual([20260101, 99991231]);
    expect(data.listings.riskGroups).toEqual(['RUB1']);
    expect(data.personCount).toBe(2);
    expect(data.files.map((f) => f.name)).toEqual([
      'areas.csv',
      'events.csv',
      'indicators.csv',
      'listings.csv',
      'units.csv',
      'visits.csv',
    ]);
    expect(data.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
  });

  it('reports every error of a file with file:line:column, and never an identity number', () => {
    const dir = writeCaseFolder({
      listings: [
        '189001019803,U1,,1890-01-01,F,A1,2020-01-01,,', // Luhn
        'P2,U9,,1980-13-01,X,A9,2020-01-01,2019-01-01,', // unknown unit, bad date, bad sex, unknown area
        '199002301234,U1,,1990-02-30,F,A1,2020-01-01,,', // not a date (and Luhn)
        'P4,U1,,1980-01-01,F,A1,,,', // missing listed_from
      ],
    });
    const errors = locatedErrors(() => loadDataFolder(dir));
    expect(errors).toEqual([
      'listings.csv:2:1: person_id: Personnumret/samordningsnumret har fel kontrollsiffra (Luhn); numret visas inte av integritetsskäl [data.bad_identity]',
      'listings.csv:3:4: unit_id: Enheten U9 finns inte i units.csv [data.unknown_reference]',
      'listings.csv:3:21: area: Området A9 finns inte i areas.csv [data.unknown_reference]',
      'listings.csv:3:8: birth_date: birth_date ska vara ett datum ÅÅÅÅ-MM-DD, inte "1980-13-01" [data.bad_date]',
      'listings.csv:3:35: listed_to: listed_to (exklusivt) måste ligga efter listed_from [data.bad_period]',
      'listings.csv:3:19: sex: sex ska vara F, M eller tomt, inte "X" [data.bad_value]',
      'listings.csv:4:1: person_id: Personnumret/samordningsnumret har fel kontrollsiffra (Luhn); numret visas inte av integritetsskäl [data.bad_identity]',
      'listings.csv:4:18: birth_date: birth_date ska vara ett datum ÅÅÅÅ-MM-DD, inte "1990-02-30" [data.bad_date]',
      'listings.csv:5:24: listed_from: Datum saknas i listed_from (ÅÅÅÅ-MM-DD) [data.required]',
    ]);
    expect(errors.join('\n')).not.toMatch(/18900101980|19900230/);
  });

  it('reports missing columns, duplicate keys, unknown branch_of, a bad organisationsnummer and a missing file', () => {
    const dir = writeCaseFolder(
      {
        units: [
          'U1,5560160681,VC,private,2361,2020-01-01,,U7,,',
          'U1,5560160680,VC,private,2361,2020-01-01,,,,',
        ],
        visits: [],
      },
      { 'areas.csv': 'AREA,cni\nA1,1\nA1,2\n', 'visits.csv': 'visit_id,person_id,unit_id,date,profession\n' },
    );
    const errors = locatedErrors(() =>
      loadDataFolder(dir, { require: ['units.csv', 'areas.csv', 'listings.csv', 'visits.csv'] }),
    );
    expect(errors).toContain('areas.csv:3:1: area: Området A1 finns redan på rad 2 [data.duplicate_key]');
    expect(errors).toContain(
      'units.csv:2:4: provider_id: Organisationsnumret 5560160681 har fel kontrollsiffra [data.bad_orgnr]',
    );
    expect(errors).toContain('units.csv:3:1: unit_id: Enheten U1 finns redan på rad 2 [data.duplicate_key]');
    expect(errors).toContain(
      'units.csv:2:43: branch_of: branch_of: enheten U7 finns inte i units.csv [data.unknown_reference]',
    );
    expect(errors).toContain(
      'visits.csv:1:1: contact: Kolumnen contact saknas i rubrikraden [data.missing_column]',
    );
  });

  it('says which required file is missing', () => {
    const dir = writeCaseFolder({}, {});
    expect(locatedErrors(() => loadDataFolder(`${dir}/finns-inte`))[0]).toMatch(/Datamappen finns inte/);
  });

  it('caps the errors reported per file and says how many more there were', () => {
    const rows = Array.from({ length: 250 }, (_, i) => `P${i},U1,,1980-01-01,Q,A1,2020-01-01,,`);
    const errors = locatedErrors(() => loadDataFolder(writeCaseFolder({ listings: rows })));
    expect(errors.length).toBe(201);
    expect(errors[200]).toMatch(/ytterligare 50 fel/);
  });

  it('rejects duplicate visit ids and accepts visits by unlisted persons', () => {
    const dir = writeCaseFolder({
      visits: ['V1,P1,U1,2025-03-01,lakare,fysiskt,,,', 'V1,P2,U1,2025-03-01,lakare,fysiskt,,,'],
    });
    expect(locatedErrors(() => loadDataFolder(dir, { require: ['visits.csv'] }))).toEqual([
      'visits.csv:3:1: visit_id: Besöket V1 finns redan [data.duplicate_key]',
    ]);
  });
});
