import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputErrors } from '../files/located-error.js';
import { StoreError } from '../store/store-error.js';
import { UserError } from '../store/users.js';
import { HttpError, problemOf } from './problem.js';

describe('one error vocabulary: each kind of error answers with its status', () => {
  it.each([
    ['not_found', 404, 'Finns inte'],
    ['conflict', 409, 'Konflikt'],
    ['invalid', 400, 'Ogiltig begäran'],
  ] as const)('a store refusal %s is %i', (kind, status, title) => {
    expect(problemOf(new StoreError(kind, 'Importen 7 finns inte'))).toEqual({
      status,
      title,
      detail: 'Importen 7 finns inte',
      extra: {},
    });
  });

  it('keeps the field a store refusal points at, and its own heading', () => {
    expect(problemOf(new StoreError('invalid', 'Kriteriet K9 finns inte', '/scores/0/criterion_id'))).toEqual(
      {
        status: 400,
        title: 'Ogiltig begäran',
        detail: 'Kriteriet K9 finns inte',
        extra: { pointer: '/scores/0/criterion_id' },
      },
    );
    expect(
      problemOf(new UserError('username_taken', 'username', 'Användarnamnet x är redan upptaget')),
    ).toMatchObject({
      status: 409,
      title: 'Användaren kunde inte sparas',
      extra: { pointer: '/username' },
    });
    expect(problemOf(new UserError('invalid_provider', 'providerId', 'fel'))).toMatchObject({
      status: 400,
      extra: { pointer: '/provider_id' },
    });
    expect(problemOf(new UserError('unknown_user', 'username', 'Användare 9 finns inte'))).toEqual({
      status: 404,
      title: 'Finns inte',
      detail: 'Användare 9 finns inte',
      extra: {},
    });
  });

  it('answers a route refusal, bad input files, bad JSON and a value the database cannot hold', () => {
    expect(problemOf(new HttpError(403, 'Behörighet saknas', 'Bara attestanter'))).toMatchObject({
      status: 403,
      title: 'Behörighet saknas',
    });
    const input = problemOf(
      new InputErrors([
        { file: 'units.csv', line: 3, where: 'unit_id', code: 'csv.missing', message: 'saknas' },
      ]),
    );
    expect(input).toMatchObject({ status: 422, title: 'Indata innehåller fel' });
    expect(input?.extra?.errors).toEqual([
      { detail: 'units.csv:3: unit_id: saknas', code: 'csv.missing', line: 3, where: 'unit_id' },
    ]);
    expect(problemOf(new HTTPException(400))).toMatchObject({
      status: 400,
      detail: 'Kroppen är ingen giltig JSON',
    });
    expect(problemOf(z.object({ a: z.string() }).safeParse({}).error)).toMatchObject({ status: 400 });
    expect(problemOf(Object.assign(new Error('out of range'), { code: '22003' }))).toMatchObject({
      status: 400,
      title: 'Ogiltigt värde',
    });
  });

  it('leaves an error nobody meant to the server (500, logged)', () => {
    expect(problemOf(new Error('boom'))).toBeUndefined();
    expect(problemOf(Object.assign(new Error('deadlock'), { code: '40P01' }))).toBeUndefined();
  });
});
