import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { checkOrganisationNumber } from '../../../core/identity.js';
import { CONNECTION_FORMS } from '../../../core/contracts/contracts.js';
import { createContract, endContract, listContracts } from '../../store/contract-registry.js';
import { decideSubcontractor, listSubcontractors, reportSubcontractor } from '../../store/subcontractors.js';
import { writeAudit } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, canSeeProvider, visibleTo } from '../guard.js';
import { HttpError } from '../problem.js';
import { requireUnitOf } from '../ownership.js';
import { todayOf } from '../clock.js';
import { Contract, contractJson, Subcontractor, subJson } from '../json/contracts.js';
import {
  ReportDecision,
  createdAnswer,
  dbIdParam,
  getRoute,
  isoDate,
  itemsOf,
  jsonBody,
  postRoute,
  routeWithRight,
  who,
} from './common.js';

const orgNr = z.string().refine(checkOrganisationNumber, 'Organisationsnumret har fel kontrollsiffra');

/** Contracts (avtal, by connection form) and subcontractors (underleverantörer) in the registry. */
export function registerContracts(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;

  app.openapi(
    getRoute(
      {
        path: '/api/contracts',
        right: ACCESS.readRegistry,
        summary:
          'Avtal: anslutningsform (LOV, LOU, NSS, nationella taxan, egen regi), regelbok, start och slut',
      },
      'Avtal',
      itemsOf(Contract),
    ),
    async (c) => {
      const rows = await listContracts(db);
      return c.json({ items: visibleTo(c.get('user'), rows).map(contractJson) }, 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/contracts',
      right: ACCESS.changeRuns,
      summary: 'Registrera ett avtal',
      request: {
        body: jsonBody(
          z.object({
            provider_id: orgNr,
            unit_id: z.string().max(40).nullable().optional(),
            connection_form: z.enum(CONNECTION_FORMS),
            rulebook_id: z.string().max(100).nullable().optional(),
            start_date: isoDate,
            end_date: isoDate.nullable().optional(),
          }),
        ),
      },
      responses: createdAnswer('Registrerat', Contract),
    }),
    async (c) => {
      const b = c.req.valid('json');
      if (b.end_date && b.end_date < b.start_date)
        throw new HttpError(400, 'Ogiltig begäran', 'Avtalet slutar före start', { pointer: '/end_date' });
      const row = await createContract(db, {
        providerId: b.provider_id.replace('-', ''),
        unitId: b.unit_id ?? null,
        connectionForm: b.connection_form,
        rulebookId: b.rulebook_id ?? null,
        startDate: b.start_date,
        endDate: b.end_date ?? null,
        createdBy: c.get('user').username,
      });
      await writeAudit(db, { ...who(c), action: 'create_contract', target: `contract:${row.id}` });
      return c.json(contractJson(row), 201);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/contracts/{id}/end',
        right: ACCESS.changeRuns,
        summary:
          'Avsluta ett avtal: end_date är sista dagen det gäller; enheten betalas inte från nästa brytdag',
        request: {
          params: z.object({ id: z.coerce.number().int().positive() }),
          body: jsonBody(z.object({ end_date: isoDate })),
        },
      },
      'Avslutat',
      Contract,
    ),
    async (c) => {
      const row = await endContract(db, c.req.valid('param').id, c.req.valid('json').end_date, {
        ...who(c),
      });
      return c.json(contractJson(row), 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/subcontractors',
        right: ACCESS.readRegistry,
        summary: 'Underleverantörer: anmälda, godkända och avslagna',
      },
      'Underleverantörer',
      itemsOf(Subcontractor),
    ),
    async (c) => {
      const rows = await listSubcontractors(db);
      return c.json({ items: visibleTo(c.get('user'), rows).map(subJson) }, 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/subcontractors',
      right: ['admin', 'officer', 'provider'],
      summary:
        'Anmäl en underleverantör (vårdgivaren för sina egna enheter, eller regionen); anmälningsdagen är serverns',
      request: {
        body: jsonBody(
          z.object({
            provider_id: orgNr,
            unit_id: z.string().min(1).max(40),
            org_nr: orgNr,
            name: z.string().min(1).max(200),
            services: z.string().min(1).max(2000),
          }),
        ),
      },
      responses: createdAnswer('Anmäld', Subcontractor),
    }),
    async (c) => {
      const user = c.get('user');
      const b = c.req.valid('json');
      const providerId = b.provider_id.replace('-', '');
      if (!canSeeProvider(user, providerId))
        throw new HttpError(
          403,
          'Behörighet saknas',
          'En vårdgivare anmäler underleverantörer bara för sina egna enheter',
        );
      await requireUnitOf(deps, user, b.unit_id, '/unit_id', providerId);
      const row = await reportSubcontractor(db, {
        providerId,
        unitId: b.unit_id,
        orgNr: b.org_nr.replace('-', ''),
        name: b.name,
        services: b.services,
        status: 'reported',
        reportedAt: todayOf(deps),
      });
      await writeAudit(db, {
        ...who(c),
        action: 'report_subcontractor',
        target: `subcontractor:${row.id}`,
      });
      return c.json(subJson(row), 201);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/subcontractors/{id}/decision',
        right: ACCESS.changeRuns,
        summary:
          'Regionens beslut om en anmäld underleverantör: godkänd eller avslagen, med skäl; beslutsdagen är serverns',
        request: {
          params: z.object({ id: dbIdParam }),
          body: jsonBody(ReportDecision),
        },
      },
      'Beslutad',
      Subcontractor,
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const updated = await decideSubcontractor(db, id, {
        status: b.decision,
        reason: b.reason,
        decidedAt: todayOf(deps),
        decidedBy: c.get('user').username,
      });
      await writeAudit(db, {
        ...who(c),
        action: `subcontractor_${b.decision}`,
        target: `subcontractor:${id}`,
      });
      return c.json(subJson(updated), 200);
    },
  );
}
