import { createContext, useContext } from 'react';
import type { Me, Role } from './api';

export const SessionContext = createContext<{ me: Me; logout: () => void } | undefined>(undefined);

export function useSession(): { me: Me; logout: () => void } {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession utanför inloggning');
  return s;
}

/** Who may use what: mirrors the API's ACCESS table (src/adapters/http/guard.ts). */
export const CAN = {
  readRegistry: ['admin', 'officer', 'provider', 'analyst'],
  readRuns: ['admin', 'officer', 'provider', 'analyst'],
  changeRuns: ['admin', 'officer'],
  manageUsers: ['admin'],
  readRulebooks: ['admin', 'officer', 'provider', 'analyst'],
  changeRulebooks: ['admin', 'officer'],
  readPersons: ['admin', 'officer'],
  readAudit: ['admin', 'auditor'],
  // The API lets every role read the comparison; the menu offers it to those who plan and follow up.
  readComparison: ['admin', 'officer', 'analyst'],
  apply: ['admin', 'officer', 'provider'],
  decideProcurement: ['admin', 'officer'],
  readFollowUp: ['admin', 'officer', 'provider', 'analyst'],
  reportFacts: ['admin', 'officer', 'provider'],
  readSanctions: ['admin', 'officer', 'provider'],
  answerSanctions: ['admin', 'officer', 'provider'],
  decideSanctions: ['admin', 'officer'],
} as const satisfies Record<string, readonly Role[]>;

export function can(role: Role, what: keyof typeof CAN): boolean {
  return (CAN[what] as readonly Role[]).includes(role);
}
