import type { Logger } from 'pino';
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
  /** Set by createApp: drops a session from the lookup cache (logout). */
  forgetSession?: (token: string) => void;
  /** The server's calendar day (YYYY-MM-DD) for dates that decide a right; tests set their own. */
  today?: () => string;
}

export type AppEnv = {
  Variables: {
    user: SessionUser | undefined;
    csrf: string | undefined;
    origin: string;
  };
};
