/** The synthetic region's months and days: day numbers, date texts and each day's share of visits. */

export const DAY_MS = 86_400_000;
export const YEAR_DAYS = 365.2425;

/** Days since 1970-01-01 (UTC). */
export function dayOf(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

function parseMonth(value: string, name: string): { y: number; m: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  const y = match ? Number(match[1]) : NaN;
  const m = match ? Number(match[2]) : NaN;
  if (!match || m < 1 || m > 12 || y < 1950 || y > 2200) {
    throw new Error(
      `synthesize: ${name} must be a month YYYY-MM between 1950-01 and 2200-12, got "${value}"`,
    );
  }
  return { y, m };
}

export interface Period {
  /** Number of months. */
  months: number;
  /** First day of each month, and the day after the last month (months + 1 entries). */
  monthStart: Int32Array;
  /** Calendar month 1..12 of each month. */
  monthCal: Int32Array;
  /** First day. */
  start: number;
  /** The day after the last (exclusive). */
  end: number;
  days: number;
  years: number;
  /** Per day of the period: the index of its month. */
  dayMonth: Uint16Array;
  /** Per day of the period: a seasonal × weekday acceptance weight for a visit. */
  dayAccept: Float32Array;
  /** A day as YYYY-MM-DD (from 1880 to a year after the period). */
  ds: (day: number) => string;
}

const SEASON = [1.15, 1.15, 1.1, 1.0, 0.95, 0.85, 0.55, 0.8, 1.05, 1.1, 1.1, 0.9];

export function makePeriod(from: string, to: string): Period {
  const fromM = parseMonth(from, 'from');
  const toM = parseMonth(to, 'to');
  const M = (toM.y - fromM.y) * 12 + (toM.m - fromM.m) + 1;
  if (M < 1) throw new Error(`synthesize: to (${to}) is before from (${from})`);

  const monthStart = new Int32Array(M + 1);
  const monthCal = new Int32Array(M + 1);
  for (let k = 0; k <= M; k++) {
    const y = fromM.y + Math.floor((fromM.m - 1 + k) / 12);
    const m = ((fromM.m - 1 + k) % 12) + 1;
    monthStart[k] = dayOf(y, m, 1);
    monthCal[k] = m;
  }
  const S = monthStart[0]!;
  const E = monthStart[M]!;
  const periodDays = E - S;

  // Every date text made once: a person's rows repeat few dates, millions of times over.
  const DT_BASE = dayOf(1880, 1, 1);
  const dateStr: string[] = new Array(E + 400 - DT_BASE);
  const cur = new Date(DT_BASE * DAY_MS);
  for (let i = 0; i < dateStr.length; i++) {
    dateStr[i] = cur.toISOString().slice(0, 10);
    cur.setUTCDate(cur.getUTCDate() + 1);
  }

  const dayMonth = new Uint16Array(periodDays);
  const dayAccept = new Float32Array(periodDays);
  let k = 0;
  for (let i = 0; i < periodDays; i++) {
    const day = S + i;
    while (day >= monthStart[k + 1]!) k++;
    dayMonth[i] = k;
    const wd = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
    dayAccept[i] = (SEASON[monthCal[k]! - 1]! / 1.15) * (wd === 0 || wd === 6 ? 0.06 : 1);
  }
  return {
    months: M,
    monthStart,
    monthCal,
    start: S,
    end: E,
    days: periodDays,
    years: periodDays / YEAR_DAYS,
    dayMonth,
    dayAccept,
    ds: (day) => dateStr[day - DT_BASE]!,
  };
}
