import { addDays, formatDate, type DateInt } from '../calendar.js';

/**
 * Swedish public holidays (allmänna helgdagar, lag 1989:253) and the days that lag (1930:173) om
 * beräkning av lagstadgad tid treats like them: midsummer eve, Christmas eve and New Year's eve.
 */

/** Easter Sunday (påskdagen) of a Gregorian year, by the anonymous Gregorian computus. */
export function easterSunday(year: number): DateInt {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return year * 10000 + month * 100 + day;
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(date: DateInt): number {
  const y = Math.floor(date / 10000);
  const m = Math.floor(date / 100) % 100;
  const d = date % 100;
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The first date in [from, to] that falls on the given weekday. */
function weekdayBetween(from: DateInt, to: DateInt, wd: number): DateInt {
  for (let day = from; day <= to; day = addDays(day, 1)) if (weekday(day) === wd) return day;
  throw new Error(`ingen veckodag ${wd} mellan ${formatDate(from)} och ${formatDate(to)}`);
}

export interface Holiday {
  date: DateInt;
  name: string;
  /** A public holiday by law (helgdag), as opposed to an eve that only lag 1930:173 counts. */
  publicHoliday: boolean;
}

/** The holidays and eves of a year, in date order. Sundays are holidays too but not listed. */
export function swedishHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const y = year * 10000;
  const midsummerEve = weekdayBetween(y + 619, y + 625, 5);
  const list: Holiday[] = [
    { date: y + 101, name: 'nyårsdagen', publicHoliday: true },
    { date: y + 106, name: 'trettondedag jul', publicHoliday: true },
    { date: addDays(easter, -2), name: 'långfredagen', publicHoliday: true },
    { date: easter, name: 'påskdagen', publicHoliday: true },
    { date: addDays(easter, 1), name: 'annandag påsk', publicHoliday: true },
    { date: y + 501, name: 'första maj', publicHoliday: true },
    { date: addDays(easter, 39), name: 'Kristi himmelsfärds dag', publicHoliday: true },
    { date: addDays(easter, 49), name: 'pingstdagen', publicHoliday: true },
    { date: y + 606, name: 'Sveriges nationaldag', publicHoliday: true },
    { date: midsummerEve, name: 'midsommarafton', publicHoliday: false },
    { date: addDays(midsummerEve, 1), name: 'midsommardagen', publicHoliday: true },
    { date: weekdayBetween(y + 1031, y + 1106, 6), name: 'alla helgons dag', publicHoliday: true },
    { date: y + 1224, name: 'julafton', publicHoliday: false },
    { date: y + 1225, name: 'juldagen', publicHoliday: true },
    { date: y + 1226, name: 'annandag jul', publicHoliday: true },
    { date: y + 1231, name: 'nyårsafton', publicHoliday: false },
  ];
  return list.sort((a, b) => a.date - b.date);
}

const cache = new Map<number, Map<DateInt, string>>();

/** The name of the holiday or eve on this date, if it is one. */
function holidayName(date: DateInt): string | undefined {
  const year = Math.floor(date / 10000);
  let byDate = cache.get(year);
  if (!byDate) {
    byDate = new Map(swedishHolidays(year).map((h) => [h.date, h.name]));
    cache.set(year, byDate);
  }
  return byDate.get(date);
}

/**
 * Why a deadline may not end on this date under lag (1930:173): Saturday, Sunday, a public holiday,
 * midsummer eve, Christmas eve or New Year's eve. Undefined for an ordinary weekday (söckendag).
 */
export function nonWorkingReason(date: DateInt): string | undefined {
  const named = holidayName(date);
  if (named) return named;
  const wd = weekday(date);
  if (wd === 6) return 'lördag';
  if (wd === 0) return 'söndag';
  return undefined;
}
