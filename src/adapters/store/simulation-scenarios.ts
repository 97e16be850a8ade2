import { desc, eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import * as t from './schema.js';
import { StoreError } from './store-error.js';
import { returned } from './returned.js';

/**
 * What-if scenarios saved as named drafts: a published rulebook version changed without being
 * published. Any officer may open one (a shared link); only the one who made it changes it.
 */

export type ScenarioRow = typeof t.simulationScenarios.$inferSelect;

export interface ScenarioInput {
  name: string;
  baseVersionId: number;
  yaml: string;
  budgetNeutral: boolean;
  scale: string[] | null;
}

async function requirePublishedBase(db: Db, id: number): Promise<void> {
  const [row] = await db
    .select({ status: t.rulebookVersions.status })
    .from(t.rulebookVersions)
    .where(eq(t.rulebookVersions.id, id));
  if (!row) throw new StoreError('not_found', `Regelboksversion ${id} finns inte`);
  if (row.status !== 'published')
    throw new StoreError('conflict', 'Ett scenario utgår från en publicerad regelboksversion');
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new StoreError('invalid', 'Ge scenariot ett namn');
  if (trimmed.length > 200) throw new StoreError('invalid', 'Namnet får vara högst 200 tecken');
  return trimmed;
}

/** The columns a scenario's author sets, checked. */
function scenarioColumns(input: ScenarioInput) {
  return {
    name: checkName(input.name),
    baseVersionId: input.baseVersionId,
    yaml: input.yaml,
    budgetNeutral: input.budgetNeutral,
    scale: input.scale,
  };
}

export async function createScenario(db: Db, input: ScenarioInput, by: string): Promise<ScenarioRow> {
  await requirePublishedBase(db, input.baseVersionId);
  const row = await db
    .insert(t.simulationScenarios)
    .values({
      ...scenarioColumns(input),
      createdBy: by,
    })
    .returning()
    .then(returned);
  return row;
}

export async function getScenario(db: Db, id: number): Promise<ScenarioRow> {
  const [row] = await db.select().from(t.simulationScenarios).where(eq(t.simulationScenarios.id, id));
  if (!row) throw new StoreError('not_found', `Scenario ${id} finns inte`);
  return row;
}

/** Every saved scenario, newest first, without the YAML. */
export async function listScenarios(db: Db): Promise<Omit<ScenarioRow, 'yaml'>[]> {
  return db
    .select({
      id: t.simulationScenarios.id,
      name: t.simulationScenarios.name,
      baseVersionId: t.simulationScenarios.baseVersionId,
      budgetNeutral: t.simulationScenarios.budgetNeutral,
      scale: t.simulationScenarios.scale,
      createdBy: t.simulationScenarios.createdBy,
      createdAt: t.simulationScenarios.createdAt,
      updatedAt: t.simulationScenarios.updatedAt,
    })
    .from(t.simulationScenarios)
    .orderBy(desc(t.simulationScenarios.updatedAt), desc(t.simulationScenarios.id));
}

/** Saves over a scenario; only the one who made it may (others save a copy under a new name). */
export async function updateScenario(
  db: Db,
  id: number,
  input: ScenarioInput,
  by: string,
): Promise<ScenarioRow> {
  const current = await getScenario(db, id);
  if (current.createdBy !== by)
    throw new StoreError(
      'conflict',
      `Scenariot "${current.name}" gjordes av ${current.createdBy}; spara en kopia under ett eget namn`,
    );
  await requirePublishedBase(db, input.baseVersionId);
  const row = await db
    .update(t.simulationScenarios)
    .set({
      ...scenarioColumns(input),
      updatedAt: new Date(),
    })
    .where(eq(t.simulationScenarios.id, id))
    .returning()
    .then(returned);
  return row;
}
