import { addMonths, formatMonth, parseMonth } from '../calendar.js';

/**
 * Internal control of payments (attestordning): the one who prepares is not the one who approves,
 * and months are approved in order. Pure rules; the store and the API supply the facts.
 */

export interface ControlSettings {
  /** The one who computed a run, or published its rulebook, may not approve it; nor publish one's own draft. */
  fourEyes: boolean;
  /**
   * Roles whose users may approve runs. A person given the approver right by the admin may approve
   * whatever this says (among the roles that may handle runs at all); an empty list means only they may.
   */
  approverRoles: readonly string[];
  /** A unit whose total moves more than this many per cent from the last approved month is flagged. */
  reviewThresholdPercent: number;
}

export const DEFAULT_CONTROL: ControlSettings = {
  fourEyes: true,
  approverRoles: ['admin', 'officer'],
  reviewThresholdPercent: 10,
};

/** Why this person has no right to approve payment runs at all, or undefined when they have. */
export function approverRightRefusal(
  approver: { username: string; role: string; approverRight: boolean },
  settings: ControlSettings,
): string | undefined {
  if (approver.approverRight || settings.approverRoles.includes(approver.role)) return undefined;
  return settings.approverRoles.length === 0
    ? `${approver.username} har inte attesträtt: bara personer som administratören gett attesträtt får godkänna utbetalningar`
    : `${approver.username} har inte attesträtt: rollen ${approver.role} får inte godkänna utbetalningar och personen har inte fått attesträtt av administratören`;
}

/** Why this person may not approve this run (they prepared it), or undefined when they may. */
export function fourEyesRefusal(
  approver: string | null,
  run: { id: number; createdBy: string | null; rulebookPublishedBy: string | null },
  settings: ControlSettings,
): string | undefined {
  if (!settings.fourEyes || approver === null) return undefined;
  if (run.createdBy === approver)
    return `${approver} beräknade körning ${run.id} och får inte också godkänna den: en annan person måste attestera (attestordning)`;
  if (run.rulebookPublishedBy === approver)
    return `${approver} publicerade regelboksversionen som körning ${run.id} räknar med och får inte också godkänna körningen: en annan person måste attestera (attestordning)`;
  return undefined;
}

/** Why this person may not publish the draft, or undefined when they may. */
export function publisherRefusal(
  publisher: string | null,
  draft: { id: number; createdBy: string | null; editedBy: string | null },
  settings: ControlSettings,
): string | undefined {
  if (!settings.fourEyes || publisher === null) return undefined;
  if (publisher === draft.createdBy || publisher === draft.editedBy)
    return `${publisher} skrev utkastet till regelboksversion ${draft.id} och får inte också publicera det: en annan person måste granska och publicera`;
  return undefined;
}

/** One earlier run of the same payment stream, as the month-order rule sees it. */
export interface EarlierRun {
  id: number;
  month: string;
  rulebookId: string;
  status: string;
}

export interface MonthOrderInput {
  month: string;
  rulebookId: string;
  /** First month the run's rulebook is valid (`ÅÅÅÅ-MM`). */
  validFromMonth: string;
  /**
   * Runs for months before `month`: the rulebook's own, and, for months before it was valid, the
   * region's (the rulebook that came before it, e.g. last year's).
   */
  earlier: readonly EarlierRun[];
  /** The approver's written reason why the month(s) right before have no run at all. */
  missingMonthReason?: string | null;
}

export interface MonthOrderResult {
  refusal?: string;
  /** Months right before without any run, which the reason covers. */
  missingMonths: string[];
}

/**
 * A month may be approved when the month before is approved. A month before with no run at all is
 * accepted only with a written reason (which then covers the gap back to the last month with a run,
 * which must be approved). The stream's first month ever has nothing before it and needs nothing.
 */
export function monthOrder(input: MonthOrderInput): MonthOrderResult {
  const m = parseMonth(input.month);
  if (m === undefined) return { missingMonths: [] };
  const inStream = (r: EarlierRun) =>
    r.month < input.validFromMonth ? true : r.rulebookId === input.rulebookId;
  const earlier = input.earlier.filter((r) => r.month < input.month && inStream(r));
  if (earlier.length === 0) return { missingMonths: [] };
  const byMonth = new Map<string, EarlierRun[]>();
  for (const r of earlier) byMonth.set(r.month, [...(byMonth.get(r.month) ?? []), r]);

  const missing: string[] = [];
  let prev = formatMonth(addMonths(m, -1));
  while (!byMonth.has(prev)) {
    missing.push(prev);
    prev = formatMonth(addMonths(parseMonth(prev)!, -1));
  }
  const runs = byMonth.get(prev)!;
  // Before the rulebook was valid the region may have paid several systems: each must be approved.
  const rulebooks = new Set(runs.map((r) => r.rulebookId));
  for (const rulebookId of rulebooks) {
    const own = runs.filter((r) => r.rulebookId === rulebookId);
    if (own.some((r) => r.status === 'approved' || r.status === 'superseded')) continue;
    const drafts = own.map((r) => r.id).join(', ');
    return {
      missingMonths: missing,
      refusal: `${prev} är inte godkänd (${rulebookId}, körning ${drafts} är ett utkast): månaderna godkänns i ordning, så godkänn ${prev} först`,
    };
  }
  if (missing.length > 0 && !input.missingMonthReason?.trim()) {
    const months = missing.length === 1 ? missing[0] : `${missing.at(-1)} – ${missing[0]}`;
    return {
      missingMonths: missing,
      refusal: `${months} saknar körning: månaderna godkänns i ordning, så beräkna och godkänn ${missing.at(-1)} först eller skriv skälet till att ${missing.length === 1 ? 'månaden saknar' : 'månaderna saknar'} körning`,
    };
  }
  return { missingMonths: missing };
}
