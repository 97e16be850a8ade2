import type { Areas } from './areas.js';
import { CHRONIC, LEAVE_RATE, PYRAMID_5Y, RUB_DIST, RUB_NEED, bandOf } from './data.js';
import type { IdentityPool } from './identities.js';
import { DAY_MS, YEAR_DAYS, type Period } from './period.js';
import { cumulative, type Rng } from './rng.js';

export const SHARE_NEVER_LISTED = 0.04;
const SHARE_SAMORDNING = 0.01;
const SHARE_EMPTY_SEX = 0.003;
const SHARE_EMPTY_RISK = 0.02;
const YEARLY_MOVE_IN_RATE = 0.02;
const YEARLY_BIRTH_RATE = 0.0095;

/** One person as drawn: reused from person to person (the region is written person by person). */
export class Person {
  id = '';
  sex = '';
  birth = 0;
  /** Age at the period's start (0 for those born during it), at most 100. */
  age = 0;
  band = 0;
  area = 0;
  kommun = 0;
  /** Presence in the region: [from, to). */
  from = 0;
  to = 0;
  /** Care need relative to the person's age band (from the RUB group). */
  need = 0;
  risk = '';
  /** Chronic diagnoses, at most three. */
  readonly chronic: string[] = [];
}

/**
 * Draws persons: age first, from the region's pyramid (or born during the period); then, for the
 * identity, an unused Skatteverket test number of that birth year (about 1 % samordningsnummer),
 * else a pseudonym (`P00000001`), which the data exchange reads as "not an identity number".
 * Taking test numbers in file order instead would make a fifth of the region 110 years old, since
 * the list starts with those born 1890-1912.
 */
export class PersonDraw {
  private readonly pyramidCum = cumulative(PYRAMID_5Y);
  private readonly rubCum = RUB_DIST.map((d) => cumulative(d));
  private readonly needMean = RUB_DIST.map((d) => d.reduce((s, p, r) => s + p * RUB_NEED[r]!, 0));
  private readonly chronicCum = cumulative(CHRONIC.map((c) => c[2]));
  private pseudonyms = 0;

  constructor(
    private readonly rng: Rng,
    private readonly period: Period,
    private readonly areas: Areas,
    private readonly pnr: IdentityPool,
    private readonly snr: IdentityPool,
  ) {}

  next(p: Person): void {
    const { rng } = this;
    const { start: S, end: E, days: periodDays, years: periodYears } = this.period;
    let ageAtS: number;
    let birth: number;
    if (rng.chance(YEARLY_BIRTH_RATE * periodYears)) {
      birth = S + rng.int(periodDays);
      ageAtS = 0;
    } else {
      const g = rng.pickCum(this.pyramidCum);
      ageAtS = g === PYRAMID_5Y.length - 1 ? 100 : g * 5 + rng.int(5);
      birth = S - 1 - Math.floor((ageAtS + rng.next()) * YEAR_DAYS);
    }
    const year = new Date(birth * DAY_MS).getUTCFullYear();
    const cand =
      (rng.chance(SHARE_SAMORDNING) ? this.snr.take(year, E) : undefined) ?? this.pnr.take(year, E);
    if (cand) {
      p.id = cand.id;
      birth = cand.birth;
      p.sex = cand.sex;
      ageAtS = birth < S ? Math.floor((S - birth) / YEAR_DAYS) : 0;
    } else {
      p.id = 'P' + String(++this.pseudonyms).padStart(8, '0');
      const x = rng.next();
      const pF = ageAtS < 50 ? 0.49 : ageAtS < 70 ? 0.5 : ageAtS < 80 ? 0.53 : ageAtS < 90 ? 0.6 : 0.7;
      p.sex = x < SHARE_EMPTY_SEX ? '' : x < SHARE_EMPTY_SEX + pF * (1 - SHARE_EMPTY_SEX) ? 'F' : 'M';
    }
    p.birth = birth;
    p.age = Math.min(ageAtS, 100);
    p.band = bandOf(p.age);
    p.area = rng.pickCum(this.areas.cum);
    p.kommun = this.areas.kommun[p.area]!;

    let a = birth >= S ? birth : S;
    let z = E;
    if (birth < S && rng.chance(YEARLY_MOVE_IN_RATE * periodYears)) a = S + rng.int(periodDays);
    if (a + 1 < E - 1 && rng.chance(LEAVE_RATE[p.band]! * ((E - a) / YEAR_DAYS)))
      z = rng.between(a + 1, E - 1);
    p.from = a;
    p.to = z;

    const rub = rng.pickCum(this.rubCum[p.band]!);
    p.need = RUB_NEED[rub]! / this.needMean[p.band]!;
    p.risk = rng.chance(SHARE_EMPTY_RISK) ? '' : 'RUB' + rub;
    p.chronic.length = 0;
    const lambda = p.need * [0.05, 0.15, 0.4, 1.0, 1.6, 2.0][p.band]!;
    const n = Math.min(3, rng.poisson(lambda));
    for (let t = 0; t < 12 && p.chronic.length < n; t++) {
      const c = CHRONIC[rng.pickCum(this.chronicCum)]!;
      if (c[1] <= p.age && !p.chronic.includes(c[0])) p.chronic.push(c[0]);
    }
  }

  /** Whether the person moved in during the period (the first day present is after its start). */
  static movedIn(p: Person, period: Period): boolean {
    return p.birth < period.start && p.from > period.start;
  }
}
