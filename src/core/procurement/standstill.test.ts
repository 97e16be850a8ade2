import { describe, expect, it } from 'vitest';
import { formatDate, parseDate } from '../calendar.js';
import { easterSunday, nonWorkingReason, swedishHolidays } from './holidays.js';
import { maySign, standstill } from './standstill.js';

const d = (s: string) => parseDate(s)!;
const run = (sent: string, electronic = true) => {
  const s = standstill(d(sent), electronic);
  return { last_day: formatDate(s.lastDay), earliest_signing: formatDate(s.earliestSigning) };
};

describe('Swedish holidays', () => {
  it('puts Easter Sunday on the known dates', () => {
    expect([2019, 2024, 2025, 2026, 2038, 2285].map((y) => formatDate(easterSunday(y)))).toEqual([
      '2019-04-21',
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2038-04-25',
      '2285-03-22',
    ]);
  });

  it('lists the movable holidays of 2025 and 2026 on the right days', () => {
    const named = (y: number) =>
      Object.fromEntries(swedishHolidays(y).map((h) => [h.name, formatDate(h.date)]));
    expect(named(2025)).toMatchObject({
      långfredagen: '2025-04-18',
      'annandag påsk': '2025-04-21',
      'Kristi himmelsfärds dag': '2025-05-29',
      pingstdagen: '2025-06-08',
      midsommarafton: '2025-06-20',
      midsommardagen: '2025-06-21',
      'alla helgons dag': '2025-11-01',
    });
    expect(named(2026)).toMatchObject({
      midsommarafton: '2026-06-19',
      'alla helgons dag': '2026-10-31',
      'Kristi himmelsfärds dag': '2026-05-14',
    });
  });

  it('treats eves and weekends as non-working, an ordinary Tuesday not', () => {
    expect(nonWorkingReason(d('2025-12-24'))).toBe('julafton');
    expect(nonWorkingReason(d('2025-12-31'))).toBe('nyårsafton');
    expect(nonWorkingReason(d('2025-06-06'))).toBe('Sveriges nationaldag');
    expect(nonWorkingReason(d('2025-03-15'))).toBe('lördag');
    expect(nonWorkingReason(d('2025-03-16'))).toBe('söndag');
    expect(nonWorkingReason(d('2025-03-18'))).toBeUndefined();
  });
});

describe('standstill (avtalsspärr)', () => {
  it('counts 10 days from the day after an electronic sending, 15 otherwise', () => {
    expect(run('2025-03-03')).toEqual({ last_day: '2025-03-13', earliest_signing: '2025-03-14' });
    expect(run('2025-03-03', false)).toEqual({ last_day: '2025-03-18', earliest_signing: '2025-03-19' });
  });

  it('moves a last day on a Saturday to the Monday', () => {
    const s = standstill(d('2025-03-05'), true);
    expect(formatDate(s.nominalLastDay)).toBe('2025-03-15');
    expect(run('2025-03-05')).toEqual({ last_day: '2025-03-17', earliest_signing: '2025-03-18' });
    expect(s.moved.map((m) => m.reason)).toEqual(['lördag', 'söndag']);
  });

  it('moves past the whole Easter weekend', () => {
    // 2025-04-18 is Good Friday; Saturday, Easter Sunday and Easter Monday follow.
    expect(run('2025-04-08')).toEqual({ last_day: '2025-04-22', earliest_signing: '2025-04-23' });
  });

  it('moves past midsummer eve and midsummer day', () => {
    expect(run('2025-06-10')).toEqual({ last_day: '2025-06-23', earliest_signing: '2025-06-24' });
    expect(standstill(d('2025-06-10'), true).moved[0]).toEqual({
      date: d('2025-06-20'),
      reason: 'midsommarafton',
    });
  });

  it('moves past Christmas and New Year, and past Epiphany', () => {
    expect(run('2025-12-14')).toEqual({ last_day: '2025-12-29', earliest_signing: '2025-12-30' });
    expect(run('2025-12-21')).toEqual({ last_day: '2026-01-02', earliest_signing: '2026-01-03' });
    expect(run('2025-12-16', false)).toEqual({ last_day: '2026-01-02', earliest_signing: '2026-01-03' });
    expect(run('2025-12-27')).toEqual({ last_day: '2026-01-07', earliest_signing: '2026-01-08' });
  });

  it('refuses signing on the last day and allows it the day after', () => {
    const s = standstill(d('2025-04-08'), true);
    expect(maySign(s, d('2025-04-22'))).toBe(false);
    expect(maySign(s, d('2025-04-23'))).toBe(true);
  });
});
