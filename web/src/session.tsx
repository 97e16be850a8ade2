import { createContext, useContext } from 'react';
import { ACCESS } from '../../src/core/access';
import type { Me, Role } from './api';

export const SessionContext = createContext<{ me: Me; logout: () => void } | undefined>(undefined);

export function useSession(): { me: Me; logout: () => void } {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession utanför inloggning');
  return s;
}

/**
 * Who may use what: the API's own table (src/core/access.ts). The API lets every role read the
 * comparison; the menu offers it to those who plan and follow up.
 */
export const CAN = {
  ...ACCESS,
  readComparison: ['admin', 'officer', 'analyst'],
} as const satisfies Record<string, readonly Role[]>;

export function can(role: Role, what: keyof typeof CAN): boolean {
  return (CAN[what] as readonly Role[]).includes(role);
}
