import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import {
  publishedVersion,
  SimulationRequest,
  simulateInStore,
  UiSimulationSchema as SimulationResult,
} from '../simulation-in-store.js';
import { jsonAnswer, jsonBody, refusedResponses, routeWithRight } from './common.js';

export function registerUiSimulation(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/ui/simulations',
      right: ACCESS.readRulebooks,
      summary:
        'Simulera en månad under två publicerade regelboksversioner: per enhet, per ägarform, per områdesklass och per kommun (sparas inte)',
      request: {
        body: jsonBody(SimulationRequest.extend({ scenario_version_id: z.number().int().positive() })),
      },
      responses: jsonAnswer('Simuleringen', SimulationResult, refusedResponses),
    }),
    async (c) => {
      const body = c.req.valid('json');
      const scenario = () => publishedVersion(deps, body.scenario_version_id);
      return c.json(await simulateInStore(deps, c.get('user'), body, scenario), 200);
    },
  );
}
