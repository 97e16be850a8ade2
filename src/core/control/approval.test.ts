import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONTROL,
  fourEyesRefusal,
  monthOrder,
  publisherRefusal,
  type EarlierRun,
} from './approval.js';

const R = 'exempel/vardval/2025';
const run = (id: number, month: string, status = 'approved', rulebookId = R): EarlierRun => ({
  id,
  month,
  rulebookId,
  status,
});
const order = (month: string, earlier: EarlierRun[], reason?: string) =>
  monthOrder({ month, rulebookId: R, validFromMonth: '2025-01', earlier, missingMonthReason: reason });

describe('monthOrder', () => {
  it('lets the first month of a stream through and the next one after an approved month', () => {
    expect(order('2025-03', [])).toEqual({ missingMonths: [] });
    expect(order('2025-04', [run(1, '2025-03')])).toEqual({ missingMonths: [] });
    // A correction superseded the approved run: the month is still approved.
    expect(order('2025-04', [run(1, '2025-03', 'superseded'), run(2, '2025-03')]).refusal).toBeUndefined();
  });

  it('names the month before when it is only a draft', () => {
    expect(order('2025-04', [run(1, '2025-02'), run(7, '2025-03', 'draft')]).refusal).toMatch(
      /^2025-03 är inte godkänd \(exempel\/vardval\/2025, körning 7 är ett utkast\)/,
    );
  });

  it('needs a written reason for months without any run, and then checks the month before the gap', () => {
    const earlier = [run(1, '2025-02')];
    expect(order('2025-05', earlier).refusal).toMatch(/^2025-03 – 2025-04 saknar körning/);
    expect(order('2025-05', earlier, '  ').refusal).toMatch(/saknar körning/);
    expect(order('2025-05', earlier, 'Systembyte')).toEqual({ missingMonths: ['2025-04', '2025-03'] });
    expect(order('2025-05', [run(1, '2025-02', 'draft')], 'Systembyte').refusal).toMatch(
      /^2025-02 är inte godkänd/,
    );
  });

  it('follows the stream across rulebooks: January after last year’s December, other rulebooks ignored', () => {
    const other = 'exempel/vardval/2024';
    const january = (earlier: EarlierRun[]) =>
      monthOrder({
        month: '2026-01',
        rulebookId: 'exempel/vardval/2026',
        validFromMonth: '2026-01',
        earlier,
      });
    expect(january([run(3, '2025-12', 'draft', other)]).refusal).toMatch(
      /^2025-12 är inte godkänd \(exempel\/vardval\/2024/,
    );
    expect(january([run(3, '2025-12', 'approved', other)]).refusal).toBeUndefined();
    // Within its validity only the rulebook's own runs count.
    expect(order('2025-04', [run(1, '2025-03', 'approved', 'annan/2025')]).refusal).toBeUndefined();
    expect(
      order('2025-04', [run(1, '2025-02'), run(2, '2025-03', 'approved', 'annan/2025')]).refusal,
    ).toMatch(/2025-03 saknar körning/);
  });
});

describe('four eyes', () => {
  it('refuses the preparer and the publisher, unless the rule is off', () => {
    const r = { id: 9, createdBy: 'anna', rulebookPublishedBy: 'bo' };
    expect(fourEyesRefusal('anna', r, DEFAULT_CONTROL)).toMatch(/anna beräknade körning 9/);
    expect(fourEyesRefusal('bo', r, DEFAULT_CONTROL)).toMatch(/bo publicerade regelboksversionen/);
    expect(fourEyesRefusal('cecilia', r, DEFAULT_CONTROL)).toBeUndefined();
    expect(fourEyesRefusal('anna', r, { ...DEFAULT_CONTROL, fourEyes: false })).toBeUndefined();
    const draft = { id: 3, createdBy: 'anna', editedBy: 'bo' };
    expect(publisherRefusal('anna', draft, DEFAULT_CONTROL)).toMatch(
      /anna skrev utkastet till regelboksversion 3/,
    );
    expect(publisherRefusal('bo', draft, DEFAULT_CONTROL)).toMatch(/bo skrev utkastet/);
    expect(publisherRefusal('cecilia', draft, DEFAULT_CONTROL)).toBeUndefined();
  });
});
