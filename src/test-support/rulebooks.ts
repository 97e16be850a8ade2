import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, type Db } from '../adapters/store/connection.js';
import { publishRulebook, saveRulebookDraft } from '../adapters/store/runs.js';

/** The example rulebook the README pays with (rulebooks/exempel/vardval-2025.yaml), as text. */
export const EXAMPLE_RULEBOOK_2025 = readFileSync(
  join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2025.yaml'),
  'utf8',
);

/** Saves the rulebook text as a draft and publishes it, as `actor`; returns the version id. */
export async function publishedRulebook(
  db: Db,
  yaml: string = EXAMPLE_RULEBOOK_2025,
  actor = 'test',
): Promise<number> {
  const version = await saveRulebookDraft(db, yaml, actor);
  await publishRulebook(db, version.id);
  return version.id;
}
