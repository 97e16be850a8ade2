import { addDays, addMonths, formatDate, type DateInt, type MonthInt } from '../calendar.js';
import type { Statements, StatementLine } from '../engine/run.js';
import { formatKronor } from '../money.js';
import type { SanctionProcess } from '../rulebook/schema.js';

/**
 * Sanctions with due process (vite efter yttrande): a proposed sanction is shown to the provider,
 * who may answer within the rulebook's period; an officer then confirms, reduces or cancels it with
 * a reason; only a confirmed (or reduced) sanction is deducted, in the month the settlement says.
 */

export type SanctionStatus = 'proposed' | 'answered' | 'confirmed' | 'reduced' | 'cancelled';
export type SanctionDecision = 'confirm' | 'reduce' | 'cancel';

const STATUS_AFTER: Record<SanctionDecision, SanctionStatus> = {
  confirm: 'confirmed',
  reduce: 'reduced',
  cancel: 'cancelled',
};

/** The last day the provider may answer: the proposal's day plus the rulebook's period. */
export function answerDue(proposedOn: DateInt, process: SanctionProcess): DateInt {
  return addDays(proposedOn, process.answer_days);
}

/**
 * The payment month a decided sanction is deducted in: the first month not yet paid by an approved
 * run (monthly settlement), or the last month of that month's quarter (quarterly, as Stockholm).
 */
export function settlementMonth(firstUnpaid: MonthInt, process: SanctionProcess): MonthInt {
  if (process.settlement === 'monthly') return firstUnpaid;
  const month = firstUnpaid % 100;
  return addMonths(firstUnpaid, (3 - (month % 3)) % 3);
}

export interface PendingSanction {
  status: SanctionStatus;
  proposedOre: number;
  answerDue: DateInt;
}

export type DecisionCheck =
  | { ok: true; status: SanctionStatus; amountOre: number }
  | { ok: false; code: 'conflict' | 'invalid'; message: string; pointer?: string };

/**
 * Whether the officer may decide now, and the amount decided. The provider is heard first: a
 * proposal is decided once the provider has answered or the answer period has run out.
 */
export function checkDecision(
  s: PendingSanction,
  input: { decision: SanctionDecision; amountOre?: number; reason: string },
  today: DateInt,
): DecisionCheck {
  if (s.status !== 'proposed' && s.status !== 'answered')
    return {
      ok: false,
      code: 'conflict',
      message: 'Sanktionen är redan beslutad; ett beslut fattas en gång',
    };
  if (s.status === 'proposed' && today <= s.answerDue)
    return {
      ok: false,
      code: 'conflict',
      message: `Vårdgivaren får yttra sig till och med ${formatDate(s.answerDue)}; beslut fattas när yttrandet kommit eller tiden gått ut`,
    };
  if (!input.reason.trim())
    return { ok: false, code: 'invalid', message: 'Beslutet behöver ett skäl', pointer: '/reason' };
  if (input.decision === 'reduce') {
    const a = input.amountOre;
    if (a === undefined || !Number.isInteger(a) || a <= 0 || a >= s.proposedOre)
      return {
        ok: false,
        code: 'invalid',
        message: `Ett nedsatt vite är mer än 0 kr och mindre än det föreslagna ${formatKronor(s.proposedOre)}`,
        pointer: '/amount_ore',
      };
    return { ok: true, status: 'reduced', amountOre: a };
  }
  return {
    ok: true,
    status: STATUS_AFTER[input.decision],
    amountOre: input.decision === 'cancel' ? 0 : s.proposedOre,
  };
}

/** A decided sanction as the payment run sees it. */
export interface DecidedSanction {
  id: number;
  unitId: string;
  sanction: string;
  subject: string;
  period: string;
  status: 'confirmed' | 'reduced';
  proposedOre: number;
  amountOre: number;
  decidedOn: string;
  reason: string;
}

/** The penalty line of a decided sanction; its explanation names the decision. */
function sanctionLine(s: DecidedSanction): StatementLine {
  const what =
    s.status === 'reduced'
      ? `nedsatt från ${formatKronor(s.proposedOre)} till ${formatKronor(s.amountOre)}`
      : `fastställt till ${formatKronor(s.amountOre)}`;
  return {
    component: `sanktion-${s.id}`,
    type: 'penalty',
    label: `Vite ${s.sanction} (${s.subject}, ${s.period})`,
    quantity: 1,
    amount_ore: -s.amountOre,
    explanation: `Regionens beslut nr ${s.id} den ${s.decidedOn}: vitet ${s.sanction} för ${s.subject} (${s.period}) ${what}, efter att vårdgivaren fått yttra sig. Skäl: ${s.reason}`,
    // The line rests on the region's decision, which itself cites the rulebook's sanction.
    source: `Regionens beslut om vite nr ${s.id} den ${s.decidedOn} (vitet ${s.sanction} i regelboken)`,
    derivation: {
      rule: 'Ett beslutat vite dras av från utbetalningen',
      steps: [
        { label: `Föreslaget vite ${s.sanction} för ${s.subject} (${s.period})`, amount_ore: -s.proposedOre },
        ...(s.status === 'reduced'
          ? [{ label: `Nedsatt i beslutet: ${s.reason}`, amount_ore: s.proposedOre - s.amountOre }]
          : []),
      ],
      amount_ore: -s.amountOre,
    },
  };
}

/**
 * Adds the decided sanctions of the month to the statements of their units (units not in the run
 * get none) and names them as an input of the run's identity.
 */
export function withSanctions(
  statements: Statements,
  sanctions: readonly DecidedSanction[],
  input: { sha256: string },
): Statements {
  if (sanctions.length === 0) return statements;
  const byUnit = new Map<string, DecidedSanction[]>();
  for (const s of sanctions) byUnit.set(s.unitId, [...(byUnit.get(s.unitId) ?? []), s]);
  let total = 0;
  const units = statements.units.map((u) => {
    const own = byUnit.get(u.unit_id);
    if (!own) {
      total += u.total_ore;
      return u;
    }
    const lines = own.map(sanctionLine);
    const unitTotal = u.total_ore + lines.reduce((a, l) => a + l.amount_ore, 0);
    total += unitTotal;
    return { ...u, lines: [...u.lines, ...lines], total_ore: unitTotal };
  });
  return {
    ...statements,
    identity: {
      ...statements.identity,
      inputs: [...statements.identity.inputs, { file: 'sanctions', sha256: input.sha256 }],
    },
    units,
    total_ore: total,
  };
}
