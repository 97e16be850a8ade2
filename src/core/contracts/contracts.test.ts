import { describe, expect, it } from 'vitest';
import { OPEN_END, parseDate } from '../calendar.js';
import {
  decideUnit,
  sharesOn,
  splitAmount,
  type Contract,
  type ContractMember,
  type ContractRegistry,
} from './contracts.js';

const d = (s: string) => parseDate(s)!;
const LEAD = '5560160680';
const FYSIO = '5565475489';
const PSYK = '2021005489';

const contract = (over: Partial<Contract> = {}): Contract => ({
  id: 'A1',
  unitId: 'U1',
  providerId: LEAD,
  connectionForm: 'lov',
  start: d('2025-01-01'),
  end: OPEN_END,
  ...over,
});
const member = (providerId: string, sharePercent: number, leftOn = OPEN_END): ContractMember => ({
  contractId: 'A1',
  providerId,
  sharePercent,
  leftOn,
});
const group = [member(LEAD, 50), member(FYSIO, 30), member(PSYK, 20)];
const vardval = { rulebookId: 'exempel/vardval/2025', system: 'vardval' as const };
const unit = { id: 'U1', providerId: LEAD };
const registry = (contracts: Contract[], members: ContractMember[] = []): ContractRegistry => ({
  contracts,
  members,
});

describe('shares in force on a day', () => {
  it('is the lead alone when the contract has no members', () => {
    expect(sharesOn(contract(), [], d('2025-03-01'))).toEqual({
      inForce: true,
      shares: [{ providerId: LEAD, sharePercent: 100 }],
    });
  });

  it('keeps a leaving member until its last day, then spreads its share in proportion', () => {
    const members = [member(LEAD, 50), member(FYSIO, 30), member(PSYK, 20, d('2025-03-31'))];
    const before = sharesOn(contract(), members, d('2025-03-01'));
    expect(before.inForce && before.shares.map((s) => s.sharePercent)).toEqual([20, 50, 30]);
    const after = sharesOn(contract(), members, d('2025-04-01'));
    // 20 % over 50:30 → 12 and 7 (whole percent, rounded down), the remaining 1 to the lead.
    expect(after.inForce && after.shares).toEqual([
      { providerId: LEAD, sharePercent: 63 },
      { providerId: FYSIO, sharePercent: 37 },
    ]);
  });

  it('ends the contract the day after the lead leaves', () => {
    const members = [member(LEAD, 50, d('2025-05-31')), member(FYSIO, 50)];
    expect(sharesOn(contract(), members, d('2025-05-01')).inForce).toBe(true);
    expect(sharesOn(contract(), members, d('2025-06-01'))).toEqual({
      inForce: false,
      leadLeftOn: d('2025-05-31'),
    });
  });
});

describe('splitting a unit total', () => {
  it('adds up to the öre, the lead taking what rounding leaves', () => {
    const shares = [
      { providerId: LEAD, sharePercent: 50 },
      { providerId: FYSIO, sharePercent: 30 },
      { providerId: PSYK, sharePercent: 20 },
    ];
    const split = splitAmount(100_001, shares, LEAD);
    expect(split.map((p) => p.amount_ore)).toEqual([50_001, 30_000, 20_000]);
    for (const total of [1, 7, 99_999, -12_345, 0]) {
      const parts = splitAmount(total, shares, LEAD);
      expect(parts.reduce((s, p) => s + p.amount_ore, 0)).toBe(total);
    }
  });
});

