import type { Logger } from 'pino';
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
}

export type AppEnv = {
  Variables: {
    user: SessionUser | undefined;
    csrf: string | undefined;
    origin: string;
  };
};
