import type { Derivation } from '../engine/derivation.js';
import type { StatementLine, UnitStatement } from '../engine/run.js';
import { formatKronor } from '../money.js';

/**
 * A correction run: a later run for a month that already has an approved run. It shows the whole
 * new computation and deducts what the month's approved runs already paid, so the unit's total is
 * the difference paid now and is still the sum of its lines. A unit paid before but no longer paid
 * gives back what it got.
 */

/** The component of the line a correction adds for what earlier runs paid (not part of the month's computation). */
export const PRIOR_COMPONENT = 'tidigare_utbetalt';

const LABEL = 'Avgår: tidigare godkänd utbetalning';
const SOURCE = 'Korrigering: en ny körning för en godkänd månad betalar skillnaden';

/** The correction's line at a unit: it deducts what the month's approved runs paid the unit. */
function deductionLine(paidBefore: number, explanation: string, derivation: Derivation): StatementLine {
  return {
    component: PRIOR_COMPONENT,
    type: 'penalty',
    label: LABEL,
    quantity: 1,
    amount_ore: -paidBefore,
    explanation,
    source: SOURCE,
    derivation,
  };
}

/** The line that deducts what the month's approved runs (the latest `approvedRunId`) paid the unit. */
export function priorPaymentLine(paidBefore: number, newTotal: number, approvedRunId: number): StatementLine {
  return deductionLine(
    paidBefore,
    `Tidigare godkända körningar för månaden (senast ${approvedRunId}) betalade ${formatKronor(paidBefore)}; ny beräkning ${formatKronor(newTotal)}; skillnaden ${formatKronor(newTotal - paidBefore)} betalas nu`,
    {
      rule: 'Den nya beräkningen, minus det som tidigare godkända körningar för månaden betalade',
      steps: [
        { label: 'Ny beräkning för månaden', amount_ore: newTotal },
        { label: `Betalt av tidigare godkända körningar (senast ${approvedRunId})`, amount_ore: -paidBefore },
        { label: 'Skillnaden, som betalas nu', amount_ore: newTotal - paidBefore },
      ],
      amount_ore: -paidBefore,
    },
  );
}

/** The one line of a unit no longer paid: it gives back what the approved runs paid it, for `reason`. */
export function repaymentLine(paidBefore: number, reason: string, approvedRunId: number): StatementLine {
  return deductionLine(
    paidBefore,
    `${reason}; tidigare godkända körningar för månaden (senast ${approvedRunId}) betalade ${formatKronor(paidBefore)}, som nu dras av`,
    {
      rule: `${reason}: det som tidigare godkända körningar för månaden betalade dras av`,
      steps: [
        { label: `Betalt av tidigare godkända körningar (senast ${approvedRunId})`, amount_ore: -paidBefore },
      ],
      amount_ore: -paidBefore,
    },
  );
}

/** What a statement's lines compute for the month, without what a correction deducts for earlier runs. */
export function computedAmount(lines: readonly { component: string; amount_ore: number }[]): number {
  let sum = 0;
  for (const l of lines) if (l.component !== PRIOR_COMPONENT) sum += l.amount_ore;
  return sum;
}

/** A unit of a correction run: the new computation in full, less what the approved runs paid it. */
export interface CorrectedUnit {
  unit_id: string;
  lines: StatementLine[];
  /** What the unit is paid now: the new total less what it was paid before. */
  total_ore: number;
}

/** A unit the approved runs paid that the new computation does not: it gives back what it got. */
export interface Repayment {
  unit_id: string;
  line: StatementLine;
  total_ore: number;
}

/**
 * The whole correction of a month. Every unit of the new computation (with whatever else the caller
 * keeps on it) shows it in full and deducts
 * what the month's approved runs paid it (`paidBefore`, by unit id; the latest is `approvedRunId`),
 * so its total is the difference paid now and still the sum of its lines. A unit paid before (and
 * not 0) that the new computation does not pay gives that back, for the reason `unpaidReason`
 * names; `repayable` leaves out units the caller cannot pay (e.g. no longer in the data). The run's
 * total is the sum of what is paid now.
 */
export function correctUnits<U extends Pick<UnitStatement, 'unit_id' | 'lines' | 'total_ore'>>(
  units: readonly U[],
  paidBefore: ReadonlyMap<string, number>,
  approvedRunId: number,
  unpaidReason: (unitId: string) => string,
  repayable: (unitId: string) => boolean = () => true,
): { units: (Omit<U, 'lines' | 'total_ore'> & CorrectedUnit)[]; repayments: Repayment[]; total_ore: number } {
  let total = 0;
  const corrected = units.map((u) => {
    const before = paidBefore.get(u.unit_id) ?? 0;
    const paid = u.total_ore - before;
    total += paid;
    return {
      ...u,
      lines: [...u.lines, priorPaymentLine(before, u.total_ore, approvedRunId)],
      total_ore: paid,
    };
  });
  const paidNow = new Set(units.map((u) => u.unit_id));
  const repayments: Repayment[] = [];
  for (const [unitId, before] of paidBefore) {
    if (paidNow.has(unitId) || before === 0 || !repayable(unitId)) continue;
    total -= before;
    repayments.push({
      unit_id: unitId,
      line: repaymentLine(before, unpaidReason(unitId), approvedRunId),
      total_ore: -before,
    });
  }
  return { units: corrected, repayments, total_ore: total };
}
