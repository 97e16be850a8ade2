import type { Context } from 'hono';
import type { Role } from '../store/users.js';
import type { AppEnv, SessionUser } from './context.js';
import { HttpError } from './problem.js';

/** Who may call what: one place, read by the routes and by the authorization-matrix test. */
export const ACCESS = {
  readRegistry: ['admin', 'officer', 'provider', 'analyst'],
  // A unit's payment is no personal data and is a public record (allmän handling): an analyst reads
  // runs and per-unit statements. Personal data (persons, listings) stays with the region's officers.
  readRuns: ['admin', 'officer', 'provider', 'analyst'],
  changeRuns: ['admin', 'officer'],
  /** The approver right (attesträtt) is given and taken by the admin. */
  grantApprover: ['admin'],
  readRulebooks: ['admin', 'officer', 'provider', 'analyst'],
  changeRulebooks: ['admin', 'officer'],
  readPersons: ['admin', 'officer'],
  changePersons: ['admin', 'officer'],
  readAudit: ['admin', 'auditor'],
  manageUsers: ['admin'],
  // The comparison of the regions holds only published rulebook facts and counts, no person data.
  readComparison: ['admin', 'officer', 'provider', 'analyst', 'auditor'],
  /** Applications, tenders, activity records: a provider for itself, the region for anyone. */
  apply: ['admin', 'officer', 'provider'],
  /** Assessing, deciding, awarding and signing are the region's. */
  decideProcurement: ['admin', 'officer'],
  /** National-tariff activity is evidence the region records, never something a provider declares. */
  recordActivity: ['admin', 'officer'],
  // Follow-up (uppföljning): indicators and conformance; an analyst gets aggregates only.
  readFollowUp: ['admin', 'officer', 'provider', 'analyst'],
  // Facts for requirement conformance: officers for any unit, a provider for its own units.
  reportFacts: ['admin', 'officer', 'provider'],
  // Sanctions: a provider sees and answers its own; the region proposes and decides.
  readSanctions: ['admin', 'officer', 'provider'],
  answerSanctions: ['admin', 'officer', 'provider'],
  decideSanctions: ['admin', 'officer'],
} as const satisfies Record<string, readonly Role[]>;

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
