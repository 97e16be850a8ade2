import { describe, expect, it } from 'vitest';
import { OPEN_END } from '../calendar.js';
import { changesInYearBefore, planListingChange, type ListingPeriod } from './change.js';

const listable = () => true;
const p = (unitId: string, from: number, to = OPEN_END): ListingPeriod => ({
  unitId,
  doctorId: null,
  from,
  to,
});

describe('listing change (omlistning)', () => {
  it('closes the period in force on the change day and opens a new one', () => {
    const r = planListingChange(
      [p('U1', 20200101)],
      { unitId: 'U2', doctorId: 'L7', from: 20250315 },
      { listable },
    );
    expect(r).toEqual({
      ok: true,
      closes: 0,
      opens: { unitId: 'U2', doctorId: 'L7', from: 20250315, to: OPEN_END },
    });
  });

  it('counts changes in the 12 months before the day, not first listings or returns after a gap', () => {
    const history = [
      p('U1', 20230101, 20240601),
      p('U2', 20240601, 20241001),
      p('U3', 20241101, 20250101),
      p('U1', 20250101),
    ];
    // 2024-06-01 is more than a year before 2025-06-02; 2024-11-01 follows a gap; 2025-01-01 is a change.
    expect(changesInYearBefore(history, 20250602)).toBe(1);
    expect(changesInYearBefore(history, 20250531)).toBe(2);
  });

  it('refuses a third change within 12 months when the rulebook allows two, and allows it the day after', () => {
    const history = [p('U1', 20200101, 20240615), p('U2', 20240615, 20250101), p('U3', 20250101)];
    const rules = { listable, maxChangesPer12Months: 2 };
    const refused = planListingChange(history, { unitId: 'U4', doctorId: null, from: 20250614 }, rules);
    expect(refused).toMatchObject({ ok: false, code: 'too_many_changes' });
    expect(planListingChange(history, { unitId: 'U4', doctorId: null, from: 20250616 }, rules)).toMatchObject(
      { ok: true, closes: 2 },
    );
    expect(
      planListingChange(history, { unitId: 'U4', doctorId: null, from: 20250614 }, { listable }),
    ).toMatchObject({ ok: true });
  });

  it('refuses a change back in time, to the same unit and doctor, and to a unit that takes no listings', () => {
    const history = [p('U1', 20250101)];
    expect(
      planListingChange(history, { unitId: 'U2', doctorId: null, from: 20241231 }, { listable }),
    ).toMatchObject({ ok: false, code: 'before_latest' });
    expect(
      planListingChange(history, { unitId: 'U1', doctorId: null, from: 20250301 }, { listable }),
    ).toMatchObject({ ok: false, code: 'same_unit' });
    expect(
      planListingChange(
        history,
        { unitId: 'F1', doctorId: null, from: 20250301 },
        { listable: (u) => u !== 'F1' },
      ),
    ).toMatchObject({ ok: false, code: 'unit_not_listable' });
  });

  it('opens a first listing for a person with no history', () => {
    expect(
      planListingChange(
        [],
        { unitId: 'U1', doctorId: null, from: 20250301 },
        { listable, maxChangesPer12Months: 2 },
      ),
    ).toMatchObject({ ok: true, closes: undefined });
  });
});
