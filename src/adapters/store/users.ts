import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, lte, ne, sql } from 'drizzle-orm';
import { hashPassword, PasswordError, verifyPassword } from '../auth/passwords.js';
import { ROLES, type Role } from '../../core/access.js';
import { normalizeOrganisationNumber } from '../../core/identity.js';
import type { Db } from './connection.js';
import { isUniqueViolation, StoreError } from './store-error.js';
import * as t from './schema.js';
import { returned } from './returned.js';

/**
 * Users, their sessions and the audit log. A session token is handed to the browser once and only
 * its sha256 is stored, so a copy of the database cannot be used to log in. The audit log is
 * append-only: the database itself refuses updates and deletes.
 */

export { ROLES, type Role };

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export type UserErrorCode =
  | 'invalid_username'
  | 'username_taken'
  | 'invalid_password'
  | 'invalid_role'
  | 'provider_required'
  | 'provider_not_allowed'
  | 'invalid_provider';

const POINTER = {
  username: '/username',
  password: '/password',
  role: '/role',
  providerId: '/provider_id',
} as const;

/**
 * A user the store refuses: a StoreError (a taken name a conflict, an unknown user not found, the
 * rest invalid) with the reason and the input at fault; `field` names it for the CLI's options.
 */
export class UserError extends StoreError {
  constructor(
    readonly reason: UserErrorCode | 'unknown_user',
    readonly field: keyof typeof POINTER,
    message: string,
  ) {
    super(
      reason === 'username_taken' ? 'conflict' : reason === 'unknown_user' ? 'not_found' : 'invalid',
      message,
      reason === 'unknown_user' ? undefined : POINTER[field],
      reason === 'unknown_user' ? undefined : 'Användaren kunde inte sparas',
    );
    this.name = 'UserError';
  }
}

export interface User {
  id: number;
  username: string;
  role: Role;
  /** The provider's organisationsnummer (10 digits) for role `provider`, otherwise null. */
  providerId: string | null;
}

export interface StoredUser extends User {
  passwordHash: string;
  disabled: boolean;
}

export interface NewUser {
  username: string;
  password: string;
  role: string;
  providerId?: string | null;
  /** The approver right (attesträtt): may approve payment runs whatever the installation's approver roles. */
  approver?: boolean;
}

const USERNAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/;

/** Usernames are compared case-insensitively: stored trimmed and in lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** `556016-0680` or `5560160680` → `5560160680`; undefined when it is not an organisationsnummer. */
export const normalizeOrgNr = normalizeOrganisationNumber;

function toUser(row: { id: number; username: string; role: string; providerId: string | null }): User {
  return { id: row.id, username: row.username, role: row.role as Role, providerId: row.providerId };
}

