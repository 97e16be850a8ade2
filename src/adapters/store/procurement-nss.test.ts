import { describe, expect, it } from 'vitest';
import { first, nth } from '../../test-support/nth.js';
import { importCase } from '../../test-support/store-cases.js';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { exampleNss } from '../demo/procurement-examples.js';
import { contractDetails, previewLeave, scoreWithMotivations, standstillOf } from './procurement-nss.js';
import {
  assessApplication,
  awardProcedure,
  contractMembersOf,
  createApplication,
  createProcedure,
  getApplication,
  getProcedure,
  publishProcedure,
  signProcedure,
  submitApplication,
} from './procurement.js';

const WHO = { actor: 'handlaggare', role: 'officer', origin: 'test' };
const A = '5560160680';
const C = '2021005489';

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`NSS pages' store steps on ${kind}`, () => {
    const store = useTestStore(kind);

    it('keeps motivations beside scores, dates the standstill past midsummer, and previews a member leaving without changing it', async () => {
      const db = store.conn.db;
      await importCase(db, { units: ['U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,'] });
      const proc = await createProcedure(db, exampleNss('2026-05-01', '2026-05-31'), WHO);
      await publishProcedure(db, proc.id, '2026-05-01', WHO);
      const app = await createApplication(
        db,
        proc.id,
        {
          providerId: A,
          applicantName: 'Geriatriken',
          group: {
            leadOrgNr: A,
            onMemberLeaving: 'terminate',
            members: [
              { orgNr: A, name: 'Geriatriken', sharePercent: 50 },
              { orgNr: C, name: 'Medlemmen', sharePercent: 50 },
            ],
          },
          units: [{ unit_id: 'U1', name: 'VC Ett' }],
          subcontractors: [],
        },
        WHO,
      );
      await submitApplication(db, app.id, '2026-05-20', WHO);
      const items = [
        { criterionId: 'tillganglighet', score: 5, motivation: 'Kvällsöppet' },
        { criterionId: 'kontinuitet', score: 4, motivation: 'Fast läkare' },
        { criterionId: 'samverkan', score: 3, motivation: 'Avtal med kommunen' },
      ];
      await expect(scoreWithMotivations(db, app.id, items.slice(0, 2), WHO)).rejects.toMatchObject({
        pointer: '/scores',
        message: 'Poäng saknas för Samverkan med kommunen',
      });
      await expect(
        scoreWithMotivations(db, app.id, [...items.slice(0, 2), { ...nth(items, 2), score: 9 }], WHO),
      ).rejects.toMatchObject({ pointer: '/scores/2/score' });
      // A refused score leaves no motivation behind.
      expect((await getApplication(db, app.id)).scoreReasons).toEqual({});
      await scoreWithMotivations(db, app.id, items, WHO);
      const scored = await getApplication(db, app.id);
      expect([scored.scores, scored.scoreReasons]).toEqual([
        { tillganglighet: 5, kontinuitet: 4, samverkan: 3 },
        { tillganglighet: 'Kvällsöppet', kontinuitet: 'Fast läkare', samverkan: 'Avtal med kommunen' },
      ]);
      await assessApplication(
        db,
        app.id,
        [
          { requirementId: 'U1', outcome: 'clear', evidence: 'Register', reason: 'Ingen dom' },
          { requirementId: 'K1', outcome: 'met', evidence: 'Bevis', reason: 'Geriatriker' },
        ],
        WHO,
      );
      // Sent Thursday 2026-06-04 by post: day 15 is midsummer eve, then midsummer day and Sunday.
      await awardProcedure(db, proc.id, { sentAt: '2026-06-04', electronic: false }, WHO);
      const s = standstillOf(await getProcedure(db, proc.id), '2026-06-22');
      expect(s).toMatchObject({
        nominal_last_day: '2026-06-19',
        last_day: '2026-06-22',
        earliest_signing: '2026-06-23',
        may_sign: false,
      });
      expect(s!.moved.map((m) => m.reason)).toEqual(['midsommarafton', 'midsommardagen', 'söndag']);
      expect(standstillOf(await getProcedure(db, proc.id), '2026-06-23')!.may_sign).toBe(true);

      const signed = await signProcedure(db, proc.id, '2026-06-23', '2026-07-01', WHO);
      const contractId = first(signed.contractIds);
      const leaving = await previewLeave(db, contractId, C, '2027-06-30');
      expect(leaving.outcome).toBe('contract_ends');
      expect(leaving.units.map((u) => u.consequence)).toEqual([
        'VC Ett omfattas inte längre av avtalet efter 2027-06-30; enheten lämnar valfrihetssystemet',
      ]);
      await expect(previewLeave(db, contractId, C, '2026-06-30')).rejects.toMatchObject({
        pointer: '/left_at',
      });
      expect((await contractMembersOf(db, contractId)).map((m) => m.leftAt)).toEqual([null, null]);
      const details = await contractDetails(db, contractId, '2032-07-01');
      expect(details!.term).toMatchObject({ end: '2033-06-30', reprocurement_from: '2032-06-30' });
      expect(details!.term!.warning).toContain('2033-06-30');
    });
  });
}
