import { and, asc, desc, eq, inArray, max } from 'drizzle-orm';
import { addDays, formatDate, parseDate } from '../../core/calendar.js';
import type { StatementLine } from '../../core/engine/run.js';
import { dateSv } from '../exports/common.js';
import { serverToday } from '../clock.js';
import type { Db } from './connection.js';
import { StoreError } from './store-error.js';
import { audit, inTx, type Who } from './procurement/shared.js';
import { createRun, loadRulebookVersion } from './runs.js';
import * as t from './schema.js';
import { returned } from './returned.js';

/**
 * Questions about a line of an approved statement (Ifrågasätt raden). The provider asks, within
 * the rulebook's deadline; an officer answers and either confirms the line or links the correction
 * run made for the month (the existing correction mechanism pays the difference). Every step writes
 * its audit row in the same transaction, and every date is the server's day passed in (`today`).
 */

export type QuestionRow = typeof t.statementQuestions.$inferSelect;
type MessageRow = typeof t.statementQuestionMessages.$inferSelect;
export interface Thread {
  question: QuestionRow;
  messages: MessageRow[];
}
export type Outcome = 'reply' | 'confirm' | 'correct';

/** The last day a line of a statement approved at `approvedAt` may be questioned, or none. */
function questionDeadline(
  approvedAt: Date,
  days: number | undefined,
): { approvedOn: string; due: string } | undefined {
  if (days === undefined) return undefined;
  const approvedOn = serverToday(approvedAt);
  return { approvedOn, due: formatDate(addDays(parseDate(approvedOn)!, days)) };
}

async function threads(db: Db, questions: QuestionRow[]): Promise<Thread[]> {
  if (questions.length === 0) return [];
  const messages = await db
    .select()
    .from(t.statementQuestionMessages)
    .where(
      inArray(
        t.statementQuestionMessages.questionId,
        questions.map((q) => q.id),
      ),
    )
    .orderBy(asc(t.statementQuestionMessages.id));
  return questions.map((question) => ({
    question,
    messages: messages.filter((m) => m.questionId === question.id),
  }));
}

/** One question with its messages. */
async function threadOf(db: Db, question: QuestionRow): Promise<Thread> {
  const [thread] = await threads(db, [question]);
  if (!thread) throw new Error(`Question ${question.id} gave no thread`);
  return thread;
}

export async function getThread(db: Db, id: number): Promise<Thread> {
  const [question] = await db.select().from(t.statementQuestions).where(eq(t.statementQuestions.id, id));
  if (!question) throw new StoreError('not_found', `Frågan ${id} finns inte`);
  return threadOf(db, question);
}

/** The threads about one unit's statement in a run, oldest first. */
export async function statementThreads(db: Db, runId: number, unitId: string): Promise<Thread[]> {
  const questions = await db
    .select()
    .from(t.statementQuestions)
    .where(and(eq(t.statementQuestions.runId, runId), eq(t.statementQuestions.unitId, unitId)))
    .orderBy(asc(t.statementQuestions.id));
  return threads(db, questions);
}

/** Questions, newest first: by status, and for a provider only its own. */
export async function listQuestions(
  db: Db,
  filter: { status?: string; providerId?: string } = {},
): Promise<QuestionRow[]> {
  const conditions = [];
  if (filter.status) conditions.push(eq(t.statementQuestions.status, filter.status));
  if (filter.providerId) conditions.push(eq(t.statementQuestions.providerId, filter.providerId));
  return db
    .select()
    .from(t.statementQuestions)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(t.statementQuestions.id));
}

/**
 * A provider questions a line of its unit's approved statement. Refused: a run that is not
 * approved, another provider's statement (not found, so nothing leaks), a line the statement does
 * not have, a line already questioned and not yet answered, and a question after the rulebook's
 * deadline (with the date).
 */
