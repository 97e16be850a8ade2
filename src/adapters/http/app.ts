import { OpenAPIHono } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie } from 'hono/cookie';
import { findSession } from '../store/users.js';
import { TtlCache } from './cache.js';
import type { AppDeps, AppEnv } from './context.js';
import { overTls } from './tls.js';
import { describeError, maskIdentity } from './log.js';
import { plainIssue, pointerOf, problem, problemOf } from './problem.js';
import { registerApprovers } from './routes/approvers.js';
import { registerAudit } from './routes/audit.js';
import { registerRunReview } from './routes/run-review.js';
import { registerUiTodo } from './routes/ui-todo.js';
import { registerUsers } from './routes/users.js';
import { registerCompare } from './routes/compare.js';
import { registerKommuner } from './routes/kommuner.js';
import { registerContracts } from './routes/registry-contracts.js';
import { registerProcurement } from './routes/procurement.js';
import { registerTransitionalRight } from './routes/transitional-right.js';
import { registerProcurementNss } from './routes/procurement-nss.js';
import { registerFollowUp } from './routes/followup.js';
import { registerFollowUpMorbidity } from './routes/followup-morbidity.js';
import { MAX_IMPORT_BYTES, registerImports } from './routes/imports.js';
import { registerRegistry } from './routes/registry.js';
import { registerRulebooks } from './routes/rulebooks.js';
import { registerRuns } from './routes/runs.js';
import { registerStatementsYear } from './routes/statements-year.js';
import { registerStatementQuestions } from './routes/statement-questions.js';
import { registerSanctions } from './routes/sanctions.js';
import { registerSession } from './routes/session.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { registerSessionOidc } from './routes/session-oidc.js';
import { registerUiOverview } from './routes/ui-overview.js';
import { registerUiRulebooks } from './routes/ui-rulebooks.js';
import { registerUiSimulation } from './routes/ui-simulation.js';
import { registerSimulationScenarios } from './routes/simulation-scenarios.js';
import { registerUnitWhatIf } from './routes/unit-what-if.js';
import { registerUiUnit } from './routes/ui-unit.js';
import { registerWeb } from './web.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** What answers without a login: health, the API description, logging in, and open data (OCDS). */
const PUBLIC_API = [
  /^\/api\/health$/,
  /^\/api\/openapi\.json$/,
  /^\/api\/session(\/.*)?$/,
  /^\/api\/ocds(\/.*)?$/,
];
const isPublic = (path: string) => PUBLIC_API.some((re) => re.test(path));

