import type { LeavingResult } from './lov-application.js';

/**
 * What happens to a group contract's units when a member leaves. The units are the contract's, run
 * under the lead, who is the region's one counterparty: with a reallocation they go on under the
 * group and the others carry the leaver's part; when the contract ends they leave the choice system
 * with it, the day after the member's last day.
 */
export function unitsAfterLeaving(
  result: LeavingResult,
  units: readonly { unitId: string; name: string }[],
  leftAt: string,
): { unitId: string; name: string; consequence: string }[] {
  return units.map((u) => ({
    ...u,
    consequence:
      result.outcome === 'reallocated'
        ? `${u.name} drivs vidare under avtalet; övriga medlemmar tar över den avgåendes del av åtagandet`
        : `${u.name} omfattas inte längre av avtalet efter ${leftAt}; enheten lämnar valfrihetssystemet`,
  }));
}
