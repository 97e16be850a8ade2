import type { Logger } from 'pino';
import type { ControlSettings } from '../../core/control/approval.js';
import type { OidcLogin } from '../auth/oidc.js';
import type { Connection } from '../store/connection.js';
import type { Role } from '../store/users.js';

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  providerId: string | null;
}

export interface AppDeps {
  conn: Connection;
  log: Logger;
  /** Cookies get `Secure` in production (behind TLS); tests and localhost run without. */
  secureCookies?: boolean;
  /** OpenID Connect login, when the server is configured for it (OIDC_* variables). */
  oidc?: OidcLogin;
  /** Internal control of payments (four-eyes rule, approver roles, review threshold); default on. */
  control?: ControlSettings;
  /** Set by createApp: drops a session from the lookup cache (logout). */
  forgetSession?: (token: string) => void;
  /** Set by createApp: drops a user's sessions from the lookup cache (disabled, new role or password). */
  forgetUserSessions?: (userId: number) => void;
  /** The server's calendar date (ÅÅÅÅ-MM-DD); tests set it, otherwise today in Stockholm (clock.ts). */
  today?: () => string;
  /** The public address for published links (VARDVAL_PUBLIC_URL); never the request's Host header. */
  publicUrl?: string;
}

export type AppEnv = {
  Variables: {
    user: SessionUser | undefined;
    csrf: string | undefined;
    origin: string;
  };
};
