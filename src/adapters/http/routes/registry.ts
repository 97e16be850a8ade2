import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { OPEN_END, formatDate } from '../../../core/calendar.js';
import { changeListing } from '../../store/listing-changes.js';
import { checkPersonId } from '../../../core/identity.js';
import {
  approvedListedByMonth,
  approvedListingCounts,
  connectionFormsOn,
  latestBatchId,
  listUnits,
  personListings,
  type ConnectionForm,
  type ListingRow,
  type UnitRow,
  unitNamesOf,
} from '../../store/units.js';
import { writeAudit } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, canSeeProvider, shownCount } from '../guard.js';
import { todayOf } from '../clock.js';
import { visibleUnit } from '../ownership.js';
import { HttpError } from '../problem.js';
import { personDigest } from '../person-digest.js';
import { getRoute, isoDate, jsonBody, pageOf, pageQuery, paginate, postCreatedRoute, who } from './common.js';

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

/** Connection forms in force today (the server's UTC date, as before), per unit. */
const connectionForms = (deps: AppDeps) =>
  connectionFormsOn(deps.conn.db, new Date().toISOString().slice(0, 10));

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

const periodJson = (r: ListingRow, names: Map<string, string>) => ({
  unit_id: r.unitId,
  unit_name: names.get(r.unitId) ?? null,
  doctor_id: r.doctorId,
  listed_from: formatDate(r.listedFrom),
  listed_to: r.listedTo === OPEN_END ? null : formatDate(r.listedTo),
  batch_id: r.batchId,
});

const unitJson = (u: UnitRow, formsOf: (unitId: string, providerId: string) => ConnectionForm[]) => ({
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
    getRoute(
      {
        path: '/api/units',
        right: ACCESS.readRegistry,
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
      },
      'Enheter',
      pageOf(Unit),
    ),
    async (c) => {
      const user = c.get('user');
      const q = c.req.valid('query');
      const batch = await latestBatchId(db);
      if (batch === undefined) return c.json(paginate([], q.page, q.page_size), 200);
      const rows = await listUnits(db, batch, {
        ownership: q.ownership,
        kommun: q.kommun,
        providerId: q.provider_id,
        ownedBy: user.role === 'provider' ? (user.providerId ?? '') : undefined,
      });
      const formsOf = await connectionForms(deps);
      const items = rows
        .map((u) => unitJson(u, formsOf))
        .filter((u) => !q.connection_form || u.connection_forms.includes(q.connection_form));
      return c.json(paginate(items, q.page, q.page_size), 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/units/{unitId}',
        right: ACCESS.readRegistry,
        summary: 'En vårdenhet',
        request: { params: z.object({ unitId: z.string().max(40) }) },
      },
      'Enheten',
      Unit.extend({
        listed_by_month: z.array(z.object({ month: z.string(), listed: z.number().nullable() })),
      }),
    ),
    async (c) => {
      const user = c.get('user');
      const { unitId } = c.req.valid('param');
      const { unit: u } = await visibleUnit(deps, user, unitId);
      const listed = await approvedListedByMonth(db, unitId);
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
    getRoute(
      {
        path: '/api/persons/{personId}/listings',
        right: ACCESS.readPersons,
        summary: 'En persons listningshistorik (endast regionens handläggare; läsningen loggas)',
        request: { params: z.object({ personId: z.string().min(1).max(40) }) },
      },
      'Listningsperioder',
      z.object({ periods: z.array(ListingPeriod) }),
    ),
    async (c) => {
      const raw = c.req.valid('param').personId;
      const check = checkPersonId(raw, { today: todayOf(deps), typed: true });
      if (!check.ok) {
        const detail = PERSON_ID_PROBLEM[check.reason];
        throw new HttpError(400, 'Ogiltigt personnummer', detail, {
          pointer: '/personId',
          errors: [{ pointer: '/personId', detail, code: check.reason }],
        });
      }
      const batch = await latestBatchId(db);
      const rows = batch === undefined ? [] : await personListings(db, batch, check.normalized);
      // The audit keeps who looked, not the number in clear: a hash identifies it for follow-up.
      await writeAudit(db, {
        ...who(c),
        action: 'read_person_listings',
        target: `person:${personDigest(check.normalized)}`,
        detail: { rows: rows.length },
      });
      const names = await unitNamesOf(db, rows);
      return c.json({ periods: rows.map((r) => periodJson(r, names)) }, 200);
    },
  );

  app.openapi(
    postCreatedRoute(
      {
        path: '/api/persons/{personId}/listing-changes',
        right: ACCESS.changePersons,
        summary:
          'Byt listning (omlistning): perioden som gäller stängs, en ny öppnas; regelbokens gräns för byten per 12 månader gäller',
        request: {
          params: z.object({ personId: z.string().min(1).max(40) }),
          body: jsonBody(
            z.object({
              unit_id: z.string().min(1).max(40),
              doctor_id: z.string().max(40).nullable().optional(),
              from: isoDate,
            }),
          ),
        },
      },
      'Ändrad',
      z.object({ periods: z.array(ListingPeriod) }),
    ),
    async (c) => {
      const personId = c.req.valid('param').personId;
      const body = c.req.valid('json');
      const normalized = checkPersonId(personId);
      await changeListing(
        db,
        { personId, unitId: body.unit_id, doctorId: body.doctor_id ?? null, from: body.from },
        c.get('user').username,
        {
          ...who(c),
          action: 'change_listing',
          target: `person:${personDigest(normalized.ok ? normalized.normalized : personId)}`,
          detail: { unit_id: body.unit_id, from: body.from },
        },
      );
      const batch = await latestBatchId(db);
      const rows = await personListings(db, batch!, normalized.ok ? normalized.normalized : personId);
      const names = await unitNamesOf(db, rows);
      return c.json({ periods: rows.map((r) => periodJson(r, names)) }, 201);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/listing-counts',
        right: ACCESS.readRegistry,
        summary: 'Listade per enhet och månad (från godkända utbetalningar)',
      },
      'Antal',
      z.object({
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
    ),
    async (c) => {
      const user = c.get('user');
      const rows = await approvedListingCounts(db);
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
