import type { AppDeps } from './context.js';

const STOCKHOLM = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The server's calendar date, in the region's time zone. Dates that decide what is allowed (the day
 * a contract is signed) are the server's, never the caller's; tests move this clock through
 * `AppDeps.today` instead of sending a date.
 */
export function todayOf(deps: Pick<AppDeps, 'today'>): string {
  return deps.today?.() ?? STOCKHOLM.format(new Date());
}
