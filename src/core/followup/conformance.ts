import type { DateInt } from '../calendar.js';
import { valueInForce } from '../rulebook/dated.js';
import type { Requirement, Rulebook } from '../rulebook/schema.js';
import { sekToOre } from '../money.js';

/**
 * Requirement conformance (kravuppföljning): each measurable requirement of the rulebook checked
 * against the facts a unit has reported (öppettider, psykolog, digitala kontaktvägar, ...), with
 * the thresholds that apply to the unit's number of listed persons. A fact nobody has reported is
 * unknown, never taken as met or not met.
 */

/** A reported fact: a number (hours per week, a share) or yes/no. */
export type FactValue = number | boolean;

type ConformanceStatus = 'met' | 'not_met' | 'unknown';

interface RequirementCheck {
  requirement: string;
  text: string;
  level: Requirement['level'];
  fact: string;
  /** The reported value, or null when none is reported. */
  value: FactValue | null;
  /** The level that applies to this unit: `≥ 45 timmar per vecka`, `ja`. */
  expected: string;
  status: ConformanceStatus;
  /** Why, in Swedish. */
  reason: string;
  source: string;
}

interface ProposedPenalty {
  sanction: string;
  requirement: string;
  amount_ore: number;
  source: string;
}

export interface UnitConformance {
  listed: number;
  checks: RequirementCheck[];
  /** Sanctions the rulebook ties to requirements: one proposed penalty per requirement not met. */
  penalties: ProposedPenalty[];
  counts: Record<ConformanceStatus, number>;
}

const number = (x: number): string => new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2 }).format(x);

/** The thresholds of a measure that apply to a unit with `listed` persons (bands by listed count). */
function applicable(req: Requirement, listed: number) {
  return (req.measure?.thresholds ?? []).filter(
    (t) =>
      (t.listed_at_least === undefined || listed >= t.listed_at_least) &&
      (t.listed_below === undefined || listed < t.listed_below),
  );
}

function checkRequirement(
  req: Requirement,
  listed: number,
  facts: ReadonlyMap<string, FactValue>,
): RequirementCheck | undefined {
  const m = req.measure;
  if (!m) return undefined;
  const raw = facts.get(m.fact);
  const value = raw === undefined ? null : raw;
  const unit = m.unit ? ` ${m.unit}` : '';
  const base = {
    requirement: req.id,
    text: req.text,
    level: req.level,
    fact: m.fact,
    value,
    source: req.source,
  };
  if (m.thresholds) {
    const bands = applicable(req, listed);
    const expected = bands
      .map((t) =>
        [t.min === undefined ? '' : `≥ ${number(t.min)}`, t.max === undefined ? '' : `≤ ${number(t.max)}`]
          .filter(Boolean)
          .join(' och '),
      )
      .join('; ');
    if (bands.length === 0)
      return {
        ...base,
        expected: '–',
        status: 'met',
        reason: `Ingen nivå gäller för en enhet med ${number(listed)} listade`,
      };
    if (value === null)
      return {
        ...base,
        expected: expected + unit,
        status: 'unknown',
        reason: `Enheten har inte rapporterat ${m.fact}`,
      };
    if (typeof value !== 'number')
      return {
        ...base,
        expected: expected + unit,
        status: 'unknown',
        reason: `${m.fact} ska vara ett tal, rapporterat värde är ja/nej`,
      };
    const failed = bands.find(
      (t) => (t.min !== undefined && value < t.min) || (t.max !== undefined && value > t.max),
    );
    return {
      ...base,
      expected: expected + unit,
      status: failed ? 'not_met' : 'met',
      reason: failed
        ? `${number(value)}${unit} når inte ${expected}${unit} (${number(listed)} listade)`
        : `${number(value)}${unit} uppfyller ${expected}${unit} (${number(listed)} listade)`,
    };
  }
  if (m.required) {
    if (value === null)
      return { ...base, expected: 'ja', status: 'unknown', reason: `Enheten har inte rapporterat ${m.fact}` };
    const yes = typeof value === 'boolean' ? value : value !== 0;
    return {
      ...base,
      expected: 'ja',
      status: yes ? 'met' : 'not_met',
      reason: yes ? 'Rapporterat: ja' : 'Rapporterat: nej',
    };
  }
  return { ...base, expected: '–', status: 'unknown', reason: 'Kravet anger ingen mätbar nivå' };
}

/**
 * All measurable requirements for one unit on a day (the day picks the sanction amounts in force).
 */
export function checkConformance(
  rulebook: Rulebook,
  listed: number,
  facts: ReadonlyMap<string, FactValue>,
  on: DateInt,
): UnitConformance {
  const checks: RequirementCheck[] = [];
  for (const req of rulebook.requirements) {
    const check = checkRequirement(req, listed, facts);
    if (check) checks.push(check);
  }
  const penalties: ProposedPenalty[] = [];
  for (const s of rulebook.sanctions) {
    if (!s.requirements || s.amount === undefined) continue;
    const amount = valueInForce(s.amount, on);
    if (!amount) continue;
    for (const id of s.requirements) {
      // A recommendation (bör) is followed up but never sanctioned.
      const check = checks.find((c) => c.requirement === id);
      if (check?.status === 'not_met' && check.level === 'ska')
        penalties.push({
          sanction: s.id,
          requirement: id,
          amount_ore: sekToOre(amount.value),
          source: s.source,
        });
    }
  }
  const counts = { met: 0, not_met: 0, unknown: 0 };
  for (const c of checks) counts[c.status]++;
  return { listed, checks, penalties, counts };
}
