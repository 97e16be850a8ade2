import { isValidYmd } from './calendar.js';

/**
 * Swedish identity numbers. A person id of 12 digits (`YYYYMMDDNNNN`, `YYYYMMDD-NNNN`) or of 10
 * digits (`YYMMDDNNNN`, `YYMMDD-NNNN`, `YYMMDD+NNNN`) is a personnummer or a samordningsnummer
 * (day + 60) and must pass the Luhn check; anything else is a pseudonym. Every spelling of one
 * number normalises to the same 12 digits, so one person has one identity in the store and the
 * audit log. The value itself is personal data: callers report line numbers, never the number.
 */
type PersonIdKind = 'personnummer' | 'samordningsnummer' | 'pseudonym';

export type PersonIdCheck =
  { ok: true; kind: PersonIdKind; normalized: string } | { ok: false; reason: 'luhn' | 'date' };

/** A person id as typed in a form: digits in no known shape are a format error. */
export type TypedPersonId = PersonIdCheck | { ok: false; reason: 'format' };

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

/** The Luhn check digit to append to `digits` (the 9 digits YYMMDDNNN of an identity number, say). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  const n = digits.length;
  for (let i = 0; i < n; i++) {
    let d = (digits.charCodeAt(n - 1 - i) - 48) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Luhn over the 10-digit form YYMMDDNNNC, from its two numeric halves (no string per number). */
function luhnValidTen(yymmdd: number, nnnc: number): boolean {
  let sum = 0;
  let x = nnnc;
  for (let i = 0; i < 10; i++) {
    if (i === 4) x = yymmdd;
    let d = x % 10;
    x = (x - d) / 10;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * An identity number given as its numeric halves YYYYMMDD and NNNC: whether it passes the Luhn
 * check and is a real date (samordningsnummer: day + 60). Readers of large files call this with
 * the digits read from bytes; checkPersonId calls it with a string's.
 */
export function checkIdentityDigits(yyyymmdd: number, nnnc: number): 'ok' | 'luhn' | 'date' {
  if (!luhnValidTen(yyyymmdd % 1_000_000, nnnc)) return 'luhn';
  const year = Math.floor(yyyymmdd / 10000);
  const month = Math.floor(yyyymmdd / 100) % 100;
  const day = yyyymmdd % 100;
  return isValidYmd(year, month, day > 60 ? day - 60 : day) ? 'ok' : 'date';
}

/** Why an identity number was refused, in Swedish; the number itself is never shown. */
export const IDENTITY_REFUSALS: Record<'luhn' | 'date', string> = {
  luhn: 'Personnumret/samordningsnumret har fel kontrollsiffra (Luhn); numret visas inte av integritetsskäl',
  date: 'Personnumret/samordningsnumret har inget giltigt födelsedatum; numret visas inte av integritetsskäl',
};

export interface PersonIdOptions {
  /**
   * The reference day for the century of a 10-digit number (ISO date or yyyymmdd): the latest century
   * not after it; `+` marks a person of 100 or more, one century earlier. Default: today.
   */
  today?: string | number;
  /**
   * As a person types it in a form: spaces ignored, and digits in no known shape are a format error
   * (someone meant a personnummer and mistyped it), not a pseudonym. Text with letters is a pseudonym,
   * as in the data files.
   */
  typed?: boolean;
}

/**
 * The one parser of person ids: a personnummer or samordningsnummer in any of its spellings (12 or 10
 * digits, with or without `-`/`+`) passes the Luhn check and is a real date, and normalises to its
 * 12 digits; anything else is a pseudonym, kept as it is (or, `typed`, a format error if all digits).
 */
export function checkPersonId(value: string, options?: PersonIdOptions & { typed?: false }): PersonIdCheck;
export function checkPersonId(value: string, options: PersonIdOptions & { typed: true }): TypedPersonId;
export function checkPersonId(value: string, options: PersonIdOptions = {}): TypedPersonId {
  const text = options.typed ? value.replace(/\s+/g, '') : value;
  if (options.typed && (text === '' || (/^[\d+-]+$/.test(text) && !looksLikePersonId(text))))
    return { ok: false, reason: 'format' };
  const today =
    typeof options.today === 'string' ? Number(options.today.slice(0, 10).replace(/-/g, '')) : options.today;
  const twelve = twelveDigits(text, today);
  if (twelve === undefined) return { ok: true, kind: 'pseudonym', normalized: text };
  const check = checkIdentityDigits(Number(twelve.slice(0, 8)), Number(twelve.slice(8)));
  if (check !== 'ok') return { ok: false, reason: check };
  const kind: PersonIdKind = Number(twelve.slice(6, 8)) > 60 ? 'samordningsnummer' : 'personnummer';
  return { ok: true, kind, normalized: twelve };
}

/** The 12 digits of an identity-number shape, or undefined for a pseudonym. */
function twelveDigits(value: string, today = todayInt()): string | undefined {
  const long = IDENTITY_RE.exec(value);
  if (long) return `${long[1]}${long[2]}`;
  const short = SHORT_RE.exec(value);
  if (!short) return undefined;
  const [, yymmdd = '', separator, last4 = ''] = short;
  const yy = Number(yymmdd.slice(0, 2));
  let mmdd = Number(yymmdd.slice(2));
  if (mmdd % 100 > 60) mmdd -= 60;
  return String(fullYear(yy, mmdd, separator === '+', today)) + yymmdd.slice(2) + last4;
}

/** An organisationsnummer of 10 digits (optionally `NNNNNN-NNNN`) passes Luhn; other ids are accepted as they are. */
export function checkOrganisationNumber(value: string): boolean {
  const m = /^(\d{6})-?(\d{4})$/.exec(value);
  return m ? luhnValid(`${m[1]}${m[2]}`) : true;
}

/** `556016-0680` or `5560160680` → `5560160680`; undefined when it is not an organisationsnummer (10 digits, Luhn). */
export function normalizeOrganisationNumber(value: string): string | undefined {
  const digits = value.trim().replace(/^(\d{6})-(\d{4})$/, '$1$2');
  return /^\d{10}$/.test(digits) && luhnValid(digits) ? digits : undefined;
}

/**
 * An organisationsnummer as an audit log may show it: a sole trader's number is the owner's
 * personnummer (month digits 01–12), so it is masked; a company's is shown as its 10 digits.
 */
export function maskOrganisationNumber(orgNr: string): string {
  const d = orgNr.replace('-', '');
  return d.length === 10 && Number(d[2]) < 2 ? '<personnummer dolt>' : d;
}

/** Never print an identity number: a log or error shows this instead. */
export function maskPersonId(value: string): string {
  return looksLikePersonId(value) ? '<personnummer dolt>' : value;
}
