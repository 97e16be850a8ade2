import { DEFAULT_CONTROL, type ControlSettings } from '../core/control/approval.js';
import { ROLES } from './store/users.js';

/**
 * The installation's internal-control settings, from the environment (documented in README):
 * VARDVAL_FOUR_EYES, VARDVAL_APPROVER_ROLES and VARDVAL_REVIEW_THRESHOLD_PERCENT.
 */
export function controlSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ControlSettings {
  const settings = { ...DEFAULT_CONTROL };
  const fourEyes = env.VARDVAL_FOUR_EYES?.trim().toLowerCase();
  if (fourEyes) {
    if (['1', 'on', 'true', 'ja', 'på'].includes(fourEyes)) settings.fourEyes = true;
    else if (['0', 'off', 'false', 'nej', 'av'].includes(fourEyes)) settings.fourEyes = false;
    else
      throw new Error(
        `VARDVAL_FOUR_EYES ska vara on eller off (standard on: den som beräknar får inte godkänna), inte "${env.VARDVAL_FOUR_EYES}"`,
      );
  }
  const roles = env.VARDVAL_APPROVER_ROLES;
  if (roles !== undefined) {
    const list = roles
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    const unknown = list.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length > 0)
      throw new Error(
        `VARDVAL_APPROVER_ROLES: rollen ${unknown.join(', ')} finns inte; ange några av ${ROLES.join(', ')} åtskilda med komma, eller tomt för bara personer med attesträtt`,
      );
    settings.approverRoles = list;
  }
  const threshold = env.VARDVAL_REVIEW_THRESHOLD_PERCENT?.trim();
  if (threshold) {
    const n = Number(threshold.replace(',', '.'));
    if (!Number.isFinite(n) || n <= 0 || n > 1000)
      throw new Error(
        `VARDVAL_REVIEW_THRESHOLD_PERCENT ska vara ett tal i procent större än 0 (standard 10), inte "${threshold}"`,
      );
    settings.reviewThresholdPercent = n;
  }
  return settings;
}
