import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { firstDay, formatDate, parseMonth, type MonthInt } from '../../../core/calendar.js';
import type { DataSet } from '../../../core/data/dataset.js';
import { assignUnits, differentiatedGroups, systemSetIssues } from '../../../core/rulebook/systems.js';
import { buildMonthContext } from '../../../core/engine/month-context.js';
import { checkConformance } from '../../../core/followup/conformance.js';
import { followUpSeries, type IndicatorPoint } from '../../../core/followup/report.js';
import type { Rulebook } from '../../../core/rulebook/schema.js';
import {
  followUpCsv,
  followUpXlsx,
  type FollowUpSystem,
  type ShownPoint,
} from '../../exports/followup-export.js';
import type { Db } from '../../store/connection.js';
import { cachedBatch, loadRulebookVersion } from '../../store/runs.js';
import { publishedVersions } from '../../store/rulebook-versions.js';
import { factsOn, listFacts, recordFact } from '../../store/unit-facts.js';
import type { AppDeps, AppEnv, SessionUser } from '../context.js';
import { ACCESS, canSeeProvider, hidesSmallCounts, shownCount } from '../guard.js';
import { HttpError } from '../problem.js';
import { findUnit, latestBatchId } from '../../store/units.js';
import {
  binaryFile,
  conflictResponse,
  createdAnswer,
  errorResponses,
  fileAnswer,
  getRoute,
  isoDate,
  itemsOf,
  jsonAnswer,
  jsonBody,
  ore,
  routeWithRight,
  textFile,
} from './common.js';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Månaden skrivs ÅÅÅÅ-MM');
const versionIds = z
  .string()
  .regex(/^\d+(,\d+){0,9}$/, 'version_ids är id:n för regelboksversioner, åtskilda med komma')
  .openapi({ description: 'Publicerade regelboksversioner (flera med scope: differentierat vårdval)' });

const Point = z.object({
  from: z.string(),
  to: z.string(),
  numerator: z.number().nullable().openapi({ description: 'null: färre än 5, visas inte för analytiker' }),
  denominator: z.number().nullable().openapi({ description: 'null: färre än 5, visas inte för analytiker' }),
  value: z.number().nullable(),
});
const Series = z.object({
  id: z.string(),
  label: z.string(),
  origin: z.enum(['computed', 'imported']),
  computed: z.boolean(),
  direction: z.enum(['higher', 'lower']),
  period_months: z.number(),
  target: z.number().nullable(),
  floor: z.number().nullable(),
  source: z.string(),
  region: z.array(Point),
  units: z.array(z.object({ unit_id: z.string(), name: z.string(), points: z.array(Point) })),
});
const SystemHead = {
  version_id: z.number(),
  rulebook_id: z.string(),
  title: z.string(),
  scope: z.string().nullable(),
  units: z.number().int().openapi({ description: 'Enheter i systemet' }),
};
const Indicators = z
  .object({
    batch_id: z.number(),
    from: z.string(),
    to: z.string(),
    systems: z.array(z.object({ ...SystemHead, indicators: z.array(Series) })),
  })
  .openapi('FollowUpIndicators');

const Check = z.object({
  requirement: z.string(),
  text: z.string(),
  level: z.enum(['ska', 'bor']),
  fact: z.string(),
  value: z.union([z.number(), z.boolean()]).nullable(),
  expected: z.string(),
  status: z.enum(['met', 'not_met', 'unknown']),
  reason: z.string(),
  source: z.string(),
});
const Counts = z.object({ met: z.number(), not_met: z.number(), unknown: z.number() });
const Conformance = z
  .object({
    batch_id: z.number(),
    month: z.string(),
    systems: z.array(
      z.object({
        ...SystemHead,
        requirements: z.array(
          z.object({ requirement: z.string(), text: z.string(), source: z.string(), counts: Counts }),
        ),
        proposed_penalties_ore: ore,
        units: z.array(
          z.object({
            unit_id: z.string(),
            name: z.string(),
            provider_id: z.string(),
            listed: z.number().int(),
            counts: Counts,
            checks: z.array(Check),
            penalties: z.array(
              z.object({
                sanction: z.string(),
                requirement: z.string(),
                amount_ore: ore,
                source: z.string(),
              }),
            ),
          }),
        ),
      }),
    ),
  })
  .openapi('FollowUpConformance');

