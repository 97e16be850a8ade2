import { addDays, type DateInt } from '../calendar.js';
import { nonWorkingReason } from './holidays.js';

/**
 * Avtalsspärr: after the award decision is sent, no contract may be signed until the standstill
 * period has run out. 10 days when the decision was sent electronically, 15 otherwise, counted from
 * the day after sending (LOU 20 kap. 1 §, the rule NSS borrows). If the last day falls on a Saturday,
 * Sunday, public holiday, midsummer eve, Christmas eve or New Year's eve, the period ends on the next
 * weekday instead (lag 1930:173 om beräkning av lagstadgad tid). Signing is allowed from the day after.
 */
export interface Standstill {
  sent: DateInt;
  electronic: boolean;
  days: 10 | 15;
  /** The day the period would end without the moving rule. */
  nominalLastDay: DateInt;
  lastDay: DateInt;
  earliestSigning: DateInt;
  /** Each day skipped, with why, so the officer sees how the date came about. */
  moved: { date: DateInt; reason: string }[];
}

export function standstill(sent: DateInt, electronic: boolean): Standstill {
  const days = electronic ? 10 : 15;
  const nominalLastDay = addDays(sent, days);
  const moved: { date: DateInt; reason: string }[] = [];
  let lastDay = nominalLastDay;
  for (let reason = nonWorkingReason(lastDay); reason; reason = nonWorkingReason(lastDay)) {
    moved.push({ date: lastDay, reason });
    lastDay = addDays(lastDay, 1);
  }
  return { sent, electronic, days, nominalLastDay, lastDay, earliestSigning: addDays(lastDay, 1), moved };
}

/** May a contract be signed on this day? Never before the standstill has run out. */
export function maySign(s: Standstill, on: DateInt): boolean {
  return on >= s.earliestSigning;
}
