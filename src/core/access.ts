/**
 * The roles and who may do what: one table, read by the API's guard (src/adapters/http/guard.ts),
 * the authorization-matrix test and the web interface's menu (web/src/session.tsx). Pure data.
 */

export const ROLES = ['admin', 'officer', 'provider', 'analyst', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The roles as the menu, the user list and the audit log name them. */
export const ROLE_SV: Record<Role, string> = {
  admin: 'Administratör',
  officer: 'Handläggare',
  provider: 'Vårdgivare',
  analyst: 'Analytiker',
  auditor: 'Revisor',
};

/** Who may call what. */
export const ACCESS = {
  readRegistry: ['admin', 'officer', 'provider', 'analyst'],
  // A unit's payment is no personal data and is a public record (allmän handling): an analyst reads
  // runs and per-unit statements. Personal data (persons, listings) stays with the region's officers.
  readRuns: ['admin', 'officer', 'provider', 'analyst'],
  changeRuns: ['admin', 'officer'],
  /** The approver right (attesträtt) is given and taken by the admin. */
  grantApprover: ['admin'],
  readRulebooks: ['admin', 'officer', 'provider', 'analyst'],
  changeRulebooks: ['admin', 'officer'],
  readPersons: ['admin', 'officer'],
  changePersons: ['admin', 'officer'],
  readAudit: ['admin', 'auditor'],
  manageUsers: ['admin'],
  // The comparison of the regions holds only published rulebook facts and counts, no person data.
  readComparison: ['admin', 'officer', 'provider', 'analyst', 'auditor'],
  /** Applications, tenders, activity records: a provider for itself, the region for anyone. */
  apply: ['admin', 'officer', 'provider'],
  /** Assessing, deciding, awarding and signing are the region's. */
  decideProcurement: ['admin', 'officer'],
  /** National-tariff activity is evidence the region records, never something a provider declares. */
  recordActivity: ['admin', 'officer'],
  // Follow-up (uppföljning): indicators and conformance; an analyst gets aggregates only.
  readFollowUp: ['admin', 'officer', 'provider', 'analyst'],
  // Facts for requirement conformance: officers for any unit, a provider for its own units.
  reportFacts: ['admin', 'officer', 'provider'],
  // Sanctions: a provider sees and answers its own; the region proposes and decides.
  readSanctions: ['admin', 'officer', 'provider'],
  answerSanctions: ['admin', 'officer', 'provider'],
  decideSanctions: ['admin', 'officer'],
} as const satisfies Record<string, readonly Role[]>;
