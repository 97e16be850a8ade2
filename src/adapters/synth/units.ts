import { join } from 'node:path';
import { luhnCheckDigit } from '../../core/identity.js';
import { apportion } from './apportion.js';
import { CsvOut } from './csv-out.js';
import { HSA_PREFIX, KOMMUNER, REGION_ORG_NR } from './data.js';
import type { Period } from './period.js';
import { dayOf, DAY_MS } from './period.js';
import { SHARE_NEVER_LISTED } from './persons.js';
import { cumulative, type Rng } from './rng.js';

/** Persons per unit: roughly the Swedish average vårdcentral. */
const PERSONS_PER_UNIT = 9000;

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

/** Units to draw from: their indexes and cumulative weights. */
interface Pool {
  units: Int32Array;
  cum: Float64Array;
}

/**
 * The region's units: those people list at (the first `listable`), then branches. One unit starts
 * inside the period (the newcomer) and one closes, moving its listings to others on `transfer`.
 */
export interface Units {
  list: Unit[];
  count: number;
  listable: number;
  closing: number;
  newcomer: number;
  transfer: number;
  ids: string[];
  start: Int32Array;
  /** Last active day; 2^30 when open. */
  end: Int32Array;
  /** Fixed-doctor ids; a unit's are docFirst.. docFirst + docCount. */
  doctorIds: string[];
  regionPool: Pool;
  /** Per kommun: its listable units, or null when it has none. */
  kommunPools: (Pool | null)[];
}

const PRIVATE_NAMES = [
  (p: string) => `Vårdcentral ${p}`,
  (p: string) => `${p} Läkarhus`,
  (p: string) => `Läkarhuset ${p}`,
  (p: string) => `Familjeläkarna i ${p}`,
  (p: string) => `Din Vårdcentral ${p}`,
];
const NONPROFIT_NAMES = [
  (p: string) => `Stiftelsen ${p} Hälsocentral`,
  (p: string) => `Föreningen Vårdcentral ${p}`,
];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Ids, organisationsnummer, place names and start dates, each handed out once. */
class UnitNames {
  private readonly usedIds = new Set<string>();
  private readonly usedOrg = new Set<string>([REGION_ORG_NR]);
  private readonly placeUse = new Map<string, number>();
  private readonly nextPlace = new Int32Array(KOMMUNER.length);
  constructor(private readonly setup: Rng) {}

  unitId(): string {
    for (;;) {
      let s = HSA_PREFIX;
      for (let i = 0; i < 4; i++) s += ALNUM[this.setup.int(36)];
      if (!this.usedIds.has(s)) {
        this.usedIds.add(s);
        return s;
      }
    }
  }

  orgNr(prefix: string): string {
    for (;;) {
      let s = prefix;
      while (s.length < 9) s += String(this.setup.int(10));
      s += String(luhnCheckDigit(s));
      if (!this.usedOrg.has(s)) {
        this.usedOrg.add(s);
        return s;
      }
    }
  }

