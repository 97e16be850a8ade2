import { OPEN_END, addDays, formatDate, type DateInt } from '../calendar.js';

/**
 * A change of listing (omlistning): the person's period in force on the change day is closed that
 * day and a new one opens. The rulebook may limit changes to a number per 12 months.
 */

export interface ListingPeriod {
  unitId: string;
  doctorId: string | null;
  from: DateInt;
  /** Exclusive; OPEN_END when open. */
  to: DateInt;
}

export interface ListingChangeRequest {
  unitId: string;
  doctorId: string | null;
  from: DateInt;
}

export type ListingChangeResult =
  | { ok: true; closes: number | undefined; opens: ListingPeriod }
  | {
      ok: false;
      code: 'same_unit' | 'before_latest' | 'too_many_changes' | 'unit_not_listable';
      message: string;
    };

/** Listing changes whose new period started in the 12 months up to and including `day`. */
export function changesInYearBefore(history: readonly ListingPeriod[], day: DateInt): number {
  const yearAgo = addDays(day, -365);
  let n = 0;
  const sorted = [...history].sort((a, b) => a.from - b.from);
  sorted.forEach((p, i) => {
    // A period that directly follows another is a change; a first listing or a return after a gap is not.
    if (i > 0 && p.from > yearAgo && p.from <= day && sorted[i - 1]?.to === p.from) n++;
  });
  return n;
}

export function planListingChange(
  history: readonly ListingPeriod[],
  change: ListingChangeRequest,
  rules: { maxChangesPer12Months?: number; listable: (unitId: string, on: DateInt) => boolean },
): ListingChangeResult {
  if (!rules.listable(change.unitId, change.from)) {
    return {
      ok: false,
      code: 'unit_not_listable',
      message: `Enheten ${change.unitId} tar inte emot listningar ${formatDate(change.from)} (finns inte, är stängd eller är en filial)`,
    };
  }
  const latestFrom = history.reduce((m, p) => Math.max(m, p.from), 0);
  if (change.from <= latestFrom) {
    return {
      ok: false,
      code: 'before_latest',
      message: `Ändringen måste gälla efter den senaste perioden, som började ${formatDate(latestFrom)}`,
    };
  }
  const current = history.findIndex((p) => p.from <= change.from && change.from < p.to);
  const now = history[current];
  if (now && now.unitId === change.unitId && now.doctorId === change.doctorId) {
    return {
      ok: false,
      code: 'same_unit',
      message: `Personen är redan listad vid ${change.unitId} med samma fasta läkarkontakt`,
    };
  }
  if (current >= 0 && rules.maxChangesPer12Months !== undefined) {
    const done = changesInYearBefore(history, change.from);
    if (done + 1 > rules.maxChangesPer12Months) {
      return {
        ok: false,
        code: 'too_many_changes',
        message: `Regelboken tillåter högst ${rules.maxChangesPer12Months} byten per 12 månader; personen har redan bytt ${done} gånger sedan ${formatDate(addDays(change.from, -365))}`,
      };
    }
  }
  return {
    ok: true,
    closes: current >= 0 ? current : undefined,
    opens: { unitId: change.unitId, doctorId: change.doctorId, from: change.from, to: OPEN_END },
  };
}
