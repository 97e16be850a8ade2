import { formatDate, OPEN_END, type DateInt } from '../calendar.js';
import { memberLeaves, type Group } from '../procurement/lov-application.js';

/**
 * The contract decides the money: a unit is paid for a month only if a contract for it is in force
 * on the cut-off day (the month's first day), and a joint (group) contract's members share the
 * unit's total by their shares in force that day.
 */

/** Anslutningsform: how a provider is connected to public money. */
export const CONNECTION_FORMS = ['lov', 'lou', 'nss', 'national_tariff', 'egen_regi'] as const;
export type ConnectionForm = (typeof CONNECTION_FORMS)[number];

const FORM_SV: Record<ConnectionForm, string> = {
  lov: 'LOV',
  lou: 'LOU',
  nss: 'NSS',
  national_tariff: 'nationella taxan',
  egen_regi: 'egen regi',
};
export const connectionFormSv = (f: ConnectionForm): string => FORM_SV[f];

export interface Contract {
  id: string;
  /** The unit the contract is for; null for a registry contract covering every unit of the provider. */
  unitId: string | null;
  /** The lead (huvudman): the region's counterparty. */
  providerId: string;
  connectionForm: ConnectionForm;
  start: DateInt;
  /** The last day in force, inclusive; OPEN_END when open. */
  end: DateInt;
  /** Which rulebook pays it (for regions with several systems); a rulebook's later years included. */
  rulebookId?: string;
}

export interface ContractMember {
  contractId: string;
  providerId: string;
  /** Whole percent, as agreed when the contract was made. */
  sharePercent: number;
  /** The member's last day, inclusive; OPEN_END while it stays. */
  leftOn: DateInt;
}

export interface ContractRegistry {
  contracts: readonly Contract[];
  members: readonly ContractMember[];
}

export interface Share {
  providerId: string;
  sharePercent: number;
}

export type SharesOn = { inForce: true; shares: Share[] } | { inForce: false; leadLeftOn: DateInt };

/**
 * The members in force on a day and their shares: members who left before the day are gone and
 * their shares were spread over the others in proportion from the day after they left (one
 * departure at a time, in date order). The lead leaving ends the contract. A contract without
 * members is its lead's alone.
 */
export function sharesOn(contract: Contract, members: readonly ContractMember[], day: DateInt): SharesOn {
  const own = members.filter((m) => m.contractId === contract.id);
  if (own.length === 0)
    return { inForce: true, shares: [{ providerId: contract.providerId, sharePercent: 100 }] };
  const lead = own.find((m) => m.providerId === contract.providerId);
  if (lead && lead.leftOn < day) return { inForce: false, leadLeftOn: lead.leftOn };
  const departures = own
    .filter((m) => m.leftOn < day)
    .sort((a, b) => a.leftOn - b.leftOn || compare(a.providerId, b.providerId));
  let group: Group = {
    leadOrgNr: contract.providerId,
    members: own.map((m) => ({ orgNr: m.providerId, name: m.providerId, sharePercent: m.sharePercent })),
    onMemberLeaving: 'reallocate',
  };
  for (const leaver of departures) {
    const result = memberLeaves(group, leaver.providerId);
    // Only the lead leaving (handled above) or the last member leaving ends a reallocating group.
    if (result.outcome === 'contract_ends') return { inForce: false, leadLeftOn: leaver.leftOn };
    group = { ...group, members: result.members };
  }
  return {
    inForce: true,
    shares: group.members
      .map((m) => ({ providerId: m.orgNr, sharePercent: m.sharePercent }))
      .sort((a, b) => compare(a.providerId, b.providerId)),
  };
}

export interface Payee extends Share {
  amount_ore: number;
}

/**
 * A unit's total split by shares: every member gets its share rounded toward zero to the öre and
 * the lead takes what rounding leaves, so the amounts add up to the total exactly.
 */
export function splitAmount(totalOre: number, shares: readonly Share[], leadId: string): Payee[] {
  const payees = shares.map((s) => ({
    ...s,
    amount_ore: s.providerId === leadId ? 0 : Math.trunc((totalOre * s.sharePercent) / 100),
  }));
  const lead = payees.find((p) => p.providerId === leadId);
  const others = payees.reduce((sum, p) => sum + p.amount_ore, 0);
  if (lead) lead.amount_ore = totalOre - others;
  return payees.map((p) => ({ ...p, amount_ore: p.amount_ore === 0 ? 0 : p.amount_ore }));
}

