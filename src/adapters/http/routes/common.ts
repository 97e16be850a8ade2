import { z } from '@hono/zod-openapi';

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
