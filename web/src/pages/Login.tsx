import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, type Me } from '../api';
import type { Schemas } from '../api/types';
import { TextField } from '../components/TextField';
import { useTitle } from '../hooks';

type LoginOptions = Schemas['LoginOptions'];

export function LoginPage({ onLogin, notice }: { onLogin: (me: Me) => void; notice?: string }) {
  useTitle('Logga in');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);

  const [oidc, setOidc] = useState<LoginOptions['oidc']>(null);
  // The OIDC callback sends the browser back here with the reason when a login failed.
  const [oidcError] = useState(() => new URLSearchParams(window.location.search).get('inloggningsfel'));

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  useEffect(() => {
    api<LoginOptions>('/api/session/options')
      .then((options) => setOidc(options.oidc))
      .catch(() => setOidc(null));
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username || !password) {
      setError(new ApiError(400, 'Fyll i användarnamn och lösenord', undefined));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const me = await api<Me>('/api/session', { method: 'POST', json: { username, password } });
      onLogin(me);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'Inloggningen misslyckades', String(err)));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <div className="card">
        <h1>Logga in i Vårdval</h1>
        <p className="lead">Regionens vårdvalssystem för primärvården.</p>
        {notice && !error && (
          <div className="alert info" role="status">
            <p>{notice}</p>
          </div>
        )}
        {oidcError && !error && (
          <div className="alert error" role="alert">
            <p className="alert-title">Inloggningen misslyckades</p>
            <p>{oidcError}</p>
          </div>
        )}
        {error && (
          <div className="alert error" role="alert" tabIndex={-1} ref={errorRef}>
            <p className="alert-title">{error.title}</p>
            {error.detail && <p>{error.detail}</p>}
          </div>
        )}
        <form className="form" onSubmit={submit} noValidate>
          <TextField
            label="Användarnamn"
            name="username"
            autoComplete="username"
            value={username}
            onChange={setUsername}
            required
          />
          <TextField
            label="Lösenord"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            required
          />
          <div>
            <button className="button" type="submit" disabled={busy}>
              {busy ? 'Loggar in …' : 'Logga in'}
            </button>
          </div>
        </form>
        {oidc && (
          <p className="oidc-login">
            <a className="button secondary" href={oidc.start}>
              {oidc.label}
            </a>
          </p>
        )}
      </div>
      <p className="demo-logins">
        Demoregionen har en inloggning per roll (skrivs ut i terminalen vid första starten), till exempel
        handläggaren <code>handlaggare</code>.
      </p>
    </main>
  );
}
