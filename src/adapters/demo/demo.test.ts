import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords.js';
import { connect, type Connection } from '../store/connection.js';
import { DEMO_LOGINS, DEMO_RULEBOOK_ID, demoPopulation, seedDemoIfEmpty, type DemoResult } from './demo.js';
import { ocdsErrors } from '../../test-support/ocds.js';
import { releasePackages } from '../exports/ocds-release-package.js';
import { publishedProcedures } from '../store/procurement.js';
import { listRuns } from '../store/runs.js';
import * as t from '../store/schema.js';
import { findUserByUsername, hasApproverRight, listAudit } from '../store/users.js';
import { first, nth } from '../../test-support/nth.js';

async function counts(conn: Connection): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, table] of Object.entries({
    batches: t.importBatches,
    rulebooks: t.rulebookVersions,
    runs: t.paymentRuns,
    users: t.users,
    audit: t.auditLog,
    listings: t.listings,
  })) {
    const row = first(await conn.db.select({ n: sql<number>`count(*)::int` }).from(table));
    out[name] = row.n;
  }
  return out;
}

describe('the demo region', () => {
  let conn: Connection;
  let workDir: string;
  let first: DemoResult;
  const lines: string[] = [];

  beforeAll(async () => {
    conn = await connect({ home: 'memory://' });
    workDir = mkdtempSync(join(tmpdir(), 'vardval-demo-test-'));
    first = await seedDemoIfEmpty(conn, { population: 3000, workDir, log: (l) => lines.push(l) });
  }, 180_000);

  afterAll(async () => {
    await conn?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('seeds a new store once and leaves it alone the second time', async () => {
    expect(first.seeded).toBe(true);
    const before = await counts(conn);
    expect(before.batches).toBe(1);
    expect(before.listings).toBeGreaterThan(2500);
    const again = await seedDemoIfEmpty(conn, {
      population: 3000,
      workDir,
      log: (l) => lines.push(`2: ${l}`),
    });
    expect(again).toEqual({ seeded: false, users: [] });
    expect(await counts(conn)).toEqual(before);
    expect(lines.some((l) => l.startsWith('2: '))).toBe(false);
  });

  it('publishes the example rulebooks and pays 2025: eleven approved months and December as a draft', async () => {
    const versions = await conn.db.select().from(t.rulebookVersions);
    expect(versions.map((v) => v.rulebookId).sort()).toEqual([
      'exempel/vardval/2025',
      'exempel/vardval/2026',
      'exempel/vardvalsystem-landsbygd/2025',
      'exempel/vardvalsystem-tatort/2025',
      'nationell-baslinje/vardval/2025',
    ]);
    expect(versions.every((v) => v.status === 'published')).toBe(true);
    const runs = (await listRuns(conn.db)).filter((r) => r.rulebookId === DEMO_RULEBOOK_ID);
    expect(runs).toHaveLength(12);
    const approved = runs.filter((r) => r.status === 'approved').map((r) => r.month);
    expect(approved.sort()).toEqual(
      Array.from({ length: 11 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`),
    );
    const drafts = runs.filter((r) => r.status === 'draft');
    expect(drafts.map((r) => r.month)).toEqual(['2025-12']);
    // Prepared by one officer, approved by another (attestordning), the rulebooks published by a third.
    expect(runs.every((r) => r.createdBy === 'handlaggare')).toBe(true);
    expect(runs.filter((r) => r.status === 'approved').every((r) => r.approvedBy === 'attestant')).toBe(true);
    expect(versions.every((v) => v.createdBy === 'handlaggare' && v.publishedBy === 'admin')).toBe(true);
    expect(runs.every((r) => r.totalOre > 0)).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/^Utbetalning 2025-03: [\d ]+,\d\d kr$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Utbetalning 2025-12: .* \(utkast/));
  });

  it('has a branch and a unit opened in 2025', async () => {
    const units = await conn.db.select().from(t.units);
    expect(units.some((u) => u.branchOf !== null)).toBe(true);
    expect(units.some((u) => u.startDate >= '2025-01-01')).toBe(true);
    expect(units.some((u) => u.ownership === 'private')).toBe(true);
  });

  it('creates one login per role whose password verifies, and prints them as demo logins', async () => {
    expect(first.users.map((u) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
      ['handlaggare', 'officer'],
      ['attestant', 'officer'],
      ['vardgivare', 'provider'],
      ['analytiker', 'analyst'],
      ['revisor', 'auditor'],
    ]);
    for (const login of DEMO_LOGINS) {
      const user = await findUserByUsername(conn.db, login.username);
      expect(user?.role).toBe(login.role);
      expect(await verifyPassword(login.password, user!.passwordHash)).toBe(true);
      expect(lines.join('\n')).toContain(`${login.username} / ${login.password}`);
    }
    expect(lines.join('\n')).toMatch(/Demoinloggningar, bara för demon/);
    expect(lines.join('\n')).toContain('attestant / demo-attestant-2025  (officer, attesträtt)');
    expect(await hasApproverRight(conn.db, 'attestant')).toBe(true);
    expect(await hasApproverRight(conn.db, 'handlaggare')).toBe(false);
    const provider = await findUserByUsername(conn.db, 'vardgivare');
    const privateUnits = await conn.db
      .select()
      .from(t.units)
      .where(sql`${t.units.ownership} = 'private'`);
    expect(privateUnits.map((u) => u.providerId)).toContain(provider!.providerId);
    expect((await findUserByUsername(conn.db, 'admin'))!.providerId).toBeNull();
  });

  it('audits every step as the system', async () => {
    const audit = await listAudit(conn.db, { limit: 1000, offset: 0 });
    expect(audit.every((a) => a.actor === 'system')).toBe(true);
    const actions = audit.map((a) => a.action);
    expect(actions.filter((a) => a === 'import.create')).toHaveLength(1);
    expect(actions.filter((a) => a === 'rulebook.publish')).toHaveLength(5);
    expect(actions.filter((a) => a === 'unit_fact.record').length).toBeGreaterThan(10);
    expect(actions.filter((a) => a === 'run.create')).toHaveLength(12);
    expect(actions.filter((a) => a === 'run.approve')).toHaveLength(11);
    expect(actions.filter((a) => a === 'user.create')).toHaveLength(6);
    expect(actions[0]).toBe('demo.seed');
  });

  it('holds a LOV choice system with an approved group and a rejected applicant, and a signed NSS contract', async () => {
    const apps = await conn.db.select().from(t.applications);
    const provider = (await findUserByUsername(conn.db, 'vardgivare'))!.providerId;
    const group = apps.find((a) => a.grouping !== null)!;
    expect([group.status, group.providerId]).toEqual(['approved', provider]);
    expect(apps.map((a) => a.status).sort()).toEqual(['approved', 'awarded', 'not_awarded', 'rejected']);
    const packages = releasePackages(await publishedProcedures(conn.db), { baseUrl: 'http://localhost' });
    expect(packages).toHaveLength(2);
    for (const p of packages) expect(ocdsErrors(p)).toEqual([]);
    expect(nth(packages, 1).releases.map((r) => r.tag)).toEqual([['tender'], ['award'], ['contract']]);
  });

  it('reads its default population from VARDVAL_DEMO_POPULATION', () => {
    const saved = process.env.VARDVAL_DEMO_POPULATION;
    try {
      delete process.env.VARDVAL_DEMO_POPULATION;
      expect(demoPopulation()).toBe(50_000);
      process.env.VARDVAL_DEMO_POPULATION = '2500';
      expect(demoPopulation()).toBe(2500);
      process.env.VARDVAL_DEMO_POPULATION = 'många';
      expect(() => demoPopulation()).toThrow(/VARDVAL_DEMO_POPULATION/);
    } finally {
      if (saved === undefined) delete process.env.VARDVAL_DEMO_POPULATION;
      else process.env.VARDVAL_DEMO_POPULATION = saved;
    }
  });
});
