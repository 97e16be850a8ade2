import { describe, expect, it } from 'vitest';
import { draftsAwaitingApproval, runsInEffect } from './in-effect.js';

const run = (
  id: number,
  month: string,
  status: string,
  rulebookId = 'r',
  correctsRunId: number | null = null,
) => ({
  id,
  month,
  status,
  rulebookId,
  correctsRunId,
});

describe('the run in effect', () => {
  it('takes the approved run of a month, else its latest draft, and never a superseded one', () => {
    const picked = runsInEffect([
      run(1, '2025-01', 'approved'),
      run(2, '2025-01', 'draft'),
      run(3, '2025-02', 'draft'),
      run(4, '2025-02', 'draft'),
      run(5, '2025-03', 'superseded'),
    ]);
    expect(picked.map((r) => r.id)).toEqual([1, 4]);
  });

  it('keeps one run per rulebook of a month (differentiated choice systems), ordered by month and id', () => {
    const picked = runsInEffect([
      run(7, '2025-02', 'draft', 'landsbygd'),
      run(6, '2025-02', 'approved', 'tatort'),
      run(2, '2025-01', 'approved', 'landsbygd'),
      run(9, '2025-02', 'approved', 'landsbygd'),
    ]);
    expect(picked.map((r) => r.id)).toEqual([2, 6, 9]);
  });
});

describe('drafts awaiting approval', () => {
  it('leaves out a draft whose month got an approved run, but not a correction of it', () => {
    const waiting = draftsAwaitingApproval([
      run(1, '2025-01', 'approved'),
      run(2, '2025-01', 'draft'),
      run(3, '2025-01', 'draft', 'r', 1),
      run(4, '2025-02', 'draft'),
      run(5, '2025-02', 'draft', 'annan'),
    ]);
    expect(waiting.map((r) => r.id)).toEqual([3, 4, 5]);
  });
});
