import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Role } from '../api';
import { Card, ErrorMessage, Loading, PageHeader } from '../components/ui';
import { ROLE } from '../format';
import type { Schemas } from '../api/types';
import { useApi, useTitle } from '../hooks';
import { TableHead } from '../components/TableHead';

type UserRow = Schemas['User'];

const ROLES: Role[] = ['admin', 'officer', 'provider', 'analyst', 'auditor'];
/** Roles that compute and approve payment runs: only they can use the approver right. */
const RUN_ROLES: Role[] = ['admin', 'officer'];

type Control = Schemas['ControlSettings'];

/** The admin's page for accounts: create, change role, disable or enable, set a new password. */
export function UsersPage() {
  useTitle('Användare');
  const users = useApi<{ items: UserRow[] }>('/api/users');
  const control = useApi<Control>('/api/control');
  const approvers = new Set(control.data?.approvers.map((a) => a.username) ?? []);
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
      control.reload();
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
      <Card title="Ny användare">
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
      </Card>
      {users.loading && <Loading what="användarna" />}
      {users.error && <ErrorMessage error={users.error} />}
      {users.data && (
        <Card title="Konton">
          {control.data && (
            <p id="approver-help">
              <strong>Attesträtt</strong>: den som har attesträtt får godkänna utbetalningskörningar.{' '}
              {control.data.approver_roles.length > 0
                ? `Rollerna ${control.data.approver_roles.map((r) => ROLE[r] ?? r).join(' och ')} får godkänna ändå (inställningen VARDVAL_APPROVER_ROLES); ge rätten till enskilda personer när inställningen är tom.`
                : 'Bara personer med attesträtt får godkänna (VARDVAL_APPROVER_ROLES är tom).'}{' '}
              {control.data.four_eyes &&
                'Den som beräknat en körning får aldrig godkänna den själv (fyraögonsprincipen).'}
            </p>
          )}
          <div className="table-wrap" role="region" aria-label="Konton" tabIndex={0}>
            <table>
              <TableHead columns={['Användarnamn', 'Roll', 'Status', 'Attesträtt', 'Åtgärder']} />
              <tbody>
                {users.data.items.map((u) => (
                  <UserLine
                    key={u.id}
                    user={u}
                    act={act}
                    approver={control.data ? approvers.has(u.username) : undefined}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
    </>
  );
}

function UserLine({
  user,
  act,
  approver,
}: {
  user: UserRow;
  act: (what: () => Promise<unknown>, message: string) => Promise<boolean>;
  /** Whether the person has the approver right (undefined while it loads). */
  approver: boolean | undefined;
}) {
  const [password, setPassword] = useState('');
  // What was just chosen, shown until the server's answer is read back.
  const [chosen, setChosen] = useState<boolean>();
  const checked = chosen ?? approver ?? false;
  useEffect(() => {
    if (approver !== undefined && approver === chosen) setChosen(undefined);
  }, [approver, chosen]);
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
        {RUN_ROLES.includes(user.role) ? (
          <label>
            <input
              type="checkbox"
              checked={checked}
              disabled={approver === undefined}
              aria-describedby="approver-help"
              onChange={(e) => {
                const give = e.target.checked;
                setChosen(give);
                void act(
                  () =>
                    api(`/api/users/${encodeURIComponent(user.username)}/approver`, {
                      method: 'PUT',
                      json: { approver: give },
                    }),
                  give ? `${user.username} har nu attesträtt` : `${user.username} har inte längre attesträtt`,
                ).then((ok) => !ok && setChosen(undefined));
              }}
            />{' '}
            <span className="visually-hidden">Attesträtt för {user.username}</span>
            <span aria-hidden="true">{checked ? 'Ja' : 'Nej'}</span>
          </label>
        ) : (
          <span title="Rollen beräknar och godkänner inga körningar">–</span>
        )}
      </td>
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
