import { mkdtempSync } from 'node:fs';
import { nth } from '../../test-support/nth.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import {
  scopedRulebook,
  scopedRulebookText,
  systemsFolder,
  type SystemsUnit,
} from '../../test-support/systems-cases.js';
import { payDifferentiated } from '../files/payment-run.js';
import { importFolder } from './import-batch.js';
import { loadBatch } from './load-batch.js';
import { createRun, publishRulebook, runStatements, saveRulebookDraft } from './runs.js';
import type { Db } from './connection.js';

/**
 * Narrow systems (a rulebook per service) and systems scoped by area and area class, in stored
 * runs: each published rulebook's run pays exactly the units (and services) the command line pays
 * it for the region as a whole; the units' services and areas come from the store's unit table.
 */

const NARROW: { name: string; annual: number; scope: string }[] = [
  {
    name: 'vardcentral',
    annual: 1200,
    scope: `{label: Vårdcentral, services: [vardcentral], source: "FFU"}`,
  },
  { name: 'bvc', annual: 2400, scope: `{label: BVC, services: [bvc], source: "FFU"}` },
];
const NARROW_UNITS: SystemsUnit[] = [
  ['U1', '2361', 'vardcentral|bvc', ''],
  ['U2', '2361', '', ''],
  ['U3', '2380', 'bvc', ''],
];

const AREA: { name: string; annual: number; scope: string }[] = [
  {
    name: 'landsbygd',
    annual: 2400,
    scope: `{label: Landsbygd, kommuner: ['2361', '2321'], area_classes: [landsbygd, glesbygd], source: "FFU"}`,
  },
  { name: 'tatort', annual: 1200, scope: `{label: Tätort, other_kommuner: true, source: "FFU"}` },
];
const AREA_UNITS: SystemsUnit[] = [
  ['U1', '2361', '', 'A2'],
  ['U2', '2361', '', 'A1'],
  ['U3', '2321', '', 'A3'],
  ['U4', '2380', '', 'A4'],
];

async function storedRunsMatchFiles(
  db: Db,
  rulebooks: { name: string; annual: number; scope: string }[],
  units: SystemsUnit[],
): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vardval-systems-store-'));
  const data = systemsFolder(units);
  const batch = await importFolder(db, data, 'test');
  const files = rulebooks.map((r) => scopedRulebook(dir, r.name, r.annual, r.scope));
  const region = payDifferentiated({ rulebookFiles: files, dataDir: data, month: '2025-03' });
  const versions: number[] = [];
  for (const r of rulebooks) {
    const v = await saveRulebookDraft(db, scopedRulebookText(r.name, r.annual, r.scope), 'test');
    await publishRulebook(db, v.id);
    versions.push(v.id);
  }
  const paid: string[] = [];
  for (const [i, r] of rulebooks.entries()) {
    const { runId } = await createRun(db, '2025-03', nth(versions, i), batch.id, 'test');
    const want = region.systems.find((s) => s.rulebook === `test/${r.name}/2025`)!.statements.units;
    const stored = await runStatements(db, runId);
    expect(stored.map((s) => [s.unitId, s.totalOre])).toEqual(want.map((u) => [u.unit_id, u.total_ore]));
    for (const s of stored) paid.push(`${s.unitId} ${r.name} ${s.totalOre}`);
  }
  return paid.sort();
}

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`narrow and area-scoped systems on ${kind}`, () => {
    const store = useTestStore(kind);

    it('keeps the units’ services and areas in the store', async () => {
      const batch = await importFolder(
        store.conn.db,
        systemsFolder([...NARROW_UNITS, ['U9', '2380', 'mvc', 'A5']]),
        't',
      );
      const units = (await loadBatch(store.conn.db, batch.id)).units;
      expect(units.services).toEqual([['vardcentral', 'bvc'], [], ['bvc'], ['mvc']]);
      expect(units.area).toEqual(['', '', '', 'A5']);
    });

    it('pays a unit by two stored runs for its two services (narrow systems)', async () => {
      const paid = await storedRunsMatchFiles(store.conn.db, NARROW, NARROW_UNITS);
      expect(paid).toEqual(['U1 bvc 20000', 'U1 vardcentral 10000', 'U2 vardcentral 10000', 'U3 bvc 20000']);
    });
  });

  describe.skipIf(kind === 'postgres' && pgDown)(`area-scoped systems on ${kind}`, () => {
    const store = useTestStore(kind);

    it('pays the rural parts of two kommuner by the rural system', async () => {
      const paid = await storedRunsMatchFiles(store.conn.db, AREA, AREA_UNITS);
      expect(paid).toEqual([
        'U1 landsbygd 20000',
        'U2 tatort 10000',
        'U3 landsbygd 20000',
        'U4 tatort 10000',
      ]);
    });
  });
}
