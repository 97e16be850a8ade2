/**
 * A small time-bounded cache. Sessions are looked up on every request and approved statements never
 * change, so the embedded store (one connection) need not answer the same question fifty times a
 * second. Entries expire after `ttlMs`; the oldest go first beyond `max`.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly loading = new Map<string, Promise<V | undefined>>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
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

  /**
   * The cached value, or else one load shared by every caller that asks for the same key while it
   * runs: when an entry expires under load, fifty waiting requests make one query, not fifty.
   * `load` says whether its value may be kept.
   */
  getOrLoad(
    key: string,
    load: () => Promise<{ value: V | undefined; keep: boolean }>,
  ): Promise<V | undefined> {
    const hit = this.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load().then(
        ({ value, keep }) => {
          if (this.loading.get(key) === pending) {
            this.loading.delete(key);
            if (keep && value !== undefined) this.set(key, value);
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
    return pending;
  }
}