/** The HTTP API: JSON under /api, documented by the same schemas that validate requests. */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  // A session found stays valid for a few seconds here, and is answered for two minutes more while
  // it is looked up again: on the embedded store a region's import holds the one connection for half
  // a minute, and a logged-in user (the import's own progress page) is answered meanwhile. Logout,
  // and an admin's change of the user, forget it at once.
  const sessionCache = new TtlCache<NonNullable<Awaited<ReturnType<typeof findSession>>>>(
    5_000,
    10_000,
    120_000,
  );
  deps = {
    ...deps,
    forgetSession: (token: string) => sessionCache.delete(token),
    forgetUserSessions: (userId: number) => sessionCache.deleteWhere((s) => s.user.id === userId),
  };
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = result.error.issues.map((i) => ({
          pointer: pointerOf(i.path),
          detail: plainIssue(i),
          code: i.code,
        }));
        // The items say what is wrong where; the detail only counts them, so a page never shows it twice.
        return problem(
          c,
          400,
          'Ogiltig begäran',
          errors.length === 1 ? 'En uppgift behöver rättas.' : `${errors.length} uppgifter behöver rättas.`,
          {
            pointer: errors[0]?.pointer,
            errors,
          },
        );
      }
      return undefined;
    },
  });

  app.onError((error, c) => {
    const known = problemOf(error);
    if (known) return problem(c, known.status, known.title, known.detail, known.extra);
    deps.log.error({ err: describeError(error) }, 'oväntat fel');
    return problem(c, 500, 'Internt fel', 'Något gick fel på servern; felet är loggat');
  });

  app.notFound((c) => problem(c, 404, 'Finns inte', `Ingen resurs på ${maskIdentity(c.req.path)}`));

  // Request log without identity numbers, and without bodies.
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    deps.log.info(
      {
        method: c.req.method,
        path: maskIdentity(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'http',
    );
  });

  // API answers hold personal and payment data: never cached, never sniffed; HSTS behind TLS.
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
    if (c.req.path.startsWith('/api/')) c.res.headers.set('cache-control', 'no-store');
    if (overTls(c, deps)) c.res.headers.set('strict-transport-security', 'max-age=31536000');
  });

  app.use('/api/*', (c, next) =>
    bodyLimit({
      maxSize: c.req.path === '/api/imports' ? MAX_IMPORT_BYTES : MAX_BODY_BYTES,
      onError: (c) =>
        problem(
          c,
          413,
          'För stor begäran',
          `Högst ${MAX_BODY_BYTES / 1024} KiB per begäran (importer: ${MAX_IMPORT_BYTES / 1024 / 1024} MiB)`,
        ),
    })(c, next),
  );

  // Session from the cookie; state-changing requests must echo the session's CSRF token.
  app.use('/api/*', async (c, next) => {
    let origin = 'okänd';
    try {
      origin = getConnInfo(c).remote.address ?? origin;
    } catch {
      origin = c.req.header('x-forwarded-for') ?? 'lokal';
    }
    c.set('origin', origin);
    const token = getCookie(c, SESSION_COOKIE);
    c.set('user', undefined);
    c.set('csrf', undefined);
    if (token) {
      const session = await sessionCache.getOrLoad(token, async () => {
        const found = await findSession(deps.conn.db, token);
        return { value: found, keep: found !== undefined };
      });
      // One answered from the cache after it expired is not taken.
      if (session && session.expiresAt.getTime() > Date.now()) {
        c.set('user', session.user);
        c.set('csrf', session.csrfToken);
      } else {
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
      }
    }
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
    const loggingIn = c.req.method === 'POST' && c.req.path === '/api/session';
    if (unsafe && !loggingIn && c.get('user') && c.req.header('x-csrf-token') !== c.get('csrf')) {
      return problem(
        c,
        403,
        'CSRF-skydd',
        'Begäran saknar giltig x-csrf-token (den finns i svaret från POST /api/session och GET /api/session)',
      );
    }
    // Who asks is settled before what is asked: an anonymous request gets 401, not schema text.
    if (!c.get('user') && !isPublic(c.req.path))
      return problem(c, 401, 'Inloggning krävs', 'Logga in med POST /api/session');
    await next();
  });

  app.get('/api/health', (c) => c.json({ status: 'ok', store: deps.conn.kind }));
  registerSession(app, deps);
  registerSessionOidc(app, deps);
  registerRegistry(app, deps);
  registerRuns(app, deps);
  registerStatementsYear(app, deps);
  registerStatementQuestions(app, deps);
  registerApprovers(app, deps);
  registerRunReview(app, deps);
  registerUiTodo(app, deps);
  registerRulebooks(app, deps);
  registerAudit(app, deps);
  registerUsers(app, deps);
  registerImports(app, deps);
  registerContracts(app, deps);
  registerProcurement(app, deps);
  registerTransitionalRight(app, deps);
  registerProcurementNss(app, deps);
  registerUiOverview(app, deps);
  registerUiSimulation(app, deps);
  registerSimulationScenarios(app, deps);
  registerUnitWhatIf(app, deps);
  registerUiRulebooks(app, deps);
  registerUiUnit(app, deps);
  registerCompare(app, deps);
  registerKommuner(app);
  registerFollowUp(app, deps);
  registerSanctions(app, deps);
  registerFollowUpMorbidity(app, deps);
  registerWeb(app);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Vårdval API',
      version: '0.1.0',
      description:
        'Regionens vårdvalssystem: register, listning, regelböcker och utbetalningar. Fel som application/problem+json.',
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
  });
  // The health route is plain Hono; document it too so every endpoint is in the document.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/health',
    summary: 'Svarar 200 när servern är redo',
    responses: { 200: { description: 'Redo' } },
  });
  return app;
}
