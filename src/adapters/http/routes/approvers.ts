import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { DEFAULT_CONTROL } from '../../../core/control/approval.js';
import { listApprovers, setApproverRight, writeAudit } from '../../store/users.js';
import type { AppDeps, AppEnv } from '../context.js';
import { ACCESS } from '../guard.js';
import { HttpError } from '../problem.js';
import { getRoute, jsonAnswer, jsonBody, routeWithRight, who } from './common.js';

const Control = z
  .object({
    four_eyes: z.boolean().openapi({
      description: 'Den som beräknar en körning eller publicerar regelboken får inte godkänna den',
    }),
    approver_roles: z.array(z.string()).openapi({ description: 'Roller som får godkänna körningar' }),
    review_threshold_percent: z
      .number()
      .openapi({ description: 'En enhet som ändras mer än så mot senast godkända månad flaggas' }),
    approvers: z
      .array(z.object({ username: z.string(), role: z.string() }))
      .openapi({ description: 'Personer som administratören gett attesträtt' }),
  })
  .openapi('ControlSettings');

/** The installation's internal-control settings, and the approver right the admin gives persons. */
export function registerApprovers(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const db = deps.conn.db;
  const control = deps.control ?? DEFAULT_CONTROL;

  app.openapi(
    getRoute(
      {
        path: '/api/control',
        right: ACCESS.changeRuns,
        summary: 'Intern kontroll: fyraögonsprincip, vilka som får attestera och granskningens tröskel',
      },
      'Inställningarna',
      Control,
    ),
    async (c) => {
      return c.json(
        {
          four_eyes: control.fourEyes,
          approver_roles: [...control.approverRoles],
          review_threshold_percent: control.reviewThresholdPercent,
          approvers: await listApprovers(db),
        },
        200,
      );
    },
  );

  app.openapi(
    routeWithRight({
      method: 'put',
      path: '/api/users/{username}/approver',
      right: ACCESS.grantApprover,
      summary: 'Ge eller ta en persons attesträtt (får godkänna utbetalningskörningar)',
      request: {
        params: z.object({ username: z.string().max(64) }),
        body: jsonBody(z.object({ approver: z.boolean() })),
      },
      responses: jsonAnswer('Ändrad', z.object({ username: z.string(), approver: z.boolean() })),
    }),
    async (c) => {
      const { username } = c.req.valid('param');
      const { approver } = c.req.valid('json');
      if (!(await setApproverRight(db, username, approver)))
        throw new HttpError(404, 'Finns inte', `Användaren ${username} finns inte`);
      await writeAudit(db, {
        ...who(c),
        action: approver ? 'user.grant_approver' : 'user.revoke_approver',
        target: `user:${username.trim().toLowerCase()}`,
      });
      return c.json({ username: username.trim().toLowerCase(), approver }, 200);
    },
  );
}
