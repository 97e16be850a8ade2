import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { payDifferentiated } from '../files/payment-run.js';
import { synthesize } from '../synth/synthesize.js';
import { PROJECT_ROOT } from './connection.js';
import { importFolder } from './import-batch.js';
import { createRun, publishRulebook, runStatements, saveRulebookDraft } from './runs.js';
import { appWithOfficer } from '../../test-support/http.js';
import { first, nth } from '../../test-support/nth.js';

/**
 * A region with two choice systems (Landsbygd and Tätort, scoped by kommun): a stored payment run
 * of either rulebook pays exactly the units of its own system, with the amounts the command line
 * computes for the region as a whole.
 */

const RURAL = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardvalsystem-landsbygd-2025.yaml');
const URBAN = join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardvalsystem-tatort-2025.yaml');
let data: string;

beforeAll(async () => {
  data = join(mkdtempSync(join(tmpdir(), 'vardval-systems-')), 'data');
  await synthesize({
    out: data,
    population: 3000,
    seed: 7,
    from: '2024-03',
    to: '2025-04',
    identityDir: join(PROJECT_ROOT, 'fixtures', 'identity'),
  });
}, 120_000);

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`differentiated payment runs on ${kind}`, () => {
    const store = useTestStore(kind);

    it('pays each unit by its own system’s rulebook, one stored run per system', async () => {
      const db = store.conn.db;
      const batch = await importFolder(db, data, 'test');
      const versions = [];
      for (const file of [RURAL, URBAN]) {
        const v = await saveRulebookDraft(db, readFileSync(file, 'utf8'), 'test');
        await publishRulebook(db, v.id);
        versions.push(v.id);
      }
      const region = payDifferentiated({ rulebookFiles: [RURAL, URBAN], dataDir: data, month: '2025-03' });
      const expected = new Map(region.statements.units.map((u) => [u.unit_id, u]));

      const paidBy = new Map<string, number>();
      for (const [i, versionId] of versions.entries()) {
        const { runId } = await createRun(db, '2025-03', versionId, batch.id, 'test');
        const stored = await runStatements(db, runId);
        expect(stored.length).toBeGreaterThan(0);
        for (const s of stored) {
          expect(paidBy.has(s.unitId), `${s.unitId} paid by two systems`).toBe(false);
          paidBy.set(s.unitId, i);
          const want = expected.get(s.unitId)!;
          expect(want.rulebook).toBe(nth(region.systems, i).rulebook);
          expect(s.totalOre).toBe(want.total_ore);
          expect(s.lines).toEqual(want.lines);
        }
      }
      // Every unit the region pays is paid by exactly one of the two runs.
      expect([...paidBy.keys()].sort()).toEqual([...expected.keys()].sort());
      expect(new Set(paidBy.values())).toEqual(new Set([0, 1]));

      // The overview shows the two systems side by side, and the region's month as their sum.
      const {
        app,
        session: { cookie, csrf },
      } = await appWithOfficer(store.conn);
      const overview = (await (
        await app.request('/api/ui/overview?month=2025-03', { headers: { cookie } })
      ).json()) as {
        total_ore: number;
        systems: { rulebook_id: string; title: string; units: number; total_ore: number }[];
      };
      expect(overview.systems.map((x) => x.rulebook_id).sort()).toEqual(
        region.systems.map((x) => x.rulebook).sort(),
      );
      for (const sys of overview.systems) {
        const want = region.systems.find((x) => x.rulebook === sys.rulebook_id)!;
        expect(sys.total_ore).toBe(want.statements.total_ore);
        expect(sys.units).toBe(want.statements.units.length);
      }
      expect(overview.total_ore).toBe(region.statements.total_ore);

      // Simulating the rural system against the region-wide rulebook covers the rural units only.
      const ordinary = await saveRulebookDraft(
        db,
        readFileSync(join(PROJECT_ROOT, 'rulebooks', 'exempel', 'vardval-2025.yaml'), 'utf8'),
        'test',
      );
      await publishRulebook(db, ordinary.id);
      const sim = await app.request('/api/ui/simulations', {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({
          base_version_id: versions[0],
          scenario_version_id: ordinary.id,
          month: '2025-03',
        }),
      });
      const result = (await sim.json()) as { units: { unit_id: string; base_ore: number }[] };
      const rural = region.systems.find((x) => x.rulebook === first(region.systems).rulebook)!.statements
        .units;
      expect(result.units.map((u) => u.unit_id).sort()).toEqual(rural.map((u) => u.unit_id).sort());
      for (const u of result.units)
        expect(u.base_ore).toBe(rural.find((r) => r.unit_id === u.unit_id)!.total_ore);
    }, 120_000);
  });
}
