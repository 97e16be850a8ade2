import type { Areas } from './areas.js';
import type { CsvOut } from './csv-out.js';
import type { FollowUpTallies } from './indicators.js';
import { PersonDraw, SHARE_NEVER_LISTED, type Person } from './persons.js';
import { YEAR_DAYS, type Period } from './period.js';
import type { Rng } from './rng.js';
import type { UnitPicker, Units } from './units.js';

const YEARLY_SWITCH_RATE = 0.065;

/** A person's listings: periods at one unit each, with a fixed doctor or none. */
export class Segments {
  n = 0;
  readonly from = new Int32Array(8);
  readonly to = new Int32Array(8);
  readonly unit = new Int32Array(8);
  readonly doctor = new Int32Array(8);

  /** The segment holding day d, or -1. */
  at(d: number): number {
    for (let s = 0; s < this.n; s++) if (this.from[s]! <= d && d < this.to[s]!) return s;
    return -1;
  }
}

/**
 * Draws where a person is listed (a few never are): since before the period, from birth or from
 * moving in, switching now and then, and moved off the closing unit on its transfer day; writes
 * the rows to listings.csv.
 */
export class ListingDraw {
  private readonly switches = new Int32Array(4);
  /** True for the person just drawn when never listed (they visit less). */
  neverListed = false;

  constructor(
    private readonly rng: Rng,
    private readonly period: Period,
    private readonly areas: Areas,
    private readonly units: Units,
    private readonly pick: UnitPicker,
    private readonly out: CsvOut,
    private readonly tallies: FollowUpTallies,
  ) {}

  next(p: Person, seg: Segments): void {
    const { rng, units, pick, switches } = this;
    const { start: S } = this.period;
    const { birth, kommun, to: z } = p;
    seg.n = 0;
    this.neverListed = rng.chance(SHARE_NEVER_LISTED);
    if (!this.neverListed) {
      let ls = -1;
      let u0 = -1;
      if (birth >= S) ls = birth + rng.int(60);
      else if (PersonDraw.movedIn(p, this.period)) ls = rng.chance(0.85) ? p.from + rng.int(45) : -1;
      else {
        u0 = pick.toList(kommun, S - 1, -1, true);
        if (u0 >= 0) ls = rng.between(Math.max(birth, units.start[u0]!, S - 12 * 365), S - 1);
      }
      if (ls >= 0 && ls < z) {
        if (u0 < 0) u0 = pick.toList(kommun, ls, -1, false);
        if (u0 >= 0) {
          const listedSince = Math.max(ls, S);
          let nSw = Math.min(
            switches.length,
            rng.poisson(YEARLY_SWITCH_RATE * ((z - listedSince) / YEAR_DAYS)),
          );
          if (listedSince + 1 > z - 1) nSw = 0;
          for (let s = 0; s < nSw; s++) switches[s] = rng.between(listedSince + 1, z - 1);
          switches.subarray(0, nSw).sort();
          let sw = 0;
          let from = ls;
          let u = u0;
          for (;;) {
            while (sw < nSw && switches[sw]! <= from) sw++;
            const nextSwitch = sw < nSw ? switches[sw]! : 2 ** 30;
            const forced = u === units.closing && units.transfer > from ? units.transfer : 2 ** 30;
            const cut = Math.min(nextSwitch, forced);
            seg.from[seg.n] = from;
            seg.unit[seg.n] = u;
            const doc = units.list[u]!;
            seg.doctor[seg.n] = rng.chance(0.88) ? doc.docFirst + rng.int(doc.docCount) : -1;
            if (cut < z) {
              seg.to[seg.n++] = cut;
              if (cut === nextSwitch) sw++;
              const next = pick.toList(kommun, cut, u, false);
              if (next < 0 || seg.n === seg.from.length) break;
              from = cut;
              u = next;
            } else {
              seg.to[seg.n++] = z;
              break;
            }
          }
        }
      }
    }
    this.write(p, seg);
  }

  private write(p: Person, seg: Segments): void {
    const { ds, end: E, months: M, monthStart } = this.period;
    const { ids, doctorIds } = this.units;
    const listedOnFirst = this.tallies.listedOnFirst;
    for (let s = 0; s < seg.n; s++) {
      const u = seg.unit[s]!;
      this.out.add(
        `${p.id},${ids[u]},${seg.doctor[s]! >= 0 ? doctorIds[seg.doctor[s]!] : ''},${ds(p.birth)},${p.sex},${this.areas.code[p.area]},` +
          `${ds(seg.from[s]!)},${seg.to[s]! >= E ? '' : ds(seg.to[s]!)},${p.risk}\n`,
      );
      for (let k = 0; k < M; k++) {
        const first = monthStart[k]!;
        if (seg.from[s]! <= first && first < seg.to[s]!) listedOnFirst[u * M + k]!++;
      }
    }
  }
}
