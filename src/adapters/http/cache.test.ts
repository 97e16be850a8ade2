import { describe, expect, it } from 'vitest';
import { TtlCache } from './cache.js';

describe('TtlCache.getOrLoad', () => {
  it('makes one load for many callers asking at once, and keeps what it may keep', async () => {
    const cache = new TtlCache<string>(60_000);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return { value: 'underlag', keep: true };
    };
    const values = await Promise.all(Array.from({ length: 50 }, () => cache.getOrLoad('k', load)));
    expect(values).toEqual(Array(50).fill('underlag'));
    expect(loads).toBe(1);
    await cache.getOrLoad('k', load);
    expect(loads).toBe(1);
  });

  it('loads again when the value may not be kept (a draft run) or the load failed', async () => {
    const cache = new TtlCache<string>(60_000);
    let loads = 0;
    await cache.getOrLoad('k', async () => ({ value: `v${++loads}`, keep: false }));
    expect(await cache.getOrLoad('k', async () => ({ value: `v${++loads}`, keep: false }))).toBe('v2');
    await expect(cache.getOrLoad('e', () => Promise.reject(new Error('nere')))).rejects.toThrow('nere');
    expect(await cache.getOrLoad('e', async () => ({ value: 'upp', keep: true }))).toBe('upp');
  });

  it('forgets a key at once on delete (logout), even while it is loading', async () => {
    const cache = new TtlCache<string>(60_000);
    let release!: () => void;
    const slow = cache.getOrLoad(
      's',
      () => new Promise((r) => (release = () => r({ value: 'gammal', keep: true }))),
    );
    cache.delete('s');
    release();
    await slow;
    expect(cache.get('s')).toBeUndefined();
  });
});
