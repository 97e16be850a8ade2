import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { InputErrors } from '../files/located-error.js';
import { StoreError, type StoreErrorKind } from '../store/store-error.js';
import { describeError } from './log.js';

/**
 * Errors as application/problem+json (RFC 9457), the same words the CLI uses, with a JSON pointer
 * to the field when the request body was at fault.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  pointer?: string;
  errors?: { pointer?: string; detail: string; code?: string }[];
}

export function problem(
  c: Context,
  status: number,
  title: string,
  detail?: string,
  extra: Partial<Problem> = {},
): Response {
  const body: Problem = {
    type: `https://vardval.example/problem/${status}`,
    title,
    status,
    ...(detail ? { detail } : {}),
    ...extra,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
  });
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Partial<Problem> = {},
  ) {
    super(detail ?? title);
  }
}

/** A zod issue path as a JSON pointer: ['lines', 0, 'amount'] → /lines/0/amount. */
export function pointerOf(path: readonly PropertyKey[]): string {
  return path.length === 0
    ? ''
    : `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** The parts of a zod issue the plain message needs. */
interface IssueLike {
  code: string;
  message: string;
  expected?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
}

/**
 * A validation issue in plain Swedish that says what to write: a person reads it beside the field.
 * Messages a schema wrote itself (formats, refinements) are already plain and are kept.
 */
export function plainIssue(issue: IssueLike): string {
  const n = (v: unknown) => Number(v);
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'number' ? 'Skriv ett tal, t.ex. 25.' : 'Fyll i fältet.';
    case 'too_small':
      if (issue.origin === 'string')
        return n(issue.minimum) <= 1 ? 'Fyll i fältet.' : `Skriv minst ${n(issue.minimum)} tecken.`;
      if (issue.origin === 'array')
        return `Lägg till minst ${n(issue.minimum)} ${n(issue.minimum) === 1 ? 'rad' : 'rader'}.`;
      return `Talet ska vara minst ${n(issue.minimum)}.`;
    case 'too_big':
      if (issue.origin === 'string') return `Skriv högst ${n(issue.maximum)} tecken.`;
      if (issue.origin === 'array') return `Högst ${n(issue.maximum)} rader.`;
      return `Talet får vara högst ${n(issue.maximum)}.`;
    case 'invalid_value':
      return 'Välj ett av alternativen.';
    default:
      return issue.message;
  }
}

/** The status and heading of each kind of store refusal: the one mapping, tested kind by kind. */
export const STORE_ERROR_STATUS: Record<StoreErrorKind, { status: number; title: string }> = {
  not_found: { status: 404, title: 'Finns inte' },
  conflict: { status: 409, title: 'Konflikt' },
  invalid: { status: 400, title: 'Ogiltig begäran' },
};

/** What an answer says about an error: status, title, detail and the extra members. */
export interface ProblemOf {
  status: number;
  title: string;
  detail?: string;
  extra?: Partial<Problem>;
}

/**
 * The one vocabulary from errors to problem+json: what a route, the store or a reader throws, as
 * the answer's status and words. Undefined for an error nobody meant (the server logs it, 500).
 */
export function problemOf(error: unknown): ProblemOf | undefined {
  if (error instanceof HttpError)
    return { status: error.status, title: error.title, detail: error.detail, extra: error.extra };
  if (error instanceof StoreError) {
    const { status, title } = STORE_ERROR_STATUS[error.code];
    return {
      status,
      title: error.title ?? title,
      detail: error.message,
      extra: error.pointer === undefined ? {} : { pointer: error.pointer },
    };
  }
  if (error instanceof InputErrors) {
    return {
      status: 422,
      title: 'Indata innehåller fel',
      detail: error.message.split('\n')[0],
      extra: {
        errors: error.errors.map((e) => ({
          detail: `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}: ${e.where ? `${e.where}: ` : ''}${e.message}`,
          code: e.code,
          // Where it is, for a page that shows the error beside the text (the rulebook editor).
          ...(e.line !== undefined && { line: e.line }),
          ...(e.column !== undefined && { column: e.column }),
          ...(e.where && { where: e.where }),
        })),
      },
    };
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    return {
      status,
      title: status === 400 ? 'Ogiltig begäran' : 'Fel i begäran',
      detail: status === 400 ? 'Kroppen är ingen giltig JSON' : error.message,
    };
  }
  if (error instanceof ZodError)
    return { status: 400, title: 'Ogiltig begäran', detail: error.issues[0]?.message };
  // A value the database cannot hold (class 22: too large a number, a date that does not exist).
  if (describeError(error).code?.startsWith('22'))
    return {
      status: 400,
      title: 'Ogiltigt värde',
      detail: 'Ett värde i begäran går inte att lagra: ett för stort tal eller ett datum som inte finns',
    };
  return undefined;
}
