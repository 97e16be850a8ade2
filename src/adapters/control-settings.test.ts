import { describe, expect, it } from 'vitest';
import { controlSettingsFromEnv } from './control-settings.js';

describe('controlSettingsFromEnv', () => {
  it('is on by default with admins and officers approving and a ±10 % threshold', () => {
    expect(controlSettingsFromEnv({})).toEqual({
      fourEyes: true,
      approverRoles: ['admin', 'officer'],
      reviewThresholdPercent: 10,
    });
  });

  it('reads the settings and refuses what it does not understand, in Swedish', () => {
    expect(
      controlSettingsFromEnv({
        VARDVAL_FOUR_EYES: 'av',
        VARDVAL_APPROVER_ROLES: '',
        VARDVAL_REVIEW_THRESHOLD_PERCENT: '7,5',
      }),
    ).toEqual({ fourEyes: false, approverRoles: [], reviewThresholdPercent: 7.5 });
    expect(controlSettingsFromEnv({ VARDVAL_APPROVER_ROLES: 'officer' }).approverRoles).toEqual(['officer']);
    expect(() => controlSettingsFromEnv({ VARDVAL_FOUR_EYES: 'kanske' })).toThrow(
      /VARDVAL_FOUR_EYES ska vara on eller off/,
    );
    expect(() => controlSettingsFromEnv({ VARDVAL_APPROVER_ROLES: 'officer,chef' })).toThrow(
      /rollen chef finns inte/,
    );
    expect(() => controlSettingsFromEnv({ VARDVAL_REVIEW_THRESHOLD_PERCENT: '-3' })).toThrow(
      /VARDVAL_REVIEW_THRESHOLD_PERCENT ska vara ett tal/,
    );
  });
});
