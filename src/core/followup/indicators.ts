import { addDays, addMonths, ageOn, firstDay, monthOf, toEpochDay, type DateInt } from '../calendar.js';
import { VISIT_TYPE_HEALTH_DIALOGUE, type DataSet } from '../data/dataset.js';
import { PROFESSIONS, type IndicatorCompute, type IndicatorDefinition } from '../rulebook/schema.js';

/**
 * Indicators (uppföljning) computed from the month's columnar data, per unit at once. The same
 * function feeds the follow-up view and the goal component, so a unit is paid for exactly what it
 * sees. Visits and events at a branch (filial) count for the unit it is a branch of: the branch
 * serves that unit's listed patients.
 */

/** Per unit index: numerator and denominator over the period. */
export interface IndicatorValues {
  numerator: Float64Array;
  denominator: Float64Array;
  /** False when the data lacks what the kind needs (e.g. visits.csv without visit_type). */
  available: boolean;
  /** The days counted, inclusive (a window longer than the period when window_months says so). */
  from: DateInt;
  to: DateInt;
}

const LAKARE = PROFESSIONS.indexOf('lakare');

/**
 * The days an indicator counts for the period [from, to]: the period itself, or the window_months
 * calendar months that end with the period's last month (e.g. continuity over 12 months).
 */
function indicatorWindow(
  compute: IndicatorCompute,
  from: DateInt,
  to: DateInt,
): { from: DateInt; to: DateInt } {
  if (compute.window_months === undefined) return { from, to };
  return { from: firstDay(addMonths(monthOf(to), -(compute.window_months - 1))), to };
}

export function computeIndicator(
  compute: IndicatorCompute,
  data: DataSet,
  periodFrom: DateInt,
  periodTo: DateInt,
): IndicatorValues {
  const { from, to } = indicatorWindow(compute, periodFrom, periodTo);
  const n = data.units.count;
  const out: IndicatorValues = {
    numerator: new Float64Array(n),
    denominator: new Float64Array(n),
    available: true,
    from,
    to,
  };
  switch (compute.kind) {
    case 'doctor_continuity':
      doctorContinuity(data, from, to, out);
      break;
    case 'access_within_days':
      accessWithinDays(data, from, to, compute.days, compute.professions, out);
      break;
    case 'health_dialogue':
      healthDialogue(data, from, to, compute.ages, out);
      break;
    case 'event_share':
      eventShare(data, from, to, compute.numerator_events, compute.denominator_events, out);
      break;
  }
  return out;
}

// The loops below run over every visit, listing or event row: the rows' persons, units and codes are
// in range by construction (the data folder checks them on reading), so typed arrays are indexed
// with `!`.

/** The unit a visit or listing counts for: a branch's main unit, else the unit itself. */
function mainUnits(data: DataSet): Int32Array {
  const { branchOf, count } = data.units;
  const main = new Int32Array(count);
  for (let u = 0; u < count; u++) {
    const of = branchOf[u]!;
    main[u] = of >= 0 ? of : u;
  }
  return main;
}

/** Listing rows grouped by person (CSR: rows of person p are order[start[p]..start[p+1])). */
function listingsByPerson(data: DataSet): { start: Int32Array; order: Int32Array } {
  const { listings, personCount } = data;
  const start = new Int32Array(personCount + 1);
  for (let r = 0; r < listings.count; r++) start[listings.person[r]! + 1]!++;
  for (let p = 0; p < personCount; p++) start[p + 1]! += start[p]!;
  const fill = start.slice(0, personCount);
  const order = new Int32Array(listings.count);
  for (let r = 0; r < listings.count; r++) order[fill[listings.person[r]!]!++] = r;
  return { start, order };
}

/** The listing row of person p in force on day d, or -1. */
function rowOn(
  data: DataSet,
  index: { start: Int32Array; order: Int32Array },
  p: number,
  d: DateInt,
): number {
  const { from, to } = data.listings;
  const end = index.start[p + 1]!;
  for (let k = index.start[p]!; k < end; k++) {
    const r = index.order[k]!;
    if (from[r]! <= d && d < to[r]!) return r;
  }
  return -1;
}

/**
 * Kontinuitet: doctor visits at the unit by persons listed there on the visit's day whose listing
 * names a fixed doctor (doctor_id); the numerator those with that doctor. A visit without doctor_id
 * counts in the denominator only: it cannot show that the patient met the fixed doctor.
 */
