import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { parseStoredRulebookText } from '../../store/rulebook-overlay.js';
import { publishRulebook, saveRulebookDraft, updateRulebookDraft } from '../../store/runs.js';
import { allVersions, findVersion, type RulebookVersionRow } from '../../store/rulebook-versions.js';
import { writeAudit } from '../../store/users.js';
import { DEFAULT_CONTROL } from '../../../core/control/approval.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import { HttpError } from '../problem.js';
import {
  day,
  dbIdParam,
  errorResponses,
  getRoute,
  jsonAnswer,
  postRoute,
  refusedResponses,
  routeWithRight,
  who,
} from './common.js';

const Version = z
  .object({
    id: z.number(),
    rulebook_id: z.string(),
    version: z.number(),
    status: z.enum(['draft', 'published']),
    title: z.string(),
    region_code: z.string(),
    valid_from: day,
    valid_to: day,
    sha256: z.string(),
    published_at: z.string().nullable(),
    created_by: z.string().nullable(),
    edited_by: z.string().nullable(),
    published_by: z.string().nullable(),
  })
  .openapi('RulebookVersion');

type Row = RulebookVersionRow;
const versionJson = (r: Row) => ({
  id: r.id,
  rulebook_id: r.rulebookId,
  version: r.version,
  status: r.status as 'draft' | 'published',
  title: r.title,
  region_code: r.regionCode,
  valid_from: r.validFrom,
  valid_to: r.validTo,
  sha256: r.sha256,
  published_at: r.publishedAt ? r.publishedAt.toISOString() : null,
  created_by: r.createdBy,
  edited_by: r.editedBy,
  published_by: r.publishedBy,
});

const yamlBody = {
  required: true,
  content: { 'application/json': { schema: z.object({ yaml: z.string().min(1).max(500_000) }) } },
};

export function registerRulebooks(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const get = async (id: number): Promise<Row> => {
    const row = await findVersion(db, id);
    if (!row) throw new HttpError(404, 'Finns inte', `Regelboksversion ${id} finns inte`);
    return row;
  };

  app.openapi(
    getRoute(
      {
        path: '/api/rulebooks',
        right: ACCESS.readRulebooks,
        summary: 'Regelböcker och deras versioner',
      },
      'Versioner',
      z.object({ items: z.array(Version) }),
    ),
    async (c) => {
      const rows = await allVersions(db);
      return c.json({ items: rows.map(versionJson) }, 200);
    },
  );

  app.openapi(
    getRoute(
      {
        path: '/api/rulebooks/{id}',
        right: ACCESS.readRulebooks,
        summary: 'En regelboksversion med sin YAML',
        request: { params: z.object({ id: dbIdParam }) },
      },
      'Versionen',
      Version.extend({ yaml: z.string() }),
    ),
    async (c) => {
      const row = await get(c.req.valid('param').id);
      return c.json({ ...versionJson(row), yaml: row.yaml }, 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/rulebooks/validate',
      right: ACCESS.changeRulebooks,
      summary: 'Granska en regelbok utan att spara (fel med rad och kolumn)',
      request: { body: yamlBody },
      responses: {
        200: {
          description: 'Regelboken är giltig',
          content: {
            'application/json': {
              schema: z.object({
                valid: z.literal(true),
                rulebook_id: z.string(),
                title: z.string(),
                sha256: z.string(),
              }),
            },
          },
        },
        ...errorResponses,
        422: errorResponses[400],
      },
    }),
    async (c) => {
      const { rb } = await parseStoredRulebookText(deps.conn.db, c.req.valid('json').yaml);
      return c.json(
        { valid: true as const, rulebook_id: rb.rulebook.id, title: rb.rulebook.title, sha256: rb.sha256 },
        200,
      );
    },
  );

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/rulebooks',
      right: ACCESS.changeRulebooks,
      summary: 'Spara en regelbok som nytt utkast (granskas först; fel med rad och kolumn)',
      request: { body: yamlBody },
      responses: {
        201: { description: 'Utkast', content: { 'application/json': { schema: Version } } },
        ...errorResponses,
        422: errorResponses[400],
      },
    }),
    async (c) => {
      const row = await saveRulebookDraft(db, c.req.valid('json').yaml, c.get('user').username);
      await writeAudit(db, { ...who(c), action: 'save_rulebook', target: `rulebook:${row.id}` });
      return c.json(versionJson(row), 201);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'put',
      path: '/api/rulebooks/{id}',
      right: ACCESS.changeRulebooks,
      summary: 'Ändra ett utkast (en publicerad version kan inte ändras)',
      request: { params: z.object({ id: dbIdParam }), body: yamlBody },
      responses: jsonAnswer('Ändrat', Version, refusedResponses),
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await updateRulebookDraft(db, id, c.req.valid('json').yaml, c.get('user').username);
      await writeAudit(db, { ...who(c), action: 'update_rulebook', target: `rulebook:${id}` });
      return c.json(versionJson(await get(id)), 200);
    },
  );

  app.openapi(
    postRoute(
      {
        path: '/api/rulebooks/{id}/publish',
        right: ACCESS.changeRulebooks,
        summary:
          'Publicera ett utkast (därefter oföränderligt); av någon annan än den som skrev eller senast ändrade det',
        request: { params: z.object({ id: dbIdParam }) },
      },
      'Publicerad',
      Version,
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      await get(id);
      await publishRulebook(db, id, c.get('user').username, deps.control ?? DEFAULT_CONTROL);
      await writeAudit(db, { ...who(c), action: 'publish_rulebook', target: `rulebook:${id}` });
      return c.json(versionJson(await get(id)), 200);
    },
  );
}
