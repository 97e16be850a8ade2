import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { parseRulebookText } from '../../files/rulebook-file.js';
import {
  createScenario,
  getScenario,
  listScenarios,
  updateScenario,
  type ScenarioRow,
} from '../../store/simulation-scenarios.js';
import { writeAudit } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import {
  createdAnswer,
  dbIdParam,
  getRoute,
  jsonAnswer,
  jsonBody,
  refusedResponses,
  routeWithRight,
  who,
} from './common.js';
import { SimulationRequest, simulateInStore, UiSimulationSchema } from '../simulation-in-store.js';

/**
 * What-if in the browser: an officer changes a published rulebook without publishing it, runs the
 * month under the change (budget-neutral or not), and saves it as a named scenario that other
 * officers open by its link. Drafts are the region's: the same roles that write rulebooks.
 */

const ScenarioBody = z.object({
  name: z.string().min(1).max(200),
  base_version_id: z.number().int().positive(),
  /** The whole scenario rulebook as YAML (the base with the changes). */
  yaml: z.string().min(1).max(1_000_000),
  budget_neutral: z.boolean().default(false),
  /** Components to scale when budget-neutral; null or absent for the default. */
  scale: z.array(z.string()).nullable().optional(),
});

const ScenarioSummary = z.object({
  id: z.number(),
  name: z.string(),
  base_version_id: z.number(),
  budget_neutral: z.boolean(),
  scale: z.array(z.string()).nullable(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
const Scenario = ScenarioSummary.extend({ yaml: z.string() }).openapi('SimulationScenario');

const summaryJson = (r: Omit<ScenarioRow, 'yaml'>): z.infer<typeof ScenarioSummary> => ({
  id: r.id,
  name: r.name,
  base_version_id: r.baseVersionId,
  budget_neutral: r.budgetNeutral,
  scale: r.scale ?? null,
  created_by: r.createdBy,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});
const scenarioJson = (r: ScenarioRow): z.infer<typeof Scenario> => ({ ...summaryJson(r), yaml: r.yaml });

/** The body as the store takes it, after the YAML is checked (422 with line and column). */
function scenarioInput(body: z.infer<typeof ScenarioBody>) {
  parseRulebookText(body.yaml, 'scenario.yaml');
  return {
    name: body.name,
    baseVersionId: body.base_version_id,
    yaml: body.yaml,
    budgetNeutral: body.budget_neutral,
    scale: body.scale ?? null,
  };
}

export function registerSimulationScenarios(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const idParams = z.object({ id: dbIdParam });

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/ui/simulations/draft',
      right: ACCESS.changeRulebooks,
      summary:
        'Simulera en månad under en ändrad (opublicerad) regelbok mot en publicerad: per enhet, ägarform, områdesklass och kommun',
      request: {
        body: jsonBody(SimulationRequest.extend({ yaml: z.string().min(1).max(1_000_000) })),
      },
      responses: jsonAnswer('Simuleringen', UiSimulationSchema, refusedResponses),
    }),
    async (c) => {
      const body = c.req.valid('json');
      const scenario = () => ({ row: undefined, rb: parseRulebookText(body.yaml, 'scenario.yaml') });
      return c.json(await simulateInStore(deps, c.get('user'), body, scenario), 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/simulation-scenarios',
        right: ACCESS.changeRulebooks,
        summary: 'Sparade scenarier (simuleringsutkast), senast ändrade först',
      },
      'Scenarierna',
      z.object({ items: z.array(ScenarioSummary) }),
    ),
    async (c) => {
      return c.json({ items: (await listScenarios(db)).map(summaryJson) }, 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/simulation-scenarios/{id}',
        right: ACCESS.changeRulebooks,
        summary: 'Ett sparat scenario med sin regelbok (länken kan delas med andra handläggare)',
        request: { params: idParams },
      },
      'Scenariot',
      Scenario,
    ),
    async (c) => {
      return c.json(scenarioJson(await getScenario(db, c.req.valid('param').id)), 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/simulation-scenarios',
      right: ACCESS.changeRulebooks,
      summary: 'Spara ett scenario under ett namn (regelboken granskas först; fel med rad och kolumn)',
      request: {
        body: jsonBody(ScenarioBody),
      },
      responses: createdAnswer('Sparat', Scenario, refusedResponses),
    }),
    async (c) => {
      const row = await createScenario(db, scenarioInput(c.req.valid('json')), c.get('user').username);
      await writeAudit(db, {
        ...who(c),
        action: 'save_simulation_scenario',
        target: `simulation_scenario:${row.id}`,
      });
      return c.json(scenarioJson(row), 201);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'put',
      path: '/api/simulation-scenarios/{id}',
      right: ACCESS.changeRulebooks,
      summary: 'Spara om ett scenario (bara den som gjorde det)',
      request: {
        params: idParams,
        body: jsonBody(ScenarioBody),
      },
      responses: jsonAnswer('Sparat', Scenario, refusedResponses),
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const row = await updateScenario(db, id, scenarioInput(c.req.valid('json')), c.get('user').username);
      await writeAudit(db, {
        ...who(c),
        action: 'save_simulation_scenario',
        target: `simulation_scenario:${row.id}`,
      });
      return c.json(scenarioJson(row), 200);
    },
  );
}
