import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { capitationYaml } from '../../core/test-support/rulebook-yaml.js';
import { rulebookYaml, writeCaseFolder } from '../../test-support/cases.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UnitContract, UnpaidUnit } from '../../core/contracts/pay.js';
import type { StatementLine } from '../../core/engine/run.js';
import { PROJECT_ROOT, type Connection } from './connection.js';
import { endContract } from './contract-registry.js';
import { importFolder } from './import-batch.js';
import { leaveGroup } from './procurement.js';
import { createRun, runStatements } from './runs.js';
import { publishedRulebook } from '../../test-support/rulebooks.js';
import { approveAsSecondPerson } from '../../test-support/attest.js';
import * as t from './schema.js';
import { first, nth } from '../../test-support/nth.js';

/**
 * Stored runs pay by the registry's contracts: a unit without a contract in force gets nothing and
 * the run says why; a group contract's total is split by the members' shares; ending a contract or
 * the lead leaving stops payment from the next cut-off day.
 */

const LEAD = '5560160680';
const FYSIO = '5565475489';
const REGION = '2321000016';
const DATA = writeCaseFolder({
  units: [
    `U1,${LEAD},VC Ett,private,2361,2020-01-01,,,,`,
    `U2,${REGION},VC Två,public,2361,2020-01-01,,,,`,
    `U3,${FYSIO},VC Tre,private,2321,2020-01-01,,,,`,
  ],
  areas: ['A1,2361,1.2,tatort,5', 'A2,2321,0.8,glesbygd,80'],
  visits: ['V1,P5,U3,2027-03-10,fysioterapeut,fysiskt,,,'],
  listings: ['P1,U1', 'P2,U1', 'P3,U1', 'P4,U2', 'P5,U3'].map((p) => `${p},,1980-01-01,F,A1,2020-01-01,,`),
});
const RULEBOOK = rulebookYaml(capitationYaml(1200.12));
const WHO = { actor: 'handlaggare', role: 'officer' };

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`runs by contracts on ${kind}`, () => {
    const store = useTestStore(kind);
    let conn: Connection;
    let versionId: number;
    let batchId: number;
    let groupId: number;
    let ownId: number;
    /** A LOV contract for the unit from 2024, as the registry stores it; its id. */
    const lovContract = async (providerId: string, unitId: string) =>
      first(
        await conn.db
          .insert(t.contracts)
          .values({ providerId, unitId, connectionForm: 'lov', startDate: '2024-01-01' })
          .returning(),
      ).id;

    beforeAll(async () => {
      conn = store.conn;
      batchId = (await importFolder(conn.db, DATA, 'officer')).id;
      versionId = await publishedRulebook(conn.db, RULEBOOK, 'officer');
      groupId = await lovContract(LEAD, 'U1');
      await conn.db.insert(t.contractMembers).values([
        {
          contractId: groupId,
          orgNr: LEAD,
          name: 'VC Ett AB',
          sharePercent: 60,
          isLead: true,
          onLeaving: 'reallocate',
        },
        {
          contractId: groupId,
          orgNr: FYSIO,
          name: 'Fysio AB',
          sharePercent: 40,
          isLead: false,
          onLeaving: 'reallocate',
        },
      ]);
      ownId = await lovContract(REGION, 'U2');
    });

    const unpaidOf = async (runId: number) => {
      const run = first(await conn.db.select().from(t.paymentRuns).where(eq(t.paymentRuns.id, runId)));
      return run.unpaidUnits as UnpaidUnit[];
    };

    it('pays units with a contract in force, splits a group’s total and lists the others with the reason', async () => {
      const run = await createRun(conn.db, '2025-03', versionId, batchId, 'officer');
      const stored = await runStatements(conn.db, run.runId);
      expect(stored.map((s) => s.unitId)).toEqual(['U1', 'U2']);
      expect(await unpaidOf(run.runId)).toEqual([{ unit_id: 'U3', reason: 'Inget avtal för enheten' }]);
      const u1 = first(stored);
      const contract = u1.contract as UnitContract;
      expect(contract.contract_id).toBe(String(groupId));
      expect(contract.payees.map((p) => [p.provider_id, p.share_percent])).toEqual([
        [LEAD, 60],
        [FYSIO, 40],
      ]);
      expect(contract.payees.reduce((s, p) => s + p.amount_ore, 0)).toBe(u1.totalOre);
      expect((nth(stored, 1).contract as UnitContract).payees).toEqual([
        { provider_id: REGION, share_percent: 100, amount_ore: nth(stored, 1).totalOre },
      ]);
      expect(run.statements.identity.inputs.map((i) => i.file)).toContain(
        'registret: avtal och gruppmedlemmar',
      );
      await approveAsSecondPerson(conn.db, run.runId);
    });

    it('stops paying from the next cut-off day when a contract ends or the lead leaves', async () => {
      await endContract(conn.db, ownId, '2025-04-30', WHO);
      await leaveGroup(conn.db, groupId, LEAD, '2025-04-30', WHO);
      const april = await createRun(conn.db, '2025-04', versionId, batchId, 'officer');
      expect((await runStatements(conn.db, april.runId)).map((s) => s.unitId)).toEqual(['U1', 'U2']);
      const may = await createRun(conn.db, '2025-05', versionId, batchId, 'officer');
      expect(await runStatements(conn.db, may.runId)).toEqual([]);
      expect(await unpaidOf(may.runId)).toEqual([
        { unit_id: 'U1', reason: `Avtal ${groupId} upphörde 2025-04-30` },
        { unit_id: 'U2', reason: `Avtal ${ownId} upphörde 2025-04-30` },
        { unit_id: 'U3', reason: 'Inget avtal för enheten' },
      ]);
      const audit = await conn.db.select().from(t.auditLog).where(eq(t.auditLog.action, 'contract.end'));
      expect(audit.map((a) => a.target)).toEqual([`contract:${ownId}`]);
    });

    it('pays an NSS contract by the NSS rulebook it names, beside the vårdval run, with the state’s part in glesbygd', async () => {
      const nssYaml = readFileSync(join(PROJECT_ROOT, 'rulebooks', 'exempel', 'nss-2026.yaml'), 'utf8');
      const nssVersionId = await publishedRulebook(conn.db, nssYaml, 'officer');
      await conn.db.insert(t.contracts).values({
        providerId: FYSIO,
        unitId: 'U3',
        connectionForm: 'nss',
        rulebookId: 'exempel/nss/2026',
        startDate: '2026-01-01',
      });
      const run = await createRun(conn.db, '2027-03', nssVersionId, batchId, 'officer');
      const stored = await runStatements(conn.db, run.runId);
      expect(stored.map((s) => s.unitId)).toEqual(['U3']);
      const line = first(first(stored).lines as StatementLine[]);
      expect(line.explanation).toContain('Uppräknat med index 2027-01-01 +2 %');
      expect(line.payers!.state_ore + line.payers!.region_ore).toBe(line.amount_ore);
      expect(run.statements.payer_totals!.state_ore).toBe(line.payers!.state_ore);
      expect((await unpaidOf(run.runId)).map((u) => u.unit_id)).toEqual(['U1', 'U2']);
    });

    it('keeps the agreed shares, so a month before a member left is still split as agreed', async () => {
      const c = first(
        await conn.db
          .insert(t.contracts)
          .values({ providerId: FYSIO, unitId: 'U3', connectionForm: 'lov', startDate: '2025-01-01' })
          .returning(),
      );
      await conn.db.insert(t.contractMembers).values([
        {
          contractId: c.id,
          orgNr: FYSIO,
          name: 'Fysio AB',
          sharePercent: 50,
          isLead: true,
          onLeaving: 'reallocate',
        },
        {
          contractId: c.id,
          orgNr: LEAD,
          name: 'VC Ett AB',
          sharePercent: 30,
          isLead: false,
          onLeaving: 'reallocate',
        },
        {
          contractId: c.id,
          orgNr: REGION,
          name: 'Regionen',
          sharePercent: 20,
          isLead: false,
          onLeaving: 'reallocate',
        },
      ]);
      const left = await leaveGroup(conn.db, c.id, REGION, '2025-03-31', WHO);
      expect(left.members.filter((m) => !m.leftAt).map((m) => [m.orgNr, m.sharePercent])).toEqual([
        [LEAD, 37],
        [FYSIO, 63],
      ]);
      const split = async (month: string) => {
        const run = await createRun(conn.db, month, versionId, batchId, 'officer');
        const u3 = (await runStatements(conn.db, run.runId)).find((s) => s.unitId === 'U3')!;
        return (u3.contract as UnitContract).payees.map((p) => [p.provider_id, p.share_percent]);
      };
      expect(await split('2025-03')).toEqual([
        [REGION, 20],
        [LEAD, 30],
        [FYSIO, 50],
      ]);
      expect(await split('2025-04')).toEqual([
        [LEAD, 37],
        [FYSIO, 63],
      ]);
    });
  });
}
