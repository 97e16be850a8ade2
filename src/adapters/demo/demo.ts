import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { formatKronor, formatNumber } from '../../core/money.js';
import { synthesize } from '../synth/synthesize.js';
import { PROJECT_ROOT, type Connection, type Db } from '../store/connection.js';
import { seedDemoProcurement } from './demo-procurement.js';
import { importFolder } from '../store/import-batch.js';
import { recordFact } from '../store/unit-facts.js';
import { approveRun, createRun, publishRulebook, saveRulebookDraft } from '../store/runs.js';
import * as t from '../store/schema.js';
import { createUser, findUserByUsername, writeAudit, type Role } from '../store/users.js';

/**
 * The demo region: a new embedded store gets a synthetic region, the example rulebooks, a year of
 * payment runs and one login per role, so the web interface has something to show on first start.
 * All of it is written in one transaction (nothing at all if a step fails) and audited as `system`.
 */

const DEMO_POPULATION = 50_000;
const DEMO_SEED = 2025;
/** 14 months of data: each month of 2025 has its 12 months of history for coverage indicators. */
const DEMO_FROM = '2024-11';
const DEMO_TO = '2025-12';
export const DEMO_RULEBOOK_ID = 'exempel/vardval/2025';
const DEMO_RULEBOOKS = [
  'rulebooks/exempel/vardval-2025.yaml',
  'rulebooks/exempel/vardval-2026.yaml',
  'rulebooks/nationell-baslinje/2025.yaml',
  // A differentiated variant of the example region (Landsbygd and Tätort), for follow-up side by side.
  'rulebooks/exempel/vardvalsystem-landsbygd-2025.yaml',
  'rulebooks/exempel/vardvalsystem-tatort-2025.yaml',
] as const;
/** Paid and approved; the last month stays a draft so there is something to approve. */
const DEMO_APPROVED_MONTHS = Array.from({ length: 11 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
const DEMO_DRAFT_MONTH = '2025-12';

export interface DemoLogin {
  username: string;
  password: string;
  role: Role;
  providerId?: string;
  /** The approver right (attesträtt). */
  approver?: boolean;
}

/** Fixed, readable demo logins: for the demo store only, never for a real region's data. */
export const DEMO_LOGINS: readonly Omit<DemoLogin, 'providerId'>[] = [
  { username: 'admin', password: 'demo-admin-2025', role: 'admin' },
  { username: 'handlaggare', password: 'demo-handlaggare-2025', role: 'officer' },
  // A second officer with the approver right: what one officer computes, another approves.
  { username: 'attestant', password: 'demo-attestant-2025', role: 'officer', approver: true },
  { username: 'vardgivare', password: 'demo-vardgivare-2025', role: 'provider' },
  { username: 'analytiker', password: 'demo-analytiker-2025', role: 'analyst' },
  { username: 'revisor', password: 'demo-revisor-2025', role: 'auditor' },
];

export interface DemoOptions {
  /** Persons in the synthetic region; default VARDVAL_DEMO_POPULATION or 50 000. */
  population?: number;
  log?: (line: string) => void;
  /** Folder for the region's CSV files; default beside the embedded store, or a temporary one. */
  workDir?: string;
}

export interface DemoResult {
  seeded: boolean;
  users: DemoLogin[];
}

/** Keeps concurrent seeders (two servers on one PostgreSQL database) from both seeding. */
const SEED_LOCK = 0x76617264; // 'vard'
const SYSTEM = { actor: 'system', role: null, origin: 'demo' } as const;
/**
 * Who does what in the demo's history, as the attestation order wants it: the officer writes the
 * rulebooks and computes the runs, the admin publishes the rulebooks, the attestant approves.
 */
const DEMO_PREPARER = 'handlaggare';
const DEMO_PUBLISHER = 'admin';
const DEMO_APPROVER = 'attestant';

export function demoPopulation(): number {
  const env = process.env.VARDVAL_DEMO_POPULATION;
  if (env === undefined || env.trim() === '') return DEMO_POPULATION;
  const n = Number(env);
  if (!Number.isInteger(n) || n < 100)
    throw new Error(`VARDVAL_DEMO_POPULATION ska vara ett heltal, minst 100, inte "${env}"`);
  return n;
}

async function hasBatch(db: Db): Promise<boolean> {
  const rows = await db.select({ id: t.importBatches.id }).from(t.importBatches).limit(1);
  return rows.length > 0;
}

/** The private provider with the most units in the batch (ties: lowest organisationsnummer). */
async function demoProvider(db: Db, batchId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ providerId: t.units.providerId })
    .from(t.units)
    .where(sql`${t.units.batchId} = ${batchId} and ${t.units.ownership} = 'private'`)
    .groupBy(t.units.providerId)
    .orderBy(sql`count(*) desc`, asc(t.units.providerId))
    .limit(1);
  return row?.providerId;
}

