import { desc, eq } from 'drizzle-orm';
import { parseDocument } from 'yaml';
import { overlayBase } from '../../core/rulebook/overlay.js';
import { InputErrors } from '../files/located-error.js';
import { parseRulebookText, type LoadedRulebook } from '../files/rulebook-file.js';
import type { Db } from './connection.js';
import * as t from './schema.js';

/**
 * A rulebook text as the service reads it. An overlay names its base by rulebook id
 * (`base: exempel/vardval/2025`); the base is that rulebook's newest published version, or its
 * newest draft when none is published yet. The store keeps the resolved rulebook as the version's
 * text and the overlay beside it (rulebook_version.overlay), so a published version never changes
 * when its base gets a new version.
 */
export async function parseStoredRulebookText(
  db: Db,
  yaml: string,
  file = 'regelbok.yaml',
): Promise<{ rb: LoadedRulebook; text: string; overlay: t.StoredOverlay | null }> {
  const doc = parseDocument(yaml, { prettyErrors: false });
  const base = doc.errors.length === 0 ? overlayBase(doc.toJS()) : undefined;
  if (base === undefined) return { rb: parseRulebookText(yaml, file), text: yaml, overlay: null };
  const rows = await db
    .select()
    .from(t.rulebookVersions)
    .where(eq(t.rulebookVersions.rulebookId, base))
    .orderBy(desc(t.rulebookVersions.version));
  const row = rows.find((r) => r.status === 'published') ?? rows[0];
  const rb = parseRulebookText(yaml, file, (name) => {
    if (!row)
      throw new Error(
        /^[a-z0-9-]+\/[a-z0-9-]+\/[a-z0-9-]+$/.test(name)
          ? `ingen regelbok med id ${name} är sparad`
          : 'i tjänsten anges base med regelbokens id, t.ex. exempel/vardval/2025',
      );
    return { text: row.yaml, file: `${row.rulebookId} v${row.version}` };
  });
  if (!rb.overlay || !row)
    throw new InputErrors([{ file, code: 'rulebook.overlay_base', message: 'Grunden kunde inte läsas' }]);
  return {
    rb,
    text: rb.overlay.resolvedText,
    overlay: { base_id: row.rulebookId, base_version: row.version, changes: rb.overlay.changes, text: yaml },
  };
}
