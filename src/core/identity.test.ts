import { describe, expect, it } from 'vitest';
import {
  checkIdentityDigits,
  checkPersonId,
  fullYear,
  looksLikePersonId,
  luhnCheckDigit,
  maskOrganisationNumber,
  maskPersonId,
  luhnValid,
  normalizeOrganisationNumber,
} from './identity.js';

describe('identity numbers', () => {
  it('computes the check digit that makes a number pass Luhn', () => {
    // Skatteverket's test number 189001019802 and organisationsnummer 556016-0680.
    expect(luhnCheckDigit('900101980')).toBe(2);
    expect(luhnCheckDigit('556016068')).toBe(0);
    for (const nine of ['000000000', '123456789', '991231999', '212000142']) {
      const ten = nine + String(luhnCheckDigit(nine));
      expect(luhnValid(ten)).toBe(true);
      expect(luhnValid(nine + String((luhnCheckDigit(nine) + 1) % 10))).toBe(false);
    }
  });

  it('checks the numeric halves as checkPersonId checks the text', () => {
    const cases: [string, 'ok' | 'luhn' | 'date'][] = [
      ['189001019802', 'ok'],
      ['189001019803', 'luhn'],
      // 30 February, with a check digit that passes: refused for its date.
      [`19900230-123${luhnCheckDigit('900230123')}`, 'date'],
      [`19900230-123${(luhnCheckDigit('900230123') + 1) % 10}`, 'luhn'],
    ];
    for (const [text, expected] of cases) {
      const digits = text.replace('-', '');
      const answer = checkIdentityDigits(Number(digits.slice(0, 8)), Number(digits.slice(8)));
      expect(answer).toBe(expected);
      const check = checkPersonId(text);
      expect(check.ok ? 'ok' : check.reason).toBe(expected);
    }
  });

  it('reads day + 60 as a samordningsnummer', () => {
    const nine = '900161123';
    const id = `19${nine}${luhnCheckDigit(nine)}`;
    expect(checkPersonId(id)).toEqual({ ok: true, kind: 'samordningsnummer', normalized: id });
    expect(checkPersonId('P0001')).toEqual({ ok: true, kind: 'pseudonym', normalized: 'P0001' });
  });
});

// Skatteverket's published test personnummer (fixtures/identity): 19121212-1212 is the classic.
const TODAY = '2026-12-04';

describe('identity numbers as people type them', () => {
  it('accepts 12 digits with or without a hyphen, and 10 digits with -, + or nothing', () => {
    for (const typed of ['191212121212', '19121212-1212', ' 19121212 - 1212 ', '121212+1212']) {
      expect(checkPersonId(typed, { today: TODAY, typed: true }), typed).toEqual({
        ok: true,
        kind: 'personnummer',
        normalized: '191212121212',
      });
    }
    // Without + a 10-digit number is the latest century not in the future.
    // Without + a 10-digit number is in the latest century not in the future.
    expect(checkPersonId('121212-1212', { today: TODAY, typed: true })).toMatchObject({
      ok: true,
      normalized: '201212121212',
    });
  });

  it('puts a 10-digit number in this century only when the birthday has passed', () => {
    // Find a Luhn-valid number born 2026-12-31 and 2026-01-01 by computing the check digit.
    const withCheck = (nine: string) => {
      for (let d = 0; d < 10; d++) if (luhnValid(nine + d)) return nine + d;
      throw new Error('no check digit');
    };
    const early = withCheck('260101123');
    const late = withCheck('261231123');
    expect(checkPersonId(early, { today: TODAY, typed: true })).toMatchObject({
      ok: true,
      normalized: `20${early}`,
    });
    expect(checkPersonId(late, { today: TODAY, typed: true })).toMatchObject({
      ok: true,
      normalized: `19${late}`,
    });
    expect(
      checkPersonId(`${late.slice(0, 6)}+${late.slice(6)}`, { today: TODAY, typed: true }),
    ).toMatchObject({
      ok: true,
      normalized: `18${late}`,
    });
  });

  it('calls a number of the wrong length or shape a format error, never a pseudonym', () => {
    for (const typed of ['', '1234', '19121212-121', '1912121212123', '19121212--1212', '121212-12-12']) {
      expect(checkPersonId(typed, { today: TODAY, typed: true }), typed).toEqual({
        ok: false,
        reason: 'format',
      });
    }
  });

  it('tells a wrong check digit from a date that does not exist', () => {
    expect(checkPersonId('19121212-1213', { today: TODAY, typed: true })).toEqual({
      ok: false,
      reason: 'luhn',
    });
    const withCheck = (nine: string) => {
      for (let d = 0; d < 10; d++) if (luhnValid(nine + d)) return nine + d;
      throw new Error('no check digit');
    };
    expect(checkPersonId(`19${withCheck('121312123')}`, { today: TODAY, typed: true })).toEqual({
      ok: false,
      reason: 'date',
    });
  });

  it('keeps ids with letters as pseudonyms, as the data files have them', () => {
    expect(checkPersonId('P000123', { today: TODAY, typed: true })).toEqual(checkPersonId('P000123'));
    expect(checkPersonId('P000123', { today: TODAY, typed: true })).toMatchObject({
      ok: true,
      kind: 'pseudonym',
    });
  });
});

