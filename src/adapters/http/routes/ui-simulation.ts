import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireMonth } from '../../files/payment-run.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, requireRole } from '../guard.js';
import {
  publishedVersion,
  simulateInStore,
  UiSimulationSchema as SimulationResult,
} from '../simulation-in-store.js';
import { isoMonth, jsonAnswer, jsonBody, refusedResponses } from './common.js';

export function registerUiSimulation(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/ui/simulations',
      summary:
        'Simulera en månad under två publicerade regelboksversioner: per enhet, per ägarform, per områdesklass och per kommun (sparas inte)',
      request: {
        body: jsonBody(
          z.object({
            base_version_id: z.number().int().positive(),
            scenario_version_id: z.number().int().positive(),
            month: isoMonth,
            budget_neutral: z.boolean().optional(),
            /** Components to scale; without it every component but penalties, VAT and derived lines. */
            scale: z.array(z.string()).optional(),
          }),
        ),
      },
      responses: jsonAnswer('Simuleringen', SimulationResult, refusedResponses),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRulebooks);
      const body = c.req.valid('json');
      const month = requireMonth(body.month);
      const base = await publishedVersion(deps, body.base_version_id);
      const scenario = await publishedVersion(deps, body.scenario_version_id);
      const result = await simulateInStore(deps, user, {
        base,
        scenario,
        month,
        budgetNeutral: body.budget_neutral,
        scale: body.scale,
      });
      return c.json(result, 200);
    },
  );
}
