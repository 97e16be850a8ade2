/**
 * The service's public address (VARDVAL_PUBLIC_URL), for links the service publishes, such as the
 * OCDS packages' uri. Never taken from the request's Host header, which the caller chooses.
 */
export const DEFAULT_PUBLIC_URL = 'http://localhost:3000';

/** Checks a configured public address and drops trailing slashes; undefined when none is set. */
export function publicUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.VARDVAL_PUBLIC_URL?.trim();
  if (!raw) return undefined;
  return checkPublicUrl(raw, 'VARDVAL_PUBLIC_URL');
}

export function checkPublicUrl(raw: string, setting: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username)
    throw new Error(
      `${setting} ska vara tjänstens offentliga adress med http:// eller https://, t.ex. https://vardval.region.se, inte "${raw}"`,
    );
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
