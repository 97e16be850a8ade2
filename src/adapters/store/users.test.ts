import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords.js';
import type { Connection } from './connection.js';
import * as t from './schema.js';
import {
  authenticate,
  countAudit,
  createSession,
  createUser,
  deleteExpiredSessions,
  deleteSession,
  findSession,
  findUserByUsername,
  listAudit,
  listUsers,
  normalizeOrgNr,
  ROLES,
  UserError,
  writeAudit,
} from './users.js';
import { first, nth } from '../../test-support/nth.js';

/** Same two databases as store.test.ts: PGlite in memory and a throwaway PostgreSQL database. */

const PRIVATE_ORGNR = '5560160680';

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`users, sessions and audit on ${kind}`, () => {
    const store = useTestStore(kind);
    let conn: Connection;
    beforeAll(() => {
      conn = store.conn;
    });

    it('creates users, finds them by name and verifies their passwords', async () => {
      const created = await createUser(conn.db, {
        username: 'Anna.Handlaggare',
        password: 'hemligt-lösenord',
        role: 'officer',
      });
      expect(created).toMatchObject({ username: 'anna.handlaggare', role: 'officer', providerId: null });
      const found = await findUserByUsername(conn.db, '  ANNA.handlaggare ');
      expect(found).toMatchObject({ id: created.id, username: 'anna.handlaggare', role: 'officer' });
      expect(found!.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
      expect(await verifyPassword('hemligt-lösenord', found!.passwordHash)).toBe(true);
      expect(await findUserByUsername(conn.db, 'ingen')).toBeUndefined();

      const provider = await createUser(conn.db, {
        username: 'vc-ett',
        password: 'vardgivare-nyckel-1',
        role: 'provider',
        providerId: '556016-0680',
      });
      expect(provider.providerId).toBe(PRIVATE_ORGNR);
      const names = (await listUsers(conn.db)).map((u) => u.username);
      expect(names).toEqual(expect.arrayContaining(['anna.handlaggare', 'vc-ett']));
      expect((await listUsers(conn.db))[0]).not.toHaveProperty('passwordHash');
    });

    it('authenticates the right password only', async () => {
      await createUser(conn.db, { username: 'revisor1', password: 'granska-allt-noga', role: 'auditor' });
      expect(await authenticate(conn.db, 'revisor1', 'granska-allt-noga')).toMatchObject({ role: 'auditor' });
      expect(await authenticate(conn.db, 'revisor1', 'fel-lösenord')).toBeUndefined();
      expect(await authenticate(conn.db, 'finns-inte', 'granska-allt-noga')).toBeUndefined();
    });

    it('refuses unknown roles, a provider without organisationsnummer and a taken username', async () => {
      const fail = async (input: Parameters<typeof createUser>[1]) => {
        try {
          await createUser(conn.db, input);
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
          return error as UserError;
        }
        throw new Error('expected a UserError');
      };
      expect(ROLES).toEqual(['admin', 'officer', 'provider', 'analyst', 'auditor']);
      const role = await fail({ username: 'x1', password: 'tolv-tecken-lang', role: 'superuser' });
      expect(role.reason).toBe('invalid_role');
      expect(role.message).toMatch(/Rollen "superuser" finns inte/);
      expect((await fail({ username: 'x2', password: 'tolv-tecken-lang', role: 'provider' })).reason).toBe(
        'provider_required',
      );
      expect(
        (
          await fail({
            username: 'x3',
            password: 'tolv-tecken-lang',
            role: 'provider',
            providerId: '5560160681',
          })
        ).reason,
      ).toBe('invalid_provider');
      expect(
        (
          await fail({
            username: 'x4',
            password: 'tolv-tecken-lang',
            role: 'officer',
            providerId: PRIVATE_ORGNR,
          })
        ).reason,
      ).toBe('provider_not_allowed');
      const short = await fail({ username: 'x5', password: 'kort', role: 'admin' });
      expect(short.reason).toBe('invalid_password');
      expect(short.message).toMatch(/minst 12 tecken/);
      expect((await fail({ username: 'ö', password: 'tolv-tecken-lang', role: 'admin' })).reason).toBe(
        'invalid_username',
      );

      await createUser(conn.db, { username: 'dubbel', password: 'tolv-tecken-lang', role: 'analyst' });
      const taken = await fail({ username: 'DUBBEL', password: 'ett-annat-losenord', role: 'admin' });
      expect(taken.reason).toBe('username_taken');
      expect(taken.message).toBe('Användarnamnet dubbel är redan upptaget');
      // Racing creations of one name: exactly one wins, the other gets the same clear error.
      const results = await Promise.allSettled([
        createUser(conn.db, { username: 'samtidig', password: 'tolv-tecken-lang', role: 'admin' }),
        createUser(conn.db, { username: 'samtidig', password: 'tolv-tecken-lang', role: 'admin' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(UserError);
    });

    it('normalizes organisationsnummer', () => {
      expect(normalizeOrgNr('556016-0680')).toBe('5560160680');
      expect(normalizeOrgNr('2321000016')).toBe('2321000016');
      expect(normalizeOrgNr('232100001')).toBeUndefined();
      expect(normalizeOrgNr('2321000017')).toBeUndefined();
    });

    it('stores only the sha256 of a session token and finds the session by the token', async () => {
      const user = await createUser(conn.db, {
        username: 'sess',
        password: 'tolv-tecken-lang',
        role: 'officer',
      });
      const before = Date.now();
      const s = await createSession(conn.db, user.id);
      expect(s.token).not.toBe(s.csrfToken);
      expect(s.token.length).toBeGreaterThanOrEqual(40);
      expect(s.expiresAt.getTime() - before).toBeGreaterThanOrEqual(12 * 3_600_000 - 1000);
      expect(s.expiresAt.getTime() - before).toBeLessThanOrEqual(12 * 3_600_000 + 1000);
      const stored = await conn.db.select().from(t.sessions).where(eq(t.sessions.userId, user.id));
      expect(stored).toHaveLength(1);
      expect(first(stored).tokenHash).toBe(createHash('sha256').update(s.token).digest('hex'));
      expect(JSON.stringify(stored)).not.toContain(s.token);

      const found = await findSession(conn.db, s.token);
      expect(found).toMatchObject({
        user: { id: user.id, username: 'sess', role: 'officer' },
        csrfToken: s.csrfToken,
      });
      expect(await findSession(conn.db, `${s.token}x`)).toBeUndefined();
      expect(await findSession(conn.db, '')).toBeUndefined();
      await deleteSession(conn.db, s.token);
      expect(await findSession(conn.db, s.token)).toBeUndefined();
    });

    it('treats an expired session as gone and deletes it', async () => {
      const user = await createUser(conn.db, {
        username: 'gammal',
        password: 'tolv-tecken-lang',
        role: 'analyst',
      });
      const s = await createSession(conn.db, user.id, 1);
      await conn.db
        .update(t.sessions)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(t.sessions.userId, user.id));
      expect(await findSession(conn.db, s.token)).toBeUndefined();
      expect(await conn.db.select().from(t.sessions).where(eq(t.sessions.userId, user.id))).toHaveLength(0);

      const s2 = await createSession(conn.db, user.id, 1);
      await conn.db
        .update(t.sessions)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(t.sessions.userId, user.id));
      expect(await deleteExpiredSessions(conn.db)).toBeGreaterThanOrEqual(1);
      expect(await findSession(conn.db, s2.token)).toBeUndefined();
      await expect(createSession(conn.db, user.id, 0)).rejects.toThrow(RangeError);
    });

    it('appends to the audit log, lists it newest first, and the database refuses changes', async () => {
      const start = await countAudit(conn.db);
      await writeAudit(conn.db, { actor: 'system', role: null, action: 'demo.seed' });
      const row = await writeAudit(conn.db, {
        actor: 'admin',
        role: 'admin',
        action: 'user.create',
        target: 'user:sess',
        origin: '127.0.0.1',
        detail: { role: 'officer', tal: 3 },
      });
      expect(row).toMatchObject({
        actor: 'admin',
        action: 'user.create',
        detail: { role: 'officer', tal: 3 },
      });
      expect(row.at).toBeInstanceOf(Date);
      expect(await countAudit(conn.db)).toBe(start + 2);
      const page = await listAudit(conn.db, { limit: 2, offset: 0 });
      expect(page.map((r) => r.action)).toEqual(['user.create', 'demo.seed']);
      expect(nth(page, 1).detail).toBeNull();
      expect(first(await listAudit(conn.db, { limit: 1, offset: 1 })).action).toBe('demo.seed');
      await expect(
        conn.db.update(t.auditLog).set({ action: 'ändrad' }).where(eq(t.auditLog.id, row.id)),
      ).rejects.toThrow();
      await expect(conn.db.delete(t.auditLog).where(eq(t.auditLog.id, row.id))).rejects.toThrow();
      const still = first(await conn.db.select().from(t.auditLog).where(eq(t.auditLog.id, row.id)));
      expect(still.action).toBe('user.create');
      const n = first(await conn.db.select({ n: sql<number>`count(*)::int` }).from(t.auditLog));
      expect(n.n).toBe(start + 2);
    });
  });
}
