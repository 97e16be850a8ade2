import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords.js';
import { connect } from '../store/connection.js';
import { findUserByUsername, hasApproverRight, listAudit } from '../store/users.js';
import { cli, useCliHome } from '../../test-support/cli.js';

/** `vardval users add` with the user's name, password and role, and any further options. */
const addUser = (username: string, password: string, role: string, ...options: string[]) =>
  cli('users', 'add', '--username', username, '--password', password, '--role', role, ...options);

describe('vardval users add', () => {
  useCliHome('vardval-users-', { VARDVAL_DEMO_POPULATION: '1500' });

  it('loads the demo region into a new embedded store, then creates the user', async () => {
    const r = await addUser('Anna', 'hemligt-ord-123', 'officer');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Lagret är nytt: laddar en demoregion med 1 500 invånare/);
    expect(r.out).toMatch(/Utbetalning 2025-01: [\d ]+,\d\d kr/);
    expect(r.out).toContain('admin / demo-admin-2025');
    expect(r.out.split('\n').at(-1)).toBe('Användaren anna (officer) är skapad');
  }, 180_000);

  it('does not load the demo again, and creates a provider user', async () => {
    const conn = await connect();
    const provider = (await findUserByUsername(conn.db, 'vardgivare'))!.providerId!;
    await conn.close();
    const r = await addUser('vc-kontakt', 'vardgivare-123', 'provider', '--provider', provider);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Användaren vc-kontakt (provider) är skapad');
  });

  it('exits 1 with the option and a Swedish message when the user cannot be created', async () => {
    const taken = await addUser('anna', 'annat-losen-123', 'admin');
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('--username: Användarnamnet anna är redan upptaget [user.username_taken]');

    const role = await addUser('bo', 'hemligt-ord-123', 'chef');
    expect(role.code).toBe(1);
    expect(role.err).toMatch(/--role: Rollen "chef" finns inte; välj en av admin, officer, provider/);

    const noProvider = await addUser('bo', 'hemligt-ord-123', 'provider');
    expect(noProvider.code).toBe(1);
    expect(noProvider.err).toMatch(/--provider: .*organisationsnummer \[user.provider_required\]/);

    const short = await addUser('bo', 'kort', 'analyst');
    expect(short.code).toBe(1);
    expect(short.err).toMatch(/--password: Lösenordet måste vara minst 12 tecken långt/);

    const missing = await cli('users', 'add', '--username', 'bo');
    expect(missing.code).toBe(2);
  });

  it('stores what it created, with the password hashed and the creation audited', async () => {
    const conn = await connect();
    try {
      const anna = await findUserByUsername(conn.db, 'anna');
      expect(anna?.role).toBe('officer');
      expect(await verifyPassword('hemligt-ord-123', anna!.passwordHash)).toBe(true);
      expect(await findUserByUsername(conn.db, 'bo')).toBeUndefined();
      const audit = await listAudit(conn.db, { limit: 5, offset: 0 });
      expect(audit[0]).toMatchObject({ action: 'user.create', target: 'user:vc-kontakt', origin: 'cli' });
    } finally {
      await conn.close();
    }
  });

  it('gives the approver right when creating a user, and gives or takes it later', async () => {
    const r = await addUser('bo', 'hemligt-ord-456', 'officer', '--approver');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').at(-1)).toBe('Användaren bo (officer, med attesträtt) är skapad');
    expect((await cli('users', 'approver', '--username', 'Anna')).out).toBe('Anna har nu attesträtt');
    expect((await cli('users', 'approver', '--username', 'bo', '--remove')).out).toBe(
      'bo har inte längre attesträtt',
    );
    const missing = await cli('users', 'approver', '--username', 'ingen');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Användaren ingen finns inte');
    const conn = await connect();
    try {
      expect(await hasApproverRight(conn.db, 'anna')).toBe(true);
      expect(await hasApproverRight(conn.db, 'bo')).toBe(false);
      const actions = (await listAudit(conn.db, { limit: 5, offset: 0 })).map((a) => [a.action, a.target]);
      expect(actions).toContainEqual(['user.grant_approver', 'user:anna']);
      expect(actions).toContainEqual(['user.revoke_approver', 'user:bo']);
    } finally {
      await conn.close();
    }
  });
});
