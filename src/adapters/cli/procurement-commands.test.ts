import { describe, expect, it } from 'vitest';
import { main } from './main.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'vardval', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('vardval standstill', () => {
  it('prints exactly the last day and the earliest signing day as JSON', async () => {
    const r = await cli('standstill', '--sent', '2025-03-03');
    expect(r.code).toBe(0);
    expect(r.out).toBe('{"last_day": "2025-03-13", "earliest_signing": "2025-03-14"}');
  });

  it('counts 15 days when not sent electronically, and moves past Easter', async () => {
    expect(JSON.parse((await cli('standstill', '--sent', '2025-03-03', '--not-electronic')).out)).toEqual({
      last_day: '2025-03-18',
      earliest_signing: '2025-03-19',
    });
    expect(JSON.parse((await cli('standstill', '--sent', '2025-04-08')).out)).toEqual({
      last_day: '2025-04-22',
      earliest_signing: '2025-04-23',
    });
  });

  it('exits 2 with a Swedish message for a date that does not exist', async () => {
    const r = await cli('standstill', '--sent', '2025-02-30');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('inget giltigt datum');
    expect(r.err).toContain('ÅÅÅÅ-MM-DD');
    expect((await cli('standstill')).code).toBe(2);
  });
});
