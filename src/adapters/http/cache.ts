/**
 * A small time-bounded cache. Sessions are looked up on every request and approved statements never
 * change, so the embedded store (one connection) need not answer the same question fifty times a
 * second. Entries expire after `ttlMs`; the oldest go first beyond `max`. With `staleMs`, an expired
 * entry is still answered for that long while it is loaded again (getOrLoad).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly loading = new Map<string, Promise<V | undefined>>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
    private readonly staleMs = 0,
  ) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  /** Forgets every entry whose value matches (a disabled user's sessions), loading or not. */
  deleteWhere(match: (value: V) => boolean): void {
    for (const [key, e] of this.entries) if (match(e.value)) this.delete(key);
  }

  /**
   * The cached value, or else one load shared by every caller that asks for the same key while it
   * runs: when an entry expires under load, fifty waiting requests make one query, not fifty.
   * `load` says whether its value may be kept (if not, an expired entry is dropped). An entry
   * expired less than `staleMs` ago is answered at once while the load runs.
   */
  getOrLoad(
    key: string,
    load: () => Promise<{ value: V | undefined; keep: boolean }>,
  ): Promise<V | undefined> {
    const entry = this.entries.get(key);
    const now = Date.now();
    if (entry && entry.until >= now) return Promise.resolve(entry.value);
    const stale = entry && entry.until + this.staleMs >= now ? entry : undefined;
    if (entry && !stale) this.entries.delete(key);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load().then(
        ({ value, keep }) => {
          if (this.loading.get(key) === pending) {
            this.loading.delete(key);
            if (keep && value !== undefined) this.set(key, value);
            else this.entries.delete(key);
          }
          return value;
        },
        (error: unknown) => {
          this.loading.delete(key);
          throw error;
        },
      );
      this.loading.set(key, pending);
    }
    if (stale) {
      // Whoever waits for the load sees its failure; this caller has its answer.
      pending.catch(() => {});
      return Promise.resolve(stale.value);
    }
    return pending;
  }
}
