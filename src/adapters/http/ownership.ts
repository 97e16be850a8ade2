import { and, eq } from 'drizzle-orm';
import * as t from '../store/schema.js';
import type { AppDeps, SessionUser } from './context.js';
import { canSeeProvider } from './guard.js';
import { HttpError } from './problem.js';
import { latestBatchId } from './routes/registry.js';

/**
 * A write's target is checked the way reads are: the unit must be in the registry, a provider may
 * only touch its own units (anyone else's is "not found", so nothing leaks), and when the request
 * names a provider the unit must be that provider's. Returns the unit's provider.
 */
export async function requireUnitOf(
  deps: AppDeps,
  user: SessionUser,
  unitId: string,
  pointer: string,
  providerId?: string,
): Promise<string> {
  const batchId = await latestBatchId(deps);
  const [unit] =
    batchId === undefined
      ? []
      : await deps.conn.db
          .select({ providerId: t.units.providerId })
          .from(t.units)
          .where(and(eq(t.units.batchId, batchId), eq(t.units.unitId, unitId)));
  if (!unit || !canSeeProvider(user, unit.providerId))
    throw new HttpError(404, 'Finns inte', `Enheten ${unitId} finns inte i registret`, { pointer });
  if (providerId !== undefined && unit.providerId !== providerId)
    throw new HttpError(403, 'Behörighet saknas', `Enheten ${unitId} hör till en annan vårdgivare`, {
      pointer,
    });
  return unit.providerId;
}
