import { describe, expect, it } from 'vitest';
import { checkPersonId, luhnValid, parseTypedPersonId } from './identity.js';

// Skatteverket's published test personnummer (fixtures/identity): 19121212-1212 is the classic.
const TODAY = '2026-12-04';

describe('identity numbers as people type them', () => {
  it('accepts 12 digits with or without a hyphen, and 10 digits with -, + or nothing', () => {
    for (const typed of ['191212121212', '19121212-1212', ' 19121212 - 1212 ', '121212+1212']) {
      expect(parseTypedPersonId(typed, TODAY), typed).toEqual({
        ok: true,
        kind: 'personnummer',
        normalized: '191212121212',
      });
    }
    // Without + a 10-digit number is the latest century not in the future.
    // Without + a 10-digit number is in the latest century not in the future.
    expect(parseTypedPersonId('121212-1212', TODAY)).toMatchObject({ ok: true, normalized: '201212121212' });
  });

  it('puts a 10-digit number in this century only when the birthday has passed', () => {
    // Find a Luhn-valid number born 2026-12-31 and 2026-01-01 by computing the check digit.
    const withCheck = (nine: string) => {
      for (let d = 0; d < 10; d++) if (luhnValid(nine + d)) return nine + d;
      throw new Error('no check digit');
    };
    const early = withCheck('260101123');
    const late = withCheck('261231123');
    expect(parseTypedPersonId(early, TODAY)).toMatchObject({ ok: true, normalized: `20${early}` });
    expect(parseTypedPersonId(late, TODAY)).toMatchObject({ ok: true, normalized: `19${late}` });
    expect(parseTypedPersonId(`${late.slice(0, 6)}+${late.slice(6)}`, TODAY)).toMatchObject({
      ok: true,
      normalized: `18${late}`,
    });
  });

  it('calls a number of the wrong length or shape a format error, never a pseudonym', () => {
    for (const typed of ['', '1234', '19121212-121', '1912121212123', '19121212--1212', '121212-12-12']) {
      expect(parseTypedPersonId(typed, TODAY), typed).toEqual({ ok: false, reason: 'format' });
    }
  });

  it('tells a wrong check digit from a date that does not exist', () => {
    expect(parseTypedPersonId('19121212-1213', TODAY)).toEqual({ ok: false, reason: 'luhn' });
    const withCheck = (nine: string) => {
      for (let d = 0; d < 10; d++) if (luhnValid(nine + d)) return nine + d;
      throw new Error('no check digit');
    };
    expect(parseTypedPersonId(`19${withCheck('121312123')}`, TODAY)).toEqual({ ok: false, reason: 'date' });
  });

  it('keeps ids with letters as pseudonyms, as the data files have them', () => {
    expect(parseTypedPersonId('P000123', TODAY)).toEqual(checkPersonId('P000123'));
    expect(parseTypedPersonId('P000123', TODAY)).toMatchObject({ ok: true, kind: 'pseudonym' });
  });
});
