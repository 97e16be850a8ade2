import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { appWithOfficer } from '../../test-support/http.js';
import { loadRulebookFile, parseRulebookText } from '../files/rulebook-file.js';
import { InputErrors } from '../files/located-error.js';
import { PROJECT_ROOT } from './connection.js';
import { loadRulebookVersion, publishRulebook, saveRulebookDraft } from './runs.js';

/**
 * An overlay saved in the service: its base is the stored rulebook it names by id; the version
 * keeps the resolved rulebook (so it never changes when the base does) and the overlay beside it.
 */

const EXEMPEL = join(PROJECT_ROOT, 'rulebooks', 'exempel');
const text = (f: string) => readFileSync(join(EXEMPEL, f), 'utf8');

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`rulebook overlays on ${kind}`, () => {
    const store = useTestStore(kind);

    it('refuses an overlay whose base is not stored, at the base line', async () => {
      const error = await saveRulebookDraft(store.conn.db, text('vardval-2026.yaml'), 'test').catch((e) => e);
      expect(error).toBeInstanceOf(InputErrors);
      expect((error as InputErrors).errors[0]).toMatchObject({
        where: 'base',
        code: 'rulebook.overlay_base',
        message: expect.stringContaining('ingen regelbok med id exempel/vardval/2025 är sparad'),
      });
    });

    it('stores the resolved rulebook and the overlay, and the document shows what changed', async () => {
      const db = store.conn.db;
      const base = await saveRulebookDraft(db, text('vardval-2025.yaml'), 'test');
      await publishRulebook(db, base.id);
      const saved = await saveRulebookDraft(db, text('vardval-2026.yaml'), 'test');
      expect(saved.yaml).not.toMatch(/^base:/m);
      expect(saved.overlay).toMatchObject({ base_id: 'exempel/vardval/2025', base_version: base.version });
      expect(saved.overlay!.text).toBe(text('vardval-2026.yaml'));
      // The stored text alone is the same rulebook the file resolves to, with the same hash.
      const file = loadRulebookFile(join(EXEMPEL, 'vardval-2026.yaml'));
      const { rb } = await loadRulebookVersion(db, saved.id);
      expect(rb.rulebook).toEqual(file.rulebook);
      expect(parseRulebookText(saved.yaml, 'x').sha256).toBe(saved.sha256);
      expect(saved.sha256).toBe(file.sha256);

      const {
        app,
        session: { cookie },
      } = await appWithOfficer(store.conn);
      const doc = (await (
        await app.request(`/api/ui/rulebooks/${saved.id}/document`, { headers: { cookie } })
      ).json()) as { overlay: { base_id: string; changes: { path: string; kind: string }[] } };
      expect(doc.overlay.base_id).toBe('exempel/vardval/2025');
      expect(doc.overlay.changes).toContainEqual({
        path: 'compensation.components[kostnadsansvar_besok_annan_enhet].charge',
        kind: 'changed',
      });
      const plain = (await (
        await app.request(`/api/ui/rulebooks/${base.id}/document`, { headers: { cookie } })
      ).json()) as { overlay: unknown };
      expect(plain.overlay).toBeNull();
    });
  });
}
