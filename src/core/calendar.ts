/**
 * Calendar dates without time zones. Inside the engine a date is an integer yyyymmdd (20250301):
 * it sorts like the date, compares with `<`, and gives completed years of age by integer division.
 */
export type DateInt = number;
/** A month as yyyymm (202503). */
export type MonthInt = number;

export const NO_DATE: DateInt = 0;
export const OPEN_END: DateInt = 99_991_231;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2
    ? isLeapYear(year)
      ? 29
      : 28
    : ([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? NaN);
}

export function isValidYmd(year: number, month: number, day: number): boolean {
  return (
    year >= 1800 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** `2025-03-01` → 20250301, or undefined when it is not a real calendar date. */
export function parseDate(text: string): DateInt | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return isValidYmd(y, mo, d) ? y * 10000 + mo * 100 + d : undefined;
}

export function formatDate(date: DateInt): string {
  const y = Math.floor(date / 10000);
  const m = Math.floor(date / 100) % 100;
  const d = date % 100;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `2025-03` → 202503, or undefined. */
export function parseMonth(text: string): MonthInt | undefined {
  const m = MONTH_RE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  return y >= 1800 && mo >= 1 && mo <= 12 ? y * 100 + mo : undefined;
}

export function formatMonth(month: MonthInt): string {
  return `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`;
}

export function addMonths(month: MonthInt, delta: number): MonthInt {
  const index = Math.floor(month / 100) * 12 + (month % 100) - 1 + delta;
  return Math.floor(index / 12) * 100 + (index % 12) + 1;
}

/** Whole months from `a` to `b` (b - a). */
export function monthsBetween(a: MonthInt, b: MonthInt): number {
  return Math.floor(b / 100) * 12 + (b % 100) - (Math.floor(a / 100) * 12 + (a % 100));
}

export function firstDay(month: MonthInt): DateInt {
  return month * 100 + 1;
}

export function lastDay(month: MonthInt): DateInt {
  return month * 100 + daysInMonth(Math.floor(month / 100), month % 100);
}

export function monthOf(date: DateInt): MonthInt {
  return Math.floor(date / 100);
}

/** Completed years on `on` for a person born `birth` (a birthday on `on` counts as had). */
export function ageOn(birth: DateInt, on: DateInt): number {
  return Math.floor((on - birth) / 10000);
}

/** Days since 1970-01-01, for day arithmetic (deadlines); the domain never needs a time of day. */
export function toEpochDay(date: DateInt): number {
  return Math.floor(
    Date.UTC(Math.floor(date / 10000), (Math.floor(date / 100) % 100) - 1, date % 100) / 86_400_000,
  );
}

function fromEpochDay(day: number): DateInt {
  const d = new Date(day * 86_400_000);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

export function addDays(date: DateInt, days: number): DateInt {
  return fromEpochDay(toEpochDay(date) + days);
}
