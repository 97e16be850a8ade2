import type { Context } from 'hono';

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
