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
