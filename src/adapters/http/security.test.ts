import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { strToU8, zipSync } from 'fflate';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { cookieOf } from '../../test-support/http.js';
import { first } from '../../test-support/nth.js';
import { writeCaseFolder } from '../../test-support/cases.js';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { signInAll, type TestSession } from '../../test-support/sessions.js';
import { writeBatchRows } from '../store/batch-rows.js';
import { importFolder } from '../store/import-batch.js';
import * as t from '../store/schema.js';
import { serverToday } from '../clock.js';
import { createApp } from './app.js';
import { createLogger } from './log.js';
import { removeOrphanedImportFolders } from './zip-upload.js';

/** Issue 19 and the hardening half of issue 13, as an attacker and a careless insider would try. */

const PERSON = '198507099805';
const SPELLINGS = ['8507099805', '850709-9805', '19850709-9805', PERSON];
const PASSWORD = 'ett-langt-losenord';
const HEADER = {
  units: 'unit_id,provider_id,name,ownership,kommun,start_date,end_date,branch_of,st_fte,sabo_places',
  areas: 'area,kommun,cni,rural_class,hospital_km',
  listings: 'person_id,unit_id,doctor_id,birth_date,sex,area,listed_from,listed_to,risk_group',
};
const FILES = {
  'units.csv': `${HEADER.units}\nU1,5560160680,VC Ett,private,2361,2020-01-01,,,,\nU2,2321000016,VC Två,public,2361,2020-01-01,,,,\n`,
  'areas.csv': `${HEADER.areas}\nA1,2361,1.2,tatort,5\n`,
  'listings.csv': `${HEADER.listings}\n${PERSON},U1,,1985-07-09,F,A1,2020-01-01,,\n`,
};
const zipOf = (files: Record<string, string | Uint8Array>) =>
  zipSync(
    Object.fromEntries(Object.entries(files).map(([n, v]) => [n, typeof v === 'string' ? strToU8(v) : v])),
  );

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`security on ${kind}`, () => {
    const store = useTestStore(kind);
    const logLines: string[] = [];
    const sessions = new Map<string, TestSession>();
    let app: ReturnType<typeof createApp>;

    const call = (who: string | undefined, path: string, init: RequestInit = {}) => {
      const s = who ? sessions.get(who) : undefined;
      const headers = new Headers(init.headers);
      if (s) {
        headers.set('cookie', s.cookie);
        headers.set('x-csrf-token', s.csrf);
      }
      return app.request(path, { ...init, headers });
    };
    const json = (who: string | undefined, method: string, path: string, body: unknown) =>
      call(who, path, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const login = (username: string, password: string, cookie?: string) =>
      app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie && { cookie }) },
        body: JSON.stringify({ username, password }),
      });
    const auditRows = () => store.conn.db.select().from(t.auditLog);

    beforeAll(async () => {
      const sink = new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      });
      app = createApp({ conn: store.conn, log: createLogger(sink) });
      const dir = writeCaseFolder({}, {});
      for (const [name, body] of Object.entries(FILES))
        (await import('node:fs')).writeFileSync(`${dir}/${name}`, body);
      await importFolder(store.conn.db, dir, 'test');
      await signInAll(
        app,
        store.conn.db,
        [
          { username: 'admin', role: 'admin' },
          { username: 'handlaggare', role: 'officer' },
          { username: 'vardgivare', role: 'provider', providerId: '5560160680' },
          { username: 'revisor', role: 'auditor' },
          { username: 'analytiker', role: 'analyst' },
        ],
        PASSWORD,
        sessions,
      );
    }, 60_000);

    it('counts failed logins per account, whatever the spelling, without locking out the real user', async () => {
      // The real user's browser has logged in before: it holds the device cookie.
      const before = await login('revisor', PASSWORD);
      expect(before.status).toBe(200);
      const device = before.headers
        .getSetCookie()
        .find((c) => c.startsWith('vardval_device='))!
        .split(';')[0];
      for (const spelling of ['Revisor', 'REVISOR', ' revisor', 'revisor ', 'rEvIsOr'])
        expect((await login(spelling, 'fel-losenord-123')).status).toBe(401);
      // The guesser is held back, even with the right password...
      const held = await login('ReVisor', PASSWORD);
      expect(held.status).toBe(429);
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
      // ...but the person whose browser logged in before is not locked out.
      expect((await login('revisor', PASSWORD, device)).status).toBe(200);
      // An unknown name is held back the same way, so the limit tells no one which names exist.
      for (let i = 0; i < 5; i++) expect((await login('ingen-sadan', 'fel-losenord-123')).status).toBe(401);
      expect((await login('INGEN-SADAN', 'fel-losenord-123')).status).toBe(429);
    });

    it('reads one person under every spelling as one identity, and logs none of them', async () => {
      logLines.length = 0;
      for (const spelling of SPELLINGS) {
        const res = await call('handlaggare', `/api/persons/${encodeURIComponent(spelling)}/listings`);
        expect(res.status, spelling).toBe(200);
        const { periods } = (await res.json()) as { periods: { unit_id: string; unit_name: string }[] };
        // The unit by its name, as the officer knows it, not only its HSA-id.
        expect(
          periods.map((p) => [p.unit_id, p.unit_name]),
          spelling,
        ).toEqual([['U1', 'VC Ett']]);
      }
      const reads = (await auditRows()).filter((r) => r.action === 'read_person_listings');
      expect(reads.length).toBeGreaterThanOrEqual(4);
      expect(new Set(reads.slice(-4).map((r) => r.target)).size).toBe(1);
      const log = logLines.join('');
      expect(log).toContain('/api/persons/');
      for (const spelling of [...SPELLINGS, '850709+9805', '850709%2B9805'])
        expect(log).not.toContain(spelling);
      await call('handlaggare', '/api/nothing/850709+9805');
      expect(logLines.join('')).not.toContain('850709');
    });

    it('checks the target unit of a write against its owner', async () => {
      const sub = (unit: string) =>
        json('vardgivare', 'POST', '/api/subcontractors', {
          provider_id: '5560160680',
          unit_id: unit,
          org_nr: '5567133888',
          name: 'Labbet AB',
          services: 'Laboratorium',
        });
      const foreign = await sub('U2');
      expect([403, 404]).toContain(foreign.status);
      expect(((await foreign.json()) as { pointer: string }).pointer).toBe('/unit_id');
      expect((await sub('U1')).status).toBe(201);
      const rows = await store.conn.db.select().from(t.subcontractors);
      expect(rows.map((r) => r.unitId)).toEqual(['U1']);
    });

    it('dates a subcontractor report and its decision by the server, whatever the client sends', async () => {
      const reported = await json('vardgivare', 'POST', '/api/subcontractors', {
        provider_id: '5560160680',
        unit_id: 'U1',
        org_nr: '5567133888',
        name: 'Röntgen AB',
        services: 'Röntgen',
        reported_at: '2001-01-01',
      });
      expect(reported.status).toBe(201);
      const { id } = (await reported.json()) as { id: number };
      const decided = await json('handlaggare', 'POST', `/api/subcontractors/${id}/decision`, {
        decision: 'approved',
        reason: 'Uppfyller kraven',
        decided_at: '2001-01-02',
      });
      expect(decided.status).toBe(200);
      const body = (await decided.json()) as { reported_at: string; decided_at: string };
      expect(body.reported_at).toBe(serverToday());
      expect(body.decided_at).toBe(serverToday());
      const row = first(
        await store.conn.db.select().from(t.subcontractors).where(eq(t.subcontractors.id, id)),
      );
      expect([row.reportedAt, row.decidedAt]).toEqual([serverToday(), serverToday()]);
    });

    it('answers out-of-range numbers and impossible dates with a located 400, not 500', async () => {
      const big = await json('handlaggare', 'POST', '/api/runs', {
        month: '2025-03',
        rulebook_version_id: 2 ** 31 + 5,
      });
      expect(big.status).toBe(400);
      expect(((await big.json()) as { pointer: string }).pointer).toBe('/rulebook_version_id');
      expect((await call('handlaggare', '/api/runs/99999999999')).status).toBe(400);
      const date = await json('handlaggare', 'POST', '/api/contracts', {
        provider_id: '5560160680',
        connection_form: 'lov',
        start_date: '2025-02-30',
      });
      expect(date.status).toBe(400);
      expect(((await date.json()) as { pointer: string }).pointer).toBe('/start_date');
    });

    it('checks who asks before what is asked, and marks API answers no-store and nosniff', async () => {
      const anonymous = await app.request('/api/runs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"month": 7}',
      });
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).not.toContain('month');
      const res = await call('handlaggare', '/api/units');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toBeNull();
      const tls = await app.request('https://vardval.example/api/health');
      expect(tls.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    });

    it('refuses to truncate the audit log', async () => {
      const before = (await auditRows()).length;
      await expect(store.conn.db.execute(sql`TRUNCATE audit_log`)).rejects.toThrow();
      await expect(store.conn.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
      expect((await auditRows()).length).toBe(before);
    });

    it('refuses a zip bomb by its declared sizes in a 413, and stores nothing from it', async () => {
      const batches = (await store.conn.db.select().from(t.importBatches)).length;
      const audits = (await auditRows()).length;
      const bomb = zipOf({ ...FILES, 'visits.csv': new Uint8Array(64 * 1024 * 1024).fill(48) });
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const res = await call('handlaggare', '/api/imports', {
        method: 'POST',
        headers: { 'content-type': 'application/zip' },
        body: bomb,
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toMatch(/visits\.csv.*packad/);
      expect((await store.conn.db.select().from(t.importBatches)).length).toBe(batches);
      expect((await auditRows()).length).toBe(audits);
      const big = await call('handlaggare', '/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
      });
      expect(big.status).toBe(413);
    });

    it('keeps units the region registered through a re-import, with the import audited in its batch', async () => {
      const latest = first(
        await store.conn.db
          .select({ id: t.importBatches.id })
          .from(t.importBatches)
          .orderBy(sql`id desc`)
          .limit(1),
      );
      await store.conn.db.insert(t.units).values({
        batchId: latest.id,
        row: 99,
        unitId: 'NY1',
        providerId: '5560160680',
        name: 'VC Ny',
        ownership: 'private',
        startDate: '2025-04-01',
        extra: { source: 'application' },
        line: 0,
      });
      expect((await call('handlaggare', '/api/units/NY1')).status).toBe(200);
      const res = await call('handlaggare', '/api/imports', {
        method: 'POST',
        headers: { 'content-type': 'application/zip' },
        body: zipOf(FILES),
      });
      expect(res.status).toBe(201);
      const batch = ((await res.json()) as { id: number }).id;
      expect(batch).toBeGreaterThan(latest.id);
      expect((await call('handlaggare', '/api/units/NY1')).status).toBe(200);
      // Its listing rows are written after the import (the unit profiles below read them).
      await writeBatchRows(store.conn, batch);
      const imports = (await auditRows()).filter((r) => r.action === 'import');
      expect(imports.map((r) => r.target)).toContain(`batch:${batch}`);
    });

    it('shows an analyst no count of 1–4 persons in a unit profile, and an officer the count', async () => {
      type Profile = {
        listed: number | null;
        age_sex: { label: string; F: number | null; M: number | null }[];
        rural: { count: number | null }[];
      };
      const profile = async (who: string) => {
        const res = await call(who, '/api/ui/units/U1/profile');
        expect(res.status, who).toBe(200);
        return (await res.json()) as Profile;
      };
      const officer = await profile('handlaggare');
      expect(officer.listed).toBe(1);
      expect(officer.age_sex.map((b) => b.F).filter((n) => n !== 0)).toEqual([1]);
      const analyst = await profile('analytiker');
      expect(analyst.listed).toBeNull();
      expect(analyst.age_sex.map((b) => b.F).filter((n) => n !== 0)).toEqual([null]);
      expect(analyst.age_sex.every((b) => b.M === 0)).toBe(true);
      expect(analyst.rural.map((r) => r.count)).toEqual([null]);
      expect(JSON.stringify(analyst)).not.toMatch(/"(listed|F|M|unknown|count|missing)":[1-4]\b/);
    });

    it('searches the whole audit log on the server, in Swedish, and finds a person under any spelling', async () => {
      type Found = {
        items: { id: number; action: string; action_label: string; target_label: string | null }[];
        total: number;
      };
      const search = async (query: string) => {
        const res = await call('revisor', `/api/audit?${query}`);
        expect(res.status, query).toBe(200);
        return (await res.json()) as Found;
      };
      expect((await search('page_size=1')).total).toBe((await auditRows()).length);
      // The reads of one person under four spellings, found under a fifth, a page at a time.
      const first = await search(`q=${encodeURIComponent('19850709 9805')}&page_size=2`);
      const second = await search(`q=${encodeURIComponent('850709-9805')}&page_size=2&page=2`);
      expect(first.total).toBe(4);
      expect(second.total).toBe(4);
      expect([...first.items, ...second.items].map((e) => e.action_label)).toEqual(
        Array(4).fill('Läste persons listning'),
      );
      expect(new Set([...first.items, ...second.items].map((e) => e.id)).size).toBe(4);
      expect(first.items[0]?.target_label).toMatch(/^Person [0-9a-f]{16}$/);
      // Swedish words find the actions and targets they name, over the whole log.
      const approved = await search(`q=${encodeURIComponent('godkände underleverantör')}`);
      expect(approved.items.map((e) => e.action)).toEqual(['subcontractor_approved']);
      const subcontractors = await search(`q=${encodeURIComponent('UNDERLEVERANTÖR')}`);
      expect(subcontractors.total).toBeGreaterThanOrEqual(3);
      for (const e of subcontractors.items) expect(e.target_label).toMatch(/^Underleverantör \d+$/);
      expect((await search('q=%25')).total).toBe(0);
      expect((await call('revisor', `/api/audit?q=${'x'.repeat(201)}`)).status).toBe(400);
    });

    it('lets an admin create a user, change its role, disable it and reset its password, all audited', async () => {
      expect(
        (
          await json('handlaggare', 'POST', '/api/users', {
            username: 'smyg',
            password: 'smygande-losenord',
            role: 'admin',
          })
        ).status,
      ).toBe(403);
      const weak = await json('admin', 'POST', '/api/users', {
        username: 'bo',
        password: 'kort',
        role: 'analyst',
      });
      expect(weak.status).toBe(400);
      expect(((await weak.json()) as { pointer: string }).pointer).toBe('/password');
      const created = await json('admin', 'POST', '/api/users', {
        username: 'Bo.Berg',
        password: 'bo-bergs-losenord',
        role: 'analyst',
      });
      expect(created.status).toBe(201);
      const bo = (await created.json()) as { id: number; username: string };
      expect(bo.username).toBe('bo.berg');
      const boLogin = await login('bo.berg', 'bo-bergs-losenord');
      expect(boLogin.status).toBe(200);
      const boCookie = cookieOf(boLogin);
      // Looked up once, so the session is in the server's cache.
      expect((await app.request('/api/session', { headers: { cookie: boCookie } })).status).toBe(200);
      const promoted = await json('admin', 'PATCH', `/api/users/${bo.id}`, { role: 'officer' });
      expect(((await promoted.json()) as { role: string }).role).toBe('officer');
      await json('admin', 'PATCH', `/api/users/${bo.id}`, { disabled: true });
      expect((await login('bo.berg', 'bo-bergs-losenord')).status).toBe(401);
      // At once: the session cache forgets a disabled user's sessions.
      expect((await app.request('/api/session', { headers: { cookie: boCookie } })).status).toBe(401);
      await json('admin', 'PATCH', `/api/users/${bo.id}`, { disabled: false });
      expect(
        (await json('admin', 'POST', `/api/users/${bo.id}/password`, { password: 'ett-nytt-losenord' }))
          .status,
      ).toBe(204);
      expect((await login('bo.berg', 'bo-bergs-losenord')).status).toBe(401);
      expect((await login('bo.berg', 'ett-nytt-losenord')).status).toBe(200);
      const actions = (await auditRows()).filter((r) => r.target === 'user:bo.berg').map((r) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'user.create',
          'user.change_role',
          'user.disable',
          'user.enable',
          'user.reset_password',
        ]),
      );
      const self = await json(
        'admin',
        'PATCH',
        `/api/users/${((await (await call('admin', '/api/users')).json()) as { items: { id: number; username: string }[] }).items.find((u) => u.username === 'admin')!.id}`,
        { disabled: true },
      );
      expect(self.status).toBe(409);
    }, 60_000);
  });
}

describe('import work folders', () => {
  it('removes folders a dead server left behind, and keeps a live one', () => {
    const dir = mkdtempSync(`${tmpdir()}/vardval-orphans-`);
    const dead = mkdtempSync(`${dir}/vardval-import-999999999-`);
    const live = mkdtempSync(`${dir}/vardval-import-${process.ppid}-`);
    expect(removeOrphanedImportFolders(dir)).toBe(1);
    const left = readdirSync(dir).map((n) => `${dir}/${n}`);
    expect(left).toEqual([live]);
    expect(left).not.toContain(dead);
  });
});
