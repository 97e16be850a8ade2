import { findUnit, latestBatchId, type UnitRow } from '../store/units.js';
import type { AppDeps, SessionUser } from './context.js';
import { canSeeProvider } from './guard.js';
import { HttpError } from './problem.js';

/** A unit of the latest import that the user may see, with that import's id; 404 otherwise. */
export async function visibleUnit(
  deps: AppDeps,
  user: SessionUser,
  unitId: string,
): Promise<{ unit: UnitRow; batch: number }> {
  const batch = await latestBatchId(deps.conn.db);
  const unit = batch === undefined ? undefined : await findUnit(deps.conn.db, batch, unitId);
  if (batch === undefined || !unit || !canSeeProvider(user, unit.providerId))
    throw new HttpError(404, 'Finns inte', `Enheten ${unitId} finns inte`);
  return { unit, batch };
}

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
  const batchId = await latestBatchId(deps.conn.db);
  const unit = batchId === undefined ? undefined : await findUnit(deps.conn.db, batchId, unitId);
  if (!unit || !canSeeProvider(user, unit.providerId))
    throw new HttpError(404, 'Finns inte', `Enheten ${unitId} finns inte i registret`, { pointer });
  if (providerId !== undefined && unit.providerId !== providerId)
    throw new HttpError(403, 'Behörighet saknas', `Enheten ${unitId} hör till en annan vårdgivare`, {
      pointer,
    });
  return unit.providerId;
}
