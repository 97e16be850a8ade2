import type { CsvOut } from './csv-out.js';
import {
  ACUTE_ADULT,
  ACUTE_CHILD,
  ACUTE_OLD,
  codesOf,
  CODED_SHARE,
  CONTACT_WEIGHT,
  CONTACTS,
  HOME_VISIT,
  PROF_HOME,
  PROF_WEIGHT,
  PROFESSIONS,
  VISIT_RATE,
  type CodeList,
} from './data.js';
import type { EventWriter } from './events.js';
import type { FollowUpTallies } from './indicators.js';
import type { Segments } from './listings.js';
import type { Person } from './persons.js';
import { YEAR_DAYS, type Period } from './period.js';
import { cumulative, type Rng } from './rng.js';
import type { UnitPicker, Units } from './units.js';

const SHARE_VISITS_AT_LISTED_UNIT = 0.8;
const SHARE_VISITS_AT_BRANCH = 0.22;
/** Ages at which the example rulebook offers a health dialogue (hälsosamtal), as Jämtland Härjedalen. */
const HEALTH_DIALOGUE_AGES = [40, 50, 60, 70];
// Indexes into PROFESSIONS and CONTACTS.
const P_LAKARE = 0;
const P_SSK = 1;
const P_DSSK = 2;
const P_PSYKOLOG = 5;
const P_KURATOR = 6;
const P_DIETIST = 7;
const P_BARNMORSKA = 8;
const P_ANNAN = 9;
const C_HOME = 3;

/**
 * Draws a person's visits over their presence, on weekdays more than weekends and less in July:
 * mostly at the listed unit (sometimes its branch), by profession and contact, with the fixed
 * doctor as often as the unit manages, booking lags, ICD-10 codes and health dialogues; writes
 * visits.csv and the home visits at special housing (hembesok_sabo) to events.csv.
 */
export class VisitDraw {
  private readonly profCum = cumulative(PROF_WEIGHT);
  private readonly contactCum = cumulative(CONTACT_WEIGHT);
  private readonly listCum = new Map<CodeList, Float64Array>();
  private visitDays = new Int32Array(256);
  private readonly codes: string[] = [];
  private visitNo = 0;

  constructor(
    private readonly rng: Rng,
    /** Follow-up marks (health dialogues) draw from their own stream, so adding them left every other row of a seed as it was. */
    private readonly frng: Rng,
    private readonly period: Period,
    private readonly units: Units,
    private readonly pick: UnitPicker,
    private readonly out: CsvOut,
    private readonly events: EventWriter,
    private readonly tallies: FollowUpTallies,
  ) {}

  private codeFrom(l: CodeList): string {
    let cum = this.listCum.get(l);
    if (!cum) this.listCum.set(l, (cum = cumulative(l.weights)));
    return l.codes[this.rng.pickCum(cum)]!;
  }

  /** The visit days, sorted: drawn over [a, z) and accepted by the day's weight. */
  private days(p: Person, neverListed: boolean): number {
    const { rng } = this;
    const { from: a, to: z } = p;
    const S = this.period.start;
    const dayAccept = this.period.dayAccept;
    const nVisits = rng.poisson(
      VISIT_RATE[p.band]! * p.need * (neverListed ? 0.4 : 1) * ((z - a) / YEAR_DAYS),
    );
    if (nVisits > this.visitDays.length) this.visitDays = new Int32Array(nVisits * 2);
    const visitDays = this.visitDays;
    for (let v = 0; v < nVisits; v++) {
      let d = a;
      for (let t = 0; t < 40; t++) {
        d = a + rng.int(z - a);
        if (rng.next() < dayAccept[d - S]!) break;
      }
      // insertion sort as we go
      let j = v;
      while (j > 0 && visitDays[j - 1]! > d) {
        visitDays[j] = visitDays[j - 1]!;
        j--;
      }
      visitDays[j] = d;
    }
    return nVisits;
  }

