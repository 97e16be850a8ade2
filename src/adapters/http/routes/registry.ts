import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { OPEN_END, formatDate } from '../../../core/calendar.js';
import { changeListing } from '../../store/listing-changes.js';
import { checkPersonId, parseTypedPersonId } from '../../../core/identity.js';
import * as t from '../../store/schema.js';
import { writeAudit } from '../../store/users.js';
import type { AppDeps, AppEnv, SessionUser } from '../context.js';
import { ACCESS, canSeeProvider, requireRole, shownCount } from '../guard.js';
import { HttpError } from '../problem.js';
import { personDigest } from '../person-digest.js';
import { errorResponses, isoDate, pageOf, pageQuery, paginate } from './common.js';

const Unit = z
  .object({
    unit_id: z.string(),
    provider_id: z.string(),
    name: z.string(),
    ownership: z.enum(['public', 'private', 'nonprofit']),
    kommun: z.string().nullable(),
    start_date: z.string(),
    end_date: z.string().nullable(),
    branch_of: z.string().nullable(),
    connection_forms: z
      .array(z.enum(['lov', 'nss', 'national_tariff']))
      .describe('Anslutningsformer i avtal som gäller i dag, för enheten eller hela vårdgivaren'),
  })
  .openapi('Unit');

type ConnectionForm = 'lov' | 'nss' | 'national_tariff';

/** Connection forms (anslutningsformer) in force today, per unit: its own contracts and its provider's. */
async function connectionForms(
  deps: AppDeps,
): Promise<(unitId: string, providerId: string) => ConnectionForm[]> {
  const today = new Date().toISOString().slice(0, 10);
  const rows = await deps.conn.db.select().from(t.contracts);
  const byUnit = new Map<string, Set<ConnectionForm>>();
  const byProvider = new Map<string, Set<ConnectionForm>>();
  for (const r of rows) {
    if (r.startDate > today || (r.endDate !== null && r.endDate < today)) continue;
    const [map, key] = r.unitId ? [byUnit, r.unitId] : [byProvider, r.providerId];
    if (!map.has(key)) map.set(key, new Set());
    map.get(key)!.add(r.connectionForm as ConnectionForm);
  }
  return (unitId, providerId) =>
    [...new Set([...(byUnit.get(unitId) ?? []), ...(byProvider.get(providerId) ?? [])])].sort();
}

const ListingPeriod = z
  .object({
    unit_id: z.string(),
    /** The unit's name in the same import (null when the import does not name the unit). */
    unit_name: z.string().nullable(),
    doctor_id: z.string().nullable(),
    listed_from: z.string(),
    listed_to: z.string().nullable(),
    batch_id: z.number(),
  })
  .openapi('ListingPeriod');

const periodJson = (r: typeof t.listings.$inferSelect, names: Map<string, string>) => ({
  unit_id: r.unitId,
  unit_name: names.get(r.unitId) ?? null,
  doctor_id: r.doctorId,
  listed_from: formatDate(r.listedFrom),
  listed_to: r.listedTo === OPEN_END ? null : formatDate(r.listedTo),
  batch_id: r.batchId,
});

/** The names of the units a person's periods name, from the periods' own import. */
async function unitNames(
  deps: AppDeps,
  rows: (typeof t.listings.$inferSelect)[],
): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const found = await deps.conn.db
    .select({ unitId: t.units.unitId, name: t.units.name })
    .from(t.units)
    .where(
      and(
        eq(t.units.batchId, rows[0].batchId),
        inArray(
          t.units.unitId,
          rows.map((r) => r.unitId),
        ),
      ),
    );
  return new Map(found.map((u) => [u.unitId, u.name]));
}

export async function latestBatchId(deps: AppDeps): Promise<number | undefined> {
  const [row] = await deps.conn.db
    .select({ id: t.importBatches.id })
    .from(t.importBatches)
    .orderBy(desc(t.importBatches.id))
    .limit(1);
  return row?.id;
}

const unitJson = (
  u: typeof t.units.$inferSelect,
  formsOf: (unitId: string, providerId: string) => ConnectionForm[],
) => ({
  unit_id: u.unitId,
  provider_id: u.providerId,
  name: u.name,
  ownership: u.ownership as 'public' | 'private' | 'nonprofit',
  kommun: u.kommun,
  start_date: u.startDate,
  end_date: u.endDate,
  branch_of: u.branchOf,
  connection_forms: formsOf(u.unitId, u.providerId),
});

