/**
 * The synthetic region: writes a data folder in the format of spec/data-exchange.md (units, areas,
 * listings, visits, indicators, events) that looks like a real Swedish region (Jämtland Härjedalen's
 * kommuner), deterministic for a seed, generated person by person with bounded memory.
 *
 * Identity numbers come only from Skatteverket's published test numbers (a random valid number may belong
 * to a real person); when they run out, persons get pseudonyms (`P00000001`), which the data exchange
 * reads as "not an identity number".
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  ACUTE_ADULT,
  ACUTE_CHILD,
  ACUTE_OLD,
  BAND_FROM,
  BY_PROFESSION,
  CHRONIC,
  CODED_SHARE,
  CONTACT_WEIGHT,
  CONTACTS,
  HOME_VISIT,
  HSA_PREFIX,
  KOMMUNER,
  LEAVE_RATE,
  PROF_HOME,
  PROF_WEIGHT,
  PROFESSIONS,
  PYRAMID_5Y,
  REGION_ORG_NR,
  RUB_DIST,
  RUB_NEED,
  SIP_WEIGHT,
  VISIT_RATE,
  bandOf,
  type CodeList,
} from './data.js';
import { Rng, cumulative } from './rng.js';

export interface SynthOptions {
  /** the data folder to write (created if missing; files in it are overwritten) */
  out: string;
  population: number;
  seed: number;
  /** first month, YYYY-MM */
  from: string;
  /** last month (inclusive), YYYY-MM */
  to: string;
  /** folder holding skatteverket-testpersonnummer.csv and skatteverket-testsamordningsnummer.csv */
  identityDir: string;
  /** About how many persons per unit (default 9 000, roughly the Swedish average vårdcentral). */
  personsPerUnit?: number;
  onProgress?: (done: number, total: number, step: string) => void;
}

export interface SynthSummary {
  persons: number;
  units: number;
  areas: number;
  listings: number;
  visits: number;
  indicators: number;
  events: number;
  /** paths of the files written */
  files: string[];
}

export const SYNTH_FILES = [
  'units.csv',
  'areas.csv',
  'listings.csv',
  'visits.csv',
  'indicators.csv',
  'events.csv',
] as const;

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.2425;
/** Flush at ~64 K characters: a shorter string rope stays in V8's young generation (less GC than 1 MB). */
const CHUNK_CHARS = 1 << 16;
/** Persons per DeSO-style area and per unit. */
const PERSONS_PER_AREA = 1500;
const PERSONS_PER_UNIT = 9000;
const SHARE_SAMORDNING = 0.01;
const SHARE_NEVER_LISTED = 0.04;
const SHARE_EMPTY_SEX = 0.003;
const SHARE_EMPTY_RISK = 0.02;
const SHARE_VISITS_AT_LISTED_UNIT = 0.8;
const SHARE_VISITS_AT_BRANCH = 0.22;
const YEARLY_SWITCH_RATE = 0.065;
const YEARLY_MOVE_IN_RATE = 0.02;
const YEARLY_BIRTH_RATE = 0.0095;
const SIP_LATE_PER_UNIT_YEAR = 3;
/** SIP invitations sent in time per one sent late (SIP timeliness around 85 %). */
const SIP_ON_TIME_PER_LATE = 6;
/** Ages at which the example rulebook offers a health dialogue (hälsosamtal), as Jämtland Härjedalen. */
const HEALTH_DIALOGUE_AGES = [40, 50, 60, 70];
const PHONE_CALLS_PER_LISTED_MONTH = 0.3;