const Fact = z
  .object({
    id: z.number(),
    unit_id: z.string(),
    fact: z.string(),
    value: z.union([z.number(), z.boolean()]),
    valid_from: z.string(),
    note: z.string().nullable(),
    reported_by: z.string(),
    reported_role: z.string(),
    reported_at: z.string(),
  })
  .openapi('UnitFact');

const Choice = z.object({
  label: z.string(),
  version_ids: z.array(z.number()),
  differentiated: z.boolean(),
});

interface System {
  versionId: number;
  rulebook: Rulebook;
  title: string;
}

async function loadSystems(db: Db, ids: string): Promise<System[]> {
  const out: System[] = [];
  for (const id of [...new Set(ids.split(',').map(Number))]) {
    const v = await loadRulebookVersion(db, id);
    if (v.row.status !== 'published')
      throw new HttpError(
        409,
        'Regelboken är inte publicerad',
        `${v.row.rulebookId} version ${v.row.version} är ett utkast; följ upp med publicerade versioner`,
      );
    out.push({ versionId: id, rulebook: v.rb.rulebook, title: v.row.title });
  }
  if (out.length > 1) {
    const issues = systemSetIssues(out.map((s) => s.rulebook));
    if (issues.length > 0)
      throw new HttpError(400, 'Regelböckerna bildar inget differentierat vårdval', issues[0]!.message, {
        pointer: '/version_ids',
      });
  }
  return out;
}

/** Per system: 1 for the units it pays (every unit for the one system when there is one). */
function systemMembers(data: DataSet, systems: System[]): Uint8Array[] {
  return systems.length === 1
    ? [new Uint8Array(data.units.count).fill(1)]
    : assignUnits(
        data,
        systems.map((s) => s.rulebook),
      ).member;
}

function requireRange(from: string, to: string): [MonthInt, MonthInt] {
  const f = parseMonth(from)!;
  const l = parseMonth(to)!;
  if (l < f) throw new HttpError(400, 'Ogiltig begäran', 'to ligger före from', { pointer: '/to' });
  if (Math.floor(l / 100) - Math.floor(f / 100) > 5)
    throw new HttpError(400, 'Ogiltig begäran', 'Högst sex kalenderår åt gången', { pointer: '/to' });
  return [f, l];
}

/** A point as the user may see it: an analyst does not see counts of 1–4, nor the share they give. */
function shownPoint(user: SessionUser, p: IndicatorPoint): ShownPoint {
  if (!hidesSmallCounts(user)) return p;
  const numerator = shownCount(user, p.numerator);
  const denominator = shownCount(user, p.denominator);
  return { ...p, numerator, denominator, value: numerator === null || denominator === null ? null : p.value };
}

