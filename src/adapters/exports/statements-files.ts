import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { payees } from '../../core/contracts/pay.js';
import type { Statements } from '../../core/engine/run.js';

/** statements.json: stable key order and two-space indent, so equal runs give equal bytes. */
export function statementsJson(s: Statements): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

/** statements.csv: one row per unit and component, as spec/data-exchange.md says. */
export function statementsCsv(s: Statements): string {
  const rows = ['unit_id,component,quantity,amount_ore'];
  for (const unit of s.units) {
    for (const line of unit.lines)
      rows.push(`${csvCell(unit.unit_id)},${csvCell(line.component)},${line.quantity},${line.amount_ore}`);
  }
  return `${rows.join('\n')}\n`;
}

/**
 * payees.csv: who gets each paid unit's money, one row per member in force on the cut-off day (one
 * row of 100 percent for a single provider); a unit's rows add up to its total to the öre.
 */
function payeesCsv(s: Statements): string {
  const rows = ['unit_id,provider_id,share_percent,amount_ore'];
  for (const p of payees(s))
    rows.push(`${csvCell(p.unit_id)},${csvCell(p.provider_id)},${p.share_percent},${p.amount_ore}`);
  return `${rows.join('\n')}\n`;
}

export function csvCell(value: string): string {
  return /[",\n\r;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes all files or none visible: each goes to a temporary name first. */
export function writeStatements(dir: string, s: Statements): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['statements.json', statementsJson(s)],
    ['statements.csv', statementsCsv(s)],
    ['payees.csv', payeesCsv(s)],
  ];
  for (const [name, body] of files) writeFileSync(join(dir, `.${name}.tmp`), body);
  for (const [name] of files) renameSync(join(dir, `.${name}.tmp`), join(dir, name));
  return files.map(([name]) => join(dir, name));
}
