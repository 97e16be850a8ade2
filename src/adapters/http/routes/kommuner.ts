import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { kommuner } from '../../files/kommuner.js';
import type { AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import { getRoute, itemsOf } from './common.js';

const Kommun = z
  .object({ code: z.string(), name: z.string(), region_code: z.string(), region_name: z.string() })
  .openapi('Kommun');

/** Sweden's 290 kommuner (SCB), so that pages show names and forms offer the list to choose from. */
export function registerKommuner(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    getRoute(
      {
        path: '/api/kommuner',
        right: [...new Set([...ACCESS.readRegistry, ...ACCESS.readComparison])],
        summary: 'Sveriges 290 kommuner med SCB:s kommunkod, namn och region',
      },
      'Kommunerna i kodordning',
      itemsOf(Kommun),
    ),
    (c) => {
      c.header('cache-control', 'private, max-age=3600');
      return c.json(
        {
          items: kommuner().all.map((k) => ({
            code: k.code,
            name: k.name,
            region_code: k.regionCode,
            region_name: k.regionName,
          })),
        },
        200,
      );
    },
  );
}