export async function seedDemoIfEmpty(conn: Connection, opts: DemoOptions = {}): Promise<DemoResult> {
  const log = opts.log ?? (() => {});
  if (await hasBatch(conn.db)) return { seeded: false, users: [] };

  const population = opts.population ?? demoPopulation();
  const beside = conn.kind === 'pglite' && !conn.location.startsWith('memory://');
  const workDir =
    opts.workDir ??
    (beside
      ? `${conn.location.replace(/[/\\]+$/, '')}-demo-data`
      : mkdtempSync(join(tmpdir(), 'vardval-demo-')));
  const temporary = opts.workDir === undefined && !beside;
  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  try {
    log(
      `Lagret är nytt: laddar en demoregion med ${formatNumber(population)} invånare (${DEMO_FROM} – ${DEMO_TO}); det tar en stund …`,
    );
    const summary = await synthesize({
      out: workDir,
      population,
      seed: DEMO_SEED,
      from: DEMO_FROM,
      to: DEMO_TO,
      identityDir: join(PROJECT_ROOT, 'fixtures', 'identity'),
      // About 15 units for 50 000 inhabitants, so the demo has a branch, a new and a closed unit among many.
      personsPerUnit: 3300,
    });
    log(
      `Skapade regionen i ${workDir}: ${summary.units} enheter, ${summary.areas} områden, ${formatNumber(summary.listings)} listningar, ${formatNumber(summary.visits)} besök (${seconds()})`,
    );

    const users = await conn.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      await db.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
      // Someone else may have seeded while the region was being written.
      if (await hasBatch(db)) return undefined;

      const batch = await importFolder(db, workDir, 'system', 'Demoregion (syntetisk)');
      await writeAudit(db, {
        ...SYSTEM,
        action: 'import.create',
        target: `batch:${batch.id}`,
        detail: { label: 'Demoregion (syntetisk)', counts: batch.counts, population, seed: DEMO_SEED },
      });
      log(`Importerade underlaget som batch ${batch.id} (${seconds()})`);

      // Every provider holds a LOV contract under the example rulebook from its first unit's start.
      const providerStarts = await db
        .select({ providerId: t.units.providerId, start: sql<string>`min(${t.units.startDate})::text` })
        .from(t.units)
        .where(eq(t.units.batchId, batch.id))
        .groupBy(t.units.providerId);
      for (const p of providerStarts) {
        await db.insert(t.contracts).values({
          providerId: p.providerId,
          connectionForm: 'lov',
          rulebookId: DEMO_RULEBOOK_ID,
          startDate: p.start,
          createdBy: 'system',
        });
      }
      await writeAudit(db, {
        ...SYSTEM,
        action: 'contract.create',
        target: `contracts:${providerStarts.length}`,
      });

      let versionId: number | undefined;
      for (const file of DEMO_RULEBOOKS) {
        const version = await saveRulebookDraft(
          db,
          readFileSync(join(PROJECT_ROOT, file), 'utf8'),
          DEMO_PREPARER,
        );
        await publishRulebook(db, version.id, DEMO_PUBLISHER);
        const target = `rulebook:${version.rulebookId}@${version.version}`;
        await writeAudit(db, {
          ...SYSTEM,
          action: 'rulebook.save',
          target,
          detail: { file, sha256: version.sha256 },
        });
        await writeAudit(db, { ...SYSTEM, action: 'rulebook.publish', target });
        log(`Publicerade regelboken ${version.rulebookId} version ${version.version} (${version.title})`);
        if (version.rulebookId === DEMO_RULEBOOK_ID) versionId = version.id;
      }
      if (versionId === undefined) throw new Error(`Demoregelboken ${DEMO_RULEBOOK_ID} saknas`);
      await seedDemoFacts(db, batch.id);

      for (const month of [...DEMO_APPROVED_MONTHS, DEMO_DRAFT_MONTH]) {
        const run = await createRun(db, month, versionId, batch.id, DEMO_PREPARER);
        const total = run.statements.total_ore;
        await writeAudit(db, {
          ...SYSTEM,
          action: 'run.create',
          target: `run:${run.runId}`,
          detail: { month, rulebookId: DEMO_RULEBOOK_ID, batchId: batch.id, totalOre: total },
        });
        if (month === DEMO_DRAFT_MONTH) {
          log(`Utbetalning ${month}: ${formatKronor(total)} (utkast, väntar på godkännande)`);
          continue;
        }
        const comment = 'Granskad mot föregående månad (demo)';
        await approveRun(db, run.runId, DEMO_APPROVER, { comment });
        await writeAudit(db, {
          ...SYSTEM,
          action: 'run.approve',
          target: `run:${run.runId}`,
          detail: { month, approvedBy: DEMO_APPROVER, comment },
        });
        log(`Utbetalning ${month}: ${formatKronor(total)}`);
      }

      const providerId = await demoProvider(db, batch.id);
      // Procurement (issue 5): a LOV choice system and an NSS assignment, so open data is never empty.
      const [lead] = providerId
        ? await db.select().from(t.providers).where(eq(t.providers.id, providerId))
        : [];
      const procedures = await seedDemoProcurement(
        db,
        lead ? { providerId: lead.id, name: lead.name ?? 'Demovårdgivaren' } : undefined,
        DEMO_RULEBOOK_ID,
        SYSTEM,
      );
      log(
        `Upphandling: valfrihetssystem ${procedures.lov} och NSS-uppdrag ${procedures.nss} med beslut och avtal`,
      );
      const created: DemoLogin[] = [];
      for (const login of DEMO_LOGINS) {
        if (await findUserByUsername(db, login.username)) {
          log(`Användaren ${login.username} finns redan; demoinloggningen skapas inte`);
          continue;
        }
        if (login.role === 'provider' && !providerId) {
          log(`Demoregionen saknar privat vårdgivare; ${login.username} skapas inte`);
          continue;
        }
        const extra = login.role === 'provider' ? { providerId } : {};
        const user = await createUser(db, { ...login, ...extra });
        await writeAudit(db, {
          ...SYSTEM,
          action: 'user.create',
          target: `user:${user.username}`,
          detail: { role: user.role, providerId: user.providerId, demo: true },
        });
        created.push({ ...login, ...(user.providerId ? { providerId: user.providerId } : {}) });
      }
      await writeAudit(db, {
        ...SYSTEM,
        action: 'demo.seed',
        detail: { population, seed: DEMO_SEED, from: DEMO_FROM, to: DEMO_TO, batchId: batch.id },
      });
      return created;
    });
    if (!users) return { seeded: false, users: [] };

    log(
      `Demoregionen är klar (${seconds()}). Demoinloggningar, bara för demon (byt lösenord eller ta bort dem i skarp drift):`,
    );
    for (const u of users) {
      log(
        `  ${u.username} / ${u.password}  (${u.role}${u.providerId ? `, vårdgivare ${u.providerId}` : ''}${u.approver ? ', attesträtt' : ''})`,
      );
    }
    return { seeded: true, users };
  } finally {
    if (temporary) rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Facts the demo units report for requirement conformance (kravuppföljning): made-up values,
 * spread so that the demo shows met, not met and unknown; every fourth unit reports no opening hours.
 */
async function seedDemoFacts(db: Db, batchId: number): Promise<void> {
  const units = await db
    .select({ unitId: t.units.unitId, branchOf: t.units.branchOf })
    .from(t.units)
    .where(eq(t.units.batchId, batchId))
    .orderBy(t.units.unitId);
  const actor = { username: 'system', role: 'admin' };
  let i = 0;
  for (const u of units) {
    if (u.branchOf) continue;
    const facts: [string, number | boolean][] = [
      ['psychologist', i % 3 !== 2],
      ['digital_contact', i % 5 !== 4],
      ['web_bookable_share', 0.15 + (i % 4) * 0.08],
      ['health_dialogues', true],
    ];
    if (i % 4 !== 3) facts.push(['opening_hours_per_week', 38 + (i % 5) * 2]);
    for (const [fact, value] of facts)
      await recordFact(db, { unitId: u.unitId, fact, value, validFrom: '2025-01-01' }, actor);
    i++;
  }
}
