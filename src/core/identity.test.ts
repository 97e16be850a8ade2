import { describe, expect, it } from 'vitest';
import { checkPersonId, fullYear, looksLikePersonId, maskPersonId } from './identity.js';

const TODAY = 20250615;

describe('identity numbers in every spelling', () => {
  it('gives one 12-digit identity for the 12- and 10-digit spellings of one person', () => {
    const spellings = ['198507099805', '19850709-9805', '8507099805', '850709-9805'];
    const normalized = spellings.map((s) => checkPersonId(s, { today: TODAY }));
    for (const n of normalized)
      expect(n).toEqual({ ok: true, kind: 'personnummer', normalized: '198507099805' });
  });

  it('takes the century from the sign: + is a person of 100 or more', () => {
    expect(checkPersonId('900101+9802', { today: TODAY })).toMatchObject({ normalized: '189001019802' });
    expect(checkPersonId('900101-9802', { today: TODAY })).toMatchObject({ normalized: '199001019802' });
    // Born later in the year than the reference day, two-digit year of this year: last century.
    expect(fullYear(25, 1231, false, TODAY)).toBe(1925);
    expect(fullYear(25, 101, false, TODAY)).toBe(2025);
    expect(fullYear(25, 101, true, TODAY)).toBe(1925);
  });

  it('checks the Luhn digit and the date of 10-digit numbers too', () => {
    expect(checkPersonId('8507099804', { today: TODAY })).toEqual({ ok: false, reason: 'luhn' });
    expect(checkPersonId('850769-9802', { today: TODAY })).toMatchObject({
      ok: true,
      kind: 'samordningsnummer',
    });
    // An organisationsnummer is no birth date.
    expect(checkPersonId('5560160680', { today: TODAY })).toEqual({ ok: false, reason: 'date' });
  });

  it('leaves pseudonyms as they are and masks every identity shape', () => {
    expect(checkPersonId('P00000001')).toEqual({ ok: true, kind: 'pseudonym', normalized: 'P00000001' });
    expect(looksLikePersonId('850709+9805')).toBe(true);
    expect(maskPersonId('8507099805')).toBe('<personnummer dolt>');
    expect(maskPersonId('P00000001')).toBe('P00000001');
  });
});
