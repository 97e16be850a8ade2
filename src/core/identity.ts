import { isValidYmd } from './calendar.js';

/**
 * Swedish identity numbers. A person id of 12 digits (`YYYYMMDDNNNN`, `YYYYMMDD-NNNN`) or of 10
 * digits (`YYMMDDNNNN`, `YYMMDD-NNNN`, `YYMMDD+NNNN`) is a personnummer or a samordningsnummer
 * (day + 60) and must pass the Luhn check; anything else is a pseudonym. Every spelling of one
 * number normalises to the same 12 digits, so one person has one identity in the store and the
 * audit log. The value itself is personal data: callers report line numbers, never the number.
 */
export type PersonIdKind = 'personnummer' | 'samordningsnummer' | 'pseudonym';

export type PersonIdCheck =
  { ok: true; kind: PersonIdKind; normalized: string } | { ok: false; reason: 'luhn' | 'date' };

const IDENTITY_RE = /^(\d{8})-?(\d{4})$/;
const SHORT_RE = /^(\d{6})([-+]?)(\d{4})$/;

/**
 * The century of a 10-digit number, from the reference day (Skatteverket's rule): with `-` or no
 * sign the person is under 100 on `today`, with `+` 100 or older. `today` is yyyymmdd.
 */
export function fullYear(yy: number, mmdd: number, plus: boolean, today: number): number {
  const thisYear = Math.floor(today / 10000);
  let year = thisYear - ((((thisYear - yy) % 100) + 100) % 100);
  // Born later this year than today: a century earlier.
  if (year * 10000 + mmdd > today) year -= 100;
  return plus ? year - 100 : year;
}

/** Today as yyyymmdd, the reference day for the century of 10-digit numbers. */
function todayInt(): number {
  const d = new Date();
  return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
}

/** Whether the text has the shape of an identity number (whatever its check digit). */
export function looksLikePersonId(value: string): boolean {
  return IDENTITY_RE.test(value) || SHORT_RE.test(value);
}

/** Luhn over a string of digits whose last digit is the check digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  const n = digits.length;
  for (let i = 0; i < n; i++) {
    let d = digits.charCodeAt(n - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function checkPersonId(value: string, options: { today?: number } = {}): PersonIdCheck {
  const twelve = twelveDigits(value, options.today);
  if (twelve === undefined) return { ok: true, kind: 'pseudonym', normalized: value };
  // The check digit is computed over the 10-digit form (YYMMDDNNNC).
  if (!luhnValid(twelve.slice(2))) return { ok: false, reason: 'luhn' };
  const year = Number(twelve.slice(0, 4));
  const month = Number(twelve.slice(4, 6));
  let day = Number(twelve.slice(6, 8));
  let kind: PersonIdKind = 'personnummer';
  if (day > 60) {
    day -= 60;
    kind = 'samordningsnummer';
  }
  if (!isValidYmd(year, month, day)) return { ok: false, reason: 'date' };
  return { ok: true, kind, normalized: twelve };
}

/** The 12 digits of an identity-number shape, or undefined for a pseudonym. */
function twelveDigits(value: string, today = todayInt()): string | undefined {
  const long = IDENTITY_RE.exec(value);
  if (long) return long[1] + long[2];
  const short = SHORT_RE.exec(value);
  if (!short) return undefined;
  const yy = Number(short[1].slice(0, 2));
  let mmdd = Number(short[1].slice(2));
  if (mmdd % 100 > 60) mmdd -= 60;
  return String(fullYear(yy, mmdd, short[2] === '+', today)) + short[1].slice(2) + short[3];
}

/** An organisationsnummer of 10 digits (optionally `NNNNNN-NNNN`) passes Luhn; other ids are accepted as they are. */
export function checkOrganisationNumber(value: string): boolean {
  const m = /^(\d{6})-?(\d{4})$/.exec(value);
  return m ? luhnValid(m[1] + m[2]) : true;
}

/** Never print an identity number: a log or error shows this instead. */
export function maskPersonId(value: string): string {
  return looksLikePersonId(value) ? '<personnummer dolt>' : value;
}
