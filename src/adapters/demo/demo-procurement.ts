import { checkOrganisationNumber } from '../../core/identity.js';
import type { Db } from '../store/connection.js';
import { exampleLov, exampleNss } from './procurement-examples.js';
import {
  assessApplication,
  awardProcedure,
  createApplication,
  createProcedure,
  decideApplication,
  publishProcedure,
  scoreTender,
  signProcedure,
  submitApplication,
  type Who,
} from '../store/procurement.js';

/**
 * The demo region's procurement: a LOV choice system with an approved joint application (led by the
 * demo provider, so its login sees it) and a rejected single one, and an NSS assignment awarded on
 * quality and signed after the standstill, so the OCDS export is never empty. Units of the approved
 * application start after the demo's data months, so the payment runs are unchanged.
 */
const FYSIO = { orgNr: '5565475489', name: 'Fysioterapeuterna i Parken AB' };
const PSYKOLOG = { orgNr: '2021005489', name: 'Samtalsmottagningen ek. för.' };

const clear = (requirementId: string, evidence: string) => ({
  requirementId,
  outcome: 'clear' as const,
  evidence,
  reason: 'Ingen uteslutningsgrund föreligger',
});
const met = (requirementId: string, evidence: string) => ({
  requirementId,
  outcome: 'met' as const,
  evidence,
  reason: 'Kravet är uppfyllt',
});

export async function seedDemoProcurement(
  db: Db,
  lead: { providerId: string; name: string } | undefined,
  rulebookId: string | null,
  who: Who,
): Promise<{ lov: number; nss: number }> {
  const lov = await createProcedure(db, exampleLov(rulebookId, '2024-11-01'), who);
  await publishProcedure(db, lov.id, '2024-11-01', who);

  const leadOrg =
    lead && checkOrganisationNumber(lead.providerId)
      ? lead
      : { providerId: '5560160680', name: 'Vårdcentralen Exempel AB' };
  const group = await createApplication(
    db,
    lov.id,
    {
      providerId: leadOrg.providerId,
      applicantName: leadOrg.name,
      group: {
        leadOrgNr: leadOrg.providerId,
        onMemberLeaving: 'reallocate',
        members: [
          { orgNr: leadOrg.providerId, name: leadOrg.name, sharePercent: 60 },
          { orgNr: FYSIO.orgNr, name: FYSIO.name, sharePercent: 25 },
          { orgNr: PSYKOLOG.orgNr, name: PSYKOLOG.name, sharePercent: 15 },
        ],
      },
      units: [
        { unit_id: 'SE2321000016-LOV1', name: 'Vårdcentralen Parken', kommun: '2380' },
        {
          unit_id: 'SE2321000016-LOV1F',
          name: 'Parken filial Brunflo',
          kommun: '2380',
          branch_of: 'SE2321000016-LOV1',
        },
      ],
      subcontractors: [
        {
          unit_id: 'SE2321000016-LOV1',
          org_nr: '5567037485',
          name: 'Laboratoriet Norr AB',
          services: 'Provtagning och laboratorieanalyser',
        },
      ],
    },
    who,
  );
  await submitApplication(db, group.id, '2024-11-15', who);
  await assessApplication(
    db,
    group.id,
    [
      clear('U1', 'Utdrag från Bolagsverket för alla tre medlemmar'),
      clear('U2', 'Intyg från Skatteverket för alla tre medlemmar'),
      met('K1', 'Specialistbevis för verksamhetschefen'),
      met('K2', 'Öppettider 45 timmar per vecka'),
    ],
    who,
  );
  await decideApplication(
    db,
    group.id,
    {
      decision: 'approve',
      reason: 'Gruppen uppfyller alla kvalificeringskrav och ingen uteslutningsgrund föreligger',
      decidedAt: '2024-12-10',
      contractStart: '2026-01-01',
    },
    who,
  );

  const single = await createApplication(
    db,
    lov.id,
    { providerId: '5566118591', applicantName: 'Hälsohuset Syd AB', units: [], subcontractors: [] },
    who,
  );
  await submitApplication(db, single.id, '2024-11-20', who);
  await assessApplication(
    db,
    single.id,
    [
      clear('U1', 'Utdrag från Bolagsverket'),
      { ...clear('U2', 'Intyg från Skatteverket'), outcome: 'excluded', reason: 'Obetalda skatter' },
      met('K1', 'Specialistbevis'),
      { ...met('K2', 'Planerade öppettider'), outcome: 'not_met', reason: 'Öppet 38 timmar per vecka' },
    ],
    who,
  );
  await decideApplication(
    db,
    single.id,
    {
      decision: 'reject',
      reason: 'Uteslutningsgrund U2 föreligger och krav K2 (minst 45 timmar per vecka) är inte uppfyllt',
      decidedAt: '2024-12-12',
    },
    who,
  );

  const nss = await createProcedure(db, exampleNss('2025-03-01', '2025-03-31'), who);
  await publishProcedure(db, nss.id, '2025-03-01', who);
  const tenders = [
    {
      providerId: '5569876542',
      name: 'Geriatrikmottagningen Storsjön AB',
      scores: { tillganglighet: 5, kontinuitet: 4, samverkan: 4 },
    },
    {
      providerId: FYSIO.orgNr,
      name: FYSIO.name,
      scores: { tillganglighet: 3, kontinuitet: 4, samverkan: 3 },
    },
  ];
  for (const t of tenders) {
    const a = await createApplication(
      db,
      nss.id,
      {
        providerId: t.providerId,
        applicantName: t.name,
        units: [{ unit_id: `NSS-${t.providerId}`, name: t.name, kommun: '2380' }],
        subcontractors: [],
      },
      who,
    );
    await submitApplication(db, a.id, '2025-03-20', who);
    await assessApplication(
      db,
      a.id,
      [clear('U1', 'Utdrag ur belastningsregistret'), met('K1', 'Specialistbevis i geriatrik')],
      who,
    );
    await scoreTender(db, a.id, t.scores, who);
  }
  await awardProcedure(db, nss.id, { sentAt: '2025-04-08', electronic: true }, who);
  await signProcedure(db, nss.id, '2025-04-23', '2025-06-01', who);
  return { lov: lov.id, nss: nss.id };
}
