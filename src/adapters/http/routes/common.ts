import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { Role } from '../../../core/access.js';
import { parseDate } from '../../../core/calendar.js';
import type { SessionUser } from '../context.js';
import { requireRight } from '../guard.js';

/** The store's ids are PostgreSQL integers: a larger number is a located 400, not a database error. */
export const MAX_DB_INT = 2_147_483_647;
const tooLarge = `Talet är för stort (högst ${MAX_DB_INT})`;
export const dbId = z.number().int().positive().max(MAX_DB_INT, tooLarge);
/** An id in a path or query string. */
export const dbIdParam = z.coerce.number().int().positive().max(MAX_DB_INT, tooLarge);

/** A calendar date `ÅÅÅÅ-MM-DD` that exists (2025-02-30 does not). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Datumet skrivs ÅÅÅÅ-MM-DD')
  .refine((s) => parseDate(s) !== undefined, 'Datumet finns inte i kalendern');

/** An amount of money in öre, an integer (the API never answers kronor as decimals). */
export const ore = z.number().int().openapi({ description: 'Belopp i öre (heltal)' });

/** A rulebook version as an answer names it: its id, the rulebook, the version number and title. */
export const RulebookVersionRef = z.object({
  id: z.number(),
  rulebook_id: z.string(),
  version: z.number(),
  title: z.string(),
});

/** The region's decision on what a provider reported (a branch, a subcontractor), with its reason. */
export const ReportDecision = z.object({
  decision: z.enum(['approved', 'refused']),
  reason: z.string().min(1).max(2000),
});

/** A calendar date as the API answers it (ÅÅÅÅ-MM-DD). */
export const day = z.string().openapi({ format: 'date' });

/** A calendar month as the API takes it (ÅÅÅÅ-MM). */
export const isoMonth = z.string().regex(/^\d{4}-\d{2}$/, 'Månaden skrivs ÅÅÅÅ-MM');

export const problemResponse = (description: string) => ({
  description,
  content: {
    'application/problem+json': {
      schema: z.object({
        type: z.string(),
        title: z.string(),
        status: z.number(),
        detail: z.string().optional(),
        pointer: z.string().optional(),
      }),
    },
  },
});

export const errorResponses = {
  400: problemResponse('Ogiltig begäran (pekare till fältet)'),
  401: problemResponse('Inloggning krävs'),
  403: problemResponse('Behörighet saknas'),
  404: problemResponse('Finns inte'),
};

export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1).openapi({ description: 'Sida, från 1' }),
  page_size: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .openapi({ description: 'Rader per sida (högst 500)' }),
};

export function paginate<T>(rows: T[], page: number, size: number) {
  return { items: rows.slice((page - 1) * size, page * size), page, page_size: size, total: rows.length };
}

export const pageOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), page: z.number(), page_size: z.number(), total: z.number() });

/** The answers a step can add when it is not allowed in the present state or its content is refused. */
export const conflictResponse = {
  409: problemResponse('Konflikt: steget är inte tillåtet i nuvarande läge'),
};
export const refusedResponses = {
  ...conflictResponse,
  422: problemResponse('Innehållet kan inte behandlas (pekare till fältet)'),
};

type ExtraAnswers = Record<number, ReturnType<typeof problemResponse>>;

/**
 * A route's answers: JSON with status 200 (or 201 for `createdAnswer`), the error answers every route
 * has, and `extra` ones (e.g. `conflictResponse`, `refusedResponses`).
 */
const answer =
  <S extends 200 | 201>(status: S) =>
  <T extends z.ZodTypeAny, E extends ExtraAnswers = Record<never, never>>(
    description: string,
    schema: T,
    extra?: E,
  ) =>
    ({
      [status]: { description, content: { 'application/json': { schema } } },
      ...errorResponses,
      ...(extra as E),
    }) as {
      [K in S]: { description: string; content: { 'application/json': { schema: T } } };
    } & typeof errorResponses &
      E;
export const jsonAnswer = answer(200);
export const createdAnswer = answer(201);

/** A route with its right: who may call it (ACCESS, src/core/access.ts). */
type RightedRoute = Omit<RouteConfig, 'middleware'> & { right: readonly Role[] };

/**
 * A route whose right is checked first (401/403, before the request is validated); the handler
 * reads the signed-in user with `c.get('user')` and keeps any finer check (a provider's own rows).
 */
export const routeWithRight = <R extends RightedRoute>({ right, ...route }: R) =>
  createRoute({ ...route, middleware: requireRight(right) });

/** What a route says beside its method and answers: path, summary, request and right. */
type RouteHead = Omit<RightedRoute, 'method' | 'responses'>;

/** A GET route answering `schema` as JSON (200), with the error answers every route has. */
export const getRoute = <const R extends RouteHead, T extends z.ZodTypeAny>(
  route: R,
  description: string,
  schema: T,
) => routeWithRight({ ...route, method: 'get', responses: jsonAnswer(description, schema) });

/**
 * A POST route for a step: JSON with status 200 (`postCreatedRoute`: 201), the error answers every
 * route has, and 409 when the step is not allowed in the present state.
 */
export const postRoute = <const R extends RouteHead, T extends z.ZodTypeAny>(
  route: R,
  description: string,
  schema: T,
) =>
  routeWithRight({ ...route, method: 'post', responses: jsonAnswer(description, schema, conflictResponse) });
export const postCreatedRoute = <const R extends RouteHead, T extends z.ZodTypeAny>(
  route: R,
  description: string,
  schema: T,
) =>
  routeWithRight({
    ...route,
    method: 'post',
    responses: createdAnswer(description, schema, conflictResponse),
  });

/** A file in an answer's body: text (CSV) or bytes (XLSX, PDF, ZIP). */
export const textFile = z.string();
export const binaryFile = z.string().openapi({ format: 'binary' });

/**
 * A download's answers: the file (status 200) in one of the media types given with its schema, and
 * the error answers every route has.
 */
export const fileAnswer = (
  description: string,
  files: Record<string, typeof textFile | typeof binaryFile>,
) => ({
  200: {
    description,
    content: Object.fromEntries(Object.entries(files).map(([type, schema]) => [type, { schema }])),
  },
  ...errorResponses,
});

/** A required JSON request body: `request: { body: jsonBody(schema) }`. */
export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

/** Who acted, as the audit log and the store's steps record it. */
export function actorOf(user: SessionUser, origin: string) {
  return { actor: user.username, role: user.role, origin };
}

/** Who acts in a route with a right: the signed-in user its middleware put in the context. */
export function who(c: { get(key: 'user'): SessionUser; get(key: 'origin'): string }) {
  return actorOf(c.get('user'), c.get('origin'));
}

/** A list as the API answers it: `{ items: [...] }`. */
export const itemsOf = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });
