import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { formatDate, formatMonth, firstDay } from '../../../core/calendar.js';
import { assignUnits } from '../../../core/rulebook/systems.js';
import { MAX_ADDED_LISTED, withAddedListed } from '../../../core/simulation/added-listed.js';
import { simulateMonth, viewOf } from '../../../app/simulation.js';
import { requireMonth } from '../../files/payment-run.js';
import { parseRulebookText, type LoadedRulebook } from '../../files/rulebook-file.js';
import { cachedBatch, regionSystemsOf } from '../../store/runs.js';
import { publishedValidOn } from '../../store/rulebook-versions.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import { requireUnitOf } from '../ownership.js';
import { HttpError } from '../problem.js';
import { latestBatchId } from '../../store/units.js';
import {
  RulebookVersionRef,
  isoMonth,
  jsonAnswer,
  jsonBody,
  ore,
  refusedResponses,
  routeWithRight,
} from './common.js';

/**
 * A provider's what-if for its own unit: what the month would pay with N more listed persons of a
 * given age profile, under the rulebook in force for the unit that month (the rulebook of its
 * system when the region has several). Computed with the same simulation as the region's, on the
 * latest import with the persons added; nothing is stored.
 */

const WhatIf = z
  .object({
    unit_id: z.string(),
    month: z.string(),
    rulebook: RulebookVersionRef,
    added: z.object({
      count: z.number().int(),
      age_from: z.number().int(),
      age_to: z.number().int(),
      sex: z.enum(['F', 'M']).nullable(),
    }),
    current_ore: ore,
    with_added_ore: ore,
    diff_ore: ore,
    components: z.array(
      z.object({
        component: z.string(),
        label: z.string(),
        current_ore: ore,
        with_added_ore: ore,
      }),
    ),
  })
  .openapi('UnitWhatIf');

/** The rulebook in force for a unit: one naming its kommun first, else the region-wide one. */
function inForce(
  versions: { row: Awaited<ReturnType<typeof publishedValidOn>>[number]; rb: LoadedRulebook }[],
  kommun: string,
  covers: (rb: LoadedRulebook) => boolean,
) {
  const rank = (v: (typeof versions)[number]) =>
    v.rb.rulebook.scope?.kommuner?.includes(kommun) ? 0 : v.rb.rulebook.system === 'vardval' ? 1 : 2;
  return versions.filter((v) => covers(v.rb)).sort((a, b) => rank(a) - rank(b))[0];
}

export function registerUnitWhatIf(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/ui/units/{id}/what-if',
      right: ACCESS.readRuns,
      summary:
        'Vad månaden skulle ge enheten med N fler listade i en viss ålder, enligt regelboken som gäller (vårdgivare: egna enheter)',
      request: {
        params: z.object({ id: z.string().min(1).max(100) }),
        body: jsonBody(
          z.object({
            month: isoMonth,
            count: z.number().int().min(1).max(MAX_ADDED_LISTED),
            age_from: z.number().int().min(0).max(120),
            age_to: z.number().int().min(0).max(120),
            sex: z.enum(['F', 'M']).nullable().optional(),
          }),
        ),
      },
      responses: jsonAnswer('Månaden med och utan de nya', WhatIf, refusedResponses),
    }),
    async (c) => {
      const unitId = c.req.valid('param').id;
      const body = c.req.valid('json');
      await requireUnitOf(deps, c.get('user'), unitId, '/id');
      if (body.age_to < body.age_from)
        throw new HttpError(400, 'Ogiltig begäran', 'Åldern "till" kan inte vara lägre än "från"', {
          pointer: '/age_to',
        });
      const month = requireMonth(body.month);
      const batchId = await latestBatchId(deps.conn.db);
      if (batchId === undefined) throw new HttpError(409, 'Inga data', 'Importera en datamapp först');
      const db = deps.conn.db;
      const data = await cachedBatch(db, batchId);
      const u = data.units.id.indexOf(unitId);
      const day = formatDate(firstDay(month));
      const versions = (await publishedValidOn(db, day)).map((row) => ({
        row,
        rb: parseRulebookText(row.yaml, `${row.rulebookId} v${row.version}`),
      }));
      const chosen = inForce(versions, data.units.kommun[u] ?? '', (rb) => {
        if (!rb.rulebook.scope) return true;
        return assignUnits(data, [rb.rulebook]).member[0]?.[u] === 1;
      });
      if (!chosen)
        throw new HttpError(
          409,
          'Ingen regelbok gäller',
          `Ingen publicerad regelbok gäller enheten ${unitId} den ${day}`,
        );
      const scoped = chosen.rb.rulebook.scope !== undefined;
      const books = scoped ? await regionSystemsOf(db, chosen.rb, formatMonth(month)) : [chosen.rb];
      const added = {
        count: body.count,
        ageFrom: body.age_from,
        ageTo: body.age_to,
        sex: body.sex ?? undefined,
      };
      const outcome = simulateMonth({
        data,
        month,
        base: books,
        focus: scoped ? chosen.rb.rulebook.id : undefined,
        scenario: books,
        scenarioData: withAddedListed(data, u, month, added),
      });
      const view = viewOf(outcome, (id) => id === unitId);
      return c.json(
        {
          unit_id: unitId,
          month: formatMonth(month),
          rulebook: {
            id: chosen.row.id,
            rulebook_id: chosen.row.rulebookId,
            version: chosen.row.version,
            title: chosen.row.title,
          },
          added: { count: body.count, age_from: body.age_from, age_to: body.age_to, sex: body.sex ?? null },
          current_ore: view.total.base_ore,
          with_added_ore: view.total.scenario_ore,
          diff_ore: view.total.diff_ore,
          components: view.components.map((k) => ({
            component: k.component,
            label: k.label,
            current_ore: k.base_ore,
            with_added_ore: k.scenario_ore,
          })),
        },
        200,
      );
    },
  );
}
