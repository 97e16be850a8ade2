/**
 * The API client: JSON over fetch with the session cookie, the CSRF token on every change, and
 * errors (application/problem+json) turned into readable Swedish messages.
 */

export interface ProblemItem {
  detail: string;
  pointer?: string;
  code?: string;
  /** Where in an uploaded text (a rulebook's YAML) the error is. */
  line?: number;
  column?: number;
  where?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: ProblemItem[] = [],
    /** The JSON pointer of the field at fault, when the server named one. */
    readonly pointer?: string,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

let csrfToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** The session's CSRF token, for the typed client (./api/client.ts). */
export function csrfTokenOf(): string | undefined {
  return csrfToken;
}

/** A request answered 401 after login: tell the app the session has ended. */
export function sessionEnded(): void {
  onUnauthorized?.();
}

/** Called when a request answers 401 after login: the session has ended. */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Begäran är felaktig',
  401: 'Du behöver logga in',
  403: 'Du har inte behörighet till detta',
  404: 'Det du söker finns inte',
  409: 'Det gick inte att genomföra på grund av en konflikt',
  413: 'Filen är för stor',
  422: 'Uppgifterna innehåller fel',
  429: 'För många försök; vänta en stund',
  500: 'Något gick fel på servern',
  502: 'Servern svarar inte',
  503: 'Tjänsten är inte tillgänglig just nu',
};

interface ProblemBody {
  title?: string;
  detail?: string;
  pointer?: string;
  errors?: ProblemItem[];
}

/** The problem's items; a problem with one pointer and no items is one item at that field. */
function itemsOf(body: ProblemBody): ProblemItem[] {
  if (Array.isArray(body.errors) && body.errors.length > 0) return body.errors;
  return body.pointer && body.detail ? [{ pointer: body.pointer, detail: body.detail }] : [];
}

/** Reads an error response: problem+json when the server sent one, else a message for the status. */
export async function errorFrom(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as ProblemBody;
      return new ApiError(
        res.status,
        body.title ?? STATUS_TEXT[res.status] ?? `Fel ${res.status}`,
        body.detail,
        itemsOf(body),
        body.pointer,
      );
    } catch {
      // fall through to the generic message
    }
  }
  return new ApiError(res.status, STATUS_TEXT[res.status] ?? `Fel ${res.status}`, undefined);
}

export function problemFromText(status: number, text: string, type: string): ApiError {
  if (type.includes('json')) {
    try {
      const body = JSON.parse(text) as ProblemBody;
      return new ApiError(
        status,
        body.title ?? STATUS_TEXT[status] ?? `Fel ${status}`,
        body.detail,
        itemsOf(body),
      );
    } catch {
      // not JSON after all
    }
  }
  return new ApiError(status, STATUS_TEXT[status] ?? `Fel ${status}`, undefined);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  json?: unknown;
  signal?: AbortSignal;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'Servern svarar inte', 'Kontrollera anslutningen och försök igen.');
  }
  if (!res.ok) {
    const error = await errorFrom(res);
    if (res.status === 401 && path !== '/api/session') onUnauthorized?.();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Uploads a file as the request body, reporting progress (0–1) while it is sent. */
export function upload<T>(
  path: string,
  file: Blob,
  contentType: string,
  onProgress: (sent: number, total: number) => void,
  headers: Record<string, string> = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('content-type', contentType);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, 'Servern svarar inte', 'Uppladdningen avbröts.'));
    xhr.onload = () => {
      const type = xhr.getResponseHeader('content-type') ?? '';
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T);
        } catch {
          reject(new ApiError(xhr.status, 'Svaret kunde inte läsas', undefined));
        }
      } else {
        if (xhr.status === 401) onUnauthorized?.();
        reject(problemFromText(xhr.status, xhr.responseText, type));
      }
    };
    xhr.send(file);
  });
}

/** Every item of a paged list (page_size at most 500). */
export async function fetchAll<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const res = await api<{ items: T[]; total: number }>(`${path}${sep}page=${page}&page_size=500`, {
      signal,
    });
    out.push(...res.items);
    if (res.items.length === 0 || out.length >= res.total) return out;
  }
}

/** The server's message for the field at `pointer` (or inside it), if the error names that field. */
export function errorAt(error: ApiError | undefined, pointer: string): string | undefined {
  if (!error) return undefined;
  const at = (p?: string) => p !== undefined && (p === pointer || p.startsWith(`${pointer}/`));
  if (at(error.pointer)) return error.detail;
  return error.errors.find((e) => at(e.pointer))?.detail;
}

// ---- Types of the API's answers not yet taken from the generated ./api/types.ts ----

export interface Me {
  username: string;
  role: Role;
  provider_id: string | null;
  csrf_token: string;
}
export type Role = 'admin' | 'officer' | 'provider' | 'analyst' | 'auditor';

// The answers the server documents come from the generated types (./api/types.ts); these
// re-exports keep the pages that import them from here working.
export type {
  ImportBatch,
  MonthPoint,
  Overview,
  RulebookVersion,
  Run,
  RunDetail,
  StatementContract,
  StatementLine,
  Unit,
  UnitStatement,
  UnpaidUnit,
} from './api/types';
import type { Schemas } from './api/types';

export type Simulation = Schemas['UiSimulation'];
export type SimulationTotal = Simulation['by_ownership'][number];

/** An import running (or just finished) on the server: rows read and written per file. */
export type ImportJob = Schemas['ImportJob'];
