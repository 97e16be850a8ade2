import { eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useApiTest } from '../../test-support/api-test.js';
import { approvedRun } from '../../test-support/attest.js';
import { importCase } from '../../test-support/store-cases.js';
import { STORE_KINDS, pgDown } from '../../test-support/databases.js';
import { ANALYST, officerAndProviders } from '../../test-support/http.js';
import { publishedRulebook } from '../../test-support/rulebooks.js';
import * as t from '../store/schema.js';

/** Questioning a statement line through the API, on both stores: who may ask, the deadline, answers, audit. */

const OWN = '5560160680';
const OTHER = '2321000016';
const USERS = [...officerAndProviders(OWN, OTHER), ANALYST];

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`questioning a statement line on ${kind}`, () => {
    let runId: number;
    const api = useApiTest({
      kind,
      users: USERS,
      today: '2025-04-10',
      seed: async (db) => {
        const batch = await importCase(db, {
          units: [
            `U1,${OWN},VC Ett,private,2361,2020-01-01,,,1,`,
            `U2,${OTHER},VC Två,public,2361,2020-01-01,,,,`,
          ],
          listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U2,,1980-01-01,M,A1,2020-01-01,,'],
          visits: ['V1,P2,U1,2025-03-03,lakare,fysiskt,,,'],
        });
        runId = await approvedRun(db, '2025-03', await publishedRulebook(db), batch.id);
        // Approved on the server's day; the deadline counts from it.
        await db
          .update(t.paymentRuns)
          .set({ approvedAt: new Date('2025-04-03T10:00:00Z') })
          .where(eq(t.paymentRuns.id, runId));
      },
    });
    const { call } = api;

    const questions = (unit = 'U1') => `/api/runs/${runId}/statements/${unit}/questions`;

    it('lets a provider question only a line of its own unit’s approved statement', async () => {
      const foreign = await call('vardgivare', 'POST', questions('U2'), {
        component: 'kapitering',
        text: 'Varför?',
      });
      expect(foreign.status).toBe(404);
      expect((await call('annan', 'GET', questions('U1'))).body.items).toEqual([]);
      expect(
        (await call('handlaggare', 'POST', questions(), { component: 'kapitering', text: 'x' })).status,
      ).toBe(403);
      expect((await call('analytiker', 'GET', questions())).status).toBe(403);
      const missing = await call('vardgivare', 'POST', questions(), { component: 'finns_inte', text: 'x' });
      expect(missing.status).toBe(400);
      expect(missing.body.pointer).toBe('/component');

      const asked = await call('vardgivare', 'POST', questions(), {
        component: 'besok_ej_listade',
        text: 'Vi hade två besök den 3 mars, inte ett.',
      });
      expect(asked.status).toBe(201);
      expect(asked.body).toMatchObject({
        unit_id: 'U1',
        component: 'besok_ej_listade',
        status: 'open',
        asked_on: '2025-04-10',
        asked_by: 'vardgivare',
        messages: [{ kind: 'question', text: 'Vi hade två besök den 3 mars, inte ett.' }],
      });
      const again = await call('vardgivare', 'POST', questions(), {
        component: 'besok_ej_listade',
        text: 'x',
      });
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain(`fråga ${asked.body.id}`);

      // Both sides see the thread, and the officer finds it among the open questions.
      expect((await call('vardgivare', 'GET', questions())).body.items).toHaveLength(1);
      const open = await call('handlaggare', 'GET', '/api/questions?status=open');
      expect(open.body.items.map((q: { id: number }) => q.id)).toEqual([asked.body.id]);
      expect((await call('annan', 'GET', '/api/questions')).body.items).toEqual([]);
      const todo = await call('handlaggare', 'GET', '/api/ui/todo');
      expect(todo.body.questions_open.map((q: { id: number }) => q.id)).toEqual([asked.body.id]);
    });

    it('refuses a question after the rulebook’s deadline, with the date', async () => {
      api.today = '2025-05-04';
      const late = await call('vardgivare', 'POST', questions(), { component: 'kapitering', text: 'Sent' });
      expect(late.status).toBe(409);
      expect(late.body.detail).toBe(
        'Tiden för att ifrågasätta raden gick ut den 3 maj 2025, 30 dagar efter att underlaget godkändes den 3 april 2025',
      );
      api.today = '2025-05-03';
      expect(
        (await call('vardgivare', 'POST', questions(), { component: 'kapitering', text: 'I tid' })).status,
      ).toBe(201);
    });

    it('lets an officer answer, confirm a line, or correct the month with a linked correction run; every step audited', async () => {
      const asked = (await call('handlaggare', 'GET', questions())).body.items as { id: number }[];
      expect(asked.length).toBeGreaterThanOrEqual(2);
      const [visit, capitation] = asked as [{ id: number }, { id: number }];
      api.today = '2025-05-05';
      expect(
        (
          await call('vardgivare', 'POST', `/api/questions/${visit.id}/answer`, {
            text: 'x',
            outcome: 'reply',
          })
        ).status,
      ).toBe(403);
      const reply = await call('handlaggare', 'POST', `/api/questions/${visit.id}/answer`, {
        text: 'Vi tittar på besöksfilen.',
        outcome: 'reply',
      });
      expect(reply.body.status).toBe('open');
      const corrected = await call('handlaggare', 'POST', `/api/questions/${visit.id}/answer`, {
        text: 'Ett besök saknades; korrigeringen betalar skillnaden.',
        outcome: 'correct',
      });
      expect(corrected.status).toBe(200);
      expect(corrected.body).toMatchObject({
        status: 'corrected',
        closed_on: '2025-05-05',
        closed_by: 'handlaggare',
      });
      expect(corrected.body.messages.map((m: { kind: string }) => m.kind)).toEqual([
        'question',
        'answer',
        'correction',
      ]);
      const correction = await call('handlaggare', 'GET', `/api/runs/${corrected.body.correction_run_id}`);
      expect(correction.body).toMatchObject({ status: 'draft', corrects_run_id: runId, month: '2025-03' });

      const confirmed = await call('handlaggare', 'POST', `/api/questions/${capitation.id}/answer`, {
        text: 'Raden stämmer: 1 listad på brytdagen.',
        outcome: 'confirm',
      });
      expect(confirmed.body).toMatchObject({ status: 'confirmed', correction_run_id: null });
      const closed = await call('handlaggare', 'POST', `/api/questions/${capitation.id}/answer`, {
        text: 'Igen',
        outcome: 'reply',
      });
      expect(closed.status).toBe(409);

      // The provider reads the same thread, answers and link included.
      const seen = (await call('vardgivare', 'GET', questions())).body.items;
      expect(seen.map((q: { status: string }) => q.status)).toEqual(['corrected', 'confirmed']);
      expect((await call('handlaggare', 'GET', '/api/ui/todo')).body.questions_open).toEqual([]);

      const audit = await api.conn.db
        .select()
        .from(t.auditLog)
        .where(like(t.auditLog.action, 'statement_question.%'));
      expect(audit.map((a) => [a.action, a.actor, a.target])).toEqual([
        ['statement_question.ask', 'vardgivare', `question:${visit.id}`],
        ['statement_question.ask', 'vardgivare', `question:${capitation.id}`],
        ['statement_question.reply', 'handlaggare', `question:${visit.id}`],
        ['statement_question.correct', 'handlaggare', `question:${visit.id}`],
        ['statement_question.confirm', 'handlaggare', `question:${capitation.id}`],
      ]);
      const [runAudit] = await api.conn.db
        .select()
        .from(t.auditLog)
        .where(eq(t.auditLog.target, `run:${corrected.body.correction_run_id}`));
      expect(runAudit).toMatchObject({ action: 'create_run', actor: 'handlaggare' });
    });
  });
}
