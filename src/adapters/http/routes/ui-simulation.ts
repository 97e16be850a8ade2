import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS, requireRole } from '../guard.js';
import {
  publishedVersion,
  SimulationRequest,
  simulateInStore,
  UiSimulationSchema as SimulationResult,
} from '../simulation-in-store.js';
import { jsonAnswer, jsonBody, refusedResponses } from './common.js';

export function registerUiSimulation(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/ui/simulations',
      summary:
        'Simulera en månad under två publicerade regelboksversioner: per enhet, per ägarform, per områdesklass och per kommun (sparas inte)',
      request: {
        body: jsonBody(SimulationRequest.extend({ scenario_version_id: z.number().int().positive() })),
      },
      responses: jsonAnswer('Simuleringen', SimulationResult, refusedResponses),
    }),
    async (c) => {
      const user = requireRole(c, ACCESS.readRulebooks);
      const body = c.req.valid('json');
      const scenario = () => publishedVersion(deps, body.scenario_version_id);
      return c.json(await simulateInStore(deps, user, body, scenario), 200);
    },
  );
}
