import { z } from '@hono/zod-openapi';
import { checkOrganisationNumber } from '../../../core/identity.js';
import { kommuner } from '../../files/kommuner.js';
import { conflictResponse, createdAnswer, dbIdParam, jsonAnswer, jsonBody, who } from './common.js';

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
export const json = <T extends z.ZodTypeAny>(schema: T) => ({ body: jsonBody(schema) });
export const ok = (description: string, schema: z.ZodTypeAny = z.object({}).passthrough()) => ({
  description,
  content: { 'application/json': { schema } },
});
export const responses200 = (description: string, schema: z.ZodTypeAny = z.object({}).passthrough()) =>
  jsonAnswer(description, schema, conflictResponse);
export const responses201 = (description: string, schema: z.ZodTypeAny = z.object({}).passthrough()) =>
  createdAnswer(description, schema, conflictResponse);
export { who };
