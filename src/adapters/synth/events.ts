import type { CsvOut } from './csv-out.js';
import { BAND_FROM, PYRAMID_5Y, SIP_WEIGHT, bandOf } from './data.js';
import type { Segments } from './listings.js';
import { SHARE_NEVER_LISTED, type Person } from './persons.js';
import { YEAR_DAYS, type Period } from './period.js';
import type { Rng } from './rng.js';
import type { Units } from './units.js';

const SIP_LATE_PER_UNIT_YEAR = 3;
/** SIP invitations sent in time per one sent late (SIP timeliness around 85 %). */
const SIP_ON_TIME_PER_LATE = 6;

/** events.csv: events numbered E00000001, …; SIP invitations sent in time T00000001, …. */
export class EventWriter {
  private eventNo = 0;
  private onTimeNo = 0;
  constructor(readonly out: CsvOut) {}

  add(unitId: string, type: string, date: string, personId: string): void {
    this.out.add(`E${String(++this.eventNo).padStart(8, '0')},${unitId},${type},${date},${personId}\n`);
  }

  sipInTime(unitId: string, date: string, personId: string): void {
    this.out.add(`T${String(++this.onTimeNo).padStart(8, '0')},${unitId},sip_i_tid,${date},${personId}\n`);
  }
}

/**
 * SIP invitations at the unit a person is listed at: a few sent late per unit and year (sip_late),
 * mostly for the old, and about six times as many sent in time (sip_i_tid, for follow-up).
 */
export class SipDraw {
  private readonly perPersonYear: number;

  constructor(
    private readonly rng: Rng,
    /** Invitations sent in time draw from the follow-up stream, so adding them left every other row as it was. */
    private readonly frng: Rng,
    private readonly period: Period,
    private readonly units: Units,
    private readonly events: EventWriter,
    population: number,
  ) {
    // band shares of the pyramid, to scale SIP events to a few per unit and year
    const bandShare = new Float64Array(BAND_FROM.length);
    const total = PYRAMID_5Y.reduce((s, v) => s + v, 0);
    PYRAMID_5Y.forEach((v, g) => {
      for (let a = 0; a < 5; a++) bandShare[bandOf(g * 5 + a)]! += v / 5 / total;
    });
    const sipMean = SIP_WEIGHT.reduce((s, w, b) => s + w * bandShare[b]!, 0);
    this.perPersonYear =
      (SIP_LATE_PER_UNIT_YEAR * units.listable) / (population * (1 - SHARE_NEVER_LISTED)) / sipMean;
  }

  next(p: Person, seg: Segments): void {
    if (seg.n === 0) return;
    const { rng, frng, events } = this;
    const { ds } = this.period;
    const ids = this.units.ids;
    const lo = Math.max(seg.from[0]!, this.period.start);
    const hi = seg.to[seg.n - 1]!;
    const years = (hi - lo) / YEAR_DAYS;
    const nSip = rng.poisson(this.perPersonYear * SIP_WEIGHT[p.band]! * years);
    for (let e = 0; e < nSip; e++) {
      const d = lo + rng.int(hi - lo);
      const s = seg.at(d);
      if (s >= 0) events.add(ids[seg.unit[s]!]!, 'sip_late', ds(d), p.id);
    }
    const nOnTime = frng.poisson(this.perPersonYear * SIP_ON_TIME_PER_LATE * SIP_WEIGHT[p.band]! * years);
    for (let e = 0; e < nOnTime; e++) {
      const d = lo + frng.int(hi - lo);
      const s = seg.at(d);
      if (s >= 0) events.sipInTime(ids[seg.unit[s]!]!, ds(d), p.id);
    }
  }
}
