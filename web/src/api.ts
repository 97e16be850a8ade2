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
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('content-type', contentType);
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

// ---- Types of the API's answers (see /api/openapi.json) ----

export interface Me {
  username: string;
  role: Role;
  provider_id: string | null;
  csrf_token: string;
}
export type Role = 'admin' | 'officer' | 'provider' | 'analyst' | 'auditor';

export interface Run {
  id: number;
  month: string;
  rulebook_id: string;
  rulebook_version_id: number;
  batch_id: number;
  status: 'draft' | 'approved' | 'superseded';
  corrects_run_id: number | null;
  total_ore: number;
  created_by: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approval_comment?: string | null;
  /** Why the month before has no run, written by the approver. */
  missing_month_reason?: string | null;
}

export interface StatementLine {
  component: string;
  type: string;
  label: string;
  quantity: number;
  amount_ore: number;
  /** The derivation in one sentence. */
  explanation: string;
  /** The rule's section of the förfrågningsunderlag. */
  source?: string;
  /** The steps from counts and parameters to the amount (runs before engine 0.4.0 lack it). */
  derivation?: Derivation;
}

export interface DerivationStep {
  label: string;
  quantity?: number;
  rate?: number;
  rate_unit?: string;
  valid_from?: string;
  result?: number;
  result_unit?: string;
  amount_ore?: number;
}

export interface Derivation {
  rule: string;
  steps: DerivationStep[];
  amount_ore: number;
}

export interface UnitStatement {
  unit_id: string;
  name: string;
  provider_id: string;
  ownership: string;
  listed: number;
  lines: StatementLine[];
  total_ore: number;
  /** Paying by the registry's contracts: the contract and each member's share (a member sees its own). */
  contract: StatementContract | null;
}

export interface StatementContract {
  contract_id: string;
  connection_form: string;
  /** The lead (huvudman). */
  provider_id: string;
  start_date: string;
  end_date?: string;
  payees: { provider_id: string; share_percent: number; amount_ore: number }[];
}

export interface UnpaidUnit {
  unit_id: string;
  reason: string;
}

export interface RunDetail extends Run {
  identity: {
    month: string;
    parameters_on?: string;
    rulebook: { id: string; sha256: string };
    inputs: { file: string; sha256: string }[];
    engine_version: string;
  };
  units: UnitStatement[];
  /** Active units no contract in force pays, with the reason (null: the run pays every active unit). */
  unpaid_units: UnpaidUnit[] | null;
  /** NSS with state co-financing: the region's and the state's part. */
  payer_totals: { region_ore: number; state_ore: number } | null;
}

export interface Unit {
  unit_id: string;
  provider_id: string;
  name: string;
  ownership: 'public' | 'private' | 'nonprofit';
  kommun: string | null;
  start_date: string;
  end_date: string | null;
  branch_of: string | null;
  /** Anslutningsformer in force today (lov, nss, national_tariff). */
  connection_forms?: string[];
}

export interface RulebookVersion {
  id: number;
  rulebook_id: string;
  version: number;
  status: 'draft' | 'published';
  title: string;
  region_code: string;
  valid_from: string;
  valid_to: string;
  sha256: string;
  published_at: string | null;
}

export interface ImportBatch {
  id: number;
  created_at: string;
  created_by: string | null;
  label: string | null;
  files: { name: string; sha256: string; rows: number }[];
  counts: Record<string, number>;
}

export interface MonthPoint {
  month: string;
  total_ore: number;
  listed: number;
  units: number;
  status: 'approved' | 'draft' | 'mixed';
}

export interface Overview {
  months: MonthPoint[];
  month: string | null;
  runs: { id: number; rulebook_id: string; status: string; corrects_run_id: number | null }[];
  total_ore: number;
  listed: number;
  previous: MonthPoint | null;
  components: { component: string; label: string; type: string; amount_ore: number }[];
  ownership: { ownership: string; units: number; listed: number; amount_ore: number }[];
  units: {
    unit_id: string;
    name: string;
    provider_id: string;
    ownership: string;
    listed: number;
    total_ore: number;
    run_id: number;
  }[];
  open_applications?: number;
  contracts_ending?: {
    id: number;
    provider_id: string;
    unit_id: string | null;
    connection_form: string;
    end_date: string;
  }[];
  /** Per rulebook paid in the month; two or more in a region with differentiated choice systems. */
  systems?: {
    rulebook_id: string;
    title: string;
    run_id: number;
    status: string;
    units: number;
    listed: number;
    total_ore: number;
  }[];
}

export interface SimulationTotal {
  key: string;
  units: number;
  base_ore: number;
  scenario_ore: number;
  diff_ore: number;
}

export interface Simulation {
  month: string;
  batch_id: number;
  base: { id: number; rulebook_id: string; version: number; title: string };
  scenario: { id: number; rulebook_id: string; version: number; title: string; parameters_on: string | null };
  units: {
    unit_id: string;
    name: string;
    ownership: string;
    rural_class: string;
    base_ore: number;
    scenario_ore: number;
    diff_ore: number;
  }[];
  components: {
    component: string;
    label: string;
    base_ore: number;
    scenario_ore: number;
    base_share: number;
    scenario_share: number;
    scalable: boolean;
  }[];
  budget_neutral: {
    scale_factor: number;
    scaled_components: string[];
    scenario_unscaled_total_ore: number;
    residual_ore: number;
  } | null;
  by_ownership: SimulationTotal[];
  by_rural_class: SimulationTotal[];
  total: { base_ore: number; scenario_ore: number; diff_ore: number };
}