export async function askQuestion(
  db: Db,
  input: { runId: number; unitId: string; component: string; text: string },
  who: Who & { providerId: string },
  today: string,
): Promise<Thread> {
  const text = input.text.trim();
  if (!text) throw new StoreError('invalid', 'Skriv vad du ifrågasätter', '/text');
  const [run] = await db.select().from(t.paymentRuns).where(eq(t.paymentRuns.id, input.runId));
  const [statement] = run
    ? await db
        .select()
        .from(t.statements)
        .where(and(eq(t.statements.runId, run.id), eq(t.statements.unitId, input.unitId)))
    : [];
  if (!run || !statement || statement.providerId !== who.providerId)
    throw new StoreError('not_found', `Inget underlag för ${input.unitId} i körning ${input.runId}`);
  if (run.status === 'superseded')
    throw new StoreError(
      'conflict',
      'Underlaget har ersatts av en korrigering; ifrågasätt raden i den senast godkända körningen',
    );
  if (run.status !== 'approved' || !run.approvedAt)
    throw new StoreError('conflict', 'Bara en rad i ett godkänt underlag kan ifrågasättas');
  const line = (statement.lines as StatementLine[]).find((l) => l.component === input.component);
  if (!line) throw new StoreError('invalid', `Underlaget har ingen rad ${input.component}`, '/component');
  const { rb } = await loadRulebookVersion(db, run.rulebookVersionId);
  const deadline = questionDeadline(run.approvedAt, rb.rulebook.questions?.deadline_days_after_approval);
  if (deadline && today > deadline.due)
    throw new StoreError(
      'conflict',
      `Tiden för att ifrågasätta raden gick ut den ${dateSv(deadline.due)}, ` +
        `${rb.rulebook.questions!.deadline_days_after_approval} dagar efter att underlaget godkändes den ${dateSv(deadline.approvedOn)}`,
    );
  return inTx(db, async (tx) => {
    const [open] = await tx
      .select({ id: t.statementQuestions.id })
      .from(t.statementQuestions)
      .where(
        and(
          eq(t.statementQuestions.runId, run.id),
          eq(t.statementQuestions.unitId, input.unitId),
          eq(t.statementQuestions.component, input.component),
          eq(t.statementQuestions.status, 'open'),
        ),
      );
    if (open)
      throw new StoreError(
        'conflict',
        `Raden är redan ifrågasatt (fråga ${open.id}) och väntar på svar; svaret kommer i samma tråd`,
      );
    const question = await tx
      .insert(t.statementQuestions)
      .values({
        runId: run.id,
        unitId: input.unitId,
        providerId: statement.providerId,
        component: input.component,
        label: line.label,
        month: run.month,
        rulebookId: run.rulebookId,
        status: 'open',
        askedOn: today,
        askedBy: who.actor,
      })
      .returning()
      .then(returned);
    await tx.insert(t.statementQuestionMessages).values({
      questionId: question.id,
      kind: 'question',
      text,
      author: who.actor,
      role: who.role ?? 'provider',
      writtenOn: today,
    });
    await audit(tx, who, 'statement_question.ask', `question:${question.id}`, {
      run: run.id,
      unit: input.unitId,
      component: input.component,
      askedOn: today,
      ...(deadline ? { deadline: deadline.due } : {}),
    });
    return threadOf(tx, question);
  });
}

/**
 * An officer's answer: a reply (the question stays open), a confirmation of the line, or a
 * correction: a correction run for the month, computed now or named (`correctionRunId`), linked to
 * the question. A question once confirmed or corrected is closed.
 */
export async function answerQuestion(
  db: Db,
  id: number,
  input: { text: string; outcome: Outcome; correctionRunId?: number; rulebookVersionId?: number },
  who: Who,
  today: string,
): Promise<Thread> {
  const text = input.text.trim();
  if (!text) throw new StoreError('invalid', 'Skriv ett svar', '/text');
  const { question } = await getThread(db, id);
  if (question.status !== 'open')
    throw new StoreError(
      'conflict',
      `Frågan är redan ${question.status === 'confirmed' ? 'besvarad: raden bekräftades' : 'besvarad med en korrigering'} den ${question.closedOn}`,
    );
  let correctionRunId: number | null = null;
  let created = false;
  if (input.outcome === 'correct') {
    if (input.correctionRunId !== undefined) {
      const [run] = await db.select().from(t.paymentRuns).where(eq(t.paymentRuns.id, input.correctionRunId));
      if (
        !run ||
        run.rulebookId !== question.rulebookId ||
        run.month !== question.month ||
        !run.correctsRunId
      )
        throw new StoreError(
          'invalid',
          `Körning ${input.correctionRunId} är ingen korrigering av ${question.rulebookId} för ${question.month}`,
          '/correction_run_id',
        );
      correctionRunId = run.id;
    } else {
      const [questioned] = await db.select().from(t.paymentRuns).where(eq(t.paymentRuns.id, question.runId));
      if (!questioned) throw new Error(`Question ${question.id} names run ${question.runId}, which is gone`);
      const batch = await db
        .select({ id: max(t.importBatches.id) })
        .from(t.importBatches)
        .then(returned);
      const versionId = input.rulebookVersionId ?? questioned.rulebookVersionId;
      correctionRunId = (
        await createRun(db, question.month, versionId, batch.id ?? questioned.batchId, who.actor)
      ).runId;
      created = true;
    }
  }
  const status =
    input.outcome === 'confirm' ? 'confirmed' : input.outcome === 'correct' ? 'corrected' : 'open';
  const kind =
    input.outcome === 'confirm' ? 'confirm' : input.outcome === 'correct' ? 'correction' : 'answer';
  return inTx(db, async (tx) => {
    if (created)
      await audit(tx, who, 'create_run', `run:${correctionRunId}`, {
        month: question.month,
        question: id,
      });
    const closed = status !== 'open';
    const [row] = await tx
      .update(t.statementQuestions)
      .set({
        status,
        ...(closed ? { closedOn: today, closedBy: who.actor, correctionRunId } : {}),
      })
      .where(and(eq(t.statementQuestions.id, id), eq(t.statementQuestions.status, 'open')))
      .returning();
    if (!row) throw new StoreError('conflict', 'Frågan besvarades samtidigt av någon annan');
    await tx.insert(t.statementQuestionMessages).values({
      questionId: id,
      kind,
      text,
      author: who.actor,
      role: who.role ?? 'officer',
      writtenOn: today,
    });
    await audit(tx, who, `statement_question.${input.outcome}`, `question:${id}`, {
      run: question.runId,
      unit: question.unitId,
      component: question.component,
      ...(correctionRunId ? { correctionRun: correctionRunId } : {}),
      answeredOn: today,
    });
    return threadOf(tx, row);
  });
}
