import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../core/access.js';
import type { SessionUser } from './context.js';
import { HttpError } from './problem.js';

/** Who may call what: src/core/access.ts, shared with the web interface. */
export { ACCESS } from '../../core/access.js';

export function requireRole(
  c: { get: (key: 'user') => SessionUser | undefined },
  allowed: readonly Role[],
): SessionUser {
  const user = c.get('user');
  if (!user) throw new HttpError(401, 'Inloggning krävs', 'Logga in med POST /api/session');
  if (!allowed.includes(user.role))
    throw new HttpError(403, 'Behörighet saknas', `Rollen ${user.role} får inte göra detta`);
  return user;
}

/** What a route's handler has once its right was checked: the signed-in user, `c.get('user')`. */
export type SignedInEnv = { Variables: { user: SessionUser } };

/**
 * A route's right as its middleware: 401 without a session, 403 for a role not `allowed`, both
 * before the request is validated. The handler then reads the user with `c.get('user')`.
 */
export const requireRight =
  (allowed: readonly Role[]): MiddlewareHandler<SignedInEnv> =>
  async (c, next) => {
    requireRole(c, allowed);
    await next();
  };

/** A provider sees only its own units; anything else is "not found", so nothing leaks. */
export function canSeeProvider(user: SessionUser, providerId: string): boolean {
  return user.role !== 'provider' || user.providerId === providerId;
}

/**
 * The organisation a request acts for, its number without the dash: a provider acts only for itself,
 * for any other the request is refused (403), saying what it does (`ansöker`) only for itself.
 */
export function actingFor(user: SessionUser, orgNr: string, does: string): string {
  const providerId = orgNr.replace('-', '');
  if (!canSeeProvider(user, providerId))
    throw new HttpError(403, 'Behörighet saknas', `En vårdgivare ${does} bara för sin egen organisation`);
  return providerId;
}

/** The rows a user may see: a provider its own, anyone else all of them. */
export function visibleTo<R extends { providerId: string }>(user: SessionUser, rows: readonly R[]): R[] {
  return rows.filter((r) => canSeeProvider(user, r.providerId));
}

/**
 * Small counts (röjandekontroll): an analyst sees aggregates, and a count of 1–4 persons could point
 * out someone, so it is shown as null ("<5" on the page). Zero and 5 or more are shown as they are.
 */
export const SMALL_COUNT_LIMIT = 5;

export function hidesSmallCounts(user: SessionUser): boolean {
  return user.role === 'analyst';
}

export function shownCount(user: SessionUser, n: number): number | null {
  return hidesSmallCounts(user) && n > 0 && n < SMALL_COUNT_LIMIT ? null : n;
}
