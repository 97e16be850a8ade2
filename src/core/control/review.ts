import { PRIOR_COMPONENT } from '../runs/correction.js';

/**
 * The review before approval: each unit's total and components beside the last approved month,
 * the change in kronor and per cent, and what the approver should look at first: a unit that moved
 * more than the threshold, one that appears or disappears, and a negative total.
 */

export interface ReviewLine {
  component: string;
  label: string;
  amount_ore: number;
}

export interface ReviewUnit {
  unit_id: string;
  name: string;
  lines: readonly ReviewLine[];
}

type ReviewFlag = 'threshold' | 'new' | 'gone' | 'negative';

interface ComponentChange {
  component: string;
  label: string;
  now_ore: number;
  before_ore: number;
  change_ore: number;
  /** Null when there was nothing before to compare with. */
  change_percent: number | null;
}

interface UnitReview {
  unit_id: string;
  name: string;
  /** Null for a unit that is gone (no statement in this run). */
  now_ore: number | null;
  /** Null for a new unit, or when there is no approved month to compare with. */
  before_ore: number | null;
  change_ore: number | null;
  change_percent: number | null;
  flags: ReviewFlag[];
  components: ComponentChange[];
}

export interface RunReview {
  threshold_percent: number;
  now_ore: number;
  before_ore: number | null;
  units: UnitReview[];
  flagged: number;
}

function percent(now: number, before: number): number | null {
  if (before === 0) return now === 0 ? 0 : null;
  return Math.round(((now - before) / Math.abs(before)) * 1000) / 10;
}

function byComponent(unit: ReviewUnit | undefined): Map<string, { label: string; amount: number }> {
  const m = new Map<string, { label: string; amount: number }>();
  for (const l of unit?.lines ?? []) {
    if (l.component === PRIOR_COMPONENT) continue;
    const acc = m.get(l.component) ?? { label: l.label, amount: 0 };
    acc.amount += l.amount_ore;
    m.set(l.component, acc);
  }
  return m;
}

const total = (m: Map<string, { amount: number }>) => [...m.values()].reduce((s, c) => s + c.amount, 0);

/**
 * Compares the run's units with the last approved month's (`before` undefined: nothing approved
 * yet, so nothing is new or gone and only negative totals are flagged). Flagged units come first,
 * largest change in kronor first; then the rest by name.
 */
export function reviewRun(
  now: readonly ReviewUnit[],
  before: readonly ReviewUnit[] | undefined,
  thresholdPercent: number,
): RunReview {
  const beforeById = new Map((before ?? []).map((u) => [u.unit_id, u]));
  const nowIds = new Set(now.map((u) => u.unit_id));
  const units: UnitReview[] = [];
  const compare = (unit: ReviewUnit | undefined, prev: ReviewUnit | undefined) => {
    const a = byComponent(unit);
    const b = byComponent(prev);
    const components: ComponentChange[] = [];
    for (const component of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(component)?.amount ?? 0;
      const y = b.get(component)?.amount ?? 0;
      components.push({
        component,
        label: a.get(component)?.label ?? b.get(component)!.label,
        now_ore: x,
        before_ore: y,
        change_ore: x - y,
        change_percent: percent(x, y),
      });
    }
    return { nowTotal: total(a), beforeTotal: total(b), components };
  };
  for (const unit of now) {
    const prev = beforeById.get(unit.unit_id);
    const { nowTotal, beforeTotal, components } = compare(unit, prev);
    const flags: ReviewFlag[] = [];
    const known = before !== undefined && prev !== undefined;
    const change = known ? percent(nowTotal, beforeTotal) : null;
    if (before !== undefined && !prev) flags.push('new');
    if (known && (change === null || Math.abs(change) > thresholdPercent)) flags.push('threshold');
    if (nowTotal < 0) flags.push('negative');
    units.push({
      unit_id: unit.unit_id,
      name: unit.name,
      now_ore: nowTotal,
      before_ore: known ? beforeTotal : null,
      change_ore: known ? nowTotal - beforeTotal : null,
      change_percent: change,
      flags,
      components,
    });
  }
  for (const prev of before ?? []) {
    if (nowIds.has(prev.unit_id)) continue;
    const { beforeTotal, components } = compare(undefined, prev);
    units.push({
      unit_id: prev.unit_id,
      name: prev.name,
      now_ore: null,
      before_ore: beforeTotal,
      change_ore: -beforeTotal,
      change_percent: beforeTotal === 0 ? 0 : -100,
      flags: ['gone'],
      components,
    });
  }
  units.sort(
    (a, b) =>
      Number(b.flags.length > 0) - Number(a.flags.length > 0) ||
      (b.flags.length > 0
        ? Math.abs(b.change_ore ?? b.now_ore ?? 0) - Math.abs(a.change_ore ?? a.now_ore ?? 0)
        : 0) ||
      a.name.localeCompare(b.name, 'sv'),
  );
  return {
    threshold_percent: thresholdPercent,
    now_ore: units.reduce((s, u) => s + (u.now_ore ?? 0), 0),
    before_ore: before === undefined ? null : units.reduce((s, u) => s + (u.before_ore ?? 0), 0),
    units,
    flagged: units.filter((u) => u.flags.length > 0).length,
  };
}
