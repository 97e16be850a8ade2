import { describe, expect, it } from 'vitest';
import { checkIdentityDigits, checkPersonId, luhnCheckDigit, luhnValid } from './identity.js';

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
