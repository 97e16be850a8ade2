import { pino } from 'pino';
import { createApp } from './app.js';
import type { AppDeps } from './context.js';

/**
 * The API's OpenAPI document as the server serves it at /api/openapi.json, built without a store:
 * routes only register their schemas, so no request here reaches the database.
 */
const noStore = new Proxy(
  {},
  {
    get: () => {
      throw new Error('openApiDocument: there is no store; a route used it while being registered');
    },
  },
);

export async function openApiDocument(): Promise<unknown> {
  const deps: AppDeps = {
    conn: { kind: 'pglite', db: noStore } as unknown as AppDeps['conn'],
    log: pino({ level: 'silent' }),
  };
  const res = await createApp(deps).request('/api/openapi.json');
  if (!res.ok) throw new Error(`/api/openapi.json answered ${res.status}`);
  return res.json();
}
