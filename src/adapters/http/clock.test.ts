import { describe, expect, it } from 'vitest';
import { todayOf } from './clock.js';

describe("the server's date", () => {
  it('is a calendar date in Stockholm unless a test sets it', () => {
    const real = todayOf({});
    expect(real).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Stockholm is UTC+1 or +2: its date is UTC's date or the day after.
    const utc = new Date();
    const next = new Date(utc.getTime() + 86_400_000);
    expect([utc.toISOString().slice(0, 10), next.toISOString().slice(0, 10)]).toContain(real);
    expect(todayOf({ today: () => '2026-12-29' })).toBe('2026-12-29');
  });
});