  next(p: Person, seg: Segments, neverListed: boolean): void {
    const { rng, frng, units, pick, tallies } = this;
    const { start: S, months: M, dayMonth, ds } = this.period;
    const { sex, age, band, kommun, chronic, birth } = p;
    const nVisits = this.days(p, neverListed);
    const visitDays = this.visitDays;
    const codes = this.codes;
    let dialogueYear = -1;
    const birthYear = Number(ds(birth).slice(0, 4));
    for (let v = 0; v < nVisits; v++) {
      const d = visitDays[v]!;
      const mi = dayMonth[d - S]!;
      const s = seg.at(d);
      const home = s >= 0 ? seg.unit[s]! : -1;
      let unit = home >= 0 && rng.chance(SHARE_VISITS_AT_LISTED_UNIT) ? home : -1;
      if (unit < 0) {
        const local = units.kommunPools[kommun];
        unit = local && rng.chance(0.85) ? pick.from(local, d, -1, true) : -1;
        if (unit < 0) unit = pick.from(units.regionPool, d, -1, true);
        if (unit < 0) unit = home >= 0 ? home : pick.toList(kommun, d, -1, true);
        if (unit < 0) continue;
      }
      const main = unit;
      const mu = units.list[main]!;
      const branches = mu.branches;
      if (branches.length > 0 && rng.chance(SHARE_VISITS_AT_BRANCH)) {
        const b = branches[rng.int(branches.length)]!;
        if (units.start[b]! <= d && d <= units.end[b]!) unit = b;
      }
      let prof = rng.pickCum(this.profCum);
      if (prof === P_BARNMORSKA && !(sex === 'F' && age >= 15 && age < 55)) prof = P_SSK;
      if ((prof === P_PSYKOLOG || prof === P_KURATOR) && age < 6) prof = P_LAKARE;
      const contact =
        PROF_HOME[prof] && rng.chance(HOME_VISIT[band]!) ? C_HOME : rng.pickCum(this.contactCum);
      let doctor = '';
      if (prof === P_LAKARE) {
        const fixed = main === home ? seg.doctor[s]! : -1;
        const doc = fixed >= 0 && rng.chance(mu.qCont) ? fixed : mu.docFirst + rng.int(mu.docCount);
        doctor = units.doctorIds[doc]!;
        if (fixed >= 0) {
          tallies.contDen[home * M + mi]!++;
          if (doc === fixed) tallies.contNum[home * M + mi]!++;
        }
      }
      let booked = '';
      if (!(contact === 0 && rng.chance(0.03))) {
        const lag = rng.chance(mu.q3) ? (rng.chance(0.45) ? 0 : rng.between(1, 3)) : rng.between(4, 14);
        const bd = Math.max(birth, d - lag);
        booked = ds(bd);
        if (prof === P_LAKARE) {
          tallies.acc3Den[main * M + mi]!++;
          if (d - bd <= 3) tallies.acc3Num[main * M + mi]!++;
        }
      }
      let diag = '';
      if (rng.chance(CODED_SHARE[prof]!)) {
        const n =
          prof === P_LAKARE ? (rng.chance(0.68) ? 1 : rng.chance(0.75) ? 2 : 3) : rng.chance(0.85) ? 1 : 2;
        codes.length = 0;
        const chronicFirst = prof === P_LAKARE || prof === P_SSK || prof === P_DSSK || prof === P_DIETIST;
        for (let t = 0; t < n + 3 && codes.length < n; t++) {
          let code: string;
          if (chronic.length > 0 && chronicFirst && rng.chance(0.4)) code = chronic[rng.int(chronic.length)]!;
          else if (prof === P_LAKARE || prof === P_ANNAN)
            code = this.codeFrom(age < 18 ? ACUTE_CHILD : age >= 75 ? ACUTE_OLD : ACUTE_ADULT);
          else if (prof === P_SSK || prof === P_DSSK)
            code = this.codeFrom(age < 6 ? ACUTE_CHILD : codesOf('sjukskoterska'));
          else code = this.codeFrom(codesOf(PROFESSIONS[prof]!));
          if (!codes.includes(code)) codes.push(code);
        }
        diag = codes.join('|');
      }
      // A nurse's visit at the listed unit in the year the person turns 40, 50, 60 or 70 is the
      // health dialogue for part of them (units differ in how many they reach).
      let visitType = '';
      if ((prof === P_SSK || prof === P_DSSK) && contact === 0 && main === home) {
        const year = Number(ds(d).slice(0, 4));
        if (year !== dialogueYear && HEALTH_DIALOGUE_AGES.includes(year - birthYear)) {
          if (frng.chance(0.45 + 0.4 * ((main * 0.618034) % 1))) {
            visitType = 'halsosamtal';
            dialogueYear = year;
          }
        }
      }
      this.out.add(
        `V${String(++this.visitNo).padStart(9, '0')},${p.id},${units.ids[unit]},${ds(d)},${PROFESSIONS[prof]},` +
          `${CONTACTS[contact]},${doctor},${booked},${diag},${visitType}\n`,
      );
      if (contact === C_HOME && age >= 75 && mu.sabo > 0 && rng.chance(0.1))
        this.events.add(units.ids[main]!, 'hembesok_sabo', ds(d), p.id);
    }
  }
}
