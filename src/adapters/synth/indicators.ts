import { join } from 'node:path';
import { CsvOut } from './csv-out.js';
import type { Period } from './period.js';
import { Rng } from './rng.js';
import type { Units } from './units.js';

const PHONE_CALLS_PER_LISTED_MONTH = 0.3;

/** Per unit × month, what the indicators are computed from, counted while persons are written. */
export class FollowUpTallies {
  readonly listedOnFirst: Int32Array;
  /** Doctor visits of a person with a fixed doctor at the unit, and those with that doctor. */
  readonly contNum: Int32Array;
  readonly contDen: Int32Array;
  /** Booked doctor visits, and those within 3 days of booking. */
  readonly acc3Num: Int32Array;
  readonly acc3Den: Int32Array;
  constructor(units: number, months: number) {
    this.listedOnFirst = new Int32Array(units * months);
    this.contNum = new Int32Array(units * months);
    this.contDen = new Int32Array(units * months);
    this.acc3Num = new Int32Array(units * months);
    this.acc3Den = new Int32Array(units * months);
  }
}

/**
 * indicators.csv: phone accessibility (drawn around each unit's level), doctor visits within 3
 * days and fixed-doctor continuity (from the tallies), per month, calendar quarter and calendar
 * year inside the period, for each listable unit open all of it. Returns the rows written.
 */
export function writeIndicators(
  seed: number,
  period: Period,
  units: Units,
  tallies: FollowUpTallies,
  outDir: string,
): number {
  const irng = new Rng(seed, 3);
  const { months: M, monthCal, monthStart, ds } = period;
  const { listedOnFirst, acc3Num, acc3Den, contNum, contDen } = tallies;
  const out = new CsvOut(join(outDir, 'indicators.csv'), 'indicators.csv');
  // periods fully inside from..to: months, calendar quarters, calendar years (as period-month ranges)
  const periods: [number, number][] = [];
  for (let k = 0; k < M; k++) periods.push([k, k + 1]);
  for (let k = 0; k + 3 <= M; k++) if ((monthCal[k]! - 1) % 3 === 0) periods.push([k, k + 3]);
  for (let k = 0; k + 12 <= M; k++) if (monthCal[k] === 1) periods.push([k, k + 12]);
  const phoneNum = new Int32Array(M);
  const phoneDen = new Int32Array(M);
  for (let u = 0; u < units.listable; u++) {
    const unit = units.list[u]!;
    for (let k = 0; k < M; k++) {
      const calls = Math.round(
        listedOnFirst[u * M + k]! * PHONE_CALLS_PER_LISTED_MONTH * irng.uniform(0.85, 1.15),
      );
      const p = Math.min(1, Math.max(0.4, unit.qPhone + irng.normal() * 0.025));
      phoneDen[k] = calls;
      phoneNum[k] = Math.round(calls * p);
    }
    for (const [k0, k1] of periods) {
      const first = monthStart[k0]!;
      const last = monthStart[k1]! - 1;
      if (unit.start > first || (unit.end >= 0 && unit.end < last)) continue;
      const sums = [
        ['telefontillganglighet', phoneNum, phoneDen],
        ['lakarbesok_3dagar', acc3Num.subarray(u * M, u * M + M), acc3Den.subarray(u * M, u * M + M)],
        ['kontinuitet_lakare', contNum.subarray(u * M, u * M + M), contDen.subarray(u * M, u * M + M)],
      ] as const;
      for (const [name, num, den] of sums) {
        let n = 0;
        let dd = 0;
        for (let k = k0; k < k1; k++) {
          n += num[k]!;
          dd += den[k]!;
        }
        if (dd > 0) out.add(`${unit.id},${name},${ds(first)},${ds(last)},${n},${dd}\n`);
      }
    }
  }
  out.close();
  return out.rows;
}
