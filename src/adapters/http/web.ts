import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { PROJECT_ROOT } from '../store/connection.js';
import type { AppEnv } from './context.js';

/**
 * The web interface: the files Vite builds into web/dist, served for every path outside /api.
 * A path without a file gets index.html (the interface routes in the browser); a missing build
 * gets a short Swedish page that says how to build it.
 */

export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');

const HTML = 'text/html; charset=utf-8';
const TYPES: Record<string, string> = {
  '.html': HTML,
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Same-origin only; echarts sets inline styles, so styles allow 'unsafe-inline' (scripts do not). */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

const MISSING_BUILD = `<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Vårdval – webbgränssnittet är inte byggt</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1f24">
<h1>Webbgränssnittet är inte byggt</h1>
<p>Servern och API:t fungerar (<a href="/api/openapi.json">/api/openapi.json</a>), men webbgränssnittet saknas i <code>web/dist</code>.</p>
<p>Bygg det med <code>npm run build</code> (eller <code>npm install</code>, som bygger allt) och ladda om sidan.</p>
</body>
</html>`;

function isApi(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/** The file under `root` a URL path names, or undefined when it names none (or climbs out). */
function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const full = resolve(root, `.${sep}${normalize(decoded)}`);
  if (full !== root && !full.startsWith(root + sep)) return undefined;
  try {
    return statSync(full).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

export function registerWeb(app: OpenAPIHono<AppEnv>, dist = WEB_DIST): void {
  const root = resolve(dist);
  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (isApi(path)) return next();
    const index = join(root, 'index.html');
    if (!existsSync(index))
      return c.html(MISSING_BUILD, 503, { ...SECURITY_HEADERS, 'cache-control': 'no-store' });
    const file = path === '/' ? undefined : fileFor(root, path);
    if (file) {
      const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      // Vite names built assets by content hash: they never change under the same name.
      const immutable = path.startsWith('/assets/');
      return c.body(new Uint8Array(readFileSync(file)), 200, {
        ...SECURITY_HEADERS,
        'content-type': type,
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    }
    // A missing asset is a 404; any other path is a page of the interface.
    if (path.startsWith('/assets/') || /\.[a-z0-9]{1,8}$/i.test(path))
      return c.text('Filen finns inte', 404, { ...SECURITY_HEADERS });
    return c.body(new Uint8Array(readFileSync(index)), 200, {
      ...SECURITY_HEADERS,
      'content-type': HTML,
      'cache-control': 'no-cache',
    });
  });
}
