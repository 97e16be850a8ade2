import { and, asc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import { addDays, formatDate, formatMonth, parseDate, parseMonth } from '../../../core/calendar.js';
import { nssContractTerm } from '../../../core/procurement/contract-term.js';
import { transitionalEligibility, type Profession } from '../../../core/procurement/transitional.js';
import type { Db } from '../connection.js';
import * as t from '../schema.js';
import { audit, auditableId, inTx, type Who } from './shared.js';
import { conflictOnDuplicate, StoreError } from '../store-error.js';
import { returned } from '../returned.js';

/**
 * The NSS transitional right on the store. National-tariff activity is evidence the region records;
 * a provider asks, an officer decides once, and a provider is granted the right at most once.
 */

export type TransitionalRow = typeof t.transitionalRequests.$inferSelect;

export async function putActivity(
  db: Db,
  providerId: string,
  months: { month: string; fullTime: boolean; onNationalTariff: boolean }[],
  who: Who,
) {
  months.forEach((m, i) => {
    if (parseMonth(m.month) === undefined)
      throw new StoreError('invalid', 'Månaden skrivs ÅÅÅÅ-MM', `/months/${i}/month`);
  });
  return inTx(db, async (tx) => {
    for (const m of months)
      await tx
        .insert(t.activityRecords)
        .values({ providerId, month: m.month, fullTime: m.fullTime, onNationalTariff: m.onNationalTariff })
        .onConflictDoUpdate({
          target: [t.activityRecords.providerId, t.activityRecords.month],
          set: { fullTime: m.fullTime, onNationalTariff: m.onNationalTariff },
        });
    await audit(tx, who, 'activity.record', `provider:${auditableId(providerId)}`, { months: months.length });
    return months.length;
  });
}

export async function activityOf(db: Db, providerId: string) {
  return db
    .select()
    .from(t.activityRecords)
    .where(eq(t.activityRecords.providerId, providerId))
    .orderBy(asc(t.activityRecords.month));
}

export async function listTransitionalRequests(db: Db): Promise<TransitionalRow[]> {
  return db.select().from(t.transitionalRequests).orderBy(asc(t.transitionalRequests.id));
}

/** The eligibility from the activity records as they stand, in the stored (API) shape. */
async function eligibilityOf(tx: Db, providerId: string, profession: string, tariffEnds: string) {
  const activity = (await activityOf(tx, providerId)).map((a) => ({
    month: parseMonth(a.month)!,
    fullTime: a.fullTime,
    onNationalTariff: a.onNationalTariff,
  }));
  const result = transitionalEligibility({ profession, tariffEnds: parseDate(tariffEnds)!, activity });
  return {
    eligible: result.eligible,
    reasons: result.reasons,
    stored: {
      eligible: result.eligible,
      window: { from: formatMonth(result.window.from), to: formatMonth(result.window.to) },
      counted_months: result.countedMonths.map(formatMonth),
      not_counted_months: result.notCountedMonths.map((m) => ({
        month: formatMonth(m.month),
        reason: m.reason,
      })),
      reasons: result.reasons,
      explanation: result.explanation,
    },
  };
}

const granted = (r: TransitionalRow) =>
  `Övergångsrätten beviljades redan${r.decidedAt ? ` ${r.decidedAt}` : ''} (begäran ${r.id}, avtal ${r.contractId}); den ges en gång per vårdgivare`;

/**
 * A national-tariff practitioner asks to join NSS under the transitional right. Refused when the
 * right is already granted or a request is waiting, and when the region has recorded no month on
 * the national tariff. The request makes no contract: an officer decides it.
 */
export async function requestTransitional(
  db: Db,
  input: {
    providerId: string;
    providerName: string;
    profession: Profession;
    orientation: string;
    tariffEnds: string;
  },
  who: Who,
  today: string,
): Promise<TransitionalRow> {
  // Two requests racing: the partial unique indexes decide.
  return conflictOnDuplicate('Vårdgivaren har redan en begäran om övergångsrätt', () =>
    inTx(db, async (tx) => {
      const earlier = await tx
        .select()
        .from(t.transitionalRequests)
        .where(
          and(
            eq(t.transitionalRequests.providerId, input.providerId),
            inArray(t.transitionalRequests.status, ['granted', 'requested']),
          ),
        );
      const grant = earlier.find((r) => r.status === 'granted');
      if (grant) throw new StoreError('conflict', granted(grant));
      const open = earlier.find((r) => r.status === 'requested');
      if (open)
        throw new StoreError(
          'conflict',
          `En begäran om övergångsrätt (nr ${open.id}) väntar redan på handläggarens beslut`,
        );
      const tariffMonths = (await activityOf(tx, input.providerId)).filter((a) => a.onNationalTariff);
      if (tariffMonths.length === 0)
        throw new StoreError(
          'conflict',
          'Regionen har inga månader enligt nationella taxan registrerade för vårdgivaren; övergångsrätt kan begäras först när verksamheten är registrerad',
        );
      const e = await eligibilityOf(tx, input.providerId, input.profession, input.tariffEnds);
      const row = await tx
        .insert(t.transitionalRequests)
        .values({
          providerId: input.providerId,
          providerName: input.providerName,
          profession: input.profession,
          orientation: input.orientation,
          tariffEnds: input.tariffEnds,
          eligible: e.eligible,
          result: { ...e.stored, orientation: input.orientation, contract: null },
          status: 'requested',
          requestedAt: today,
          createdBy: who.actor,
        })
        .returning()
        .then(returned);
      await audit(tx, who, 'transitional.request', `transitional:${row.id}`, {
        provider: auditableId(input.providerId),
        eligible: e.eligible,
        requestedAt: today,
      });
      return row;
    }),
  );
}

export interface TransitionalDecision {
  decision: 'grant' | 'refuse';
  reason: string;
}

/**
 * The officer's decision, once. Granting needs the right by the activity records as they stand
 * (the region cannot refuse an eligible practitioner on the records, but may refuse with a stated
 * reason, e.g. the profession not verified). A grant makes the 7-year NSS contract from the day
 * after the tariff ends, and ends the provider's national-tariff contract the day before.
 */
export async function decideTransitional(
  db: Db,
  id: number,
  input: TransitionalDecision,
  who: Who,
  today: string,
): Promise<TransitionalRow> {
  // Two requests racing: the partial unique indexes decide.
  return conflictOnDuplicate('Övergångsrätten är redan beviljad för vårdgivaren', () =>
    inTx(db, async (tx) => {
      const [req] = await tx.select().from(t.transitionalRequests).where(eq(t.transitionalRequests.id, id));
      if (!req) throw new StoreError('not_found', `Begäran om övergångsrätt ${id} finns inte`);
      if (req.status !== 'requested')
        throw new StoreError(
          'conflict',
          `Begäran är redan avgjord (${req.status === 'granted' ? 'beviljad' : 'avslagen'}${req.decidedAt ? ` ${req.decidedAt}` : ''}); den avgörs en gång`,
        );
      const e = await eligibilityOf(tx, req.providerId, req.profession, req.tariffEnds);
      let contractId: number | null = null;
      let contract: { start: string; end: string; ended_national_tariff: number[] } | null = null;
      if (input.decision === 'grant') {
        if (!e.eligible)
          throw new StoreError(
            'conflict',
            `Övergångsrätten kan inte beviljas enligt regionens registrerade verksamhet: ${e.reasons.join('; ')}`,
            '/decision',
          );
        const start = formatDate(addDays(parseDate(req.tariffEnds)!, 1));
        const end = formatDate(nssContractTerm(parseDate(start)!).end);
        const c = await tx
          .insert(t.contracts)
          .values({
            providerId: req.providerId,
            connectionForm: 'nss',
            startDate: start,
            endDate: end,
            createdBy: who.actor,
          })
          .returning()
          .then(returned);
        contractId = c.id;
        // The national-tariff contract ends the day before the NSS contract starts.
        const ended = await tx
          .update(t.contracts)
          .set({ endDate: req.tariffEnds })
          .where(
            and(
              eq(t.contracts.providerId, req.providerId),
              eq(t.contracts.connectionForm, 'national_tariff'),
              lte(t.contracts.startDate, req.tariffEnds),
              or(isNull(t.contracts.endDate), gt(t.contracts.endDate, req.tariffEnds)),
            ),
          )
          .returning({ id: t.contracts.id });
        contract = { start, end, ended_national_tariff: ended.map((x) => x.id) };
        await tx
          .insert(t.providers)
          .values({ id: req.providerId, name: req.providerName })
          .onConflictDoNothing();
        await audit(tx, who, 'contract.sign', `contract:${c.id}`, {
          transitional: id,
          signedAt: today,
          end,
          endedNationalTariff: contract.ended_national_tariff,
        });
      }
      const [row] = await tx
        .update(t.transitionalRequests)
        .set({
          status: input.decision === 'grant' ? 'granted' : 'refused',
          eligible: e.eligible,
          result: { ...e.stored, orientation: req.orientation, contract },
          contractId,
          decidedAt: today,
          decidedBy: who.actor,
          decisionReason: input.reason,
        })
        .where(and(eq(t.transitionalRequests.id, id), eq(t.transitionalRequests.status, 'requested')))
        .returning();
      if (!row) throw new StoreError('conflict', 'Begäran avgjordes samtidigt av någon annan');
      await audit(tx, who, `transitional.${row.status}`, `transitional:${id}`, {
        reason: input.reason,
        eligible: e.eligible,
        contractId,
        decidedAt: today,
      });
      return row;
    }),
  );
}