function doctorContinuity(data: DataSet, from: DateInt, to: DateInt, out: IndicatorValues): void {
  const { visits, listings } = data;
  const main = mainUnits(data);
  const index = listingsByPerson(data);
  for (let v = 0; v < visits.count; v++) {
    const d = visits.date[v]!;
    if (d < from || d > to || visits.profession[v] !== LAKARE) continue;
    const p = visits.person[v]!;
    if (p < 0) continue;
    const r = rowOn(data, index, p, d);
    if (r < 0) continue;
    const u = main[visits.unit[v]!]!;
    if (main[listings.unit[r]!] !== u) continue;
    const fixed = listings.doctor[r]!;
    if (fixed < 0) continue;
    out.denominator[u]!++;
    if (visits.doctor[v] === fixed) out.numerator[u]!++;
  }
}

/** Tillgänglighet: visits of the professions with a booking day; the numerator within `days` of it. */
function accessWithinDays(
  data: DataSet,
  from: DateInt,
  to: DateInt,
  days: number,
  professions: readonly string[],
  out: IndicatorValues,
): void {
  const { visits } = data;
  const counted = new Uint8Array(PROFESSIONS.length);
  for (const p of professions) counted[PROFESSIONS.indexOf(p as (typeof PROFESSIONS)[number])] = 1;
  const main = mainUnits(data);
  for (let v = 0; v < visits.count; v++) {
    const d = visits.date[v]!;
    const booked = visits.booked[v]!;
    if (d < from || d > to || booked === 0 || !counted[visits.profession[v]!]) continue;
    const u = main[visits.unit[v]!]!;
    out.denominator[u]!++;
    if (toEpochDay(d) - toEpochDay(booked) <= days) out.numerator[u]!++;
  }
}

/**
 * Hälsosamtal: persons listed at the unit on the window's last day who turn one of `ages` within the
 * window; the numerator those who had a health dialogue (visit_type halsosamtal) at that unit in it.
 */
function healthDialogue(
  data: DataSet,
  from: DateInt,
  to: DateInt,
  ages: readonly number[],
  out: IndicatorValues,
): void {
  const { visits, listings, personCount } = data;
  const types = visits.visitType;
  if (!types) {
    out.available = false;
    return;
  }
  const main = mainUnits(data);
  const dayBefore = addDays(from, -1);
  const unitAtEnd = new Int32Array(personCount).fill(-1);
  const turning = new Uint8Array(personCount);
  for (let r = 0; r < listings.count; r++) {
    if (listings.from[r]! > to || listings.to[r]! <= to) continue;
    const p = listings.person[r]!;
    unitAtEnd[p] = main[listings.unit[r]!]!;
    const before = ageOn(listings.birth[r]!, dayBefore);
    const after = ageOn(listings.birth[r]!, to);
    for (const a of ages) if (before < a && after >= a) turning[p] = 1;
  }
  const had = new Uint8Array(personCount);
  for (let v = 0; v < visits.count; v++) {
    if (types[v] !== VISIT_TYPE_HEALTH_DIALOGUE) continue;
    const d = visits.date[v]!;
    const p = visits.person[v]!;
    if (d < from || d > to || p < 0) continue;
    if (unitAtEnd[p] === main[visits.unit[v]!]) had[p] = 1;
  }
  for (let p = 0; p < personCount; p++) {
    const u = unitAtEnd[p]!;
    if (!turning[p] || u < 0) continue;
    out.denominator[u]!++;
    out.numerator[u]! += had[p]!;
  }
}

/** A share of events (e.g. SIP invitations sent in time of all SIP invitations) at the unit. */
function eventShare(
  data: DataSet,
  from: DateInt,
  to: DateInt,
  numeratorTypes: readonly string[],
  denominatorTypes: readonly string[],
  out: IndicatorValues,
): void {
  const { events } = data;
  const inNum = events.types.map((t) => numeratorTypes.includes(t));
  const inDen = events.types.map((t) => denominatorTypes.includes(t));
  const main = mainUnits(data);
  for (let e = 0; e < events.count; e++) {
    const d = events.date[e]!;
    if (d < from || d > to) continue;
    const t = events.type[e]!;
    const u = main[events.unit[e]!]!;
    if (inDen[t]) out.denominator[u]!++;
    if (inNum[t]) out.numerator[u]!++;
  }
}

/** The definitions Vårdval computes itself, by id (origin computed with a compute section). */
export function computedDefinitions(
  definitions: readonly IndicatorDefinition[],
): Map<string, IndicatorCompute> {
  const out = new Map<string, IndicatorCompute>();
  for (const d of definitions) if (d.origin === 'computed' && d.compute) out.set(d.id, d.compute);
  return out;
}
