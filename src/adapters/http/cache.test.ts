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

  it('answers an entry expired less than staleMs ago at once while it loads again, and drops it when the load says it is gone', async () => {
    const cache = new TtlCache<string>(1, 10, 60_000);
    await cache.getOrLoad('s', async () => ({ value: 'session', keep: true }));
    await new Promise((r) => setTimeout(r, 5));
    // The store is busy (the load does not finish): the expired entry is the answer meanwhile.
    let release!: (v: { value: string | undefined; keep: boolean }) => void;
    let loads = 0;
    const busy = () => {
      loads++;
      return new Promise<{ value: string | undefined; keep: boolean }>((r) => (release = r));
    };
    expect(await cache.getOrLoad('s', busy)).toBe('session');
    expect(await cache.getOrLoad('s', busy)).toBe('session');
    expect(loads).toBe(1);
    // The session was ended elsewhere: once the load says so, it is not answered again.
    release({ value: undefined, keep: false });
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.getOrLoad('s', async () => ({ value: undefined, keep: false }))).toBeUndefined();
  });

  it('waits for the load once an entry is older than staleMs, and forgets matching entries on deleteWhere', async () => {
    const cache = new TtlCache<string>(1, 10, 1);
    await cache.getOrLoad('s', async () => ({ value: 'gammal', keep: true }));
    await new Promise((r) => setTimeout(r, 10));
    expect(await cache.getOrLoad('s', async () => ({ value: 'ny', keep: true }))).toBe('ny');
    const fresh = new TtlCache<string>(60_000);
    await fresh.getOrLoad('a', async () => ({ value: 'user:1', keep: true }));
    await fresh.getOrLoad('b', async () => ({ value: 'user:2', keep: true }));
    fresh.deleteWhere((v) => v === 'user:1');
    expect([fresh.get('a'), fresh.get('b')]).toEqual([undefined, 'user:2']);
  });
});
