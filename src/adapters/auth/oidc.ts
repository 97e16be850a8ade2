import * as client from 'openid-client';

/**
 * OpenID Connect login for production (the region's identity provider, e.g. SITHS through a federation
 * broker). Authentication comes from the provider; authorisation stays here: the claim named by
 * `usernameClaim` must match a local account, whose role and provider decide what the person may see.
 * That keeps `users add` the one place where access is granted, whichever way people log in.
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** The callback address registered at the provider; derived from the request when absent. */
  redirectUri?: string;
  /** The ID-token claim that names the local account (default `preferred_username`). */
  usernameClaim: string;
  /** Text on the login button. */
  label: string;
  scope: string;
}

/** Reads `OIDC_*` variables; undefined when OIDC is not configured (local accounts only). */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | undefined {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return undefined;
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new Error('OIDC_ISSUER är satt men OIDC_CLIENT_ID saknas');
  try {
    new URL(issuer);
  } catch {
    throw new Error(`OIDC_ISSUER är ingen giltig adress: ${issuer}`);
  }
  return {
    issuer,
    clientId,
    clientSecret: env.OIDC_CLIENT_SECRET || undefined,
    redirectUri: env.OIDC_REDIRECT_URI || undefined,
    usernameClaim: env.OIDC_USERNAME_CLAIM || 'preferred_username',
    label: env.OIDC_LABEL || 'Logga in med organisationens inloggning',
    scope: env.OIDC_SCOPE || 'openid profile email',
  };
}

export const CALLBACK_PATH = '/api/session/oidc/callback';

interface Pending {
  verifier: string;
  nonce: string;
  redirectUri: string;
  expires: number;
}

/** What a successful callback yields: the account name the provider vouches for. */
export interface OidcIdentity {
  username: string;
  subject: string;
}

export class OidcLogin {
  private config?: Promise<client.Configuration>;
  /** Login attempts under way, by `state`; each is used once and lives ten minutes. */
  private readonly pending = new Map<string, Pending>();

  constructor(readonly settings: OidcSettings) {}

  /** Discovery happens on first use, so the server starts even while the provider is unreachable. */
  private configuration(): Promise<client.Configuration> {
    this.config ??= client
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        undefined,
        this.settings.clientSecret ? client.ClientSecretPost(this.settings.clientSecret) : client.None(),
        // Plain http is allowed only for a provider on this machine (development and tests).
        isLoopback(this.settings.issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.config = undefined;
        throw error;
      });
    return this.config;
  }

  /** The provider's authorization address for a new attempt, and the state that ties it to the callback. */
  async start(requestUrl: string): Promise<{ url: URL; state: string }> {
    const config = await this.configuration();
    this.sweep();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const redirectUri = this.settings.redirectUri ?? new URL(CALLBACK_PATH, requestUrl).href;
    this.pending.set(state, { verifier, nonce, redirectUri, expires: Date.now() + 10 * 60_000 });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state };
  }

  /**
   * Completes an attempt: checks state, PKCE and nonce, exchanges the code and reads the account
   * name from the verified ID token. Throws OidcError with a Swedish message on any failure.
   */
  async finish(requestUrl: string, expectedState: string | undefined): Promise<OidcIdentity> {
    const incoming = new URL(requestUrl);
    const providerError = incoming.searchParams.get('error');
    if (providerError)
      throw new OidcError(
        `Inloggningstjänsten avbröt inloggningen (${providerError})`,
        incoming.searchParams.get('error_description') ?? undefined,
      );
    const state = incoming.searchParams.get('state') ?? '';
    const pending = this.pending.get(state);
    this.pending.delete(state);
    if (!pending || !expectedState || expectedState !== state || pending.expires < Date.now())
      throw new OidcError(
        'Inloggningen har gått ut eller startades inte här',
        'Börja om från inloggningssidan',
      );
    const config = await this.configuration();
    // The callback address as registered, with the parameters the provider sent.
    const current = new URL(pending.redirectUri);
    current.search = incoming.search;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new OidcError('Inloggningstjänstens svar kunde inte godtas', (error as Error).message);
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcError('Inloggningstjänsten skickade ingen ID-token');
    let name = claims[this.settings.usernameClaim];
    // Many providers put profile claims only in UserInfo, not in the ID token.
    if (name === undefined && tokens.access_token) {
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        name = info[this.settings.usernameClaim];
      } catch (error) {
        throw new OidcError(
          'Inloggningstjänstens användaruppgifter kunde inte hämtas',
          (error as Error).message,
        );
      }
    }
    if (typeof name !== 'string' || !name)
      throw new OidcError(
        `ID-token saknar anspråket ${this.settings.usernameClaim}`,
        'Be administratören kontrollera OIDC_USERNAME_CLAIM',
      );
    return { username: name, subject: claims.sub };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [state, p] of this.pending) if (p.expires < now) this.pending.delete(state);
  }
}

export class OidcError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'OidcError';
  }
}

function isLoopback(address: string): boolean {
  const host = new URL(address).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}
