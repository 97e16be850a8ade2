import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { first } from '../../test-support/nth.js';
import { regionUser } from '../../test-support/http.js';
import { DEFAULT_CONTROL, type ControlSettings } from '../../core/control/approval.js';
import { writeCaseFolder } from '../../test-support/cases.js';
import { importCase } from '../../test-support/store-cases.js';
import { pgDown, STORE_KINDS, useTestStore } from '../../test-support/databases.js';
import { signInAll, type TestSession } from '../../test-support/sessions.js';
import { PROJECT_ROOT, type Connection } from '../store/connection.js';
import { importFolder } from '../store/import-batch.js';
import { recordFact } from '../store/unit-facts.js';
import { listAudit } from '../store/users.js';
import ExcelJS from 'exceljs';
import { hasPdftotext, pdfText } from '../exports/test-support/pdf-text.js';
import { SHEET_RUN, SHEET_SUMMARY } from '../exports/statements-xlsx.js';
import { createApp } from './app.js';
import { createLogger } from './log.js';

/**
 * The attestation order through the API on both stores: who may publish a rulebook, who may approve
 * a run, in which order months are approved, and what an approval keeps.
 */

const USERS = [
  regionUser('admin', 'admin'),
  regionUser('handlaggare', 'officer'),
  regionUser('attestant', 'officer'),
  regionUser('granskare', 'officer'),
];
const PASSWORD = 'ett-langt-losenord';
const YAML = readFileSync(join(PROJECT_ROOT, 'rulebooks/exempel/vardval-2025.yaml'), 'utf8');

interface RunJson {
  id: number;
  month: string;
  status: string;
  created_by: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approval_comment: string | null;
  missing_month_reason: string | null;
}
interface Problem {
  status: number;
  title: string;
  detail: string;
}

