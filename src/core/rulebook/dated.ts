import type { DatedNumber } from './schema.js';
import { parseDate, type DateInt } from '../calendar.js';

/** A dated parameter's value in force on `on`, with the date it took effect (undefined: no value in force). */
export function valueInForce(
  param: DatedNumber,
  on: DateInt,
): { value: number; since?: DateInt } | undefined {
  if (typeof param === 'number') return { value: param };
  let best: DateInt | undefined;
  let value = 0;
  for (const [key, v] of Object.entries(param)) {
    const date = parseDate(key);
    if (date !== undefined && date <= on && (best === undefined || date > best)) {
      best = date;
      value = v;
    }
  }
  return best === undefined ? undefined : { value, since: best };
}