/** A unit of the latest import that the user may see, with that import's id; 404 otherwise. */
export async function visibleUnit(
  deps: AppDeps,
  user: SessionUser,
  unitId: string,
): Promise<{ unit: typeof t.units.$inferSelect; batch: number }> {
  const batch = await latestBatchId(deps);
  const [unit] =
    batch === undefined
      ? []
      : await deps.conn.db
          .select()
          .from(t.units)
          .where(and(eq(t.units.batchId, batch), eq(t.units.unitId, unitId)));
  if (batch === undefined || !unit || !canSeeProvider(user, unit.providerId))
    throw new HttpError(404, 'Finns inte', `Enheten ${unitId} finns inte`);
  return { unit, batch };
}

/** Why a typed identity number was refused, and what to write instead. */
const PERSON_ID_PROBLEM = {
  format:
    'Personnumret har fel format. Skriv 10 eller 12 siffror, med eller utan bindestreck, till exempel 19121212-1212 eller 121212-1212.',
  luhn: 'Kontrollsiffran stämmer inte. Kontrollera att alla siffror är rätt skrivna.',
  date: 'Datumet i personnumret finns inte. Kontrollera år, månad och dag.',
} as const;

export function registerRegistry(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units',
      summary: 'Vårdenheter i senaste importen (vårdgivare ser bara sina egna)',
      request: {
        query: z.object({
          ownership: z.enum(['public', 'private', 'nonprofit']).optional(),
          kommun: z.string().max(10).optional(),
          provider_id: z.string().max(20).optional(),
          connection_form: z.enum(['lov', 'nss', 'national_tariff']).optional(),
          ...pageQuery,
        }),
      },
      responses: {
        200: { description: 'Enheter', content: { 'application/json': { schema: pageOf(Unit) } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRegistry);
      const q = c.req.valid('query');
      const batch = await latestBatchId(deps);
      if (batch === undefined) return c.json(paginate([], q.page, q.page_size), 200);
      const conditions = [eq(t.units.batchId, batch)];
      if (q.ownership) conditions.push(eq(t.units.ownership, q.ownership));
      if (q.kommun) conditions.push(eq(t.units.kommun, q.kommun));
      if (q.provider_id) conditions.push(eq(t.units.providerId, q.provider_id));
      if (user.role === 'provider') conditions.push(eq(t.units.providerId, user.providerId ?? ''));
      const rows = await db
        .select()
        .from(t.units)
        .where(and(...conditions))
        .orderBy(asc(t.units.unitId));
      const formsOf = await connectionForms(deps);
      const items = rows
        .map((u) => unitJson(u, formsOf))
        .filter((u) => !q.connection_form || u.connection_forms.includes(q.connection_form));
      return c.json(paginate(items, q.page, q.page_size), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unitId}',
      summary: 'En vårdenhet',
      request: { params: z.object({ unitId: z.string().max(40) }) },
      responses: {
        200: {
          description: 'Enheten',
          content: {
            'application/json': {
              schema: Unit.extend({
                listed_by_month: z.array(z.object({ month: z.string(), listed: z.number().nullable() })),
              }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRegistry);
      const { unitId } = c.req.valid('param');
      const { unit: u } = await visibleUnit(deps, user, unitId);
      const listed = await db
        .select({ month: t.paymentRuns.month, listed: t.statements.listed })
        .from(t.statements)
        .innerJoin(t.paymentRuns, eq(t.paymentRuns.id, t.statements.runId))
        .where(and(eq(t.statements.unitId, unitId), eq(t.paymentRuns.status, 'approved')))
        .orderBy(asc(t.paymentRuns.month));
      return c.json(
        {
          ...unitJson(u, await connectionForms(deps)),
          listed_by_month: listed.map((r) => ({ month: r.month, listed: shownCount(user, r.listed) })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/persons/{personId}/listings',
      summary: 'En persons listningshistorik (endast regionens handläggare; läsningen loggas)',
      request: { params: z.object({ personId: z.string().min(1).max(40) }) },
      responses: {
        200: {
          description: 'Listningsperioder',
          content: { 'application/json': { schema: z.object({ periods: z.array(ListingPeriod) }) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readPersons);
      const raw = c.req.valid('param').personId;
      const check = parseTypedPersonId(raw, new Date().toISOString().slice(0, 10));
      if (!check.ok) {
        const detail = PERSON_ID_PROBLEM[check.reason];
        throw new HttpError(400, 'Ogiltigt personnummer', detail, {
          pointer: '/personId',
          errors: [{ pointer: '/personId', detail, code: check.reason }],
        });
      }
      const batch = await latestBatchId(deps);
      const rows =
        batch === undefined
          ? []
          : await db
              .select()
              .from(t.listings)
              .where(and(eq(t.listings.batchId, batch), eq(t.listings.personId, check.normalized)))
              .orderBy(asc(t.listings.listedFrom));
      // The audit keeps who looked, not the number in clear: a hash identifies it for follow-up.
      await writeAudit(db, {
        actor: user.username,
        role: user.role,
        action: 'read_person_listings',
        target: `person:${personDigest(check.normalized)}`,
        origin: c.get('origin'),
        detail: { rows: rows.length },
      });
      const names = await unitNames(deps, rows);
      return c.json({ periods: rows.map((r) => periodJson(r, names)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/persons/{personId}/listing-changes',
      summary:
        'Byt listning (omlistning): perioden som gäller stängs, en ny öppnas; regelbokens gräns för byten per 12 månader gäller',
      request: {
        params: z.object({ personId: z.string().min(1).max(40) }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                unit_id: z.string().min(1).max(40),
                doctor_id: z.string().max(40).nullable().optional(),
                from: isoDate,
              }),
            },
          },
        },
      },
      responses: {
        201: {
          description: 'Ändrad',
          content: { 'application/json': { schema: z.object({ periods: z.array(ListingPeriod) }) } },
        },
        ...errorResponses,
        409: errorResponses[404],
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.changePersons);
      const personId = c.req.valid('param').personId;
      const body = c.req.valid('json');
      const normalized = checkPersonId(personId);
      await changeListing(
        db,
        { personId, unitId: body.unit_id, doctorId: body.doctor_id ?? null, from: body.from },
        user.username,
        {
          actor: user.username,
          role: user.role,
          action: 'change_listing',
          target: `person:${personDigest(normalized.ok ? normalized.normalized : personId)}`,
          origin: c.get('origin'),
          detail: { unit_id: body.unit_id, from: body.from },
        },
      );
      const batch = await latestBatchId(deps);
      const rows = await db
        .select()
        .from(t.listings)
        .where(
          and(
            eq(t.listings.batchId, batch!),
            eq(t.listings.personId, normalized.ok ? normalized.normalized : personId),
          ),
        )
        .orderBy(asc(t.listings.listedFrom));
      const names = await unitNames(deps, rows);
      return c.json({ periods: rows.map((r) => periodJson(r, names)) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/listing-counts',
      summary: 'Listade per enhet och månad (från godkända utbetalningar)',
      responses: {
        200: {
          description: 'Antal',
          content: {
            'application/json': {
              schema: z.object({
                items: z.array(
                  z.object({
                    unit_id: z.string(),
                    month: z.string(),
                    listed: z
                      .number()
                      .nullable()
                      .openapi({ description: 'null: färre än 5, visas inte för analytiker' }),
                  }),
                ),
              }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRegistry);
      const rows = await db
        .select({
          unit_id: t.statements.unitId,
          month: t.paymentRuns.month,
          listed: sql<number>`max(${t.statements.listed})::int`,
          provider: t.statements.providerId,
        })
        .from(t.statements)
        .innerJoin(t.paymentRuns, eq(t.paymentRuns.id, t.statements.runId))
        .where(eq(t.paymentRuns.status, 'approved'))
        .groupBy(t.statements.unitId, t.paymentRuns.month, t.statements.providerId)
        .orderBy(asc(t.paymentRuns.month), asc(t.statements.unitId));
      return c.json(
        {
          items: rows
            .filter((r) => canSeeProvider(user, r.provider))
            .map(({ unit_id, month, listed }) => ({ unit_id, month, listed: shownCount(user, listed) })),
        },
        200,
      );
    },
  );
}