export function registerFollowUp(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  async function latestData(): Promise<{ batchId: number; data: DataSet }> {
    const batchId = await latestBatchId(deps.conn.db);
    if (batchId === undefined) throw new HttpError(409, 'Inga data', 'Importera en datamapp först');
    return { batchId, data: await cachedBatch(db, batchId) };
  }

  async function indicatorSystems(
    user: SessionUser,
    q: { version_ids: string; from: string; to: string },
  ): Promise<{
    batchId: number;
    systems: (FollowUpSystem & { head: z.infer<z.ZodObject<typeof SystemHead>> })[];
  }> {
    const [from, to] = requireRange(q.from, q.to);
    const systems = await loadSystems(db, q.version_ids);
    const { batchId, data } = await latestData();
    const member = systemMembers(data, systems);
    return {
      batchId,
      systems: systems.map((s, i) => {
        const mine = (u: number) => member[i]![u] === 1;
        const series = followUpSeries(s.rulebook, data, from, to, mine).map((ind) => ({
          ...ind,
          region: ind.region.map((p) => shownPoint(user, p)),
          units:
            user.role === 'analyst'
              ? []
              : ind.units.filter((u) =>
                  canSeeProvider(user, data.units.providerId[data.units.id.indexOf(u.unit_id)] ?? ''),
                ),
        }));
        return {
          rulebook_id: s.rulebook.id,
          scope: s.rulebook.scope?.label ?? null,
          indicators: series,
          head: {
            version_id: s.versionId,
            rulebook_id: s.rulebook.id,
            title: s.title,
            scope: s.rulebook.scope?.label ?? null,
            units: member[i]!.reduce((n, x) => n + x, 0),
          },
        };
      }),
    };
  }

  app.openapi(
    getRoute(
      {
        path: '/api/followup/systems',
        right: ACCESS.readFollowUp,
        summary:
          'Vårdvalssystem att följa upp: varje publicerad regelbok och, för ett differentierat vårdval, regelböckerna med scope tillsammans',
      },
      'Valen',
      itemsOf(Choice),
    ),
    async (c) => {
      const rows = await publishedVersions(db);
      // The latest published version of each rulebook.
      const latest = new Map<string, (typeof rows)[number]>();
      for (const r of rows) if (!latest.has(r.rulebookId)) latest.set(r.rulebookId, r);
      const items: z.infer<typeof Choice>[] = [];
      const candidates = [];
      for (const r of [...latest.values()].sort((a, b) => (a.rulebookId < b.rulebookId ? -1 : 1))) {
        items.push({ label: `${r.title} (${r.rulebookId})`, version_ids: [r.id], differentiated: false });
        candidates.push({ rulebook: (await loadRulebookVersion(db, r.id)).rb.rulebook, item: r.id });
      }
      for (const g of differentiatedGroups(candidates))
        items.unshift({
          label: `Differentierat vårdval ${g.year}: ${g.labels.join(' och ')}`,
          version_ids: g.items,
          differentiated: true,
        });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/followup/indicators',
      right: ACCESS.readFollowUp,
      summary:
        'Indikatorer per period: per vårdvalssystem för hela systemet och per enhet (analytiker: bara systemet; vårdgivare: egna enheter)',
      request: { query: z.object({ version_ids: versionIds, from: month, to: month }) },
      responses: jsonAnswer('Indikatorerna', Indicators, conflictResponse),
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { batchId, systems } = await indicatorSystems(c.get('user'), q);
      return c.json(
        {
          batch_id: batchId,
          from: q.from,
          to: q.to,
          systems: systems.map((s) => ({ ...s.head, indicators: s.indicators })),
        },
        200,
      );
    },
  );

  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/followup/export/{format}',
      right: ACCESS.readFollowUp,
      summary: 'Indikatorerna som CSV eller XLSX (en rad per system, indikator, enhet och period)',
      request: {
        params: z.object({ format: z.enum(['csv', 'xlsx']) }),
        query: z.object({ version_ids: versionIds, from: month, to: month }),
      },
      responses: {
        ...fileAnswer('Filen', {
          'text/csv': textFile,
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': binaryFile,
        }),
        409: errorResponses[404],
      },
    }),
    async (c) => {
      const { format } = c.req.valid('param');
      const q = c.req.valid('query');
      const { systems } = await indicatorSystems(c.get('user'), q);
      const body =
        format === 'csv' ? Buffer.from(`\ufeff${followUpCsv(systems)}`) : await followUpXlsx(systems);
      return new Response(new Uint8Array(body), {
        status: 200,
        headers: {
          'content-type':
            format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="uppfoljning-${q.from}-${q.to}.${format}"`,
        },
      });
    },
  );

  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/followup/conformance',
      right: ACCESS.readFollowUp,
      summary:
        'Kravuppföljning per enhet: varje mätbart krav uppfyllt, ej uppfyllt eller okänt, med källa, och föreslagna viten (analytiker: bara antal per krav)',
      request: { query: z.object({ version_ids: versionIds, month }) },
      responses: jsonAnswer('Kravuppföljningen', Conformance, conflictResponse),
    }),
    async (c) => {
      const user = c.get('user');
      const q = c.req.valid('query');
      const m = parseMonth(q.month)!;
      const systems = await loadSystems(db, q.version_ids);
      const { batchId, data } = await latestData();
      const member = systemMembers(data, systems);
      const facts = await factsOn(db, formatDate(firstDay(m)));
      const { units } = data;
      return c.json(
        {
          batch_id: batchId,
          month: q.month,
          systems: systems.map((s, i) => {
            const ctx = buildMonthContext(data, m, s.rulebook.listing.branches_may_list);
            const rows = [...Array(units.count).keys()]
              // A branch (filial) is followed up as part of its main unit, which holds the listing.
              .filter((u) => member[i]![u] === 1 && ctx.active[u] && units.branchOf[u]! < 0)
              .sort((a, b) => (units.id[a]! < units.id[b]! ? -1 : 1))
              .map((u) => {
                const r = checkConformance(
                  s.rulebook,
                  ctx.listedCount[u]!,
                  facts.get(units.id[u]!) ?? new Map(),
                  firstDay(m),
                );
                return {
                  unit_id: units.id[u]!,
                  name: units.name[u]!,
                  provider_id: units.providerId[u]!,
                  ...r,
                };
              });
            const requirements = s.rulebook.requirements
              .filter((r) => r.measure)
              .map((r) => {
                const counts = { met: 0, not_met: 0, unknown: 0 };
                for (const row of rows) {
                  const check = row.checks.find((x) => x.requirement === r.id);
                  if (check) counts[check.status]++;
                }
                return { requirement: r.id, text: r.text, source: r.source, counts };
              });
            const visible = rows.filter(
              (r) => user.role !== 'analyst' && canSeeProvider(user, r.provider_id),
            );
            return {
              version_id: s.versionId,
              rulebook_id: s.rulebook.id,
              title: s.title,
              scope: s.rulebook.scope?.label ?? null,
              units: visible,
              requirements: user.role === 'provider' ? [] : requirements,
              proposed_penalties_ore: (user.role === 'provider' ? visible : rows).reduce(
                (sum, r) => sum + r.penalties.reduce((a, p) => a + p.amount_ore, 0),
                0,
              ),
            };
          }),
        },
        200,
      );
    },
  );

  /** The unit's provider in the latest import (404 when the unit is not there or not the caller's). */
  async function unitFor(user: SessionUser, unitId: string): Promise<void> {
    const batchId = await latestBatchId(deps.conn.db);
    const unit = batchId === undefined ? undefined : await findUnit(db, batchId, unitId);
    if (!unit || !canSeeProvider(user, unit.providerId))
      throw new HttpError(404, 'Finns inte', `Enheten ${unitId} finns inte`, { pointer: '/unit_id' });
  }

  app.openapi(
    getRoute(
      {
        path: '/api/followup/facts',
        right: ACCESS.reportFacts,
        summary:
          'Rapporterade fakta om enheter (öppettider, psykolog, digitala kontaktvägar, ...), med historik',
        request: { query: z.object({ unit_id: z.string().max(40).optional() }) },
      },
      'Fakta',
      itemsOf(Fact),
    ),
    async (c) => {
      const user = c.get('user');
      const { unit_id } = c.req.valid('query');
      if (unit_id) await unitFor(user, unit_id);
      let items = await listFacts(db, unit_id);
      if (user.role === 'provider') {
        const { data } = await latestData();
        const own = new Set(data.units.id.filter((_, u) => data.units.providerId[u] === user.providerId));
        items = items.filter((f) => own.has(f.unit_id));
      }
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/followup/facts',
      right: ACCESS.reportFacts,
      summary:
        'Rapportera ett faktum om en enhet från ett datum (vårdgivare: egna enheter; handläggare: alla); loggas',
      request: {
        body: jsonBody(
          z.object({
            unit_id: z.string().min(1).max(40),
            fact: z
              .string()
              .regex(/^[a-z_][a-z0-9_]*$/, 'Faktum skrivs med små bokstäver, t.ex. opening_hours_per_week'),
            value: z.union([z.number().finite(), z.boolean()]),
            valid_from: isoDate,
            note: z.string().max(500).nullable().optional(),
          }),
        ),
      },
      responses: createdAnswer('Registrerat', Fact),
    }),
    async (c) => {
      const user = c.get('user');
      const b = c.req.valid('json');
      await unitFor(user, b.unit_id);
      const fact = await recordFact(
        db,
        { unitId: b.unit_id, fact: b.fact, value: b.value, validFrom: b.valid_from, note: b.note },
        { username: user.username, role: user.role, origin: c.get('origin') },
      );
      return c.json(fact, 201);
    },
  );
}
