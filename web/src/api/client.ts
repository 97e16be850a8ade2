/**
 * The typed API client (openapi-fetch over the generated ./openapi.ts): the same session cookie,
 * CSRF token and problem+json errors as `api()` in ../api.ts. `data()` gives the answer's body or
 * throws the ApiError a page shows.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, csrfTokenOf, errorFrom, sessionEnded } from '../api';
import type { paths } from './openapi';

const session: Middleware = {
  onRequest({ request }) {
    request.headers.set('accept', 'application/json');
    const token = csrfTokenOf();
    if (request.method !== 'GET' && token) request.headers.set('x-csrf-token', token);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return response;
    const error = await errorFrom(response);
    if (response.status === 401 && new URL(request.url).pathname !== '/api/session') sessionEnded();
    throw error;
  },
  onError({ error }) {
    if ((error as Error).name === 'AbortError') return error as Error;
    return new ApiError(0, 'Servern svarar inte', 'Kontrollera anslutningen och försök igen.');
  },
};

export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use(session);

/** The body of a successful answer; errors were thrown by the middleware already. */
export async function data<T>(answer: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  const { data } = await answer;
  return data as T;
}
