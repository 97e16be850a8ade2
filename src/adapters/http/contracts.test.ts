import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { regionUser, providerUser } from '../../test-support/http.js';
import { capitationYaml } from '../../core/test-support/rulebook-yaml.js';
import { rulebookYaml, writeCaseFolder } from '../../test-support/cases.js';
import { STORE_KINDS, pgDown, useTestStore } from '../../test-support/databases.js';
import { signInAll, type TestSession } from '../../test-support/sessions.js';
import { importFolder } from '../store/import-batch.js';
import { publishRulebook, saveRulebookDraft } from '../store/runs.js';
import * as t from '../store/schema.js';
import { createApp } from './app.js';
import { createLogger } from './log.js';

/**
 * Runs by contracts through the API, on both stores: the run lists unpaid units with the reason, a
 * statement shows its contract and split, a group member sees its own share of the units of its
 * contracts only, an analyst reads per-unit statements (a unit's payment is a public record), and
 * ending a contract stops payment from the next cut-off day.
 */

const LEAD = '5560160680';
const MEMBER = '5565475489';
const REGION = '2321000016';
const USERS = [
  regionUser('handlaggare', 'officer'),
  providerUser('huvudman', LEAD),
  providerUser('medlem', MEMBER),
  regionUser('analytiker', 'analyst'),
];
const DATA = writeCaseFolder({
  units: [
    `U1,${LEAD},VC Ett,private,2361,2020-01-01,,,,`,
    `U2,${REGION},VC Två,public,2361,2020-01-01,,,,`,
    `U3,${MEMBER},VC Tre,private,2361,2020-01-01,,,,`,
  ],
  listings: ['P1,U1', 'P2,U1', 'P3,U2', 'P4,U3'].map((p) => `${p},,1980-01-01,F,A1,2020-01-01,,`),
});
const RULEBOOK = rulebookYaml(capitationYaml(1200.12));