function dayOf(y: number, m: number, d: number): number {
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

/** Luhn check digit over the digits of `s` (weights 2,1,2,… from the left). */
export function luhnDigit(s: string): number {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    let v = (s.charCodeAt(i) - 48) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Shares `n` items among groups by weight (largest remainder), each group getting at least `min` when
 * there are enough items; returns the group of each item, grouped in order.
 */
function apportion(n: number, weights: readonly number[], min: number): number[] {
  const g = weights.length;
  const floor = n >= g * min ? min : 0;
  const total = weights.reduce((s, w) => s + w, 0);
  const rest = n - floor * g;
  const quota = weights.map((w) => (rest * w) / total);
  const count = quota.map((q) => floor + Math.floor(q));
  let left = n - count.reduce((s, c) => s + c, 0);
  const order = quota
    .map((q, i) => i)
    .sort((a, b) => quota[b] - Math.floor(quota[b]) - (quota[a] - Math.floor(quota[a])) || a - b);
  for (let j = 0; left > 0; j = (j + 1) % g, left--) count[order[j]]++;
  const out: number[] = [];
  count.forEach((c, i) => {
    for (let k = 0; k < c; k++) out.push(i);
  });
  return out;
}

interface Identity {
  id: string;
  birth: number;
  sex: 'F' | 'M';
}

/** Reads a Skatteverket test-number file: valid, distinct 12-digit numbers in file order. */
function loadIdentities(file: string, samordning: boolean): Identity[] {
  if (!existsSync(file)) throw new Error(`synthesize: identity file not found: ${file}`);
  const seen = new Set<string>();
  const out: Identity[] = [];
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const id = raw.trim();
    if (!/^\d{12}$/.test(id) || seen.has(id)) continue;
    const y = Number(id.slice(0, 4));
    const m = Number(id.slice(4, 6));
    const d = Number(id.slice(6, 8)) - (samordning ? 60 : 0);
    const date = new Date(Date.UTC(y, m - 1, d));
    if (d < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
      continue;
    if (luhnDigit(id.slice(2, 11)) !== Number(id[11])) continue;
    seen.add(id);
    out.push({ id, birth: dayOf(y, m, d), sex: Number(id[10]) % 2 === 1 ? 'M' : 'F' });
  }
  return out;
}

/** Test numbers by birth year, each handed out once, in file order within its year. */
class IdentityPool {
  private readonly byYear = new Map<number, Identity[]>();
  private readonly used = new Map<number, number>();
  constructor(identities: Identity[]) {
    for (const identity of identities) {
      const year = new Date(identity.birth * DAY_MS).getUTCFullYear();
      const list = this.byYear.get(year);
      if (list) list.push(identity);
      else this.byYear.set(year, [identity]);
    }
  }
  /** The next unused number born in `year`, before the day `bornBefore`; undefined when none is left. */
  take(year: number, bornBefore: number): Identity | undefined {
    const list = this.byYear.get(year);
    if (!list) return undefined;
    let i = this.used.get(year) ?? 0;
    while (i < list.length && list[i].birth >= bornBefore) i++;
    this.used.set(year, i + 1);
    return list[i];
  }
}

/** A CSV file written in ~1 MB chunks straight to its file descriptor. */
class CsvOut {
  private readonly fd: number;
  private buf: string;
  rows = 0;

  constructor(
    readonly path: string,
    header: string,
  ) {
    this.fd = openSync(path, 'w');
    this.buf = header + '\n';
  }

  add(line: string): void {
    this.buf += line;
    this.rows++;
    if (this.buf.length >= CHUNK_CHARS) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    const bytes = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

interface Unit {
  id: string;
  providerId: string;
  name: string;
  ownership: 'public' | 'private' | 'nonprofit';
  kommun: number;
  start: number;
  /** last active day (inclusive), -1 when open */
  end: number;
  branchOf: number;
  stFte: string;
  sabo: number;
  weight: number;
  docFirst: number;
  docCount: number;
  branches: number[];
  /** share of doctor visits booked within 3 days */
  q3: number;
  /** share of doctor visits with the fixed doctor */
  qCont: number;
  /** share of phone calls answered the same day */
  qPhone: number;
}

interface Pool {
  units: Int32Array;
  cum: Float64Array;
}

export async function synthesize(opts: SynthOptions): Promise<SynthSummary> {
  const N = opts.population;
  if (!Number.isInteger(N) || N < 1)
    throw new Error(`synthesize: population must be a positive integer, got ${N}`);
  if (!Number.isFinite(opts.seed)) throw new Error(`synthesize: seed must be a finite number`);
  const fromM = parseMonth(opts.from, 'from');
  const toM = parseMonth(opts.to, 'to');
  const M = (toM.y - fromM.y) * 12 + (toM.m - fromM.m) + 1;
  if (M < 1) throw new Error(`synthesize: to (${opts.to}) is before from (${opts.from})`);
  const progress = opts.onProgress ?? (() => {});

  const pnr = new IdentityPool(
    loadIdentities(join(opts.identityDir, 'skatteverket-testpersonnummer.csv'), false),
  );
  const snr = new IdentityPool(
    loadIdentities(join(opts.identityDir, 'skatteverket-testsamordningsnummer.csv'), true),
  );

  // ---- calendar -------------------------------------------------------------------------------
  const monthStart = new Int32Array(M + 1);
  const monthCal = new Int32Array(M + 1); // calendar month 1..12 of each period month
  for (let k = 0; k <= M; k++) {
    const y = fromM.y + Math.floor((fromM.m - 1 + k) / 12);
    const m = ((fromM.m - 1 + k) % 12) + 1;
    monthStart[k] = dayOf(y, m, 1);
    monthCal[k] = m;
  }
  const S = monthStart[0];
  const E = monthStart[M]; // exclusive
  const periodDays = E - S;
  const periodYears = periodDays / YEAR_DAYS;

  const DT_BASE = dayOf(1880, 1, 1);
  const dtEnd = E + 400;
  const dateStr: string[] = new Array(dtEnd - DT_BASE);
  {
    const cur = new Date(DT_BASE * DAY_MS);
    for (let i = 0; i < dateStr.length; i++) {
      dateStr[i] = cur.toISOString().slice(0, 10);
      cur.setUTCDate(cur.getUTCDate() + 1);
    }
  }
  const ds = (day: number): string => dateStr[day - DT_BASE];
  // per day of the period: index of the period month, and a seasonal × weekday acceptance weight
  const dayMonth = new Uint16Array(periodDays);
  const dayAccept = new Float32Array(periodDays);
  {
    const season = [1.15, 1.15, 1.1, 1.0, 0.95, 0.85, 0.55, 0.8, 1.05, 1.1, 1.1, 0.9];
    let k = 0;
    for (let i = 0; i < periodDays; i++) {
      const day = S + i;
      while (day >= monthStart[k + 1]) k++;
      dayMonth[i] = k;
      const wd = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
      dayAccept[i] = (season[monthCal[k] - 1] / 1.15) * (wd === 0 || wd === 6 ? 0.06 : 1);
    }
  }

  const setup = new Rng(opts.seed, 1);
  const outDir = opts.out;
  mkdirSync(outDir, { recursive: true });

  // ---- areas ----------------------------------------------------------------------------------
  progress(0, N, 'områden');
  const K = KOMMUNER.length;
  const A = Math.max(8, Math.round(N / PERSONS_PER_AREA));
  const areaKommunOf = apportion(
    A,
    KOMMUNER.map((k) => k.pop),
    1,
  );
  interface Area {
    code: string;
    kommun: number;
    letter: string;
    cni: number;
    rural: string;
    km: number;
    weight: number;
  }
  const areaList: Area[] = [];
  for (let i = 0; i < A; i++) {
    const kommun = areaKommunOf[i];
    const urban = KOMMUNER[kommun].urban;
    const x = setup.next();
    const letter = x < urban * 0.85 ? 'C' : x < urban * 0.85 + 0.3 ? 'B' : 'A';
    const y = setup.next();
    const rural =
      letter === 'C'
        ? 'tatort'
        : letter === 'B'
          ? y < 0.6
            ? 'tatort'
            : 'landsbygd'
          : y < 0.45
            ? 'landsbygd'
            : 'glesbygd';
    const extra =
      rural === 'tatort'
        ? setup.uniform(0, 8)
        : rural === 'landsbygd'
          ? setup.uniform(8, 40)
          : setup.uniform(30, 120);
    const km = Math.round((KOMMUNER[kommun].hospitalKm + extra) * 10) / 10;
    const cni = Math.min(2.5, Math.max(0.5, Math.exp(setup.normal() * 0.3 - 0.05)));
    areaList.push({
      code: '',
      kommun,
      letter,
      cni: Math.round(cni * 100) / 100,
      rural,
      km,
      weight: setup.uniform(0.5, 1.5),
    });
  }
  {
    const groups = new Map<string, Area[]>();
    for (const a of areaList) {
      const key = KOMMUNER[a.kommun].code + a.letter;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(a);
    }
    for (const [key, g] of groups) {
      const step = g.length * 10 <= 9990 ? 10 : 1;
      g.forEach((a, j) => (a.code = key + String(step === 10 ? (j + 1) * 10 : 10 + j).padStart(4, '0')));
    }
    areaList.sort((p, q) => (p.code < q.code ? -1 : p.code > q.code ? 1 : 0));
  }
  const areaCode = areaList.map((a) => a.code);
  const areaKommun = Int32Array.from(areaList.map((a) => a.kommun));
  // each kommun's share of persons follows its population, not its number of areas
  const areaCum = new Float64Array(A);
  {
    const perKommun = new Float64Array(K);
    for (const a of areaList) perKommun[a.kommun] += a.weight;
    let s = 0;
    for (let i = 0; i < A; i++) {
      const a = areaList[i];
      s += (a.weight / perKommun[a.kommun]) * KOMMUNER[a.kommun].pop;
      areaCum[i] = s;
    }
  }
  {
    const f = new CsvOut(join(outDir, 'areas.csv'), 'area,kommun,cni,rural_class,hospital_km');
    for (const a of areaList)
      f.add(`${a.code},${KOMMUNER[a.kommun].code},${a.cni.toFixed(2)},${a.rural},${a.km.toFixed(1)}\n`);
    f.close();
  }

  // ---- units ----------------------------------------------------------------------------------
  progress(0, N, 'enheter');
  const U = Math.max(6, Math.round(N / (opts.personsPerUnit ?? PERSONS_PER_UNIT)));
  const B = Math.max(1, Math.round(U / 9));
  const L = U - B; // units people list at
  const units: Unit[] = [];
  const usedIds = new Set<string>();
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const newUnitId = (): string => {
    for (;;) {
      let s = HSA_PREFIX;
      for (let i = 0; i < 4; i++) s += alnum[setup.int(36)];
      if (!usedIds.has(s)) {
        usedIds.add(s);
        return s;
      }
    }
  };
  const usedOrg = new Set<string>([REGION_ORG_NR]);
  const newOrgNr = (prefix: string): string => {
    for (;;) {
      let s = prefix;
      while (s.length < 9) s += String(setup.int(10));
      s += String(luhnDigit(s));
      if (!usedOrg.has(s)) {
        usedOrg.add(s);
        return s;
      }
    }
  };
  const firstOfMonthBetween = (lo: number, hi: number): number => {
    const d = new Date(setup.between(lo, Math.max(lo, hi)) * DAY_MS);
    return dayOf(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  };
  const placeUse = new Map<string, number>();
  const nextPlace = new Int32Array(K);
  const takePlace = (kommun: number): string => {
    const places = KOMMUNER[kommun].places;
    return places[nextPlace[kommun]++ % places.length];
  };
  const uniqueName = (name: string): string => {
    const n = (placeUse.get(name) ?? 0) + 1;
    placeUse.set(name, n);
    return n === 1 ? name : `${name} ${n}`;
  };
  const privateNames = [
    (p: string) => `Vårdcentral ${p}`,
    (p: string) => `${p} Läkarhus`,
    (p: string) => `Läkarhuset ${p}`,
    (p: string) => `Familjeläkarna i ${p}`,
    (p: string) => `Din Vårdcentral ${p}`,
  ];
  const nonprofitNames = [
    (p: string) => `Stiftelsen ${p} Hälsocentral`,
    (p: string) => `Föreningen Vårdcentral ${p}`,
  ];

  const ownerships: Unit['ownership'][] = [];
  for (let i = 0; i < L; i++) {
    const x = setup.next();
    ownerships.push(x < 0.55 ? 'public' : x < 0.95 ? 'private' : 'nonprofit');
  }
  for (const want of ['public', 'private', 'nonprofit'] as const) {
    if (ownerships.includes(want)) continue;
    const counts = new Map<string, number>();
    for (const o of ownerships) counts.set(o, (counts.get(o) ?? 0) + 1);
    const candidates = ownerships.map((o, i) => i).filter((i) => (counts.get(ownerships[i]) ?? 0) > 1);
    ownerships[setup.pick(candidates)] = want;
  }
  const unitKommun = apportion(
    L,
    KOMMUNER.map((k) => k.pop),
    L >= K + 2 ? 1 : 0,
  );

  const closing = setup.int(L);
  let newcomer = setup.int(L - 1);
  if (newcomer >= closing) newcomer++;
  const privateProviders: string[] = [];
  const tenYearsBefore = S - 10 * 365;
  for (let i = 0; i < L; i++) {
    const ownership = ownerships[i];
    const kommun = unitKommun[i];
    const place = takePlace(kommun);
    let providerId: string;
    let name: string;
    let start: number;
    if (ownership === 'public') {
      providerId = REGION_ORG_NR;
      name = `Hälsocentral ${place}`;
      start = firstOfMonthBetween(dayOf(1975, 1, 1), S - 3 * 365);
    } else {
      if (ownership === 'private') {
        if (privateProviders.length > 0 && setup.chance(0.3)) providerId = setup.pick(privateProviders);
        else privateProviders.push((providerId = newOrgNr('55' + String(setup.between(6, 9)))));
        name = setup.pick(privateNames)(place);
      } else {
        providerId = newOrgNr(setup.chance(0.5) ? '80' : '82');
        name = setup.pick(nonprofitNames)(place);
      }
      start = firstOfMonthBetween(Math.min(dayOf(2008, 1, 1), tenYearsBefore), S - 365);
    }
    const st = setup.chance(0.3) ? 0 : Math.round(setup.uniform(0.5, 3) * 10) / 10;
    const sabo = setup.chance(0.4) ? 0 : setup.between(4, 40);
    units.push({
      id: newUnitId(),
      providerId,
      name: uniqueName(name),
      ownership,
      kommun,
      start,
      end: -1,
      branchOf: -1,
      stFte: st.toFixed(1),
      sabo,
      weight: setup.uniform(0.6, 1.6),
      docFirst: 0,
      docCount: 0,
      branches: [],
      q3: setup.uniform(0.7, 0.96),
      qCont: setup.uniform(0.45, 0.9),
      qPhone: setup.uniform(0.78, 0.97),
    });
  }
  // the new unit starts inside the period; the closing unit moves its listings to others on the first
  // day of its last month and closes at that month's end (its end_date is its last active day)
  let transfer: number;
  if (M >= 2) {
    units[newcomer].start = monthStart[Math.max(1, Math.floor(M / 3))];
    const k = Math.max(1, Math.floor((2 * M) / 3));
    transfer = monthStart[k];
    units[closing].end = monthStart[k + 1] - 1;
  } else {
    units[newcomer].start = S + 9;
    transfer = S + 15;
    units[closing].end = E - 1;
  }
  // branches: of long-lived units, in the same kommun
  const parentCandidates: number[] = [];
  for (let i = 0; i < L; i++) if (i !== closing && i !== newcomer) parentCandidates.push(i);
  for (let b = 0; b < B; b++) {
    const parent = setup.pick(parentCandidates);
    const p = units[parent];
    const place = takePlace(p.kommun);
    units.push({
      id: newUnitId(),
      providerId: p.providerId,
      name: uniqueName(`${p.name} filial ${place}`),
      ownership: p.ownership,
      kommun: p.kommun,
      start: firstOfMonthBetween(p.start, S - 365),
      end: -1,
      branchOf: parent,
      stFte: '0.0',
      sabo: 0,
      weight: 0,
      docFirst: 0,
      docCount: 0,
      branches: [],
      q3: p.q3,
      qCont: p.qCont,
      qPhone: p.qPhone,
    });
    p.branches.push(units.length - 1);
  }
  // fixed-doctor contacts: a few doctors per unit, by expected size
  const doctorIds: string[] = [];
  {
    let sumW = 0;
    for (let i = 0; i < L; i++) sumW += units[i].weight;
    for (let i = 0; i < L; i++) {
      const u = units[i];
      const expected = (N * (1 - SHARE_NEVER_LISTED) * u.weight) / sumW;
      u.docFirst = doctorIds.length;
      u.docCount = Math.min(14, Math.max(2, Math.round(expected / 1600)));
      for (let d = 0; d < u.docCount; d++) doctorIds.push(`L${100001 + doctorIds.length * 3 + setup.int(3)}`);
    }
    for (let i = L; i < U; i++) {
      units[i].docFirst = units[units[i].branchOf].docFirst;
      units[i].docCount = units[units[i].branchOf].docCount;
    }
  }
  {
    const f = new CsvOut(
      join(outDir, 'units.csv'),
      'unit_id,provider_id,name,ownership,kommun,start_date,end_date,branch_of,st_fte,sabo_places',
    );
    for (const u of units) {
      f.add(
        `${u.id},${u.providerId},${u.name},${u.ownership},${KOMMUNER[u.kommun].code},${ds(u.start)},` +
          `${u.end >= 0 ? ds(u.end) : ''},${u.branchOf >= 0 ? units[u.branchOf].id : ''},${u.stFte},${u.sabo}\n`,
      );
    }
    f.close();
  }

  // selection pools: listable units per kommun and region-wide; the new unit draws extra choices
  const makePool = (members: number[]): Pool => ({
    units: Int32Array.from(members),
    cum: cumulative(members.map((i) => units[i].weight * (i === newcomer ? 3 : 1))),
  });
  const regionPool = makePool(Array.from({ length: L }, (_, i) => i));
  const kommunPools: (Pool | null)[] = [];
  for (let k = 0; k < K; k++) {
    const members: number[] = [];
    for (let i = 0; i < L; i++) if (units[i].kommun === k) members.push(i);
    kommunPools.push(members.length > 0 ? makePool(members) : null);
  }
  const unitStart = Int32Array.from(units.map((u) => u.start));
  const unitEnd = Int32Array.from(units.map((u) => (u.end >= 0 ? u.end : 2 ** 30)));

  // ---- person loop ----------------------------------------------------------------------------
  const rng = new Rng(opts.seed, 2);
  // Follow-up marks (health dialogues, SIP in time) draw from their own stream, so adding them left
  // every other row of a seed as it was.
  const frng = new Rng(opts.seed, 4);
  const pyramidCum = cumulative(PYRAMID_5Y);
  const pyramidAge = (): number => {
    const g = rng.pickCum(pyramidCum);
    return g === PYRAMID_5Y.length - 1 ? 100 : g * 5 + rng.int(5);
  };
  const rubCum = RUB_DIST.map((d) => cumulative(d));
  const needMean = RUB_DIST.map((d) => d.reduce((s, p, r) => s + p * RUB_NEED[r], 0));
  // band shares of the pyramid, to scale SIP events to a few per unit and year
  const bandShare = new Float64Array(BAND_FROM.length);
  {
    const total = PYRAMID_5Y.reduce((s, v) => s + v, 0);
    PYRAMID_5Y.forEach((v, g) => {
      for (let a = 0; a < 5; a++) bandShare[bandOf(g * 5 + a)] += v / 5 / total;
    });
  }
  const sipMean = SIP_WEIGHT.reduce((s, w, b) => s + w * bandShare[b], 0);
  const sipPerPersonYear = (SIP_LATE_PER_UNIT_YEAR * L) / (N * (1 - SHARE_NEVER_LISTED)) / sipMean;
  const profCum = cumulative(PROF_WEIGHT);
  const contactCum = cumulative(CONTACT_WEIGHT);
  const chronicCum = cumulative(CHRONIC.map((c) => c[2]));
  const listCum = new Map<CodeList, Float64Array>();
  const codeFrom = (l: CodeList): string => {
    let cum = listCum.get(l);
    if (!cum) listCum.set(l, (cum = cumulative(l.weights)));
    return l.codes[rng.pickCum(cum)];
  };
  const P_LAKARE = 0;
  const P_SSK = 1;
  const P_DSSK = 2;
  const P_PSYKOLOG = 5;
  const P_KURATOR = 6;
  const P_DIETIST = 7;
  const P_BARNMORSKA = 8;
  const C_HOME = 3;

  const pickFrom = (pool: Pool, t: number, exclude: number, allowClosing: boolean): number => {
    for (let attempt = 0; attempt < 24; attempt++) {
      const u = pool.units[rng.pickCum(pool.cum)];
      if (u !== exclude && unitStart[u] <= t && t <= unitEnd[u] && (allowClosing || u !== closing)) return u;
    }
    return -1;
  };
  /** A unit to list at on day t: mostly in the person's kommun. */
  const pickListUnit = (kommun: number, t: number, exclude: number, allowClosing: boolean): number => {
    const local = kommunPools[kommun];
    let u = local && rng.chance(0.85) ? pickFrom(local, t, exclude, allowClosing) : -1;
    if (u < 0) u = pickFrom(regionPool, t, exclude, allowClosing);
    if (u < 0) {
      for (let i = 0; i < L; i++) {
        if (i !== exclude && unitStart[i] <= t && t <= unitEnd[i] && (allowClosing || i !== closing))
          return i;
      }
    }
    return u;
  };

  const listingsOut = new CsvOut(
    join(outDir, 'listings.csv'),
    'person_id,unit_id,doctor_id,birth_date,sex,area,listed_from,listed_to,risk_group',
  );
  const visitsOut = new CsvOut(
    join(outDir, 'visits.csv'),
    'visit_id,person_id,unit_id,date,profession,contact,doctor_id,booked_date,diagnoses,visit_type',
  );
  const eventsOut = new CsvOut(join(outDir, 'events.csv'), 'event_id,unit_id,event_type,date,person_id');

  // per unit × period month, for indicators that follow the data
  const listedOnFirst = new Int32Array(U * M);
  const contNum = new Int32Array(U * M);
  const contDen = new Int32Array(U * M);
  const acc3Num = new Int32Array(U * M);
  const acc3Den = new Int32Array(U * M);

  const segFrom = new Int32Array(8);
  const segTo = new Int32Array(8);
  const segUnit = new Int32Array(8);
  const segDoc = new Int32Array(8);
  const switches = new Int32Array(4);
  let visitDays = new Int32Array(256);
  const chronic: string[] = [];
  const codes: string[] = [];
  let pseudonyms = 0;
  let visitNo = 0;
  let eventNo = 0;
  let onTimeNo = 0;
  const unitIds = units.map((u) => u.id);
  const progressEvery = Math.max(1000, Math.min(50_000, Math.ceil(N / 100)));

  for (let i = 0; i < N; i++) {
    if (i % progressEvery === 0) {
      progress(i, N, 'personer');
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Age first, from the region's pyramid (or born during the period); then, for the identity, an
    // unused Skatteverket test number of that birth year (about 1 % samordningsnummer), else a
    // pseudonym. Taking test numbers in file order instead would make a fifth of the region
    // 110 years old, since the list starts with those born 1890-1912.
    let ageAtS: number;
    let birth: number;
    if (rng.chance(YEARLY_BIRTH_RATE * periodYears)) {
      birth = S + rng.int(periodDays);
      ageAtS = 0;
    } else {
      ageAtS = pyramidAge();
      birth = S - 1 - Math.floor((ageAtS + rng.next()) * YEAR_DAYS);
    }
    const year = new Date(birth * DAY_MS).getUTCFullYear();
    const cand = (rng.chance(SHARE_SAMORDNING) ? snr.take(year, E) : undefined) ?? pnr.take(year, E);
    let pid: string;
    let sex: string;
    if (cand) {
      pid = cand.id;
      birth = cand.birth;
      sex = cand.sex;
      ageAtS = birth < S ? Math.floor((S - birth) / YEAR_DAYS) : 0;
    } else {
      pid = 'P' + String(++pseudonyms).padStart(8, '0');
      const x = rng.next();
      const pF = ageAtS < 50 ? 0.49 : ageAtS < 70 ? 0.5 : ageAtS < 80 ? 0.53 : ageAtS < 90 ? 0.6 : 0.7;
      sex = x < SHARE_EMPTY_SEX ? '' : x < SHARE_EMPTY_SEX + pF * (1 - SHARE_EMPTY_SEX) ? 'F' : 'M';
    }
    const age = Math.min(ageAtS, 100);
    const band = bandOf(age);
    const area = rng.pickCum(areaCum);
    const kommun = areaKommun[area];

    // presence in the region: [a, z)
    let a = birth >= S ? birth : S;
    let z = E;
    let movedIn = false;
    if (birth < S && rng.chance(YEARLY_MOVE_IN_RATE * periodYears)) {
      a = S + rng.int(periodDays);
      movedIn = a > S;
    }
    if (a + 1 < E - 1 && rng.chance(LEAVE_RATE[band] * ((E - a) / YEAR_DAYS))) z = rng.between(a + 1, E - 1);

    const rub = rng.pickCum(rubCum[band]);
    const need = RUB_NEED[rub] / needMean[band];
    const risk = rng.chance(SHARE_EMPTY_RISK) ? '' : 'RUB' + rub;
    chronic.length = 0;
    {
      const lambda = need * [0.05, 0.15, 0.4, 1.0, 1.6, 2.0][band];
      const n = Math.min(3, rng.poisson(lambda));
      for (let t = 0; t < 12 && chronic.length < n; t++) {
        const c = CHRONIC[rng.pickCum(chronicCum)];
        if (c[1] <= age && !chronic.includes(c[0])) chronic.push(c[0]);
      }
    }

    // listings
    let nSeg = 0;
    const neverListed = rng.chance(SHARE_NEVER_LISTED);
    if (!neverListed) {
      let ls = -1;
      let u0 = -1;
      if (birth >= S) ls = birth + rng.int(60);
      else if (movedIn) ls = rng.chance(0.85) ? a + rng.int(45) : -1;
      else {
        u0 = pickListUnit(kommun, S - 1, -1, true);
        if (u0 >= 0) ls = rng.between(Math.max(birth, unitStart[u0], S - 12 * 365), S - 1);
      }
      if (ls >= 0 && ls < z) {
        if (u0 < 0) u0 = pickListUnit(kommun, ls, -1, false);
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
            while (sw < nSw && switches[sw] <= from) sw++;
            const nextSwitch = sw < nSw ? switches[sw] : 2 ** 30;
            const forced = u === closing && transfer > from ? transfer : 2 ** 30;
            const cut = Math.min(nextSwitch, forced);
            segFrom[nSeg] = from;
            segUnit[nSeg] = u;
            segDoc[nSeg] = rng.chance(0.88) ? units[u].docFirst + rng.int(units[u].docCount) : -1;
            if (cut < z) {
              segTo[nSeg++] = cut;
              if (cut === nextSwitch) sw++;
              const next = pickListUnit(kommun, cut, u, false);
              if (next < 0 || nSeg === segFrom.length) break;
              from = cut;
              u = next;
            } else {
              segTo[nSeg++] = z;
              break;
            }
          }
        }
      }
    }
    for (let s = 0; s < nSeg; s++) {
      const u = segUnit[s];
      listingsOut.add(
        `${pid},${unitIds[u]},${segDoc[s] >= 0 ? doctorIds[segDoc[s]] : ''},${ds(birth)},${sex},${areaCode[area]},` +
          `${ds(segFrom[s])},${segTo[s] >= E ? '' : ds(segTo[s])},${risk}\n`,
      );
      for (let k = 0; k < M; k++) {
        const first = monthStart[k];
        if (segFrom[s] <= first && first < segTo[s]) listedOnFirst[u * M + k]++;
      }
    }

    // visits over the presence [a, z)
    const nVisits = rng.poisson(VISIT_RATE[band] * need * (neverListed ? 0.4 : 1) * ((z - a) / YEAR_DAYS));
    if (nVisits > visitDays.length) visitDays = new Int32Array(nVisits * 2);
    for (let v = 0; v < nVisits; v++) {
      let d = a;
      for (let t = 0; t < 40; t++) {
        d = a + rng.int(z - a);
        if (rng.next() < dayAccept[d - S]) break;
      }
      // insertion sort as we go
      let j = v;
      while (j > 0 && visitDays[j - 1] > d) {
        visitDays[j] = visitDays[j - 1];
        j--;
      }
      visitDays[j] = d;
    }
    let dialogueYear = -1;
    const birthYear = Number(ds(birth).slice(0, 4));
    for (let v = 0; v < nVisits; v++) {
      const d = visitDays[v];
      const mi = dayMonth[d - S];
      let seg = -1;
      for (let s = 0; s < nSeg; s++) {
        if (segFrom[s] <= d && d < segTo[s]) {
          seg = s;
          break;
        }
      }
      const home = seg >= 0 ? segUnit[seg] : -1;
      let unit = home >= 0 && rng.chance(SHARE_VISITS_AT_LISTED_UNIT) ? home : -1;
      if (unit < 0) {
        const local = kommunPools[kommun];
        unit = local && rng.chance(0.85) ? pickFrom(local, d, -1, true) : -1;
        if (unit < 0) unit = pickFrom(regionPool, d, -1, true);
        if (unit < 0) unit = home >= 0 ? home : pickListUnit(kommun, d, -1, true);
        if (unit < 0) continue;
      }
      const main = unit;
      const branches = units[unit].branches;
      if (branches.length > 0 && rng.chance(SHARE_VISITS_AT_BRANCH)) {
        const b = branches[rng.int(branches.length)];
        if (unitStart[b] <= d && d <= unitEnd[b]) unit = b;
      }
      let prof = rng.pickCum(profCum);
      if (prof === P_BARNMORSKA && !(sex === 'F' && age >= 15 && age < 55)) prof = P_SSK;
      if ((prof === P_PSYKOLOG || prof === P_KURATOR) && age < 6) prof = P_LAKARE;
      const contact = PROF_HOME[prof] && rng.chance(HOME_VISIT[band]) ? C_HOME : rng.pickCum(contactCum);
      const mu = units[main];
      let doctor = '';
      if (prof === P_LAKARE) {
        const fixed = main === home ? segDoc[seg] : -1;
        const doc = fixed >= 0 && rng.chance(mu.qCont) ? fixed : mu.docFirst + rng.int(mu.docCount);
        doctor = doctorIds[doc];
        if (fixed >= 0) {
          contDen[home * M + mi]++;
          if (doc === fixed) contNum[home * M + mi]++;
        }
      }
      let booked = '';
      if (!(contact === 0 && rng.chance(0.03))) {
        const lag = rng.chance(mu.q3) ? (rng.chance(0.45) ? 0 : rng.between(1, 3)) : rng.between(4, 14);
        const bd = Math.max(birth, d - lag);
        booked = ds(bd);
        if (prof === P_LAKARE) {
          acc3Den[main * M + mi]++;
          if (d - bd <= 3) acc3Num[main * M + mi]++;
        }
      }
      let diag = '';
      if (rng.chance(CODED_SHARE[prof])) {
        const n =
          prof === P_LAKARE ? (rng.chance(0.68) ? 1 : rng.chance(0.75) ? 2 : 3) : rng.chance(0.85) ? 1 : 2;
        codes.length = 0;
        const chronicFirst = prof === P_LAKARE || prof === P_SSK || prof === P_DSSK || prof === P_DIETIST;
        for (let t = 0; t < n + 3 && codes.length < n; t++) {
          let code: string;
          if (chronic.length > 0 && chronicFirst && rng.chance(0.4)) code = chronic[rng.int(chronic.length)];
          else if (prof === P_LAKARE || prof === 9)
            code = codeFrom(age < 18 ? ACUTE_CHILD : age >= 75 ? ACUTE_OLD : ACUTE_ADULT);
          else if (prof === P_SSK || prof === P_DSSK)
            code = codeFrom(age < 6 ? ACUTE_CHILD : BY_PROFESSION.sjukskoterska);
          else code = codeFrom(BY_PROFESSION[PROFESSIONS[prof]]);
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
      visitsOut.add(
        `V${String(++visitNo).padStart(9, '0')},${pid},${unitIds[unit]},${ds(d)},${PROFESSIONS[prof]},` +
          `${CONTACTS[contact]},${doctor},${booked},${diag},${visitType}\n`,
      );
      if (contact === C_HOME && age >= 75 && mu.sabo > 0 && rng.chance(0.1)) {
        eventsOut.add(
          `E${String(++eventNo).padStart(8, '0')},${unitIds[main]},hembesok_sabo,${ds(d)},${pid}\n`,
        );
      }
    }

    // SIP invitations sent late, at the unit the person is listed at
    if (nSeg > 0) {
      const lo = Math.max(segFrom[0], S);
      const hi = segTo[nSeg - 1];
      const nSip = rng.poisson(sipPerPersonYear * SIP_WEIGHT[band] * ((hi - lo) / YEAR_DAYS));
      for (let e = 0; e < nSip; e++) {
        const d = lo + rng.int(hi - lo);
        for (let s = 0; s < nSeg; s++) {
          if (segFrom[s] <= d && d < segTo[s]) {
            eventsOut.add(
              `E${String(++eventNo).padStart(8, '0')},${unitIds[segUnit[s]]},sip_late,${ds(d)},${pid}\n`,
            );
            break;
          }
        }
      }
      // and those sent in time (sip_i_tid), for SIP timeliness in follow-up
      const nOnTime = frng.poisson(
        sipPerPersonYear * SIP_ON_TIME_PER_LATE * SIP_WEIGHT[band] * ((hi - lo) / YEAR_DAYS),
      );
      for (let e = 0; e < nOnTime; e++) {
        const d = lo + frng.int(hi - lo);
        for (let s = 0; s < nSeg; s++) {
          if (segFrom[s] <= d && d < segTo[s]) {
            eventsOut.add(
              `T${String(++onTimeNo).padStart(8, '0')},${unitIds[segUnit[s]]},sip_i_tid,${ds(d)},${pid}\n`,
            );
            break;
          }
        }
      }
    }
  }
  progress(N, N, 'personer');
  listingsOut.close();
  visitsOut.close();
  eventsOut.close();

  // ---- indicators -----------------------------------------------------------------------------
  progress(N, N, 'indikatorer');
  const irng = new Rng(opts.seed, 3);
  const indicatorsOut = new CsvOut(
    join(outDir, 'indicators.csv'),
    'unit_id,indicator,period_from,period_to,numerator,denominator',
  );
  // periods fully inside from..to: months, calendar quarters, calendar years (as period-month ranges)
  const periods: [number, number][] = [];
  for (let k = 0; k < M; k++) periods.push([k, k + 1]);
  for (let k = 0; k + 3 <= M; k++) if ((monthCal[k] - 1) % 3 === 0) periods.push([k, k + 3]);
  for (let k = 0; k + 12 <= M; k++) if (monthCal[k] === 1) periods.push([k, k + 12]);
  const phoneNum = new Int32Array(M);
  const phoneDen = new Int32Array(M);
  for (let u = 0; u < L; u++) {
    const unit = units[u];
    for (let k = 0; k < M; k++) {
      const calls = Math.round(
        listedOnFirst[u * M + k] * PHONE_CALLS_PER_LISTED_MONTH * irng.uniform(0.85, 1.15),
      );
      const p = Math.min(1, Math.max(0.4, unit.qPhone + irng.normal() * 0.025));
      phoneDen[k] = calls;
      phoneNum[k] = Math.round(calls * p);
    }
    for (const [k0, k1] of periods) {
      const first = monthStart[k0];
      const last = monthStart[k1] - 1;
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
          n += num[k];
          dd += den[k];
        }
        if (dd > 0) indicatorsOut.add(`${unit.id},${name},${ds(first)},${ds(last)},${n},${dd}\n`);
      }
    }
  }
  indicatorsOut.close();
  progress(N, N, 'klart');

  return {
    persons: N,
    units: U,
    areas: A,
    listings: listingsOut.rows,
    visits: visitsOut.rows,
    indicators: indicatorsOut.rows,
    events: eventsOut.rows,
    files: SYNTH_FILES.map((f) => join(outDir, f)),
  };
}
