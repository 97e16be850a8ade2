import { z } from '@hono/zod-openapi';
import { checkOrganisationNumber } from '../../../core/identity.js';
import { kommuner } from '../../files/kommuner.js';
import type * as store from '../../store/procurement.js';
import type { SessionUser } from '../context.js';
import { dbIdParam, errorResponses, problemResponse } from './common.js';

/** What the procurement routes share: identifiers, request bodies and answers, and who acted. */

export const orgNr = z
  .string()
  .regex(/^\d{6}-?\d{4}$/, 'Organisationsnumret har tio siffror')
  .refine(checkOrganisationNumber, 'Organisationsnumret har fel kontrollsiffra');
export const kommunCode = z
  .string()
  .refine(
    (code) => kommuner().has(code),
    'Välj kommunen i listan (SCB:s fyrsiffriga kommunkod, t.ex. 2303 för Ragunda)',
  );
export const id = z.object({ id: dbIdParam });
export const json = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});
export const ok = (description: string, schema: z.ZodTypeAny = z.object({}).passthrough()) => ({
  description,
  content: { 'application/json': { schema } },
});
export const conflict = { 409: problemResponse('Konflikt: steget är inte tillåtet i nuvarande läge') };
export const responses200 = (description: string, schema: z.ZodTypeAny = z.object({}).passthrough()) => ({
  200: ok(description, schema),
  ...errorResponses,
  ...conflict,
});
export const responses201 = (description: string, schema: z.ZodTypeAny = z.object({}).passthrough()) => ({
  201: ok(description, schema),
  ...errorResponses,
  ...conflict,
});

export function who(c: { get: (k: 'origin') => string }, user: SessionUser): store.Who {
  return { actor: user.username, role: user.role, origin: c.get('origin') };
}
