import type { Statements } from '../../core/engine/run.js';
import { OWNERSHIP_SV } from '../../core/labels.js';
import { approvalText, formatOrgnr, selectUnits, type RunApproval } from './common.js';

/**
 * The month's statements as a CSV that Swedish Excel opens as it is: UTF-8 with a byte-order mark,
 * semicolons, Swedish headers, unit names, and kronor with a decimal comma (no thousands
 * separator, so Excel reads them as numbers). One row per line of each unit's statement.
 */

const HEADERS = [
  'HSA-id',
  'Enhet',
  'Organisationsnummer',
  'Ägarform',
  'Komponent',
  'Benämning',
  'Antal',
  'Belopp (kr)',
];

/** `-123456` öre → `-1234,56`. */
export function kronorDecimalComma(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

function numberDecimalComma(value: number): string {
  return String(value).replace('.', ',');
}

/**
 * A text cell: quoted when it holds a separator, a quote or a line break; text that Excel would
 * take for a formula (=, +, -, @) is kept as text with a leading apostrophe.
 */
export function excelCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function statementsCsvSv(
  s: Statements,
  options?: { unitIds?: string[]; approval?: RunApproval },
): string {
  const rows: string[] = [];
  // The run's standing first, on a line of its own: a draft can never pass for an approved payment.
  if (options?.approval) rows.push(excelCell(approvalText(options.approval)));
  rows.push(HEADERS.join(';'));
  for (const unit of selectUnits(s, options?.unitIds)) {
    for (const line of unit.lines)
      rows.push(
        [
          excelCell(unit.unit_id),
          excelCell(unit.name),
          excelCell(formatOrgnr(unit.provider_id)),
          OWNERSHIP_SV[unit.ownership],
          excelCell(line.component),
          excelCell(line.label),
          numberDecimalComma(line.quantity),
          kronorDecimalComma(line.amount_ore),
        ].join(';'),
      );
  }
  return `\ufeff${rows.join('\r\n')}\r\n`;
}
