import { formatNumber } from '../../core/money.js';
import type { Statements, UnitStatement } from '../../core/engine/run.js';

/** A count with its noun in the right number: `countSv(1, 'enhet', 'enheter')` → `1 enhet`. */
export function countSv(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

const MONTHS_SV = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
];

/** `2025-03` → `mars 2025`; anything else unchanged. */
export function monthNameSv(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const name = m ? MONTHS_SV[Number(m[2]) - 1] : undefined;
  return m && name ? `${name} ${m[1]}` : month;
}

/** `2025-05-03` → `3 maj 2025`; anything else unchanged. */
export function dateSv(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const name = m ? MONTHS_SV[Number(m[2]) - 1] : undefined;
  return m && name ? `${Number(m[3])} ${name} ${m[1]}` : iso;
}

/** A ten-digit organisation number as `556554-5352`; anything else unchanged. */
export function formatOrgnr(id: string): string {
  return /^\d{10}$/.test(id) ? `${id.slice(0, 6)}-${id.slice(6)}` : id;
}

/**
 * The units to export: all in the statements' order, or the asked-for ones in the asked-for order
 * (each once). An unknown unit id is an error, not a silently shorter export.
 */
export function selectUnits(s: Statements, unitIds?: readonly string[]): UnitStatement[] {
  if (unitIds === undefined) return s.units;
  const byId = new Map(s.units.map((u) => [u.unit_id, u]));
  const missing = unitIds.filter((id) => !byId.has(id));
  if (missing.length > 0)
    throw new Error(`Enheten finns inte i underlaget för ${s.identity.month}: ${missing.join(', ')}`);
  return [...new Set(unitIds)].map((id) => byId.get(id)!);
}

/**
 * Every component that has a line for some unit, in the rulebook's order. Each unit's lines follow
 * the rulebook, so a component first seen in a later unit goes right after its predecessor there.
 */
export function componentColumns(units: readonly UnitStatement[]): { component: string; label: string }[] {
  const order: { component: string; label: string }[] = [];
  const seen = new Set<string>();
  for (const unit of units) {
    let after = -1;
    for (const line of unit.lines) {
      if (seen.has(line.component)) {
        after = order.findIndex((c) => c.component === line.component);
        continue;
      }
      seen.add(line.component);
      order.splice(after + 1, 0, { component: line.component, label: line.label });
      after += 1;
    }
  }
  return order;
}

/**
 * Where the run stands, printed on every export so a draft can never pass for an approved payment:
 * a draft is marked UTKAST, an approved run names its approver and the date.
 */
export type RunApproval =
  { status: 'draft' } | { status: 'approved' | 'superseded'; by: string | null; at: Date | null };

/** The approval's date as a Swedish reader reads it (the region's time zone). */
export function approvalDate(at: Date | null): string {
  return at ? at.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' }) : 'okänt datum';
}

/** One line saying where the run stands: `UTKAST – …` or `Godkänd för utbetalning 2025-04-03 av …`. */
export function approvalText(approval: RunApproval): string {
  if (approval.status === 'draft') return `${DRAFT_MARK} – inte godkänt för utbetalning, beloppen kan ändras`;
  const approved = `Godkänd för utbetalning ${approvalDate(approval.at)} av ${approval.by ?? 'okänd'}`;
  return approval.status === 'superseded' ? `${approved}, ersatt av en senare korrigering` : approved;
}

export const DRAFT_MARK = 'UTKAST';
