import { eq } from 'drizzle-orm';
import { formatDate, parseDate } from '../../../core/calendar.js';
import { nssContractTerm } from '../../../core/procurement/contract-term.js';
import type { Group } from '../../../core/procurement/lov-application.js';
import { evaluateTenders, type Criterion } from '../../../core/procurement/nss-evaluation.js';
import type { Requirement } from '../../../core/procurement/requirements.js';
import { maySign, standstill } from '../../../core/procurement/standstill.js';
import type { Db } from '../connection.js';
import * as t from '../schema.js';
import { audit, inTx, type Who } from './shared.js';
import { getProcedure, type ProcedureRow } from './procedures.js';
import { assessmentsOf, getApplication, listApplications, type ApplicationUnit } from './applications.js';
import { insertMembers } from './contracts.js';
import { StoreError } from '../store-error.js';
import { returned } from '../returned.js';

/** NSS awards: evaluation on quality, the award decision with its standstill, and signing after it. */

async function tendersOf(tx: Db, proc: ProcedureRow) {
  const apps = (await listApplications(tx, proc.id)).filter((a) =>
    ['submitted', 'assessed', 'awarded', 'not_awarded'].includes(a.status),
  );
  return Promise.all(
    apps.map(async (a) => ({
      id: String(a.id),
      tendererName: a.applicantName,
      assessments: await assessmentsOf(tx, a.id),
      scores: a.scores as Record<string, number>,
    })),
  );
}

export async function evaluateProcedure(db: Db, id: number) {
  const proc = await getProcedure(db, id);
  if (proc.kind !== 'nss')
    throw new StoreError('conflict', 'Bara NSS-upphandlingar utvärderas mot kriterier');
  return evaluateTenders(
    proc.requirements as Requirement[],
    proc.criteria as Criterion[],
    await tendersOf(db, proc),
    proc.places,
  );
}

export interface AwardInput {
  sentAt: string;
  electronic: boolean;
  /** Only when the evaluation reports a tie: the officer's choice among the tied, with a stated reason. */
  tieBreak?: { tenderIds: number[]; reason: string };
}

/** The award decision (tilldelningsbeslut), sent to every tenderer; the standstill starts. */
export async function awardProcedure(db: Db, id: number, input: AwardInput, who: Who) {
  return inTx(db, async (tx) => {
    const proc = await getProcedure(tx, id);
    if (proc.kind !== 'nss') throw new StoreError('conflict', 'Bara NSS-upphandlingar tilldelas');
    if (proc.status !== 'published')
      throw new StoreError('conflict', 'Upphandlingen är inte publicerad eller redan tilldelad');
    const result = evaluateTenders(
      proc.requirements as Requirement[],
      proc.criteria as Criterion[],
      await tendersOf(tx, proc),
      proc.places,
    );
    if (!result.ok) throw new StoreError('conflict', result.errors.map((e) => e.message).join('; '));
    let winners = result.winners;
    let reason = 'Högst viktad kvalitetspoäng';
    if (result.tie) {
      const chosen = (input.tieBreak?.tenderIds ?? []).map(String);
      if (
        !input.tieBreak?.reason.trim() ||
        chosen.length !== result.tie.places ||
        chosen.some((c) => !result.tie!.tenderIds.includes(c))
      )
        throw new StoreError(
          'conflict',
          `Anbuden ${result.tie.tenderIds.join(', ')} har lika poäng om ${result.tie.places} plats(er); välj bland dem i tie_break med en motivering`,
          '/tie_break',
        );
      winners = [...winners, ...chosen];
      reason = `Lika poäng mellan ${result.tie.tenderIds.join(', ')}; handläggarens val: ${input.tieBreak.reason}`;
    }
    if (winners.length === 0) throw new StoreError('conflict', 'Inget kvalificerat anbud finns att tilldela');
    const sent = parseDate(input.sentAt)!;
    const s = standstill(sent, input.electronic);
    const row = await tx
      .update(t.procedures)
      .set({
        status: 'awarded',
        awardSentAt: input.sentAt,
        awardElectronic: input.electronic,
        standstillLastDay: formatDate(s.lastDay),
        earliestSigning: formatDate(s.earliestSigning),
        awardedIds: winners.map(Number),
        awardReason: reason,
      })
      .where(eq(t.procedures.id, id))
      .returning()
      .then(returned);
    for (const r of result.ranking)
      await tx
        .update(t.applications)
        .set({
          status: winners.includes(r.tenderId) ? 'awarded' : 'not_awarded',
          decidedAt: input.sentAt,
          decidedBy: who.actor,
        })
        .where(eq(t.applications.id, Number(r.tenderId)));
    await audit(tx, who, 'procedure.award', `procedure:${id}`, {
      winners,
      tie: result.tie,
      standstillLastDay: row.standstillLastDay,
      earliestSigning: row.earliestSigning,
    });
    return { procedure: row, evaluation: result, standstill: s };
  });
}

/** Signs the NSS contracts of an award: refused while the standstill runs. Each runs 7 years. */
export async function signProcedure(db: Db, id: number, signedAt: string, startDate: string, who: Who) {
  return inTx(db, async (tx) => {
    const proc = await getProcedure(tx, id);
    if (proc.status !== 'awarded')
      throw new StoreError('conflict', 'Avtal tecknas först efter tilldelningsbeslut, och bara en gång');
    const s = standstill(parseDate(proc.awardSentAt!)!, proc.awardElectronic!);
    if (!maySign(s, parseDate(signedAt)!))
      throw new StoreError(
        'conflict',
        `Avtalsspärr råder till och med ${formatDate(s.lastDay)}; avtal får tecknas tidigast ${formatDate(s.earliestSigning)}`,
      );
    if (startDate < signedAt)
      throw new StoreError('invalid', 'Avtalet kan inte börja före den dag det tecknas', '/start_date');
    const term = nssContractTerm(parseDate(startDate)!);
    const contracts: number[] = [];
    for (const appId of proc.awardedIds as number[]) {
      const app = await getApplication(tx, appId);
      const c = await tx
        .insert(t.contracts)
        .values({
          providerId: app.providerId,
          unitId: (app.units as ApplicationUnit[])[0]?.unit_id ?? null,
          connectionForm: 'nss',
          rulebookId: proc.rulebookId,
          startDate,
          endDate: formatDate(term.end),
          createdBy: who.actor,
        })
        .returning()
        .then(returned);
      await tx
        .insert(t.providers)
        .values({ id: app.providerId, name: app.applicantName })
        .onConflictDoNothing();
      if (app.grouping) await insertMembers(tx, c.id, app.grouping as Group);
      await tx.update(t.applications).set({ contractId: c.id }).where(eq(t.applications.id, appId));
      contracts.push(c.id);
      await audit(tx, who, 'contract.sign', `contract:${c.id}`, {
        procedure: id,
        signedAt,
        end: formatDate(term.end),
      });
    }
    const row = await tx
      .update(t.procedures)
      .set({ status: 'contracted', signedAt })
      .where(eq(t.procedures.id, id))
      .returning()
      .then(returned);
    return {
      procedure: row,
      contractIds: contracts,
      end: formatDate(term.end),
      reprocurementWarning: formatDate(term.reprocurementWarning),
    };
  });
}