export async function createUser(db: Db, input: NewUser): Promise<User> {
  const username = normalizeUsername(input.username ?? '');
  if (!USERNAME.test(username))
    throw new UserError(
      'invalid_username',
      'username',
      `Användarnamnet "${input.username}" går inte att använda: 2–64 tecken, bokstäverna a–z, siffror och . _ @ -`,
    );
  if (!isRole(input.role))
    throw new UserError(
      'invalid_role',
      'role',
      `Rollen "${input.role}" finns inte; välj en av ${ROLES.join(', ')}`,
    );
  const rawProvider = input.providerId?.trim() || undefined;
  let providerId: string | null = null;
  if (input.role === 'provider') {
    if (!rawProvider)
      throw new UserError(
        'provider_required',
        'providerId',
        'En användare med rollen provider måste höra till en vårdgivare: ange vårdgivarens organisationsnummer',
      );
    const orgNr = normalizeOrgNr(rawProvider);
    if (!orgNr)
      throw new UserError(
        'invalid_provider',
        'providerId',
        `"${rawProvider}" är inget giltigt organisationsnummer (10 siffror med korrekt kontrollsiffra)`,
      );
    providerId = orgNr;
  } else if (rawProvider) {
    throw new UserError(
      'provider_not_allowed',
      'providerId',
      `Endast rollen provider hör till en vårdgivare; rollen ${input.role} kan inte ha organisationsnummer`,
    );
  }
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(input.password ?? '');
  } catch (error) {
    if (error instanceof PasswordError) throw new UserError('invalid_password', 'password', error.message);
    throw error;
  }
  const taken = () =>
    new UserError('username_taken', 'username', `Användarnamnet ${username} är redan upptaget`);
  if (await findUserByUsername(db, username)) throw taken();
  try {
    const row = await db
      .insert(t.users)
      .values({ username, passwordHash, role: input.role, providerId, approver: input.approver === true })
      .returning()
      .then(returned);
    return toUser(row);
  } catch (error) {
    // Two creations racing for the same name: the unique index decides.
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function findUserByUsername(db: Db, username: string): Promise<StoredUser | undefined> {
  const [row] = await db
    .select()
    .from(t.users)
    .where(eq(t.users.username, normalizeUsername(username)));
  return row
    ? { ...toUser(row), passwordHash: row.passwordHash, disabled: row.disabledAt !== null }
    : undefined;
}

export async function listUsers(db: Db): Promise<(User & { createdAt: Date; disabled: boolean })[]> {
  const rows = await db.select().from(t.users).orderBy(t.users.username);
  return rows.map((r) => ({ ...toUser(r), createdAt: r.createdAt, disabled: r.disabledAt !== null }));
}

/**
 * An admin's change to an account: its role (and provider), disabled or enabled. Disabling ends the
 * account's sessions at once. Throws UserError for a role or provider that does not fit.
 */
export async function updateUser(
  db: Db,
  id: number,
  change: { role?: string; providerId?: string | null; disabled?: boolean },
): Promise<User & { disabled: boolean }> {
  const [current] = await db.select().from(t.users).where(eq(t.users.id, id));
  if (!current) throw new UserError('unknown_user', 'username', `Användare ${id} finns inte`);
  const role = change.role ?? current.role;
  if (!isRole(role))
    throw new UserError(
      'invalid_role',
      'role',
      `Rollen "${role}" finns inte; välj en av ${ROLES.join(', ')}`,
    );
  let providerId = change.providerId === undefined ? current.providerId : change.providerId?.trim() || null;
  if (role === 'provider') {
    const orgNr = providerId ? normalizeOrgNr(providerId) : undefined;
    if (!orgNr)
      throw new UserError(
        providerId ? 'invalid_provider' : 'provider_required',
        'providerId',
        'En användare med rollen provider måste höra till en vårdgivare: ange ett giltigt organisationsnummer',
      );
    providerId = orgNr;
  } else providerId = null;
  const row = await db
    .update(t.users)
    .set({
      role,
      providerId,
      ...(change.disabled !== undefined && { disabledAt: change.disabled ? new Date() : null }),
    })
    .where(eq(t.users.id, id))
    .returning()
    .then(returned);
  if (change.disabled || role !== current.role) await db.delete(t.sessions).where(eq(t.sessions.userId, id));
  return { ...toUser(row), disabled: row.disabledAt !== null };
}

/** A new password set by an admin; the account's sessions end. */
export async function resetPassword(db: Db, id: number, password: string): Promise<void> {
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(password);
  } catch (error) {
    if (error instanceof PasswordError) throw new UserError('invalid_password', 'password', error.message);
    throw error;
  }
  const done = await db
    .update(t.users)
    .set({ passwordHash })
    .where(eq(t.users.id, id))
    .returning({ id: t.users.id });
  if (done.length === 0) throw new UserError('unknown_user', 'username', `Användare ${id} finns inte`);
  await db.delete(t.sessions).where(eq(t.sessions.userId, id));
}

/** Whether the admin has given the person the approver right (attesträtt). */
export async function hasApproverRight(db: Db, username: string): Promise<boolean> {
  const [row] = await db
    .select({ approver: t.users.approver })
    .from(t.users)
    .where(eq(t.users.username, normalizeUsername(username)));
  return row?.approver === true;
}

/** Gives or takes the approver right; false when there is no such user. */
export async function setApproverRight(db: Db, username: string, approver: boolean): Promise<boolean> {
  const updated = await db
    .update(t.users)
    .set({ approver })
    .where(eq(t.users.username, normalizeUsername(username)))
    .returning({ id: t.users.id });
  return updated.length > 0;
}

/** The persons with the approver right, by username. */
export async function listApprovers(db: Db): Promise<{ username: string; role: string }[]> {
  return db
    .select({ username: t.users.username, role: t.users.role })
    .from(t.users)
    .where(eq(t.users.approver, true))
    .orderBy(t.users.username);
}

/** Verified once, with a password hash that never matches, so an unknown name takes as long. */
let dummyHash: Promise<string> | undefined;

/**
 * The user when the name and password match, otherwise undefined. An unknown username costs the
 * same scrypt work as a wrong password, so timing does not tell which names exist.
 */
export async function authenticate(db: Db, username: string, password: string): Promise<User | undefined> {
  const user = await findUserByUsername(db, username);
  if (!user) {
    dummyHash ??= hashPassword(randomBytes(18).toString('base64'));
    await verifyPassword(password, await dummyHash);
    return undefined;
  }
  const ok = await verifyPassword(password, user.passwordHash);
  return ok && !user.disabled ? toUser(user) : undefined;
}

// ---- sessions ---------------------------------------------------------------------------------

const DEFAULT_SESSION_HOURS = 12;

