import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, type Connection } from '../adapters/store/connection.js';
import { importFolder } from '../adapters/store/import-batch.js';
import { publishRulebook, runStatements, saveRulebookDraft } from '../adapters/store/runs.js';
import { StoreError } from '../adapters/store/store-error.js';
import { PRIOR_COMPONENT } from '../core/runs/correction.js';
import { writeCaseFolder } from '../test-support/cases.js';
import { STORE_KINDS, pgDown, useTestStore } from '../test-support/databases.js';
import { approveMonth, computeMonth, runsInEffect } from './runs.js';

const DATA = writeCaseFolder({
  units: [
    'U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,',
    'U2,2321000016,VC Två,public,2361,2020-01-01,,,,',
  ],
  listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U2,,1950-01-01,M,A2,2020-01-01,,'],
});
const EXAMPLE = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml');

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`paying a month from the store on ${kind}`, () => {
    const store = useTestStore(kind);
    let conn: Connection;
    let version: number;
    beforeAll(async () => {
      conn = store.conn;
      version = (await saveRulebookDraft(conn.db, readFileSync(EXAMPLE, 'utf8'), 'redaktor')).id;
      await publishRulebook(conn.db, version);
    });

    it('refuses to compute before anything is imported', async () => {
      const refusal = await computeMonth(conn.db, {
        month: '2025-03',
        rulebookVersionId: version,
        by: 'x',
      }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(StoreError);
      expect(refusal).toMatchObject({ code: 'conflict', title: 'Inga data' });
    });

    it('computes from the latest import, approves, and pays a correction as the difference', async () => {
      await importFolder(conn.db, DATA, 'handlaggare');
      const first = await computeMonth(conn.db, {
        month: '2025-03',
        rulebookVersionId: version,
        by: 'handlaggare',
      });
      expect(first.correctsRunId).toBeNull();
      expect((await runsInEffect(conn.db)).map((r) => [r.id, r.status])).toEqual([[first.runId, 'draft']]);
      await approveMonth(conn.db, first.runId, 'attestant', { comment: 'Granskad' });

      const correction = await computeMonth(conn.db, {
        month: '2025-03',
        rulebookVersionId: version,
        by: 'handlaggare',
      });
      expect(correction.correctsRunId).toBe(first.runId);
      // The approved run stays in effect until the correction is approved.
      expect((await runsInEffect(conn.db)).map((r) => r.id)).toEqual([first.runId]);
      const lines = (await runStatements(conn.db, correction.runId)).flatMap(
        (s) => s.lines as { component: string; amount_ore: number }[],
      );
      expect(lines.filter((l) => l.component === PRIOR_COMPONENT)).toHaveLength(2);
      // Nothing changed, so the correction pays nothing.
      const totals = (await runStatements(conn.db, correction.runId)).map((s) => Number(s.totalOre));
      expect(totals).toEqual([0, 0]);
      await approveMonth(conn.db, correction.runId, 'attestant');
      expect((await runsInEffect(conn.db)).map((r) => r.id)).toEqual([correction.runId]);
    });
  });
}
