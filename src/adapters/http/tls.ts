import type { Context } from 'hono';
import type { AppDeps } from './context.js';

/**
 * Whether the browser reached us over TLS: the request's own scheme, or a proxy's
 * X-Forwarded-Proto when VARDVAL_TRUST_PROXY=1 says a proxy is in front. VARDVAL_SECURE_COOKIES=1
 * forces it (TLS ends before a proxy that does not say so).
 */
export function overTls(c: Context, deps: Pick<AppDeps, 'secureCookies'>): boolean {
  if (deps.secureCookies) return true;
  if (new URL(c.req.url).protocol === 'https:') return true;
  return process.env.VARDVAL_TRUST_PROXY === '1' && c.req.header('x-forwarded-proto') === 'https';
}
