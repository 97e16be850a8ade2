import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Set after a successful login: this browser has logged in to the account before. */
export const DEVICE_COOKIE = 'vardval_device';

interface Failures {
  count: number;
  last: number;
}

/**
 * Failed logins per account (the normalised username), with a backoff that doubles from the fifth
 * failure: 1 s, 2 s, 4 s … up to 15 minutes, forgotten after a quiet quarter of an hour. Never a
 * lockout of the real user: a browser that has logged in to the account before carries a signed
 * device cookie and is counted on its own, so someone guessing elsewhere cannot shut it out
 * (OWASP's "device cookie" scheme). The client address plays no part: behind a proxy every user
 * would share one.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, Failures>();
  private readonly secret: Buffer;

  constructor(
    private readonly free = 5,
    private readonly maxWaitMs = 15 * 60_000,
    private readonly forgetMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.secret = process.env.VARDVAL_SECRET
      ? Buffer.from(process.env.VARDVAL_SECRET, 'utf8')
      : randomBytes(32);
  }

  /** The account's key, or the account-and-device key when the cookie was issued for this account. */
  key(username: string, deviceCookie: string | undefined): string {
    return deviceCookie && this.deviceValid(username, deviceCookie)
      ? `${username}\u0000${deviceCookie}`
      : username;
  }

  deviceToken(username: string): string {
    const nonce = randomBytes(12).toString('base64url');
    return `${nonce}.${this.sign(username, nonce)}`;
  }

  /** Seconds to wait before the next try (0: try now). */
  waitSeconds(key: string): number {
    const f = this.current(key);
    if (!f || f.count < this.free) return 0;
    const waitMs = Math.min(this.maxWaitMs, 1000 * 2 ** (f.count - this.free));
    const left = f.last + waitMs - this.now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  fail(key: string): void {
    const f = this.current(key);
    this.failures.set(key, { count: (f?.count ?? 0) + 1, last: this.now() });
    if (this.failures.size > 100_000) this.prune();
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string): Failures | undefined {
    const f = this.failures.get(key);
    if (f && this.now() - f.last > this.forgetMs + this.maxWaitMs) {
      this.failures.delete(key);
      return undefined;
    }
    return f;
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.current(key);
  }

  private sign(username: string, nonce: string): string {
    return createHmac('sha256', this.secret).update(`${username}\u0000${nonce}`).digest('base64url');
  }

  private deviceValid(username: string, cookie: string): boolean {
    const [nonce, mac] = cookie.split('.');
    if (!nonce || !mac || cookie.length > 200) return false;
    const expected = Buffer.from(this.sign(username, nonce));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
