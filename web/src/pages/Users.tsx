import { useState, type FormEvent } from 'react';
import { api, ApiError, type Role } from '../api';
import { ErrorMessage, Loading, PageHeader } from '../components/ui';
import { ROLE } from '../format';
import { useApi, useTitle } from '../hooks';

interface UserRow {
  id: number;
  username: string;
  role: Role;
  provider_id: string | null;
  disabled: boolean;
}

const ROLES: Role[] = ['admin', 'officer', 'provider', 'analyst', 'auditor'];

/** The admin's page for accounts: create, change role, disable or enable, set a new password. */
export function UsersPage() {
  useTitle('Användare');
  const users = useApi<{ items: UserRow[] }>('/api/users');
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const [form, setForm] = useState({ username: '', password: '', role: 'officer' as Role, provider_id: '' });

  const act = async (what: () => Promise<unknown>, message: string) => {
    setError(undefined);
    setDone(undefined);
    try {
      await what();
      setDone(message);
      users.reload();
      return true;
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      else throw e;
      return false;
    }
  };

  const create = (e: FormEvent) => {
    e.preventDefault();
    void act(
      () =>
        api('/api/users', {
          method: 'POST',
          json: { ...form, provider_id: form.role === 'provider' ? form.provider_id : null },
        }),
      `Användaren ${form.username} är skapad`,
    ).then((ok) => ok && setForm((f) => ({ ...f, username: '', password: '' })));
  };

  return (
    <>
      <PageHeader
        title="Användare"
        lead="Konton och roller. Varje ändring loggas; en avstängd användare loggas ut direkt."
      />
      {error && <ErrorMessage error={error} />}
      {done && (
        <p role="status" className="card">
          {done}
        </p>
      )}
      <section className="card" aria-labelledby="new-user">
        <h2 id="new-user">Ny användare</h2>
        <form onSubmit={create} className="form-grid">
          <label>
            Användarnamn
            <input
              required
              value={form.username}
              onChange={(e) => setForm({ ...form, username: e.target.value })}
            />
          </label>
          <label>
            Lösenord (minst 12 tecken)
            <input
              required
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
          </label>
          <label>
            Roll
            <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE[r] ?? r}
                </option>
              ))}
            </select>
          </label>
          {form.role === 'provider' && (
            <label>
              Vårdgivarens organisationsnummer
              <input
                required
                value={form.provider_id}
                onChange={(e) => setForm({ ...form, provider_id: e.target.value })}
              />
            </label>
          )}
          <button type="submit">Skapa användare</button>
        </form>
      </section>
      {users.loading && <Loading what="användarna" />}
      {users.error && <ErrorMessage error={users.error} />}
      {users.data && (
        <section className="card" aria-labelledby="user-list">
          <h2 id="user-list">Konton</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Användarnamn</th>
                <th scope="col">Roll</th>
                <th scope="col">Status</th>
                <th scope="col">Åtgärder</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <UserLine key={u.id} user={u} act={act} />
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function UserLine({
  user,
  act,
}: {
  user: UserRow;
  act: (what: () => Promise<unknown>, message: string) => Promise<boolean>;
}) {
  const [password, setPassword] = useState('');
  const patch = (json: unknown, message: string) =>
    act(() => api(`/api/users/${user.id}`, { method: 'PATCH', json }), message);
  return (
    <tr>
      <th scope="row">{user.username}</th>
      <td>
        <label>
          <span className="visually-hidden">Roll för {user.username}</span>
          <select
            value={user.role}
            disabled={user.role === 'provider'}
            onChange={(e) =>
              void patch(
                { role: e.target.value },
                `${user.username} har nu rollen ${ROLE[e.target.value] ?? e.target.value}`,
              )
            }
          >
            {ROLES.filter((r) => r !== 'provider' || user.role === 'provider').map((r) => (
              <option key={r} value={r}>
                {ROLE[r] ?? r}
              </option>
            ))}
          </select>
        </label>
        {user.provider_id && <> ({user.provider_id})</>}
      </td>
      <td>{user.disabled ? 'Avstängd' : 'Aktiv'}</td>
      <td>
        <button
          type="button"
          onClick={() =>
            void patch(
              { disabled: !user.disabled },
              user.disabled ? `${user.username} är aktiverad` : `${user.username} är avstängd`,
            )
          }
        >
          {user.disabled ? `Aktivera ${user.username}` : `Stäng av ${user.username}`}
        </button>{' '}
        <form
          style={{ display: 'inline' }}
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              () => api(`/api/users/${user.id}/password`, { method: 'POST', json: { password } }),
              `Nytt lösenord satt för ${user.username}`,
            ).then((ok) => ok && setPassword(''));
          }}
        >
          <label>
            <span className="visually-hidden">Nytt lösenord för {user.username}</span>
            <input
              type="password"
              autoComplete="new-password"
              placeholder="Nytt lösenord"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>{' '}
          <button type="submit">Byt lösenord</button>
        </form>
      </td>
    </tr>
  );
}
