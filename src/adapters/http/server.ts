import { serve, type ServerType } from '@hono/node-server';
import { connect, type Connection } from '../store/connection.js';
import { resumeBatchRows } from '../store/batch-rows.js';
import { seedDemoIfEmpty } from '../demo/demo.js';
import { OidcLogin, oidcSettingsFromEnv } from '../auth/oidc.js';
import { controlSettingsFromEnv } from '../control-settings.js';
import { createApp } from './app.js';
import { createLogger, describeError } from './log.js';
import { publicUrlFromEnv } from './public-url.js';
import { removeOrphanedImportFolders } from './zip-upload.js';

export interface Started {
  port: number;
  conn: Connection;
  close(): Promise<void>;
}

/**
 * `npm start`: the embedded store by default (loads the demo region on first start), PostgreSQL
 * with DATABASE_URL; `PORT` sets the port.
 */
export async function startServer(
  options: { port?: number; say?: (line: string) => void; today?: () => string } = {},
): Promise<Started> {
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = createLogger();
  // Read first, so a mistyped setting stops the start before anything is written.
  const control = controlSettingsFromEnv();
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const publicUrl = publicUrlFromEnv() ?? `http://localhost:${port}`;
  // An import interrupted by a crash or kill -9 left its unpacked files (personal data) behind.
  const orphans = removeOrphanedImportFolders();
  if (orphans) say(`Tog bort ${orphans} kvarlämnade importmappar från ett avbrutet arbete`);
  const conn = await connect();
  say(
    `Databas: ${conn.kind === 'pglite' ? `inbäddad PostgreSQL (PGlite) i ${conn.location}` : `PostgreSQL ${conn.location}`}`,
  );
  if (conn.kind === 'pglite') {
    // The demo prints its logins once, when it seeds a new store.
    await seedDemoIfEmpty(conn, { log: say });
  }
  // Listing and visit rows an earlier process did not finish writing (stopped, crashed, killed).
  const resumed = await resumeBatchRows(conn, (batchId, error) =>
    log.error({ err: describeError(error), batch: batchId }, 'importens rader kunde inte sparas'),
  );
  if (resumed.length) say(`Sparar vidare raderna i import ${resumed.join(', ')}`);
  const oidcSettings = oidcSettingsFromEnv();
  if (oidcSettings)
    say(`OIDC-inloggning: ${oidcSettings.issuer} (konton matchas på ${oidcSettings.usernameClaim})`);
  const app = createApp({
    conn,
    log,
    secureCookies: process.env.VARDVAL_SECURE_COOKIES === '1',
    oidc: oidcSettings ? new OidcLogin(oidcSettings) : undefined,
    control,
    today: options.today,
    publicUrl,
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, () => resolve(s));
  });
  say(
    `Vårdval körs på http://localhost:${port} (API: /api, OpenAPI: /api/openapi.json; offentlig adress ${publicUrl})`,
  );
  return {
    port,
    conn,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await conn.close();
    },
  };
}
