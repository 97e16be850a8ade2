import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OPEN_END, formatDate, parseDate, type DateInt } from '../../core/calendar.js';
import {
  CONNECTION_FORMS,
  type ConnectionForm,
  type Contract,
  type ContractMember,
  type ContractRegistry,
} from '../../core/contracts/contracts.js';
import type { InputFile, UnitTable } from '../../core/data/dataset.js';
import { checkOrganisationNumber } from '../../core/identity.js';
import { CsvSyntaxError, fieldColumn, fieldText, tokenizeCsvFile, type CsvRow } from './csv-tokenizer.js';
import { InputErrors, type LocatedError } from './located-error.js';

/**
 * The two optional files of a data folder that decide who is paid: contracts.csv (one row per
 * contract: unit, lead, connection form, period, rulebook) and contract_members.csv (a group
 * contract's members and their shares). Both are small, so they are read row by row.
 */

const CONTRACTS_FILE = 'contracts.csv';
const MEMBERS_FILE = 'contract_members.csv';

/** A row as named cells, with where each cell starts (for errors). */
interface Row {
  line: number;
  get(name: string): string;
  column(name: string): number;
}

function readRows(
  path: string,
  file: string,
  required: string[],
  errors: LocatedError[],
): { rows: Row[]; sha256: string } {
  const rows: Row[] = [];
  let index = new Map<string, number>();
  let headerOk = true;
  try {
    const result = tokenizeCsvFile(path, {
      onHeader(names) {
        index = new Map(names.map((n, i) => [n.trim().toLowerCase(), i]));
        for (const r of required)
          if (!index.has(r)) {
            headerOk = false;
            errors.push({
              file,
              line: 1,
              column: 1,
              where: r,
              code: 'data.missing_column',
              message: `Kolumnen ${r} saknas i rubrikraden`,
            });
          }
      },
      onRow(row: CsvRow) {
        if (!headerOk) return;
        const cells = new Map<string, { text: string; column: number }>();
        for (const [name, i] of index)
          cells.set(name, {
            text: i < row.count ? fieldText(row, i).trim() : '',
            column: fieldColumn(row, i),
          });
        rows.push({
          line: row.line,
          get: (name) => cells.get(name)?.text ?? '',
          column: (name) => cells.get(name)?.column ?? 1,
        });
      },
    });
    return { rows, sha256: result.sha256 };
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    errors.push({ file, line: error.line, code: 'data.csv_syntax', message: error.message });
    return { rows: [], sha256: '' };
  }
}

class RowChecker {
  constructor(
    private readonly file: string,
    private readonly errors: LocatedError[],
  ) {}

  fail(row: Row, name: string, code: string, message: string): void {
    this.errors.push({
      file: this.file,
      line: row.line,
      column: row.column(name),
      where: name,
      code,
      message,
    });
  }

  required(row: Row, name: string): string | undefined {
    const v = row.get(name);
    if (v === '') this.fail(row, name, 'data.required', `Värde saknas i ${name}`);
    return v === '' ? undefined : v;
  }

  orgNr(row: Row, name: string): string | undefined {
    const v = this.required(row, name);
    if (v !== undefined && !checkOrganisationNumber(v)) {
      this.fail(row, name, 'data.bad_orgnr', `Organisationsnumret ${v} har fel kontrollsiffra`);
      return undefined;
    }
    return v;
  }

  /** A date, OPEN_END when empty and optional; undefined after reporting an error. */
  date(row: Row, name: string, required: boolean): DateInt | undefined {
    const v = row.get(name);
    if (v === '') {
      if (required) this.fail(row, name, 'data.required', `Datum saknas i ${name} (ÅÅÅÅ-MM-DD)`);
      return required ? undefined : OPEN_END;
    }
    const d = parseDate(v);
    if (d === undefined)
      this.fail(
        row,
        name,
        'data.bad_date',
        `${name} ska vara ett datum ÅÅÅÅ-MM-DD, inte "${v.slice(0, 20)}"`,
      );
    return d;
  }
}

function readContracts(dir: string, units: UnitTable, errors: LocatedError[]) {
  const file = CONTRACTS_FILE;
  const { rows, sha256 } = readRows(
    join(dir, file),
    file,
    ['contract_id', 'unit_id', 'provider_id', 'connection_form', 'start_date'],
    errors,
  );
  const check = new RowChecker(file, errors);
  const unitIds = new Set(units.id);
  const contracts: (Contract & { line: number })[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const id = check.required(row, 'contract_id');
    const unitId = check.required(row, 'unit_id');
    const providerId = check.orgNr(row, 'provider_id');
    const form = row.get('connection_form');
    const formOk = (CONNECTION_FORMS as readonly string[]).includes(form);
    if (!formOk)
      check.fail(
        row,
        'connection_form',
        'data.bad_value',
        `connection_form ska vara ${CONNECTION_FORMS.join(', ')}, inte "${form}"`,
      );
    const start = check.date(row, 'start_date', true);
    const end = check.date(row, 'end_date', false);
    if (start !== undefined && end !== undefined && end < start)
      check.fail(row, 'end_date', 'data.bad_period', 'end_date ligger före start_date');
    if (unitId !== undefined && !unitIds.has(unitId))
      check.fail(row, 'unit_id', 'data.unknown_reference', `Enheten ${unitId} finns inte i units.csv`);
    if (id !== undefined && seen.has(id)) {
      check.fail(
        row,
        'contract_id',
        'data.duplicate_key',
        `Avtalet ${id} finns redan på rad ${seen.get(id)}`,
      );
      continue;
    }
    if (id === undefined || unitId === undefined || !providerId || !formOk || !start || !end) continue;
    seen.set(id, row.line);
    const rulebookId = row.get('rulebook_id');
    contracts.push({
      id,
      unitId,
      providerId,
      connectionForm: form as ConnectionForm,
      start,
      end,
      ...(rulebookId ? { rulebookId } : {}),
      line: row.line,
    });
  }
  // Two contracts for one unit at the same time would make the payment ambiguous.
  const byUnit = new Map<string, (Contract & { line: number })[]>();
  for (const c of contracts) byUnit.set(c.unitId!, [...(byUnit.get(c.unitId!) ?? []), c]);
  for (const list of byUnit.values()) {
    list.sort((a, b) => a.start - b.start);
    let before: (Contract & { line: number }) | undefined;
    for (const next of list) {
      if (before && next.start <= before.end)
        errors.push({
          file,
          line: next.line,
          where: 'start_date',
          code: 'data.overlapping_contracts',
          message: `Avtalet ${next.id} börjar ${formatDate(next.start)}, medan avtalet ${before.id} (rad ${before.line}) för samma enhet fortfarande gäller`,
        });
      before = next;
    }
  }
  return { contracts, file: { name: file, sha256, rows: rows.length } };
}