describe('which unit is paid on the cut-off day', () => {
  it('pays a unit whose contract is in force, with its group split', () => {
    const r = decideUnit(unit, registry([contract()], group), d('2025-03-01'), vardval);
    expect(r.paid && r.shares.map((s) => [s.providerId, s.sharePercent])).toEqual([
      [PSYK, 20],
      [LEAD, 50],
      [FYSIO, 30],
    ]);
  });

  it('says why a unit is not paid: no contract, ended, not yet started', () => {
    const on = d('2025-03-01');
    expect(decideUnit(unit, registry([]), on, vardval)).toEqual({
      paid: false,
      reason: 'Inget avtal för enheten',
    });
    expect(decideUnit(unit, registry([contract({ end: d('2025-02-28') })]), on, vardval)).toEqual({
      paid: false,
      reason: 'Avtal A1 upphörde 2025-02-28',
    });
    expect(decideUnit(unit, registry([contract({ start: d('2025-04-01') })]), on, vardval)).toEqual({
      paid: false,
      reason: 'Avtal A1 börjar 2025-04-01',
    });
    const leadLeft = [member(LEAD, 50, d('2025-01-31')), member(FYSIO, 50)];
    expect(decideUnit(unit, registry([contract()], leadLeft), on, vardval)).toEqual({
      paid: false,
      reason: 'Avtal A1 upphörde 2025-01-31 (huvudmannen lämnade avtalet)',
    });
  });

  it('stops paying from the first cut-off day after the contract’s last day', () => {
    const ends = registry([contract({ end: d('2025-03-01') })]);
    expect(decideUnit(unit, ends, d('2025-03-01'), vardval).paid).toBe(true);
    expect(decideUnit(unit, ends, d('2025-04-01'), vardval).paid).toBe(false);
  });

  it('pays a branch by its main unit’s contract, and a provider-wide registry contract', () => {
    const branch = { id: 'U1F', providerId: LEAD, mainUnitId: 'U1' };
    expect(decideUnit(branch, registry([contract()]), d('2025-03-01'), vardval).paid).toBe(true);
    const wide = registry([contract({ unitId: null })]);
    expect(decideUnit({ id: 'U9', providerId: LEAD }, wide, d('2025-03-01'), vardval).paid).toBe(true);
    expect(decideUnit({ id: 'U9', providerId: FYSIO }, wide, d('2025-03-01'), vardval).paid).toBe(false);
  });

  it('leaves contracts of another system to their own rulebook', () => {
    const on = d('2025-03-01');
    const nss = registry([contract({ connectionForm: 'nss' })]);
    expect(decideUnit(unit, nss, on, vardval)).toMatchObject({
      paid: false,
      reason: expect.stringContaining('NSS'),
    });
    expect(decideUnit(unit, nss, on, { rulebookId: 'exempel/nss/2025', system: 'nss' }).paid).toBe(true);
    const tariff = registry([contract({ connectionForm: 'national_tariff' })]);
    expect(decideUnit(unit, tariff, on, vardval).paid).toBe(false);
    const named = registry([contract({ rulebookId: 'exempel/vardvalsystem-tatort/2025' })]);
    expect(decideUnit(unit, named, on, vardval)).toEqual({
      paid: false,
      reason: 'Avtal A1 betalas enligt regelboken exempel/vardvalsystem-tatort/2025',
    });
    // A contract naming last year's rulebook of the same system is paid by this year's.
    const lastYear = registry([contract({ rulebookId: 'exempel/vardval/2024' })]);
    expect(decideUnit(unit, lastYear, on, vardval).paid).toBe(true);
    const ownRegi = registry([contract({ connectionForm: 'egen_regi' })]);
    expect(decideUnit(unit, ownRegi, on, vardval).paid).toBe(true);
  });
});

describe('several contracts for one unit', () => {
  it('pays by the contract this rulebook pays, even when a newer one of another system is in force', () => {
    const both = registry([
      contract({ id: 'LOV', unitId: null }),
      contract({ id: 'NSS', unitId: null, connectionForm: 'nss', start: d('2025-02-01') }),
    ]);
    expect(decideUnit(unit, both, d('2025-03-01'), vardval)).toMatchObject({
      paid: true,
      contract: { id: 'LOV' },
    });
  });

  it('prefers the unit’s own contract to the provider’s', () => {
    const both = registry([
      contract({ id: 'WIDE', unitId: null }),
      contract({ id: 'OWN', start: d('2024-01-01') }),
    ]);
    expect(decideUnit(unit, both, d('2025-03-01'), vardval)).toMatchObject({
      paid: true,
      contract: { id: 'OWN' },
    });
  });
});
