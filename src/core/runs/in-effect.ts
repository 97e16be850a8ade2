/**
 * Which run is in effect for a rulebook's month: the approved run, or, while none is approved, the
 * latest draft. A superseded run (replaced by an approved correction) never is. The overview, the
 * to-do list and the unit pages all count a month by these runs, so a month is never counted twice.
 */
export interface RunKey {
  id: number;
  rulebookId: string;
  month: string;
  status: string;
}

/** The run in effect per rulebook and month, ordered by month and then id. */
export function runsInEffect<R extends RunKey>(runs: readonly R[]): R[] {
  const byKey = new Map<string, R>();
  const rank = (r: R) => (r.status === 'approved' ? 1 : 0);
  for (const run of runs) {
    if (run.status !== 'approved' && run.status !== 'draft') continue;
    const key = `${run.rulebookId}|${run.month}`;
    const best = byKey.get(key);
    if (!best || rank(run) > rank(best) || (rank(run) === rank(best) && run.id > best.id))
      byKey.set(key, run);
  }
  return [...byKey.values()].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.id - b.id));
}

/**
 * Drafts that wait for approval: a correction, or a draft whose month has no approved run yet (a
 * draft left behind once its month got an approved run is not waiting).
 */
export function draftsAwaitingApproval<R extends RunKey & { correctsRunId: number | null }>(
  runs: readonly R[],
): R[] {
  const approved = new Set(
    runs.filter((r) => r.status === 'approved').map((r) => `${r.rulebookId}|${r.month}`),
  );
  return runs.filter(
    (r) => r.status === 'draft' && (r.correctsRunId !== null || !approved.has(`${r.rulebookId}|${r.month}`)),
  );
}