for (const kind of STORE_KINDS) {
  describe.skipIf(kind === 'postgres' && pgDown)(`attestation order on ${kind}`, () => {
    const store = useTestStore(kind);
    let conn: Connection;
    const sessions = new Map<string, TestSession>();
    const appWith = (control: ControlSettings) =>
      createApp({
        conn,
        log: createLogger(new Writable({ write: (_c, _e, done) => done() })),
        control,
      });
    let app: ReturnType<typeof createApp>;
    let versionId: number;

    const as = (username: string, path: string, body?: unknown, method = body ? 'POST' : 'GET', on = app) => {
      const s = sessions.get(username)!;
      const headers = new Headers({ cookie: s.cookie });
      if (method !== 'GET') headers.set('x-csrf-token', s.csrf);
      if (body !== undefined) headers.set('content-type', 'application/json');
      return on.request(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    };
    const compute = async (month: string): Promise<RunJson> => {
      const res = await as('handlaggare', '/api/runs', { month, rulebook_version_id: versionId });
      expect(res.status).toBe(201);
      return (await res.json()) as RunJson;
    };
    const approve = (username: string, runId: number, body: object = {}, on = app) =>
      as(username, `/api/runs/${runId}/approve`, body, 'POST', on);

    beforeAll(async () => {
      conn = store.conn;
      app = appWith(DEFAULT_CONTROL);
      await importCase(conn.db, {
        units: [
          'U1,5560160680,VC Ett,private,2361,2020-01-01,,,1,',
          'U2,2321000016,VC Två,public,2361,2020-01-01,,,,',
        ],
        listings: ['P1,U1,,1980-01-01,F,A1,2020-01-01,,', 'P2,U2,,1980-01-01,M,A2,2020-01-01,,'],
      });
      await signInAll(app, conn.db, USERS, PASSWORD, sessions);
    }, 60_000);

    it('lets a rulebook draft be published only by someone who neither wrote nor last changed it', async () => {
      const created = await as('handlaggare', '/api/rulebooks', { yaml: YAML });
      expect(created.status).toBe(201);
      versionId = ((await created.json()) as { id: number }).id;
      const own = await as('handlaggare', `/api/rulebooks/${versionId}/publish`, {});
      expect(own.status).toBe(409);
      expect(((await own.json()) as Problem).detail).toMatch(
        /handlaggare skrev utkastet .* får inte också publicera/,
      );
      // Whoever changes the draft becomes one of its authors too.
      expect((await as('granskare', `/api/rulebooks/${versionId}`, { yaml: YAML }, 'PUT')).status).toBe(200);
      const editor = await as('granskare', `/api/rulebooks/${versionId}/publish`, {});
      expect(editor.status).toBe(409);
      expect(((await editor.json()) as Problem).detail).toMatch(/granskare skrev utkastet/);
      const published = await as('admin', `/api/rulebooks/${versionId}/publish`, {});
      expect(published.status).toBe(200);
      expect(await published.json()).toMatchObject({
        status: 'published',
        created_by: 'handlaggare',
        edited_by: 'granskare',
        published_by: 'admin',
      });
    });

    it('refuses the one who computed the run and the one who published its rulebook', async () => {
      const march = await compute('2025-03');
      expect(march.created_by).toBe('handlaggare');
      const self = await approve('handlaggare', march.id);
      expect(self.status).toBe(409);
      expect(self.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(((await self.json()) as Problem).detail).toMatch(
        /handlaggare beräknade körning \d+ och får inte också godkänna den/,
      );
      const publisher = await approve('admin', march.id);
      expect(publisher.status).toBe(409);
      expect(((await publisher.json()) as Problem).detail).toMatch(
        /admin publicerade regelboksversionen .* får inte också godkänna/,
      );
      const run = (await (await as('attestant', `/api/runs/${march.id}`)).json()) as RunJson;
      expect(run.status).toBe('draft');
    });

    it('approves months in order, naming the month that blocks', async () => {
      const march = first(
        ((await (await as('attestant', '/api/runs?month=2025-03')).json()) as { items: RunJson[] }).items,
      );
      const april = await compute('2025-04');
      const early = await approve('attestant', april.id, { comment: 'för tidigt' });
      expect(early.status).toBe(409);
      expect(((await early.json()) as Problem).detail).toMatch(
        new RegExp(`2025-03 är inte godkänd \\(exempel/vardval/2025, körning ${march.id} är ett utkast\\)`),
      );

      const ok = await approve('attestant', march.id, {
        comment: 'Jämförd med februari; ökningen är nya listade',
      });
      expect(ok.status).toBe(200);
      const approved = (await ok.json()) as RunJson;
      expect(approved).toMatchObject({
        status: 'approved',
        created_by: 'handlaggare',
        approved_by: 'attestant',
        approval_comment: 'Jämförd med februari; ökningen är nya listade',
      });
      expect(Date.now() - Date.parse(approved.approved_at!)).toBeLessThan(3_600_000);
      const audit = (await listAudit(conn.db, { limit: 50 })).find(
        (a) => a.action === 'approve_run' && a.target === `run:${march.id}`,
      );
      expect(audit).toMatchObject({ actor: 'attestant', detail: { comment: approved.approval_comment } });

      expect((await approve('attestant', april.id)).status).toBe(200);
    });

    it('accepts a month after a month without any run only with the reason written down', async () => {
      const june = await compute('2025-06');
      const refused = await approve('attestant', june.id);
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as Problem).detail).toMatch(
        /2025-05 saknar körning: .* skriv skälet till att månaden saknar körning/,
      );
      const reason = 'Maj betalades i det gamla systemet före bytet';
      const ok = await approve('attestant', june.id, { missing_month_reason: reason });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as RunJson).missing_month_reason).toBe(reason);
      const audit = (await listAudit(conn.db, { limit: 50 })).find(
        (a) => a.action === 'approve_run' && a.target === `run:${june.id}`,
      );
      expect(audit?.detail).toMatchObject({ missing_months: ['2025-05'], missing_month_reason: reason });
    });

    it('lets a region name its approvers: only persons the admin gave the approver right', async () => {
      const named = appWith({ ...DEFAULT_CONTROL, approverRoles: [] });
      const july = await compute('2025-07');
      const without = await approve('attestant', july.id, {}, named);
      expect(without.status).toBe(403);
      expect(((await without.json()) as Problem).detail).toMatch(/attestant har inte attesträtt/);
      expect(
        (await as('handlaggare', '/api/users/attestant/approver', { approver: true }, 'PUT')).status,
      ).toBe(403);
      const grant = await as('admin', '/api/users/attestant/approver', { approver: true }, 'PUT', named);
      expect(grant.status).toBe(200);
      const settings = await (await as('handlaggare', '/api/control', undefined, 'GET', named)).json();
      expect(settings).toMatchObject({
        four_eyes: true,
        approver_roles: [],
        approvers: [{ username: 'attestant', role: 'officer' }],
      });
      expect((await approve('attestant', july.id, {}, named)).status).toBe(200);
      expect((await listAudit(conn.db, { limit: 50 })).map((a) => a.action)).toContain('user.grant_approver');
    });

    it('marks a draft’s exports UTKAST and names the approver and date on an approved run’s', async () => {
      const september = await compute('2025-09');
      const march = first(
        ((await (await as('handlaggare', '/api/runs?month=2025-03')).json()) as { items: RunJson[] }).items,
      );
      const day = new Date(march.approved_at!).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
      const get = async (runId: number, format: string) => {
        const res = await as('handlaggare', `/api/runs/${runId}/export/${format}`);
        expect(res.status).toBe(200);
        return { res, bytes: Buffer.from(await res.arrayBuffer()) };
      };

      const draftCsv = (await get(september.id, 'csv')).bytes.toString('utf8');
      expect(draftCsv.split('\n')[0]).toBe(
        '\ufeff# UTKAST – inte godkänt för utbetalning, beloppen kan ändras',
      );
      expect(draftCsv.split('\n')[1]).toBe('unit_id,component,quantity,amount_ore');
      const approvedCsv = (await get(march.id, 'csv')).bytes.toString('utf8');
      expect(approvedCsv.split('\n')[0]).toBe(`\ufeff# Godkänd för utbetalning ${day} av attestant`);

      const { res, bytes } = await get(september.id, 'csv-excel');
      expect(res.headers.get('content-disposition')).toMatch(/korning-\d+-UTKAST\.excel\.csv"/);
      const excel = bytes.toString('utf8');
      expect(excel.startsWith('\ufeffUTKAST – inte godkänt för utbetalning')).toBe(true);
      const rows = excel.slice(1).split('\r\n');
      expect(rows[1]).toBe('HSA-id;Enhet;Organisationsnummer;Ägarform;Komponent;Benämning;Antal;Belopp (kr)');
      const run = (await (await as('handlaggare', `/api/runs/${september.id}`)).json()) as {
        units: { unit_id: string; name: string; total_ore: number }[];
      };
      for (const unit of run.units) {
        const own = rows.filter((r) => r.startsWith(`${unit.unit_id};${unit.name};`));
        expect(own.length).toBeGreaterThan(0);
        // Kronor with a decimal comma add up to the unit's total in öre.
        const sum = own.reduce(
          (acc, r) => acc + Math.round(Number(r.split(';')[7]?.replace(',', '.')) * 100),
          0,
        );
        expect(sum).toBe(unit.total_ore);
        expect(own.every((r) => /^-?\d+,\d\d$/.test(r.split(';')[7] ?? ''))).toBe(true);
      }

      const xlsx = new ExcelJS.Workbook();
      await xlsx.xlsx.load((await get(september.id, 'xlsx')).bytes as unknown as ExcelJS.Buffer);
      expect(xlsx.getWorksheet(SHEET_RUN)!.getRow(2).values).toContain(
        'UTKAST – inte godkänt för utbetalning, beloppen kan ändras',
      );
      expect(xlsx.getWorksheet(SHEET_SUMMARY)!.getCell('A1').note).toMatch(/^UTKAST/);

      if (!hasPdftotext) return;
      const draftPdf = pdfText((await get(september.id, 'pdf')).bytes);
      expect(draftPdf).toContain('UTKAST – inte godkänt för utbetalning');
      expect(draftPdf).not.toContain('Godkänd');
      const approvedPdf = pdfText((await get(march.id, 'pdf')).bytes);
      expect(approvedPdf).toContain(`Godkänd för utbetalning ${day} av attestant`);
      expect(approvedPdf).toContain(`Godkänd av attestant Godkänd den ${day}`);
      expect(approvedPdf).not.toContain('UTKAST');
    });

    it('reviews a draft against the last approved month, unit by unit and component by component', async () => {
      const september = first(
        ((await (await as('attestant', '/api/runs?month=2025-09')).json()) as { items: RunJson[] }).items,
      );
      const review = (await (await as('attestant', `/api/runs/${september.id}/review`)).json()) as {
        compared_with: { month: string; run_ids: number[] };
        threshold_percent: number;
        units: {
          unit_id: string;
          now_ore: number;
          before_ore: number;
          change_ore: number;
          components: { now_ore: number; before_ore: number; change_ore: number }[];
        }[];
      };
      const july = first(
        ((await (await as('attestant', '/api/runs?month=2025-07')).json()) as { items: RunJson[] }).items,
      );
      expect(review.compared_with).toEqual({ month: '2025-07', run_ids: [july.id] });
      expect(review.threshold_percent).toBe(10);
      const now = (await (await as('attestant', `/api/runs/${september.id}`)).json()) as {
        units: { unit_id: string; total_ore: number }[];
      };
      const before = (await (await as('attestant', `/api/runs/${july.id}`)).json()) as typeof now;
      expect(review.units.map((u) => u.unit_id).sort()).toEqual(['U1', 'U2']);
      for (const u of review.units) {
        expect(u.now_ore).toBe(now.units.find((x) => x.unit_id === u.unit_id)!.total_ore);
        expect(u.before_ore).toBe(before.units.find((x) => x.unit_id === u.unit_id)!.total_ore);
        expect(u.change_ore).toBe(u.now_ore - u.before_ore);
        expect(u.components.reduce((s, c) => s + c.change_ore, 0)).toBe(u.change_ore);
      }
    });

    it('with the four-eyes rule turned off, the one who computed may approve', async () => {
      const alone = appWith({ ...DEFAULT_CONTROL, fourEyes: false });
      const august = await compute('2025-08');
      expect((await approve('handlaggare', august.id, {}, alone)).status).toBe(200);
    });

    it('lists for the overview what is left to handle: drafts, imports without a run, requirements not met', async () => {
      await recordFact(
        conn.db,
        { unitId: 'U1', fact: 'psychologist', value: false, validFrom: '2025-01-01' },
        { username: 'handlaggare', role: 'officer' },
      );
      const unused = await importFolder(conn.db, writeCaseFolder({}), 'test', 'Ny import');
      const res = await as('handlaggare', '/api/ui/todo?month=2025-09');
      expect(res.status).toBe(200);
      const todo = (await res.json()) as {
        runs_awaiting_approval: { month: string; created_by: string }[];
        imports_without_run: { id: number; label: string }[];
        requirements_not_met: { month: string; units: { unit_id: string; requirements: string[] }[] };
      };
      expect(todo.runs_awaiting_approval.map((r) => [r.month, r.created_by])).toEqual([
        ['2025-09', 'handlaggare'],
      ]);
      expect(todo.imports_without_run.map((b) => [b.id, b.label])).toEqual([[unused.id, 'Ny import']]);
      expect(todo.requirements_not_met.month).toBe('2025-09');
      expect(todo.requirements_not_met.units).toEqual([
        {
          unit_id: 'U1',
          name: 'VC Ett',
          rulebook_id: 'exempel/vardval/2025',
          requirements: ['Vårdcentralen ska ha tillgång till legitimerad psykolog.'],
        },
      ]);
    });
  });
}
