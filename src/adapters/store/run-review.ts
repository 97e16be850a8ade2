import { eq, inArray } from 'drizzle-orm';
import type { Db } from './connection.js';
import { approvedRunOf, earlierRuns } from './runs.js';
import * as t from './schema.js';

type RunRow = typeof t.paymentRuns.$inferSelect;

/**
 * What a run is reviewed against: for a correction, the approved run it corrects; otherwise the
 * last approved month of its payment stream (its rulebook, and before that rulebook was valid, the
 * region's runs, e.g. last year's December for January). Undefined when nothing is approved yet.
 */
export async function reviewBaseline(
  db: Db,
  run: RunRow,
): Promise<
  { month: string; runIds: number[]; statements: (typeof t.statements.$inferSelect)[] } | undefined
> {
  let runIds: number[];
  let month: string;
  if (run.correctsRunId !== null) {
    const approved = await approvedRunOf(db, run.rulebookId, run.month);
    if (!approved) return undefined;
    runIds = [approved.id];
    month = run.month;
  } else {
    const [version] = await db
      .select()
      .from(t.rulebookVersions)
      .where(eq(t.rulebookVersions.id, run.rulebookVersionId));
    if (!version)
      throw new Error(`Run ${run.id} names rulebook version ${run.rulebookVersionId}, which is gone`);
    const approved = (await earlierRuns(db, run, version)).filter((r) => r.status === 'approved');
    if (approved.length === 0) return undefined;
    month = approved.reduce((m, r) => (r.month > m ? r.month : m), '');
    runIds = approved.filter((r) => r.month === month).map((r) => r.id);
  }
  const statements = await db.select().from(t.statements).where(inArray(t.statements.runId, runIds));
  return { month, runIds, statements };
}

/** A stored run, undefined when there is none with the id. */
export async function findRun(db: Db, runId: number): Promise<typeof t.paymentRuns.$inferSelect | undefined> {
  const [run] = await db.select().from(t.paymentRuns).where(eq(t.paymentRuns.id, runId));
  return run;
}
