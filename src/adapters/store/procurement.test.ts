import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { importCase } from '../../test-support/store-cases.js';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { PROJECT_ROOT, type Db } from './connection.js';
import { exampleLov, exampleNss } from '../demo/procurement-examples.js';
import {
  assessApplication,
  awardProcedure,
  contractMembersOf,
  createApplication,
  createProcedure,
  decideApplication,
  decideTransitional,
  evaluateProcedure,
  leaveGroup,
  procurementWarnings,
  publishProcedure,
  putActivity,
  requestTransitional,
  scoreTender,
  signProcedure,
  submitApplication,
} from './procurement.js';
import { publishRulebook, saveRulebookDraft } from './runs.js';
import * as t from './schema.js';
import { first, nth } from '../../test-support/nth.js';

const WHO = { actor: 'handlaggare', role: 'officer', origin: 'test' };
/** The officer's decision on a request for the transitional right, dated `day`. */
const decideRight = (db: Db, id: number, input: Parameters<typeof decideTransitional>[2], day: string) =>
  decideTransitional(db, id, input, WHO, day);
const A = '5560160680';
const B = '5565475489';
const C = '2021005489';
const clear = (id: string) => ({
  requirementId: id,
  outcome: 'clear' as const,
  evidence: 'Skatteverket',
  reason: 'Kontrollerat',
});
const met = (id: string) => ({
  requirementId: id,
  outcome: 'met' as const,
  evidence: 'Intyg',
  reason: 'Uppfyllt',
});

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`procurement on ${kind}`, () => {
    const store = useTestStore(kind);

    it('takes a group application from draft to a contract with members, registered units and subcontractors', async () => {
      const db = store.conn.db;
      await importCase(db, { units: ['U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,'] });
      await expect(
        createProcedure(db, exampleLov('exempel/vardval/2025', '2025-01-01'), WHO),
      ).rejects.toThrow(/finns inte som publicerad version/);
      const version = await saveRulebookDraft(
        db,
        readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2025.yaml'), 'utf8'),
        'test',
      );
      await publishRulebook(db, version.id);
      const lov = await createProcedure(db, exampleLov('exempel/vardval/2025', '2025-01-01'), WHO);
      await publishProcedure(db, lov.id, '2025-01-02', WHO);
      const app = await createApplication(
        db,
        lov.id,
        {
          providerId: A,
          applicantName: 'Ledande AB',
          group: {
            leadOrgNr: A,
            onMemberLeaving: 'reallocate',
            members: [
              { orgNr: A, name: 'Ledande AB', sharePercent: 50 },
              { orgNr: B, name: 'Fysio B AB', sharePercent: 30 },
              { orgNr: C, name: 'Psykolog C', sharePercent: 20 },
            ],
          },
          units: [
            { unit_id: 'G1', name: 'VC Gruppen', kommun: '2380' },
            { unit_id: 'G1F', name: 'Filial Gruppen', kommun: '2380', branch_of: 'G1' },
          ],
          subcontractors: [{ unit_id: 'G1', org_nr: '2321000016', name: 'Lab AB', services: 'Provtagning' }],
        },
        WHO,
      );
      expect(app.status).toBe('draft');
      await submitApplication(db, app.id, '2025-02-01', WHO);
      await assessApplication(db, app.id, [clear('U1'), clear('U2'), met('K1')], WHO);
      await expect(
        decideApplication(db, app.id, { decision: 'approve', reason: 'OK', decidedAt: '2025-02-20' }, WHO),
      ).rejects.toThrow(/obedömda: K2/);
      const assessed = await assessApplication(db, app.id, [met('K2')], WHO);
      expect(assessed.status).toBe('assessed');
      const d = await decideApplication(
        db,
        app.id,
        {
          decision: 'approve',
          reason: 'Alla krav uppfyllda',
          decidedAt: '2025-02-20',
          contractStart: '2025-04-01',
        },
        WHO,
      );
      expect(d.application.status).toBe('approved');
      expect(d.review.source).toContain('2008:962');
      const members = await contractMembersOf(db, d.contractId!);
      expect(members.map((m) => [m.orgNr, m.sharePercent, m.isLead])).toEqual([
        [C, 20, false],
        [A, 50, true],
        [B, 30, false],
      ]);
      const units = await db.select().from(t.units).where(eq(t.units.providerId, A));
      expect(units.map((u) => [u.unitId, u.branchOf, u.startDate]).sort()).toEqual([
        ['G1', null, '2025-04-01'],
        ['G1F', 'G1', '2025-04-01'],
        ['U1', null, '2020-01-01'],
      ]);
      const subs = await db.select().from(t.subcontractors).where(eq(t.subcontractors.providerId, A));
      expect(subs.map((s) => [s.unitId, s.status])).toEqual([['G1', 'approved']]);
      await expect(
        decideApplication(db, app.id, { decision: 'approve', reason: 'igen', decidedAt: '2025-02-21' }, WHO),
      ).rejects.toThrow(/godkänd kan inte godkännas/);

      // A member leaves: its share goes to the others.
      const left = await leaveGroup(db, d.contractId!, C, '2026-01-31', WHO);
      expect(left.outcome).toBe('reallocated');
      expect(left.members.filter((m) => !m.leftAt).map((m) => [m.orgNr, m.sharePercent])).toEqual([
        [A, 63],
        [B, 37],
      ]);
      // The lead leaves: the contract ends that day.
      expect((await leaveGroup(db, d.contractId!, A, '2026-06-30', WHO)).outcome).toBe('contract_ends');
      const contract = first(await db.select().from(t.contracts).where(eq(t.contracts.id, d.contractId!)));
      expect(contract.endDate).toBe('2026-06-30');
      const log = await db.select().from(t.auditLog);
      expect(log.map((l) => l.action)).toEqual(
        expect.arrayContaining([
          'application.create',
          'application.submit',
          'application.assess',
          'application.approved',
          'contract.create',
          'contract.member_left',
        ]),
      );
    });

    it('rejects a single applicant that fails a requirement, with reasons and review instructions', async () => {
      const db = store.conn.db;
      const lov = await createProcedure(db, exampleLov(null, '2025-01-01'), WHO);
      await publishProcedure(db, lov.id, '2025-01-02', WHO);
      const app = await createApplication(
        db,
        lov.id,
        { providerId: B, applicantName: 'Fysio B AB', units: [], subcontractors: [] },
        WHO,
      );
      await submitApplication(db, app.id, '2025-02-01', WHO);
      await assessApplication(
        db,
        app.id,
        [clear('U1'), { ...clear('U2'), outcome: 'excluded' }, met('K1'), met('K2')],
        WHO,
      );
      await expect(
        decideApplication(db, app.id, { decision: 'approve', reason: 'x', decidedAt: '2025-02-20' }, WHO),
      ).rejects.toThrow(/uppfyller inte U2/);
      const d = await decideApplication(
        db,
        app.id,
        { decision: 'reject', reason: 'Skatteskulder (U2)', decidedAt: '2025-02-20' },
        WHO,
      );
      expect(d.application.status).toBe('rejected');
      expect(d.contractId).toBeNull();
      expect(d.review.text).toContain('tre veckor');

      // A single applicant that meets every requirement is approved into a contract of its own.
      const solo = await createApplication(
        db,
        lov.id,
        {
          providerId: C,
          applicantName: 'Ensam vårdcentral',
          units: [{ unit_id: 'S1', name: 'VC Ensam', kommun: '2380' }],
          subcontractors: [],
        },
        WHO,
      );
      await submitApplication(db, solo.id, '2025-02-02', WHO);
      await assessApplication(db, solo.id, [clear('U1'), clear('U2'), met('K1'), met('K2')], WHO);
      const ok = await decideApplication(
        db,
        solo.id,
        { decision: 'approve', reason: 'Alla krav uppfyllda', decidedAt: '2025-02-21' },
        WHO,
      );
      const contract = first(await db.select().from(t.contracts).where(eq(t.contracts.id, ok.contractId!)));
      expect([contract.providerId, contract.connectionForm, contract.startDate, contract.unitId]).toEqual([
        C,
        'lov',
        '2025-02-21',
        'S1',
      ]);
      expect(await contractMembersOf(db, contract.id)).toEqual([]);
    });

    it('runs an NSS assignment from notice to a signed 7-year contract, refusing signing during standstill', async () => {
      const db = store.conn.db;
      const nss = await createProcedure(db, exampleNss('2025-03-01', '2025-03-31'), WHO);
      await expect(
        createProcedure(
          db,
          {
            ...exampleNss('2025-03-01', '2025-03-31'),
            criteria: [{ id: 'pris', name: 'Pris', weight: 100, maxScore: 5 }],
          },
          WHO,
        ),
      ).rejects.toThrow(/aldrig på pris/);
      await publishProcedure(db, nss.id, '2025-03-01', WHO);
      const tenders = [];
      for (const [org, name] of [
        [A, 'Geriatrik A'],
        [B, 'Geriatrik B'],
      ] as const) {
        const a = await createApplication(
          db,
          nss.id,
          {
            providerId: org,
            applicantName: name,
            units: [{ unit_id: `N-${org}`, name }],
            subcontractors: [],
          },
          WHO,
        );
        await submitApplication(db, a.id, '2025-03-20', WHO);
        await assessApplication(db, a.id, [clear('U1'), met('K1')], WHO);
        tenders.push(a.id);
      }
      await scoreTender(db, first(tenders), { tillganglighet: 4, kontinuitet: 4, samverkan: 3 }, WHO);
      await scoreTender(db, nth(tenders, 1), { tillganglighet: 4, kontinuitet: 4, samverkan: 3 }, WHO);
      const tied = await evaluateProcedure(db, nss.id);
      expect(tied).toMatchObject({
        ok: true,
        winners: [],
        tie: { tenderIds: tenders.map(String), places: 1 },
      });
      await expect(
        awardProcedure(db, nss.id, { sentAt: '2025-04-08', electronic: true }, WHO),
      ).rejects.toThrow(/lika poäng/);
      await scoreTender(db, nth(tenders, 1), { tillganglighet: 5, kontinuitet: 4, samverkan: 3 }, WHO);
      // Sent on 2025-04-08: the tenth day is Good Friday, so the standstill runs to Tuesday after Easter.
      const award = await awardProcedure(db, nss.id, { sentAt: '2025-04-08', electronic: true }, WHO);
      expect(award.procedure.standstillLastDay).toBe('2025-04-22');
      expect(award.procedure.earliestSigning).toBe('2025-04-23');
      expect(award.procedure.awardedIds).toEqual([tenders[1]]);
      await expect(signProcedure(db, nss.id, '2025-04-22', '2025-05-01', WHO)).rejects.toThrow(
        /Avtalsspärr råder till och med 2025-04-22; avtal får tecknas tidigast 2025-04-23/,
      );
      const signed = await signProcedure(db, nss.id, '2025-04-23', '2025-05-01', WHO);
      expect(signed.end).toBe('2032-04-30');
      expect(signed.reprocurementWarning).toBe('2031-04-30');
      const c = first(
        await db
          .select()
          .from(t.contracts)
          .where(eq(t.contracts.id, first(signed.contractIds))),
      );
      expect([c.providerId, c.connectionForm, c.endDate]).toEqual([B, 'nss', '2032-04-30']);
      await expect(signProcedure(db, nss.id, '2025-04-24', '2025-05-01', WHO)).rejects.toThrow(
        /bara en gång/,
      );
      const warnings = await procurementWarnings(db, '2031-05-01');
      expect(warnings.map((w) => w.contract_id)).toContain(c.id);
      expect(await procurementWarnings(db, '2031-04-29')).not.toContainEqual(
        expect.objectContaining({ contract_id: c.id }),
      );
    });

    it('grants the transitional right at exactly 12 of 24 months and refuses it at 11', async () => {
      const db = store.conn.db;
      const provider = '5566778899';
      const ask = (today: string) =>
        requestTransitional(
          db,
          {
            providerId: provider,
            providerName: 'Fysio Nord',
            profession: 'physiotherapist',
            orientation: 'ortopedisk fysioterapi',
            tariffEnds: '2026-12-31',
          },
          WHO,
          today,
        );
      const months = Array.from({ length: 24 }, (_, i) => ({
        month: `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
        fullTime: i % 2 === 0,
        onNationalTariff: true,
      }));
      // 11 full-time months: asked, and the officer cannot grant it.
      await putActivity(db, provider, [...months.slice(1), { ...first(months), fullTime: false }], WHO);
      const no = await ask('2026-10-01');
      expect([no.status, no.eligible, no.contractId]).toEqual(['requested', false, null]);
      await expect(decideRight(db, no.id, { decision: 'grant', reason: 'Ja' }, '2026-10-05')).rejects.toThrow(
        /11 av de senaste 24/,
      );
      const refused = await decideRight(
        db,
        no.id,
        { decision: 'refuse', reason: 'För få månader på heltid' },
        '2026-10-05',
      );
      expect([refused.status, refused.decidedAt, refused.contractId]).toEqual([
        'refused',
        '2026-10-05',
        null,
      ]);
      // The region corrects the evidence: 12 months; a new request is granted.
      await putActivity(db, provider, months, WHO);
      const yes = await ask('2026-10-10');
      expect(yes.eligible).toBe(true);
      expect((yes.result as { counted_months: string[] }).counted_months).toHaveLength(12);
      expect(yes.contractId).toBeNull();
      const granted = await decideRight(
        db,
        yes.id,
        { decision: 'grant', reason: 'Rätt enligt registrerad verksamhet' },
        '2026-10-12',
      );
      expect([granted.status, granted.decidedAt]).toEqual(['granted', '2026-10-12']);
      const contract = first(
        await db.select().from(t.contracts).where(eq(t.contracts.id, granted.contractId!)),
      );
      expect([contract.connectionForm, contract.startDate, contract.endDate]).toEqual([
        'nss',
        '2027-01-01',
        '2033-12-31',
      ]);
    });

    it('grants the transitional right once, only on recorded national-tariff months, and ends the tariff contract', async () => {
      const db = store.conn.db;
      const provider = '5567037485';
      const ask = () =>
        requestTransitional(
          db,
          {
            providerId: provider,
            providerName: 'Dr Tariff AB',
            profession: 'doctor',
            orientation: 'allmänmedicin',
            tariffEnds: '2026-12-31',
          },
          WHO,
          '2026-11-02',
        );
      const contractsOf = async () =>
        (await db.select().from(t.contracts).where(eq(t.contracts.providerId, provider))).sort(
          (a, b) => a.id - b.id,
        );
      // Without national-tariff months recorded by the region, nothing can be asked.
      await expect(ask()).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/inga månader/),
      });
      const tariff = nth(
        await db
          .insert(t.contracts)
          .values({ providerId: provider, connectionForm: 'national_tariff', startDate: '2010-01-01' })
          .returning(),
        0,
      );
      await putActivity(
        db,
        provider,
        Array.from({ length: 24 }, (_, i) => ({
          month: `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
          fullTime: true,
          onNationalTariff: true,
        })),
        WHO,
      );
      const first = await ask();
      expect(first.requestedAt).toBe('2026-11-02');
      await expect(ask()).rejects.toThrow(/väntar redan/);
      const granted = await decideRight(db, first.id, { decision: 'grant', reason: 'Rätt' }, '2026-11-20');
      await expect(
        decideRight(db, first.id, { decision: 'refuse', reason: 'Ändrat' }, '2026-11-21'),
      ).rejects.toThrow(/avgörs en gång/);
      await expect(ask()).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/beviljades redan 2026-11-20.*en gång per vårdgivare/),
      });
      const after = await contractsOf();
      expect(after.map((c) => [c.id, c.connectionForm, c.startDate, c.endDate])).toEqual([
        [tariff.id, 'national_tariff', '2010-01-01', '2026-12-31'],
        [granted.contractId, 'nss', '2027-01-01', '2033-12-31'],
      ]);
      const requests = await db
        .select()
        .from(t.transitionalRequests)
        .where(eq(t.transitionalRequests.providerId, provider));
      expect(requests.map((r) => r.status)).toEqual(['granted']);
      // Even written past the checks, the store holds one grant per provider.
      await expect(
        db.insert(t.transitionalRequests).values({
          ...nth(requests, 0),
          id: undefined,
          createdAt: undefined,
        }),
      ).rejects.toThrow();
    });
  });
}