const TODAY_INT = 20250615;

describe('identity numbers in every spelling', () => {
  it('gives one 12-digit identity for the 12- and 10-digit spellings of one person', () => {
    const spellings = ['198507099805', '19850709-9805', '8507099805', '850709-9805'];
    const normalized = spellings.map((s) => checkPersonId(s, { today: TODAY_INT }));
    for (const n of normalized)
      expect(n).toEqual({ ok: true, kind: 'personnummer', normalized: '198507099805' });
  });

  it('takes the century from the sign: + is a person of 100 or more', () => {
    expect(checkPersonId('900101+9802', { today: TODAY_INT })).toMatchObject({ normalized: '189001019802' });
    expect(checkPersonId('900101-9802', { today: TODAY_INT })).toMatchObject({ normalized: '199001019802' });
    // Born later in the year than the reference day, two-digit year of this year: last century.
    expect(fullYear(25, 1231, false, TODAY_INT)).toBe(1925);
    expect(fullYear(25, 101, false, TODAY_INT)).toBe(2025);
    expect(fullYear(25, 101, true, TODAY_INT)).toBe(1925);
  });

  it('checks the Luhn digit and the date of 10-digit numbers too', () => {
    expect(checkPersonId('8507099804', { today: TODAY_INT })).toEqual({ ok: false, reason: 'luhn' });
    expect(checkPersonId('850769-9802', { today: TODAY_INT })).toMatchObject({
      ok: true,
      kind: 'samordningsnummer',
    });
    // An organisationsnummer is no birth date.
    expect(checkPersonId('5560160680', { today: TODAY_INT })).toEqual({ ok: false, reason: 'date' });
  });

  it('leaves pseudonyms as they are and masks every identity shape', () => {
    expect(checkPersonId('P00000001')).toEqual({ ok: true, kind: 'pseudonym', normalized: 'P00000001' });
    expect(looksLikePersonId('850709+9805')).toBe(true);
    expect(maskPersonId('8507099805')).toBe('<personnummer dolt>');
    expect(maskPersonId('P00000001')).toBe('P00000001');
  });
});

describe('one parser for data files and forms', () => {
  it('reads the reference day as an ISO date or as yyyymmdd alike', () => {
    for (const spelling of ['900101-9802', '900101+9802', '8507099805', '850769-9802'])
      expect(checkPersonId(spelling, { today: '2025-06-15' })).toEqual(
        checkPersonId(spelling, { today: TODAY_INT }),
      );
  });

  it('gives a samordningsnummer its century from the birth day, not day + 60', () => {
    // Born 5 December of the year in the two digits, typed on 10 December of that year: this century.
    const id = `251265123${luhnCheckDigit('251265123')}`;
    expect(checkPersonId(id, { today: '2025-12-10', typed: true })).toMatchObject({
      ok: true,
      kind: 'samordningsnummer',
      normalized: `20${id}`,
    });
  });

  it('takes a blank or a digit string of no known shape as a format error only when typed', () => {
    expect(checkPersonId('  ', { typed: true })).toEqual({ ok: false, reason: 'format' });
    expect(checkPersonId('12345', { typed: true })).toEqual({ ok: false, reason: 'format' });
    expect(checkPersonId('12345')).toEqual({ ok: true, kind: 'pseudonym', normalized: '12345' });
    expect(checkPersonId(' 19121212 1212 ', { typed: true })).toMatchObject({
      ok: true,
      normalized: '191212121212',
    });
  });
});

describe('organisationsnummer', () => {
  it('normalises a valid number and refuses a wrong check digit', () => {
    expect(normalizeOrganisationNumber('556016-0680')).toBe('5560160680');
    expect(normalizeOrganisationNumber(' 2321000016 ')).toBe('2321000016');
    expect(normalizeOrganisationNumber('5560160681')).toBeUndefined();
    expect(normalizeOrganisationNumber('232100001')).toBeUndefined();
  });

  it("masks a sole trader's number (a personnummer) in what an audit log shows", () => {
    expect(maskOrganisationNumber('556016-0680')).toBe('5560160680');
    expect(maskOrganisationNumber('8507099805')).toBe('<personnummer dolt>');
  });
});