/** A session unused this long ends (VARDVAL_IDLE_MINUTES; ASVS 3.3.2). */
function idleMinutes(): number {
  const v = Number(process.env.VARDVAL_IDLE_MINUTES);
  return Number.isFinite(v) && v > 0 ? v : 30;
}
/** How stale last_seen_at may get before a request writes it again (one write a minute, not one a request). */
const SEEN_EVERY_MS = 60_000;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const newToken = (): string => randomBytes(32).toString('base64url');

export interface NewSession {
  /** For the session cookie; the store keeps only its sha256. */
  token: string;
  /** For the X-CSRF-Token header (double submit); stored as is. */
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  db: Db,
  userId: number,
  ttlHours = DEFAULT_SESSION_HOURS,
): Promise<NewSession> {
  if (!(ttlHours > 0)) throw new RangeError(`ttlHours must be positive, got ${ttlHours}`);
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await db.insert(t.sessions).values({ tokenHash: sha256(token), userId, csrfToken, expiresAt });
  return { token, csrfToken, expiresAt };
}

/** The session's user, or undefined when the token is unknown or expired (an expired one is deleted). */
export async function findSession(
  db: Db,
  token: string,
): Promise<{ user: User; csrfToken: string; expiresAt: Date } | undefined> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 200) return undefined;
  const tokenHash = sha256(token);
  const [row] = await db
    .select({
      id: t.users.id,
      username: t.users.username,
      role: t.users.role,
      providerId: t.users.providerId,
      csrfToken: t.sessions.csrfToken,
      expiresAt: t.sessions.expiresAt,
      lastSeenAt: t.sessions.lastSeenAt,
      disabledAt: t.users.disabledAt,
    })
    .from(t.sessions)
    .innerJoin(t.users, eq(t.users.id, t.sessions.userId))
    .where(eq(t.sessions.tokenHash, tokenHash));
  if (!row) return undefined;
  const now = Date.now();
  if (
    row.expiresAt.getTime() <= now ||
    row.disabledAt !== null ||
    now - row.lastSeenAt.getTime() > idleMinutes() * 60_000
  ) {
    await db.delete(t.sessions).where(eq(t.sessions.tokenHash, tokenHash));
    return undefined;
  }
  if (now - row.lastSeenAt.getTime() > SEEN_EVERY_MS)
    await db
      .update(t.sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(t.sessions.tokenHash, tokenHash));
  return { user: toUser(row), csrfToken: row.csrfToken, expiresAt: row.expiresAt };
}

/** Ends every session of a user but the one kept (a new login, when one session per account is configured). */
export async function deleteUserSessions(db: Db, userId: number, keepToken?: string): Promise<void> {
  const keep = keepToken ? sha256(keepToken) : undefined;
  await db
    .delete(t.sessions)
    .where(
      keep
        ? and(eq(t.sessions.userId, userId), ne(t.sessions.tokenHash, keep))
        : eq(t.sessions.userId, userId),
    );
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  if (typeof token !== 'string' || token.length === 0) return;
  await db.delete(t.sessions).where(eq(t.sessions.tokenHash, sha256(token)));
}

/** Removes every expired session; returns how many. */
export async function deleteExpiredSessions(db: Db): Promise<number> {
  const gone = await db
    .delete(t.sessions)
    .where(lte(t.sessions.expiresAt, new Date()))
    .returning({ tokenHash: t.sessions.tokenHash });
  return gone.length;
}

// ---- audit log --------------------------------------------------------------------------------

export interface AuditEntry {
  /** Username, or `system` for what the system does by itself. */
  actor: string | null;
  role: string | null;
  /** What happened, e.g. `user.create`, `run.approve`. */
  action: string;
  /** What it happened to, e.g. `run:12`, `user:admin`. */
  target?: string | null;
  /** Where it came from: an IP address, `cli`, `demo`. */
  origin?: string | null;
  detail?: unknown;
}

export type AuditRow = typeof t.auditLog.$inferSelect;

export async function writeAudit(db: Db, entry: AuditEntry): Promise<AuditRow> {
  const row = await db
    .insert(t.auditLog)
    .values({
      actor: entry.actor,
      role: entry.role,
      action: entry.action,
      target: entry.target ?? null,
      origin: entry.origin ?? null,
      detail: entry.detail ?? null,
    })
    .returning()
    .then(returned);
  return row;
}

/** Newest first. */
export async function listAudit(
  db: Db,
  { limit = 100, offset = 0 }: { limit?: number; offset?: number } = {},
): Promise<AuditRow[]> {
  const l = Math.max(1, Math.min(1000, Math.floor(limit) || 100));
  const o = Math.max(0, Math.floor(offset) || 0);
  return db.select().from(t.auditLog).orderBy(desc(t.auditLog.id)).limit(l).offset(o);
}

export async function countAudit(db: Db): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(t.auditLog)
    .then(returned);
  return row.n;
}
