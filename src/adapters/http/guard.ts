import type { Context } from 'hono';
import type { Role } from '../../core/access.js';
import type { AppEnv, SessionUser } from './context.js';
import { HttpError } from './problem.js';

/** Who may call what: src/core/access.ts, shared with the web interface. */
export { ACCESS } from '../../core/access.js';

export function requireRole(c: Context<AppEnv>, allowed: readonly Role[]): SessionUser {
  const user = c.get('user');
  if (!user) throw new HttpError(401, 'Inloggning krävs', 'Logga in med POST /api/session');
  if (!allowed.includes(user.role))
    throw new HttpError(403, 'Behörighet saknas', `Rollen ${user.role} får inte göra detta`);
  return user;
}

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
