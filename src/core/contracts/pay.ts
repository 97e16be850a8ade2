import { formatDate, OPEN_END, type MonthInt } from '../calendar.js';
import type { UnitTable } from '../data/dataset.js';
import { elementAt } from '../element.js';
import type { Statements, UnitStatement } from '../engine/run.js';
import {
  decideUnit,
  splitAmount,
  type ConnectionForm,
  type ContractRegistry,
  type Payee,
  type Payer,
} from './contracts.js';

/** The contract a unit was paid under, and how its total was split among the members. */
export interface UnitContract {
  contract_id: string;
  connection_form: ConnectionForm;
  /** The lead (huvudman). */
  provider_id: string;
  start_date: string;
  end_date?: string;
  payees: { provider_id: string; share_percent: number; amount_ore: number }[];
}

export interface UnpaidUnit {
  unit_id: string;
  reason: string;
}

/**
 * Keeps the units a contract in force on the cut-off day pays, unchanged, each with its contract
 * and split; every other unit is listed with the reason it is not paid. The run's total is the
 * paid units' total.
 */
export function payByContracts(
  statements: Statements,
  units: UnitTable,
  registry: ContractRegistry,
  month: MonthInt,
  system: Payer['system'],
): Statements {
  const cutoff = month * 100 + 1;
  const indexOf = new Map(units.id.map((id, i) => [id, i]));
  const paid: UnitStatement[] = [];
  const unpaid: UnpaidUnit[] = [];
  for (const s of statements.units) {
    const u = indexOf.get(s.unit_id)!;
    const main = units.branchOf[u] ?? -1;
    const decision = decideUnit(
      {
        id: s.unit_id,
        providerId: elementAt(units.providerId, u, 'provider id'),
        ...(main >= 0 ? { mainUnitId: elementAt(units.id, main, 'unit id') } : {}),
      },
      registry,
      cutoff,
      { rulebookId: s.rulebook ?? statements.identity.rulebook.id, system },
    );
    if (!decision.paid) {
      unpaid.push({ unit_id: s.unit_id, reason: decision.reason });
      continue;
    }
    const c = decision.contract;
    paid.push({
      ...s,
      contract: {
        contract_id: c.id,
        connection_form: c.connectionForm,
        provider_id: c.providerId,
        start_date: formatDate(c.start),
        ...(c.end === OPEN_END ? {} : { end_date: formatDate(c.end) }),
        payees: splitAmount(s.total_ore, decision.shares, c.providerId).map(payeeRow),
      },
    });
  }
  return {
    ...statements,
    units: paid,
    total_ore: paid.reduce((sum, s) => sum + s.total_ore, 0),
    unpaid_units: unpaid,
  };
}

/** The contract with `total` split among its members by the same shares (a correction pays its delta so). */
export function splitContract(contract: UnitContract, total: number): UnitContract {
  const shares = contract.payees.map((p) => ({ providerId: p.provider_id, sharePercent: p.share_percent }));
  return { ...contract, payees: splitAmount(total, shares, contract.provider_id).map(payeeRow) };
}

const payeeRow = (p: Payee) => ({
  provider_id: p.providerId,
  share_percent: p.sharePercent,
  amount_ore: p.amount_ore,
});

export interface PayeeRow {
  unit_id: string;
  provider_id: string;
  share_percent: number;
  amount_ore: number;
}

/** Who gets the money: one row per paid unit and member; a unit without a contract split is its provider's. */
export function payees(statements: Statements): PayeeRow[] {
  return statements.units.flatMap((s) =>
    s.contract
      ? s.contract.payees.map((p) => ({ unit_id: s.unit_id, ...p }))
      : [{ unit_id: s.unit_id, provider_id: s.provider_id, share_percent: 100, amount_ore: s.total_ore }],
  );
}
