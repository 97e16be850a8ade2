import { serverToday } from '../clock.js';
import type { AppDeps } from './context.js';

/**
 * The server's calendar date for a request: tests move this clock through `AppDeps.today` instead
 * of sending a date; dates that decide a right are never the caller's.
 */
export function todayOf(deps: Pick<AppDeps, 'today'>): string {
  return deps.today?.() ?? serverToday();
}