/** What a run pays under: the rulebook's id and system ('vardval' or 'nss'). */
export interface Payer {
  rulebookId: string;
  system: 'vardval' | 'nss';
}

export interface UnitFacts {
  id: string;
  providerId: string;
  /** The main unit's id, for a branch (filial). */
  mainUnitId?: string;
}

export type UnitDecision =
  { paid: true; contract: Contract; shares: Share[] } | { paid: false; reason: string };

/** A rulebook id names a system and year (region/system/year); a contract naming it holds for later years too. */
function sameSystem(a: string, b: string): boolean {
  const family = (id: string) => id.split('/').slice(0, 2).join('/');
  return a === b || family(a) === family(b);
}

function coverage(contract: Contract, unit: UnitFacts): number {
  if (contract.unitId === unit.id) return 3;
  if (unit.mainUnitId !== undefined && contract.unitId === unit.mainUnitId) return 2;
  if (contract.unitId === null && contract.providerId === unit.providerId) return 1;
  return 0;
}

/**
 * Whether a unit is paid for the month whose cut-off day is `cutoff`, and by which contract: the
 * unit's own contract (or its main unit's, for a branch) in force that day, under the run's
 * rulebook. Unpaid units get the reason in Swedish.
 */
export function decideUnit(
  unit: UnitFacts,
  registry: ContractRegistry,
  cutoff: DateInt,
  payer: Payer,
): UnitDecision {
  const covering = registry.contracts.map((c) => ({ c, rank: coverage(c, unit) })).filter((x) => x.rank > 0);
  if (covering.length === 0) return { paid: false, reason: 'Inget avtal för enheten' };
  const inForce: { c: Contract; rank: number; shares: Share[] }[] = [];
  let ended: { c: Contract; on: DateInt; leadLeft: boolean } | undefined;
  let starting: Contract | undefined;
  for (const { c, rank } of covering) {
    if (c.start > cutoff) {
      if (!starting || c.start < starting.start) starting = c;
      continue;
    }
    const s =
      c.end < cutoff
        ? { inForce: false as const, leadLeftOn: OPEN_END }
        : sharesOn(c, registry.members, cutoff);
    if (c.end < cutoff || !s.inForce) {
      const on = Math.min(c.end, s.inForce ? OPEN_END : s.leadLeftOn);
      if (!ended || on > ended.on) ended = { c, on, leadLeft: on !== c.end };
      continue;
    }
    inForce.push({ c, rank, shares: s.shares });
  }
  if (inForce.length === 0) {
    const reasons: string[] = [];
    if (ended)
      reasons.push(
        `Avtal ${ended.c.id} upphörde ${formatDate(ended.on)}${ended.leadLeft ? ' (huvudmannen lämnade avtalet)' : ''}`,
      );
    if (starting) reasons.push(`avtal ${starting.id} börjar ${formatDate(starting.start)}`);
    const text = reasons.join('; ');
    return { paid: false, reason: text.charAt(0).toUpperCase() + text.slice(1) };
  }
  // The unit's own contract before its main unit's before the provider's; then the newest.
  inForce.sort((a, b) => b.rank - a.rank || b.c.start - a.c.start || compare(a.c.id, b.c.id));
  // A contract another rulebook pays (an NSS contract beside a LOV one) does not hide this one's.
  const chosen = inForce.find((x) => payerRefuses(x.c, payer) === undefined);
  if (!chosen) {
    // Every contract in force is refused: the first one's reason.
    const reason = inForce.map((x) => payerRefuses(x.c, payer)).find((r) => r !== undefined);
    return { paid: false, reason: reason ?? '' };
  }
  return { paid: true, contract: chosen.c, shares: chosen.shares };
}

function payerRefuses(c: Contract, payer: Payer): string | undefined {
  if (c.connectionForm === 'national_tariff')
    return `Avtal ${c.id} gäller nationella taxan och betalas inte enligt regelboken`;
  if (c.rulebookId) {
    return sameSystem(c.rulebookId, payer.rulebookId)
      ? undefined
      : `Avtal ${c.id} betalas enligt regelboken ${c.rulebookId}`;
  }
  const system = c.connectionForm === 'nss' ? 'nss' : 'vardval';
  if (system === payer.system) return undefined;
  return system === 'nss'
    ? `Avtal ${c.id} gäller NSS och betalas enligt en NSS-regelbok`
    : `Avtal ${c.id} (${FORM_SV[c.connectionForm]}) betalas enligt vårdvalets regelbok`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