function readMembers(dir: string, contracts: (Contract & { line: number })[], errors: LocatedError[]) {
  const file = MEMBERS_FILE;
  const { rows, sha256 } = readRows(
    join(dir, file),
    file,
    ['contract_id', 'provider_id', 'share_percent'],
    errors,
  );
  const check = new RowChecker(file, errors);
  const byId = new Map(contracts.map((c) => [c.id, c]));
  const members: (ContractMember & { line: number })[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const contractId = check.required(row, 'contract_id');
    const providerId = check.orgNr(row, 'provider_id');
    const shareText = check.required(row, 'share_percent');
    const share = Number(shareText);
    const shareOk = shareText !== undefined && Number.isInteger(share) && share >= 1 && share <= 100;
    if (shareText !== undefined && !shareOk)
      check.fail(
        row,
        'share_percent',
        'data.bad_number',
        `share_percent är ett heltal 1–100 procent, inte "${shareText.slice(0, 20)}"`,
      );
    const leftOn = check.date(row, 'left_on', false);
    if (contractId !== undefined && !byId.has(contractId))
      check.fail(
        row,
        'contract_id',
        'data.unknown_reference',
        `Avtalet ${contractId} finns inte i contracts.csv`,
      );
    const key = `${contractId}\u0000${providerId}`;
    if (contractId !== undefined && providerId !== undefined && seen.has(key)) {
      check.fail(
        row,
        'provider_id',
        'data.duplicate_key',
        `${providerId} står redan som medlem i avtalet ${contractId}`,
      );
      continue;
    }
    seen.add(key);
    if (contractId === undefined || !providerId || !shareOk || leftOn === undefined) continue;
    members.push({ contractId, providerId, sharePercent: share, leftOn, line: row.line });
  }
  const byContract = new Map<string, (ContractMember & { line: number })[]>();
  for (const m of members) byContract.set(m.contractId, [...(byContract.get(m.contractId) ?? []), m]);
  for (const [id, list] of byContract) {
    const c = byId.get(id);
    const [first] = list;
    if (!c || !first) continue;
    const total = list.reduce((s, m) => s + m.sharePercent, 0);
    if (total !== 100)
      errors.push({
        file,
        line: first.line,
        where: 'share_percent',
        code: 'data.shares_sum',
        message: `Andelarna i avtalet ${id} summerar till ${total} procent, inte 100`,
      });
    if (!list.some((m) => m.providerId === c.providerId))
      errors.push({
        file,
        line: first.line,
        where: 'provider_id',
        code: 'data.lead_not_member',
        message: `Huvudmannen ${c.providerId} (contracts.csv rad ${c.line}) saknas bland medlemmarna i avtalet ${id}`,
      });
  }
  return { members, file: { name: file, sha256, rows: rows.length } };
}

/** The file line is for errors only. */
function withoutLine<T extends { line: number }>(row: T): Omit<T, 'line'> {
  const copy: Partial<T> = { ...row };
  delete copy.line;
  return copy as Omit<T, 'line'>;
}

/**
 * The folder's contracts and members, or undefined when it has no contracts.csv (then every active
 * unit is paid, as before). contract_members.csv without contracts.csv is an error.
 */
export function loadContracts(
  dir: string,
  units: UnitTable,
): { registry: ContractRegistry; files: InputFile[] } | undefined {
  const hasContracts = existsSync(join(dir, CONTRACTS_FILE));
  const hasMembers = existsSync(join(dir, MEMBERS_FILE));
  if (!hasContracts) {
    if (hasMembers)
      throw new InputErrors([
        {
          file: MEMBERS_FILE,
          code: 'data.missing_file',
          message: `${MEMBERS_FILE} kräver ${CONTRACTS_FILE}, som saknas i datamappen ${dir}`,
        },
      ]);
    return undefined;
  }
  const errors: LocatedError[] = [];
  const c = readContracts(dir, units, errors);
  const m = hasMembers ? readMembers(dir, c.contracts, errors) : undefined;
  if (errors.length > 0)
    throw new InputErrors(errors, `Avtalen i datamappen ${dir} innehåller fel; inget har beräknats`);
  return {
    registry: {
      contracts: c.contracts.map(withoutLine),
      members: (m?.members ?? []).map(withoutLine),
    },
    files: m ? [c.file, m.file] : [c.file],
  };
}

export type LoadedContracts = NonNullable<ReturnType<typeof loadContracts>>;
