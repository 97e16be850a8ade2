import type { Db } from '../adapters/store/connection.js';
import { approveRun, createRun, type ApproveOptions } from '../adapters/store/runs.js';

/**
 * The attestation order needs two people: tests that compute runs as one user approve them as this
 * other one, with a comment as the approver writes it.
 */
export const TEST_APPROVER = 'attestant';

export function approveAsSecondPerson(
  db: Db,
  runId: number,
  options: ApproveOptions = {},
): ReturnType<typeof approveRun> {
  return approveRun(db, runId, TEST_APPROVER, { comment: 'Granskad i testet', ...options });
}

/** A run of the month computed by `test` on the batch and approved by the second person; its id. */
export async function approvedRun(
  db: Db,
  month: string,
  versionId: number,
  batchId: number,
): Promise<number> {
  const { runId } = await createRun(db, month, versionId, batchId, 'test');
  await approveAsSecondPerson(db, runId);
  return runId;
}
