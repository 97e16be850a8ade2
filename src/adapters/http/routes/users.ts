import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { createUser, listUsers, resetPassword, ROLES, updateUser, writeAudit } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import { HttpError } from '../problem.js';
import { dbIdParam, errorResponses, getRoute, itemsOf, jsonAnswer, routeWithRight } from './common.js';

const UserJson = z
  .object({
    id: z.number(),
    username: z.string(),
    role: z.enum(ROLES),
    provider_id: z.string().nullable(),
    disabled: z.boolean(),
  })
  .openapi('User');

const json = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

/** Users and roles, managed by an admin while the server runs (every change audited). */
export function registerUsers(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const toJson = (u: {
    id: number;
    username: string;
    role: (typeof ROLES)[number];
    providerId: string | null;
    disabled: boolean;
  }) => ({
    id: u.id,
    username: u.username,
    role: u.role,
    provider_id: u.providerId,
    disabled: u.disabled,
  });

  app.openapi(
    getRoute(
      {
        path: '/api/users',
        right: ACCESS.manageUsers,
        summary: 'Användare och deras roller (administratör)',
      },
      'Användare',
      itemsOf(UserJson),
    ),
    async (c) => {
      return c.json({ items: (await listUsers(db)).map(toJson) }, 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/users',
      right: ACCESS.manageUsers,
      summary: 'Skapa en användare (administratör); loggas',
      request: json(
        z.object({
          username: z.string().min(1).max(64),
          password: z.string().min(1).max(200),
          role: z.enum(ROLES),
          provider_id: z.string().max(20).nullable().optional(),
        }),
      ),
      responses: {
        201: { description: 'Skapad', content: { 'application/json': { schema: UserJson } } },
        ...errorResponses,
        409: errorResponses[400],
      },
    }),
    async (c) => {
      const admin = c.get('user');
      const b = c.req.valid('json');
      const user = await createUser(db, {
        username: b.username,
        password: b.password,
        role: b.role,
        providerId: b.provider_id ?? null,
      });
      await writeAudit(db, {
        actor: admin.username,
        role: admin.role,
        action: 'user.create',
        target: `user:${user.username}`,
        origin: c.get('origin'),
        detail: { role: user.role, provider_id: user.providerId },
      });
      return c.json(toJson({ ...user, disabled: false }), 201);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'patch',
      path: '/api/users/{id}',
      right: ACCESS.manageUsers,
      summary: 'Ändra roll eller stäng av/aktivera en användare (administratör); loggas',
      request: {
        params: z.object({ id: dbIdParam }),
        ...json(
          z.object({
            role: z.enum(ROLES).optional(),
            provider_id: z.string().max(20).nullable().optional(),
            disabled: z.boolean().optional(),
          }),
        ),
      },
      responses: jsonAnswer('Ändrad', UserJson),
    }),
    async (c) => {
      const admin = c.get('user');
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      if (id === admin.id && (b.disabled || (b.role && b.role !== 'admin')))
        throw new HttpError(
          409,
          'Konflikt',
          'Du kan inte stänga av eller ta bort administratörsrollen från dig själv',
          {
            pointer: b.disabled ? '/disabled' : '/role',
          },
        );
      const user = await updateUser(db, id, {
        role: b.role,
        providerId: b.provider_id,
        disabled: b.disabled,
      });
      deps.forgetUserSessions?.(id);
      await writeAudit(db, {
        actor: admin.username,
        role: admin.role,
        action:
          b.disabled === true ? 'user.disable' : b.disabled === false ? 'user.enable' : 'user.change_role',
        target: `user:${user.username}`,
        origin: c.get('origin'),
        detail: { role: user.role, provider_id: user.providerId, disabled: user.disabled },
      });
      return c.json(toJson(user), 200);
    },
  );

  app.openapi(
    routeWithRight({
      method: 'post',
      path: '/api/users/{id}/password',
      right: ACCESS.manageUsers,
      summary:
        'Sätt ett nytt lösenord åt en användare (administratör); användarens sessioner avslutas; loggas',
      request: {
        params: z.object({ id: dbIdParam }),
        ...json(z.object({ password: z.string().min(1).max(200) })),
      },
      responses: { 204: { description: 'Bytt' }, ...errorResponses },
    }),
    async (c) => {
      const admin = c.get('user');
      const { id } = c.req.valid('param');
      await resetPassword(db, id, c.req.valid('json').password);
      deps.forgetUserSessions?.(id);
      const target = (await listUsers(db)).find((u) => u.id === id);
      await writeAudit(db, {
        actor: admin.username,
        role: admin.role,
        action: 'user.reset_password',
        target: `user:${target?.username ?? id}`,
        origin: c.get('origin'),
      });
      return c.body(null, 204);
    },
  );
}
