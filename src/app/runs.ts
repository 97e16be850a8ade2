import type { Db } from '../adapters/store/connection.js';
import { loadRunsInEffect, type RunRow } from '../adapters/store/run-views.js';
import { approveRun, createRun, type ApproveOptions, type CreatedRun } from '../adapters/store/runs.js';
import { StoreError } from '../adapters/store/store-error.js';
import { latestBatchId } from '../adapters/store/units.js';

/**
 * Paying a month from the store, as the HTTP API (and any other caller) does it: compute a draft
 * from an import and a published rulebook version, approve it under the attestation order, and read
 * which run is in effect. A draft for a month that already has an approved run is a correction
 * (the core's correction line, src/core/runs/correction.ts); the run in effect is the core's rule
 * (src/core/runs/in-effect.ts).
 */

export interface MonthToPay {
  month: string;
  rulebookVersionId: number;
  /** The import to compute from; the latest when left out. */
  batchId?: number;
  /** Who computes it (the four-eyes rule keeps this person from approving it). */
  by: string | null;
}

/** Computes the month's draft run (or correction); refuses when nothing has been imported. */
export async function computeMonth(db: Db, what: MonthToPay): Promise<CreatedRun> {
  const batchId = what.batchId ?? (await latestBatchId(db));
  if (batchId === undefined)
    throw new StoreError('conflict', 'Importera en datamapp först', undefined, 'Inga data');
  return createRun(db, what.month, what.rulebookVersionId, batchId, what.by);
}

/** Approves a draft under the attestation order; returns the months accepted as missing before it. */
export async function approveMonth(
  db: Db,
  runId: number,
  by: string | null,
  options: ApproveOptions = {},
): Promise<{ missingMonths: string[] }> {
  return approveRun(db, runId, by, options);
}

/** The run in effect per rulebook and month: the approved one, else the latest draft. */
export async function runsInEffect(db: Db): Promise<RunRow[]> {
  return loadRunsInEffect(db);
}
