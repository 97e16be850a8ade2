import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { addMonths, formatMonth, monthsBetween, parseMonth } from '../../../core/calendar.js';
import { DEFAULT_RISK } from '../../../core/risk/month-risk.js';
import { cachedBatch } from '../../store/runs.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, canSeeProvider, shownCount } from '../guard.js';
import { morbidityOfMonth } from '../morbidity.js';
import { HttpError } from '../problem.js';
import { conflictResponse, jsonAnswer, routeWithRight } from './common.js';
import { latestBatchId } from '../../store/units.js';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Månaden skrivs ÅÅÅÅ-MM');
const MAX_MONTHS = 36;

const Point = z.object({
  month: z.string(),
  listed: z.number().int().nullable().openapi({ description: 'null: färre än 5, visas inte för analytiker' }),
  mean_score: z.number().nullable(),
});
const Morbidity = z
  .object({
    batch_id: z.number(),
    from: z.string(),
    to: z.string(),
    map: z.string(),
    weights: z.string(),
    window_months: z.number().int(),
    available: z.boolean().openapi({ description: 'false när besöken i importen saknar diagnoser' }),
    region: z.array(Point),
    units: z.array(z.object({ unit_id: z.string(), name: z.string(), points: z.array(Point) })),
  })
  .openapi('FollowUpMorbidity');

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * Follow-up of the listed populations' morbidity: the mean comorbidity score (Charlson, Swedish
 * ICD-10 adaptation, 1987 weights, diagnoses of the 24 months before) per unit and month, from the
 * latest import. Counts and means only; analysts see the region, providers their own units.
 */
export function registerFollowUpMorbidity(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    routeWithRight({
      method: 'get',
      path: '/api/followup/morbidity',
      right: ACCESS.readFollowUp,
      summary:
        'Medelpoäng för samsjuklighet (Charlson ur besökens diagnoser) per enhet och månad (analytiker: bara regionen; vårdgivare: egna enheter)',
      request: { query: z.object({ from: month, to: month }) },
      responses: jsonAnswer('Medelpoäng per månad', Morbidity, conflictResponse),
    }),
    async (c) => {
      const user = c.get('user');
      const q = c.req.valid('query');
      const from = parseMonth(q.from)!;
      const to = parseMonth(q.to)!;
      if (to < from) throw new HttpError(400, 'Ogiltig begäran', 'to ligger före from', { pointer: '/to' });
      if (monthsBetween(from, to) >= MAX_MONTHS)
        throw new HttpError(400, 'Ogiltig begäran', `Högst ${MAX_MONTHS} månader åt gången`, {
          pointer: '/to',
        });
      const batchId = await latestBatchId(deps.conn.db);
      if (batchId === undefined) throw new HttpError(409, 'Inga data', 'Importera en datamapp först');
      const data = await cachedBatch(deps.conn.db, batchId);
      const months: number[] = [];
      for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
      const risks = months.map((m) => morbidityOfMonth(data, m));
      const available = risks.every((r) => r !== undefined);
      const point = (m: number, listed: number, sum: number) => {
        const shown = shownCount(user, listed);
        return {
          month: formatMonth(m),
          listed: shown,
          mean_score: listed > 0 && shown !== null ? round3(sum / listed) : null,
        };
      };
      const { units } = data;
      const shown = [...Array(units.count).keys()]
        .filter((u) => risks.some((r) => r && r.listed[u]! > 0))
        .filter((u) => user.role !== 'analyst' && canSeeProvider(user, units.providerId[u]!))
        .sort((a, b) => (units.id[a]! < units.id[b]! ? -1 : 1));
      return c.json(
        {
          batch_id: batchId,
          from: q.from,
          to: q.to,
          map: DEFAULT_RISK.map,
          weights: DEFAULT_RISK.weights,
          window_months: DEFAULT_RISK.windowMonths,
          available,
          region: months.map((m, k) => {
            const r = risks[k];
            return point(
              m,
              r ? r.listed.reduce((a, b) => a + b, 0) : 0,
              r ? r.scoreSum.reduce((a, b) => a + b, 0) : 0,
            );
          }),
          units: shown.map((u) => ({
            unit_id: units.id[u]!,
            name: units.name[u]!,
            points: months.map((m, k) => point(m, risks[k]?.listed[u] ?? 0, risks[k]?.scoreSum[u] ?? 0)),
          })),
        },
        200,
      );
    },
  );
}
