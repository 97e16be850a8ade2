import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

export function csvCell(value: string): string {
  return /[",\n\r;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes both files or neither visible: each goes to a temporary name first. */
export function writeStatements(dir: string, s: Statements): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['statements.json', statementsJson(s)],
    ['statements.csv', statementsCsv(s)],
  ];
  for (const [name, body] of files) writeFileSync(join(dir, `.${name}.tmp`), body);
  for (const [name] of files) renameSync(join(dir, `.${name}.tmp`), join(dir, name));
  return files.map(([name]) => join(dir, name));
}
