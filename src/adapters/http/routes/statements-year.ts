import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { StatementLine, UnitStatement } from '../../../core/engine/run.js';
import { providerYearXlsx, type YearRun } from '../../exports/statements-xlsx.js';
import { providerYearStatements } from '../../store/run-views.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, canSeeProvider } from '../guard.js';
import { HttpError } from '../problem.js';
import { binaryFile, fileAnswer, routeWithRight } from './common.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A provider's statements for a year as one workbook (a sheet per month and a summary), for its
 * bookkeeping: every run that paid the provider's units that year (approved runs, and runs a
 * correction later replaced, since each paid its own total).
 */
export function registerStatementsYear(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/statements/year/{year}/xlsx',
      right: ACCESS.readRuns,
      summary:
        'En vårdgivares utbetalningsunderlag för ett år som XLSX: ett blad per månad och en sammanställning (godkända körningar och korrigeringar)',
      request: {
        params: z.object({ year: z.string().regex(/^\d{4}$/, 'Året skrivs ÅÅÅÅ') }),
        query: z.object({
          provider_id: z
            .string()
            .regex(/^\d{6}-?\d{4}$/, 'Organisationsnumret skrivs 10 siffror')
            .optional()
            .openapi({ description: 'Vårdgivaren (organisationsnummer); en vårdgivare får sina egna' }),
        }),
      },
      responses: fileAnswer('Arbetsboken', { [XLSX]: binaryFile }),
    }),
    async (c) => {
      const user = c.get('user');
      const { year } = c.req.valid('param');
      const asked = c.req.valid('query').provider_id?.replace('-', '');
      const providerId = asked ?? (user.role === 'provider' ? user.providerId : undefined);
      if (!providerId)
        throw new HttpError(400, 'Vårdgivare saknas', 'Ange vårdgivarens organisationsnummer', {
          pointer: '/provider_id',
        });
      if (!canSeeProvider(user, providerId))
        throw new HttpError(404, 'Finns inte', `Inga underlag för ${providerId}`);
      const { runs, rows } = await providerYearStatements(db, year, providerId);
      const yearRuns: YearRun[] = runs
        .map((run) => ({
          runId: run.id,
          month: run.month,
          rulebookId: run.rulebookId,
          correctsRunId: run.correctsRunId,
          approval: {
            status: run.status as 'approved' | 'superseded',
            by: run.approvedBy,
            at: run.approvedAt,
          },
          units: rows
            .filter((s) => s.runId === run.id)
            .map((s): UnitStatement => ({
              unit_id: s.unitId,
              name: s.name,
              provider_id: s.providerId,
              ownership: s.ownership as UnitStatement['ownership'],
              lines: s.lines as StatementLine[],
              total_ore: s.totalOre,
            })),
        }))
        .filter((r) => r.units.length > 0);
      const body = await providerYearXlsx({ providerId, year, runs: yearRuns });
      return new Response(new Uint8Array(body), {
        status: 200,
        headers: {
          'content-type': XLSX,
          'content-disposition': `attachment; filename="utbetalningar-${year}-${providerId}.xlsx"`,
        },
      });
    },
  );
}
