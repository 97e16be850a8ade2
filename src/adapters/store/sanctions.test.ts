import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatementLine } from '../../core/engine/run.js';
import { approveAsSecondPerson, approvedRun } from '../../test-support/attest.js';
import { importCase } from '../../test-support/store-cases.js';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { PROJECT_ROOT, type Db } from './connection.js';
import { createRun, runStatements } from './runs.js';
import { publishedRulebook } from '../../test-support/rulebooks.js';
import { answerSanction, decideSanction, listSanctions, proposeSanctions } from './sanctions.js';
import { recordFact } from './unit-facts.js';
import { listAudit } from './users.js';
import { first, nth } from '../../test-support/nth.js';

/** Sanctions with due process on the store, PGlite and PostgreSQL alike. */

const OFFICER = { actor: 'handlaggare', role: 'officer', origin: 'test' };
/** The officer's decision on a sanction, dated `day`. */
const decide = (db: Db, id: number, input: Parameters<typeof decideSanction>[2], day: string) =>
  decideSanction(db, id, input, OFFICER, day);
const PROVIDER = { actor: 'vardgivare', role: 'provider', origin: 'test' };
// The example rulebook, with the SIP sanction decided per event instead of deducted directly.
const yaml = readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2025.yaml'), 'utf8').replace(
  /( {2}- id: vite_sip\n(?:.*\n)*?) {4}component: vite_sip\n/,
  '$1    event_type: sip_late\n',
);

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`sanctions on ${kind}`, () => {
    const store = useTestStore(kind);

    it('proposes from follow-up and events, hears the provider, decides once and deducts in the next unpaid month', async () => {
      const db = store.conn.db;
      expect(yaml).toContain('event_type: sip_late');
      const batch = await importCase(db, {
        listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U2,,1980-01-01,M,A1,2020-01-01,,'],
        events: ['E1,U1,sip_late,2025-03-10,', 'E2,U2,sip_late,2025-04-02,'],
      });
      const versionId = await publishedRulebook(db, yaml);
      const actor = { username: 'handlaggare', role: 'officer' };
      for (const [fact, value] of [
        ['opening_hours_per_week', 50],
        ['digital_contact', true],
        ['psychologist', false],
        ['health_dialogues', true],
      ] as const) {
        await recordFact(db, { unitId: 'U1', fact, value, validFrom: '2025-01-01' }, actor);
        await recordFact(
          db,
          { unitId: 'U2', fact, value: fact === 'psychologist' ? true : value, validFrom: '2025-01-01' },
          actor,
        );
      }
      // March is paid and approved before anything is decided.
      await approvedRun(db, '2025-03', versionId, batch.id);

      const proposed = await proposeSanctions(db, { versionId, month: '2025-03' }, OFFICER, '2025-04-02');
      expect(
        proposed.created.map((s) => [s.unitId, s.sanction, s.subject, s.proposedOre, s.status, s.answerDue]),
      ).toEqual([
        ['U1', 'vite_krav', 'krav psykolog', 1_000_000, 'proposed', '2025-04-16'],
        ['U1', 'vite_sip', 'händelse sip_late 2025-03-10', 400_000, 'proposed', '2025-04-16'],
      ]);
      expect(first(proposed.created).grounds).toContain('psykolog');
      const again = await proposeSanctions(db, { versionId, month: '2025-03' }, OFFICER, '2025-04-03');
      expect([again.created.length, again.existing]).toEqual([0, 2]);
      const krav = nth(proposed.created, 0);
      const sip = nth(proposed.created, 1);

      await expect(
        decide(db, krav.id, { decision: 'confirm', reason: 'Ej uppfyllt' }, '2025-04-05'),
      ).rejects.toThrow(/yttra sig till och med 2025-04-16/);
      await answerSanction(db, krav.id, 'Psykolog anställd från april', PROVIDER, '2025-04-10');
      await expect(answerSanction(db, krav.id, 'Igen', PROVIDER, '2025-04-11')).rejects.toThrow(
        /redan 2025-04-10/,
      );
      await expect(answerSanction(db, sip.id, 'För sent', PROVIDER, '2025-04-17')).rejects.toThrow(
        /gick ut 2025-04-16/,
      );
      const reduced = await decide(
        db,
        krav.id,
        { decision: 'reduce', amountOre: 250_000, reason: 'Psykolog anställd från april' },
        '2025-04-11',
      );
      expect([reduced.status, reduced.decidedOre, reduced.decidedAt, reduced.settleMonth]).toEqual([
        'reduced',
        250_000,
        '2025-04-11',
        '2025-04',
      ]);
      await expect(
        decide(db, krav.id, { decision: 'cancel', reason: 'Ångrat' }, '2025-04-12'),
      ).rejects.toThrow(/ett beslut fattas en gång/);
      const confirmed = await decide(
        db,
        sip.id,
        { decision: 'confirm', reason: 'Kallelse sen' },
        '2025-04-17',
      );
      expect(confirmed.settleMonth).toBe('2025-04');

      const april = await createRun(db, '2025-04', versionId, batch.id, 'test');
      const rows = await runStatements(db, april.runId);
      const u1 = rows.find((r) => r.unitId === 'U1')!;
      const lines = u1.lines as StatementLine[];
      const sanctionLines = lines.filter((l) => l.component.startsWith('sanktion-'));
      expect(sanctionLines.map((l) => [l.component, l.type, l.amount_ore])).toEqual([
        [`sanktion-${krav.id}`, 'penalty', -250_000],
        [`sanktion-${sip.id}`, 'penalty', -400_000],
      ]);
      expect(first(sanctionLines).explanation).toContain(`beslut nr ${krav.id} den 2025-04-11`);
      expect(u1.totalOre).toBe(lines.reduce((a, l) => a + l.amount_ore, 0));
      expect(april.statements.total_ore).toBe(rows.reduce((a, r) => a + r.totalOre, 0));
      expect(april.statements.identity.inputs.map((i) => i.file)).toContain('sanctions');
      // U2's event is in April: not proposed for March, and nothing of U1's reaches U2.
      expect(
        (rows.find((r) => r.unitId === 'U2')!.lines as StatementLine[]).some((l) =>
          l.component.startsWith('sanktion-'),
        ),
      ).toBe(false);
      // The March run was approved before the decisions: a new March run has no sanction lines.
      const march = await createRun(db, '2025-03', versionId, batch.id, 'test');
      expect(JSON.stringify(march.statements)).not.toContain('sanktion-');

      expect((await listSanctions(db, '5560160680')).map((s) => s.id)).toEqual([sip.id, krav.id]);
      expect(await listSanctions(db, '2321000016')).toEqual([]);
      const actions = (await listAudit(db, { limit: 1000 })).map((a) => a.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'sanction.propose',
          'sanction.answer',
          'sanction.reduced',
          'sanction.confirmed',
        ]),
      );
    });
  });

  describe.skipIf(kind === 'postgres' && pgDown)(
    `a sanction decided after its month's draft on ${kind}`,
    () => {
      const store = useTestStore(kind);

      it('moves to the next month when the draft is approved as it was computed, and is paid there', async () => {
        const db = store.conn.db;
        const batch = await importCase(db, {
          listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U2,,1980-01-01,M,A1,2020-01-01,,'],
          events: ['E1,U1,sip_late,2025-03-10,'],
        });
        const versionId = await publishedRulebook(db, yaml);
        await approvedRun(db, '2025-03', versionId, batch.id);
        const proposed = await proposeSanctions(db, { versionId, month: '2025-03' }, OFFICER, '2025-04-02');
        const sip = proposed.created.find((s) => s.sanction === 'vite_sip')!;
        // April's draft is computed before the decision, and approved afterwards without a new computation.
        const aprilDraft = await createRun(db, '2025-04', versionId, batch.id, 'test');
        const decided = await decide(
          db,
          sip.id,
          { decision: 'confirm', reason: 'Kallelse sen' },
          '2025-04-17',
        );
        expect(decided.settleMonth).toBe('2025-04');
        const approved = await approveAsSecondPerson(db, aprilDraft.runId);
        expect(approved.carriedOver).toEqual([{ id: sip.id, unitId: 'U1', from: '2025-04', to: '2025-05' }]);
        expect((await listSanctions(db, '5560160680')).find((s) => s.id === sip.id)?.settleMonth).toBe(
          '2025-05',
        );
        const may = await createRun(db, '2025-05', versionId, batch.id, 'test');
        const u1 = (await runStatements(db, may.runId)).find((r) => r.unitId === 'U1')!;
        expect(
          (u1.lines as StatementLine[])
            .filter((l) => l.component === `sanktion-${sip.id}`)
            .map((l) => l.amount_ore),
        ).toEqual([-400_000]);
        const audit = (await listAudit(db, { limit: 1000 })).filter(
          (a) => a.action === 'sanction.carried_over',
        );
        expect(audit.map((a) => [a.target, a.actor])).toEqual([[`sanction:${sip.id}`, 'attestant']]);
        // A sanction the approved run holds stays in its month.
        expect((await approveAsSecondPerson(db, may.runId)).carriedOver).toEqual([]);
        expect((await listSanctions(db, '5560160680')).find((s) => s.id === sip.id)?.settleMonth).toBe(
          '2025-05',
        );
      });
    },
  );
}