interface Payee {
  provider_id: string;
  share_percent: number;
  amount_ore: number;
}
interface StatementBody {
  unit_id: string;
  total_ore: number;
  contract: { contract_id: string; provider_id: string; payees: Payee[] } | null;
}
interface RunBody {
  id: number;
  total_ore: number;
  units: StatementBody[];
  unpaid_units: { unit_id: string; reason: string }[] | null;
}

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`runs by contracts through the API on ${kind}`, () => {
    const store = useTestStore(kind);
    const sessions = new Map<string, TestSession>();
    let app: ReturnType<typeof createApp>;
    let versionId: number;
    let groupId: number;
    let ownId: number;

    const as = (username: string, path: string, body?: unknown) => {
      const s = sessions.get(username)!;
      const headers = new Headers({ cookie: s.cookie });
      if (body !== undefined) {
        headers.set('x-csrf-token', s.csrf);
        headers.set('content-type', 'application/json');
      }
      return app.request(path, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    };
    const json = async <T>(username: string, path: string, body?: unknown): Promise<T> => {
      const res = await as(username, path, body);
      expect(res.status, `${path}: ${res.status}`).toBeLessThan(300);
      return (await res.json()) as T;
    };
    const runOf = async (month: string) =>
      (await json<{ id: number }>('handlaggare', '/api/runs', { month, rulebook_version_id: versionId })).id;

    beforeAll(async () => {
      const { conn } = store;
      app = createApp({ conn, log: createLogger(new Writable({ write: (_c, _e, done) => done() })) });
      await importFolder(conn.db, DATA, 'test');
      const v = await saveRulebookDraft(conn.db, RULEBOOK, 'test');
      await publishRulebook(conn.db, v.id);
      versionId = v.id;
      await signInAll(app, conn.db, USERS, 'ett-langt-losenord', sessions);
      const group = await json<{ id: number }>('handlaggare', '/api/contracts', {
        provider_id: LEAD,
        unit_id: 'U1',
        connection_form: 'lov',
        start_date: '2024-01-01',
      });
      groupId = group.id;
      await conn.db.insert(t.contractMembers).values([
        {
          contractId: groupId,
          orgNr: LEAD,
          name: 'VC Ett AB',
          sharePercent: 70,
          isLead: true,
          onLeaving: 'reallocate',
        },
        {
          contractId: groupId,
          orgNr: MEMBER,
          name: 'Fysio AB',
          sharePercent: 30,
          isLead: false,
          onLeaving: 'reallocate',
        },
      ]);
      ownId = (
        await json<{ id: number }>('handlaggare', '/api/contracts', {
          provider_id: REGION,
          unit_id: 'U2',
          connection_form: 'egen_regi',
          start_date: '2024-01-01',
        })
      ).id;
    });

    it('lists unpaid units with the reason and shows each statement’s contract and split', async () => {
      const runId = await runOf('2025-03');
      const run = await json<RunBody>('handlaggare', `/api/runs/${runId}`);
      expect(run.units.map((u) => u.unit_id)).toEqual(['U1', 'U2']);
      expect(run.unpaid_units).toEqual([{ unit_id: 'U3', reason: 'Inget avtal för enheten' }]);
      // Only NSS with state co-financing has payers other than the region.
      expect((run as RunBody & { payer_totals: unknown }).payer_totals).toBeNull();
      const u1 = await json<StatementBody>('handlaggare', `/api/runs/${runId}/statements/U1`);
      expect(u1.contract!.contract_id).toBe(String(groupId));
      expect(u1.contract!.payees.map((p) => [p.provider_id, p.share_percent])).toEqual([
        [LEAD, 70],
        [MEMBER, 30],
      ]);
      expect(u1.contract!.payees.reduce((s, p) => s + p.amount_ore, 0)).toBe(u1.total_ore);
      // The lead sees the whole split.
      expect(
        (await json<StatementBody>('huvudman', `/api/runs/${runId}/statements/U1`)).contract!.payees,
      ).toHaveLength(2);
    });

    it('shows a group member its own share, only of the units of its contracts', async () => {
      const runId = await runOf('2025-04');
      const seen = await json<StatementBody>('medlem', `/api/runs/${runId}/statements/U1`);
      expect(seen.contract!.payees.map((p) => p.provider_id)).toEqual([MEMBER]);
      expect((await as('medlem', `/api/runs/${runId}/statements/U2`)).status).toBe(404);
      const run = await json<RunBody>('medlem', `/api/runs/${runId}`);
      expect(run.units.map((u) => u.unit_id)).toEqual(['U1']);
      // Its own unit U3 has no contract: it sees why, and nobody else's unpaid units.
      expect(run.unpaid_units).toEqual([{ unit_id: 'U3', reason: 'Inget avtal för enheten' }]);
      expect(run.total_ore).toBe(seen.contract!.payees[0]?.amount_ore);
    });

    it('lets an analyst read a unit’s statement, a public record without personal data', async () => {
      const runId = await runOf('2025-05');
      const res = await as('analytiker', `/api/runs/${runId}/statements/U1`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toMatch(/person_id|birth_date|\d{12}/);
      expect(JSON.parse(text).contract.payees).toHaveLength(2);
    });

    it('stops paying from the next cut-off day when a contract is ended, and audits the ending', async () => {
      const ended = await as('handlaggare', `/api/contracts/${ownId}/end`, { end_date: '2025-06-30' });
      expect(ended.status).toBe(200);
      expect((await as('medlem', `/api/contracts/${ownId}/end`, { end_date: '2025-06-30' })).status).toBe(
        403,
      );
      const later = await as('handlaggare', `/api/contracts/${ownId}/end`, { end_date: '2025-08-31' });
      expect([later.status, ((await later.json()) as { detail: string }).detail]).toEqual([
        409,
        'Avtalet upphörde redan 2025-06-30',
      ]);
      const june = await json<RunBody>('handlaggare', `/api/runs/${await runOf('2025-06')}`);
      expect(june.units.map((u) => u.unit_id)).toEqual(['U1', 'U2']);
      const july = await json<RunBody>('handlaggare', `/api/runs/${await runOf('2025-07')}`);
      expect(july.units.map((u) => u.unit_id)).toEqual(['U1']);
      expect(july.unpaid_units).toContainEqual({
        unit_id: 'U2',
        reason: `Avtal ${ownId} upphörde 2025-06-30`,
      });
      const audit = await store.conn.db
        .select()
        .from(t.auditLog)
        .where(eq(t.auditLog.action, 'contract.end'));
      expect(audit.map((a) => [a.actor, a.target])).toEqual([['handlaggare', `contract:${ownId}`]]);
    });
  });
}