  firstOfMonthBetween(lo: number, hi: number): number {
    const d = new Date(this.setup.between(lo, Math.max(lo, hi)) * DAY_MS);
    return dayOf(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }

  place(kommun: number): string {
    const places = KOMMUNER[kommun]!.places;
    return places[this.nextPlace[kommun]!++ % places.length]!;
  }

  unique(name: string): string {
    const n = (this.placeUse.get(name) ?? 0) + 1;
    this.placeUse.set(name, n);
    return n === 1 ? name : `${name} ${n}`;
  }
}

/** The units, written to units.csv. */
export function makeUnits(
  setup: Rng,
  population: number,
  personsPerUnit: number | undefined,
  period: Period,
  outDir: string,
): Units {
  const N = population;
  const K = KOMMUNER.length;
  const S = period.start;
  const U = Math.max(6, Math.round(N / (personsPerUnit ?? PERSONS_PER_UNIT)));
  const B = Math.max(1, Math.round(U / 9));
  const L = U - B;
  const names = new UnitNames(setup);

  const ownerships: Unit['ownership'][] = [];
  for (let i = 0; i < L; i++) {
    const x = setup.next();
    ownerships.push(x < 0.55 ? 'public' : x < 0.95 ? 'private' : 'nonprofit');
  }
  for (const want of ['public', 'private', 'nonprofit'] as const) {
    if (ownerships.includes(want)) continue;
    const counts = new Map<string, number>();
    for (const o of ownerships) counts.set(o, (counts.get(o) ?? 0) + 1);
    const candidates = ownerships.map((o, i) => i).filter((i) => (counts.get(ownerships[i]!) ?? 0) > 1);
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
  const units = listableUnits(setup, names, ownerships, unitKommun, S);
  // the new unit starts inside the period; the closing unit moves its listings to others on the first
  // day of its last month and closes at that month's end (its end_date is its last active day)
  const { months: M, monthStart } = period;
  let transfer: number;
  if (M >= 2) {
    units[newcomer]!.start = monthStart[Math.max(1, Math.floor(M / 3))]!;
    const k = Math.max(1, Math.floor((2 * M) / 3));
    transfer = monthStart[k]!;
    units[closing]!.end = monthStart[k + 1]! - 1;
  } else {
    units[newcomer]!.start = S + 9;
    transfer = S + 15;
    units[closing]!.end = period.end - 1;
  }
  addBranches(setup, names, units, B, closing, newcomer, S);
  const doctorIds = fixedDoctors(setup, units, L, N);
  writeUnits(units, period, outDir);

  // selection pools: listable units per kommun and region-wide; the new unit draws extra choices
  const makePool = (members: number[]): Pool => ({
    units: Int32Array.from(members),
    cum: cumulative(members.map((i) => units[i]!.weight * (i === newcomer ? 3 : 1))),
  });
  const kommunPools: (Pool | null)[] = [];
  for (let k = 0; k < K; k++) {
    const members: number[] = [];
    for (let i = 0; i < L; i++) if (units[i]!.kommun === k) members.push(i);
    kommunPools.push(members.length > 0 ? makePool(members) : null);
  }
  return {
    list: units,
    count: U,
    listable: L,
    closing,
    newcomer,
    transfer,
    ids: units.map((u) => u.id),
    start: Int32Array.from(units.map((u) => u.start)),
    end: Int32Array.from(units.map((u) => (u.end >= 0 ? u.end : 2 ** 30))),
    doctorIds,
    regionPool: makePool(Array.from({ length: L }, (_, i) => i)),
    kommunPools,
  };
}

function listableUnits(
  setup: Rng,
  names: UnitNames,
  ownerships: Unit['ownership'][],
  unitKommun: number[],
  S: number,
): Unit[] {
  const units: Unit[] = [];
  const privateProviders: string[] = [];
  const tenYearsBefore = S - 10 * 365;
  ownerships.forEach((ownership, i) => {
    const kommun = unitKommun[i]!;
    const place = names.place(kommun);
    let providerId: string;
    let name: string;
    let start: number;
    if (ownership === 'public') {
      providerId = REGION_ORG_NR;
      name = `Hälsocentral ${place}`;
      start = names.firstOfMonthBetween(dayOf(1975, 1, 1), S - 3 * 365);
    } else {
      if (ownership === 'private') {
        if (privateProviders.length > 0 && setup.chance(0.3)) providerId = setup.pick(privateProviders);
        else privateProviders.push((providerId = names.orgNr('55' + String(setup.between(6, 9)))));
        name = setup.pick(PRIVATE_NAMES)(place);
      } else {
        providerId = names.orgNr(setup.chance(0.5) ? '80' : '82');
        name = setup.pick(NONPROFIT_NAMES)(place);
      }
      start = names.firstOfMonthBetween(Math.min(dayOf(2008, 1, 1), tenYearsBefore), S - 365);
    }
    const st = setup.chance(0.3) ? 0 : Math.round(setup.uniform(0.5, 3) * 10) / 10;
    const sabo = setup.chance(0.4) ? 0 : setup.between(4, 40);
    units.push({
      id: names.unitId(),
      providerId,
      name: names.unique(name),
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
  });
  return units;
}

/** Branches of long-lived units, in the same kommun. */
function addBranches(
  setup: Rng,
  names: UnitNames,
  units: Unit[],
  B: number,
  closing: number,
  newcomer: number,
  S: number,
): void {
  const L = units.length;
  const parentCandidates: number[] = [];
  for (let i = 0; i < L; i++) if (i !== closing && i !== newcomer) parentCandidates.push(i);
  for (let b = 0; b < B; b++) {
    const parent = setup.pick(parentCandidates);
    const p = units[parent]!;
    const place = names.place(p.kommun);
    units.push({
      id: names.unitId(),
      providerId: p.providerId,
      name: names.unique(`${p.name} filial ${place}`),
      ownership: p.ownership,
      kommun: p.kommun,
      start: names.firstOfMonthBetween(p.start, S - 365),
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
}

/** Fixed-doctor contacts: a few doctors per unit, by expected size; branches share their parent's. */
function fixedDoctors(setup: Rng, units: Unit[], L: number, N: number): string[] {
  const doctorIds: string[] = [];
  let sumW = 0;
  for (let i = 0; i < L; i++) sumW += units[i]!.weight;
  for (let i = 0; i < L; i++) {
    const u = units[i]!;
    const expected = (N * (1 - SHARE_NEVER_LISTED) * u.weight) / sumW;
    u.docFirst = doctorIds.length;
    u.docCount = Math.min(14, Math.max(2, Math.round(expected / 1600)));
    for (let d = 0; d < u.docCount; d++) doctorIds.push(`L${100001 + doctorIds.length * 3 + setup.int(3)}`);
  }
  for (let i = L; i < units.length; i++) {
    units[i]!.docFirst = units[units[i]!.branchOf]!.docFirst;
    units[i]!.docCount = units[units[i]!.branchOf]!.docCount;
  }
  return doctorIds;
}

function writeUnits(units: Unit[], period: Period, outDir: string): void {
  const { ds } = period;
  const f = new CsvOut(join(outDir, 'units.csv'), 'units.csv', ['services', 'area']);
  for (const u of units) {
    f.add(
      `${u.id},${u.providerId},${u.name},${u.ownership},${KOMMUNER[u.kommun]!.code},${ds(u.start)},` +
        `${u.end >= 0 ? ds(u.end) : ''},${u.branchOf >= 0 ? units[u.branchOf]!.id : ''},${u.stFte},${u.sabo}\n`,
    );
  }
  f.close();
}

/** Draws units for listings and visits from the person stream. */
export class UnitPicker {
  constructor(
    private readonly units: Units,
    private readonly rng: Rng,
  ) {}

  /** A unit of the pool open on day t (not `exclude`; not the closing unit unless allowed), or -1. */
  from(pool: Pool, t: number, exclude: number, allowClosing: boolean): number {
    const { start, end, closing } = this.units;
    for (let attempt = 0; attempt < 24; attempt++) {
      const u = pool.units[this.rng.pickCum(pool.cum)]!;
      if (u !== exclude && start[u]! <= t && t <= end[u]! && (allowClosing || u !== closing)) return u;
    }
    return -1;
  }

  /** A unit to list at on day t: mostly in the person's kommun. */
  toList(kommun: number, t: number, exclude: number, allowClosing: boolean): number {
    const local = this.units.kommunPools[kommun];
    let u = local && this.rng.chance(0.85) ? this.from(local, t, exclude, allowClosing) : -1;
    if (u < 0) u = this.from(this.units.regionPool, t, exclude, allowClosing);
    if (u < 0) {
      const { start, end, closing, listable } = this.units;
      for (let i = 0; i < listable; i++) {
        if (i !== exclude && start[i]! <= t && t <= end[i]! && (allowClosing || i !== closing)) return i;
      }
    }
    return u;
  }
}
