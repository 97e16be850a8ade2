import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCaller, providerUser, regionUser, TEST_PASSWORD, testApp } from '../../test-support/http.js';
import { signInAll, type TestSession } from '../../test-support/sessions.js';
import { connect, type Connection } from '../store/connection.js';
import type { createApp } from './app.js';

/** A route's right is checked before its request is read: who may not call it learns nothing of the body. */

const USERS = [regionUser('handlaggare', 'officer'), providerUser('vardgivare', '5560160680')];
let conn: Connection;
let app: ReturnType<typeof createApp>;
const sessions = new Map<string, TestSession>();
const call = apiCaller(() => app, sessions);

beforeAll(async () => {
  conn = await connect({ home: 'memory://' });
  app = testApp(conn, () => '2025-04-01');
  await signInAll(app, conn.db, USERS, TEST_PASSWORD, sessions);
}, 60_000);

afterAll(async () => conn?.close());

describe('the right of a route', () => {
  const badBody = { version_id: 'ett', month: '2025-13' };

  it('answers 401 to an anonymous caller and 403 to a role without the right, before the body is validated', async () => {
    const anonymous = await call(undefined, 'POST', '/api/sanctions/proposals', badBody);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ title: 'Inloggning krävs' });

    const provider = await call('vardgivare', 'POST', '/api/sanctions/proposals', badBody);
    expect(provider.status).toBe(403);
    expect(provider.body).toMatchObject({
      title: 'Behörighet saknas',
      detail: 'Rollen provider får inte göra detta',
    });
  });

  it('validates the body of a caller with the right, pointing at the field', async () => {
    const officer = await call('handlaggare', 'POST', '/api/sanctions/proposals', badBody);
    expect(officer.status).toBe(400);
    expect(JSON.stringify(officer.body)).toContain('version_id');
  });
});
