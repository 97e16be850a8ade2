import { parseDate, type DateInt, type MonthInt } from '../calendar.js';
import type { DataSet } from '../data/dataset.js';
import { formatNumber, roundHalfAwayFromZero } from '../money.js';
import type { NationalCompensation } from '../rulebook/schema.js';
import { renderDerivation, type Derivation, type DerivationStep } from './derivation.js';
import type { StatementLine, Statements } from './run.js';

/**
 * NSS's national compensation on top of a run: the period's base amounts uprated by the index
 * steps in force on the cut-off day, and the state's part of each line for units in areas the
 * rulebook classes for state co-financing (glesbygd). The unit is paid the whole line either way;
 * the payers' parts say who funds it.
 */

interface IndexChain {
  steps: { from: string; percent: number }[];
  factor: number;
}

/** The index steps in force on a day and the factor they make together (1 before the first). */
function indexOn(n: NationalCompensation, day: DateInt): IndexChain {
  const steps = n.index
    .filter((s) => parseDate(s.from)! <= day)
    .map((s) => ({ from: s.from, percent: s.percent }));
  return { steps, factor: steps.reduce((f, s) => f * (1 + s.percent / 100), 1) };
}

/** The area class where a unit is: the most common class of the areas in its kommun (ties: code-point order). */
function kommunClasses(data: DataSet): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  const { areas } = data;
  for (let a = 0; a < areas.count; a++) {
    const name = areas.ruralClasses[areas.ruralClass[a]!];
    const kommun = areas.kommun[a];
    if (name === undefined || kommun === undefined) continue;
    const perKommun = counts.get(kommun) ?? new Map<string, number>();
    perKommun.set(name, (perKommun.get(name) ?? 0) + 1);
    counts.set(kommun, perKommun);
  }
  const out = new Map<string, string>();
  for (const [kommun, perKommun] of counts) {
    const [best] = [...perKommun].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    if (best) out.set(kommun, best[0]);
  }
  return out;
}

const percent = (p: number) => `${p > 0 ? '+' : ''}${formatNumber(p)} %`;

/** A line with steps added to its derivation, its amount set and its sentence rendered again. */
function withSteps(line: StatementLine, steps: DerivationStep[], amount: number): StatementLine {
  if (!line.derivation) return line;
  const derivation: Derivation = {
    ...line.derivation,
    steps: [...line.derivation.steps, ...steps],
    amount_ore: amount,
  };
  return { ...line, amount_ore: amount, derivation, explanation: renderDerivation(derivation) };
}

function indexedLine(line: StatementLine, chain: IndexChain, period: string): StatementLine {
  // A penalty is a fixed deduction, not a compensation level: it is not uprated.
  if (line.type === 'penalty') return line;
  if (chain.steps.length === 0)
    return withSteps(line, [{ label: `Periodens nivå ${period}, ännu inte uppräknad` }], line.amount_ore);
  const amount = roundHalfAwayFromZero(line.amount_ore * chain.factor);
  const steps = chain.steps.map((s) => `${s.from} ${percent(s.percent)}`).join(', ');
  return withSteps(
    line,
    [
      { label: `Periodens grundbelopp (${period})`, amount_ore: line.amount_ore },
      {
        label: `Uppräknat med index ${steps}`,
        quantity: line.amount_ore / 100,
        rate: chain.factor,
        amount_ore: amount === 0 ? 0 : amount,
      },
    ],
    amount === 0 ? 0 : amount,
  );
}

export function applyNationalCompensation(
  statements: Statements,
  n: NationalCompensation,
  data: DataSet,
  month: MonthInt,
): Statements {
  const chain = indexOn(n, month * 100 + 1);
  const period = `${n.period.from}–${n.period.to}`;
  const classes = kommunClasses(data);
  const kommunOf = new Map(data.units.id.map((id, u) => [id, data.units.kommun[u]]));
  const co = n.state_share;
  let stateTotal = 0;
  let total = 0;
  const units = statements.units.map((s) => {
    const cls = classes.get(kommunOf.get(s.unit_id) ?? '');
    const shared = co !== undefined && cls !== undefined && co.rural_classes.includes(cls);
    const lines = s.lines.map((l) => {
      const line = indexedLine(l, chain, period);
      if (!shared) return line;
      const state = roundHalfAwayFromZero(line.amount_ore * co.share);
      stateTotal += state;
      const split = withSteps(
        line,
        [
          { label: `Staten betalar ${formatNumber(co.share * 100)} % (${cls})`, amount_ore: state },
          { label: 'Regionen betalar resten', amount_ore: line.amount_ore - state },
        ],
        line.amount_ore,
      );
      return {
        ...split,
        payers: { region_ore: line.amount_ore - state, state_ore: state === 0 ? 0 : state },
      };
    });
    const unitTotal = lines.reduce((sum, l) => sum + l.amount_ore, 0);
    total += unitTotal;
    return { ...s, lines, total_ore: unitTotal };
  });
  return {
    ...statements,
    units,
    total_ore: total,
    payer_totals: { region_ore: total - stateTotal, state_ore: stateTotal },
  };
}
