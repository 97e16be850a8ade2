import { useCallback, useEffect, useState, type ComponentType } from 'react';
import { api, setCsrfToken, setUnauthorizedHandler, type Me } from './api';
import { orgNr, ROLE } from './format';
import { Link, match, navigate, useLocation, type ParamsOf } from './router';
import { can, SessionContext, type CAN } from './session';
import { PageHeader } from './components/ui';
import { ApplicationNewPage } from './pages/ApplicationNew';
import { ApplicationPage, ApplicationsPage } from './pages/Applications';
import { AuditPage } from './pages/Audit';
import { ComparePage } from './pages/Compare';
import { FollowUpPage } from './pages/FollowUp';
import { ImportPage } from './pages/Import';
import { ListingPage } from './pages/Listing';
import { LoginPage } from './pages/Login';
import { OverviewPage } from './pages/Overview';
import { RulebookEditPage } from './pages/RulebookEdit';
import { ProceduresPage } from './pages/Procurement';
import { ContractPage } from './pages/contract/ContractPage';
import { NssNewPage } from './pages/nss/NssNewPage';
import { NssProcedurePage } from './pages/nss/NssProcedurePage';
import { TenderNewPage } from './pages/nss/TenderNewPage';
import { RulebookDiffPage } from './pages/RulebookDiff';
import { RulebookPage } from './pages/Rulebook';
import { RulebooksPage } from './pages/Rulebooks';
import { RunPage } from './pages/Run';
import { RunsPage } from './pages/Runs';
import { SanctionPage, SanctionsPage } from './pages/Sanctions';
import { SimulationPage } from './pages/Simulation';
import { StatementPage } from './pages/Statement';
import { UnitPage } from './pages/Unit';
import { UnitsPage } from './pages/Units';
import { UsersPage } from './pages/Users';

type Params = Record<string, string>;
interface Route {
  pattern: string;
  page: ComponentType<{ params: Params }>;
  needs: keyof typeof CAN;
  /** Shown in the navigation, under this section's name. */
  nav?: string;
  /** The navigation item that is current on this page. */
  section: string;
}

/**
 * The page at `pattern` (its parameters typed from the pattern), for roles that can `needs`; named
 * `nav` in the menu; the menu item current on it is `section`, by default the pattern's first part.
 */
function route<P extends string>(
  pattern: P,
  page: ComponentType<{ params: ParamsOf<P> }>,
  needs: keyof typeof CAN,
  nav?: string,
  section = `/${pattern.split('/')[1] ?? ''}`,
): Route {
  // match() gives every parameter the pattern names, so the page gets the params it declares.
  return { pattern, page: page as ComponentType<{ params: Params }>, needs, nav, section };
}

const ROUTES: Route[] = [
  route('/', OverviewPage, 'readRuns', 'Översikt'),
  route('/enheter', UnitsPage, 'readRegistry', 'Vårdenheter'),
  route('/enheter/:unitId', UnitPage, 'readRegistry'),
  route('/utbetalningar', RunsPage, 'readRuns', 'Utbetalningar'),
  route('/utbetalningar/:runId', RunPage, 'readRuns'),
  route('/utbetalningar/:runId/enheter/:unitId', StatementPage, 'readRuns'),
  route('/regelbocker', RulebooksPage, 'readRulebooks', 'Regelböcker'),
  route('/regelbocker/jamfor', RulebookDiffPage, 'readRulebooks'),
  route('/regelbocker/ny', RulebookEditPage, 'changeRulebooks'),
  route('/regelbocker/:id/redigera', RulebookEditPage, 'changeRulebooks'),
  route('/regelbocker/:id', RulebookPage, 'readRulebooks'),
  route('/simulering', SimulationPage, 'readRulebooks', 'Simulering'),
  route('/jamforelse', ComparePage, 'readComparison', 'Jämförelse'),
  route('/uppfoljning', FollowUpPage, 'readFollowUp', 'Uppföljning'),
  route('/sanktioner', SanctionsPage, 'readSanctions', 'Sanktioner'),
  route('/sanktioner/:id', SanctionPage, 'readSanctions'),
  route('/listning', ListingPage, 'readRegistry', 'Listning'),
  route('/ansokningar', ApplicationsPage, 'apply', 'Ansökningar'),
  route('/ansokningar/ny', ApplicationNewPage, 'apply'),
  route('/ansokningar/:id', ApplicationPage, 'apply'),
  route('/upphandling', ProceduresPage, 'readRegistry', 'Upphandling'),
  route('/upphandling/ny', NssNewPage, 'decideProcurement'),
  route('/upphandling/:id', NssProcedurePage, 'readRegistry'),
  route('/upphandling/:id/anbud', TenderNewPage, 'apply'),
  route('/avtal/:id', ContractPage, 'readRegistry', undefined, '/upphandling'),
  route('/import', ImportPage, 'changeRuns', 'Import'),
  route('/granskning', AuditPage, 'readAudit', 'Granskningslogg'),
  route('/anvandare', UsersPage, 'manageUsers', 'Användare'),
];

function resolveRoute(path: string): { route: Route; params: Params } | undefined {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params) return { route, params };
  }
  return undefined;
}

/** The first page a role may see. */
function homeOf(me: Me): string {
  return ROUTES.find((r) => r.nav && can(me.role, r.needs))?.pattern ?? '/';
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  // On a phone the menu folds away again once a page is chosen.
  useEffect(() => setMenuOpen(false), [location.path]);

  useEffect(() => {
    api<Me>('/api/session').then(
      (m) => {
        setCsrfToken(m.csrf_token);
        setMe(m);
      },
      () => setMe(null),
    );
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(undefined);
      setNotice('Din session har gått ut. Logga in igen.');
      setMe(null);
    });
    return () => setUnauthorizedHandler(undefined);
  }, []);

  const logout = useCallback(() => {
    api('/api/session', { method: 'DELETE' }).finally(() => {
      setCsrfToken(undefined);
      setNotice('Du är utloggad.');
      setMe(null);
      navigate('/');
    });
  }, []);

  if (me === undefined)
    return (
      <main id="main">
        <p className="loading" role="status">
          Startar Vårdval …
        </p>
      </main>
    );

  if (me === null)
    return (
      <LoginPage
        notice={notice}
        onLogin={(m) => {
          setCsrfToken(m.csrf_token);
          setNotice(undefined);
          setMe(m);
          const resolved = resolveRoute(location.path);
          if (!resolved || !can(m.role, resolved.route.needs)) navigate(homeOf(m), { replace: true });
        }}
      />
    );

  let resolved = resolveRoute(location.path);
  if (resolved && location.path === '/' && !can(me.role, resolved.route.needs)) {
    // The auditor's start page is the audit log.
    resolved = resolveRoute(homeOf(me));
  }
  const nav = ROUTES.filter((r) => r.nav && can(me.role, r.needs));
  const section = resolved?.route.section;

  return (
    <SessionContext.Provider value={{ me, logout }}>
      <a className="skip-link" href="#main">
        Hoppa till innehållet
      </a>
      <header className="app-header">
        <Link className="brand" href={homeOf(me)}>
          <svg width="24" height="24" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="6" fill="#fff" />
            <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#0d2b45" />
          </svg>
          Vårdval <small>Region Exempel</small>
        </Link>
        <div className="user">
          <span>
            <span className="visually-hidden">Inloggad som </span>
            <strong>{me.username}</strong> ({ROLE[me.role] ?? me.role}
            {me.provider_id ? `, org.nr ${orgNr(me.provider_id)}` : ''})
          </span>
          <button type="button" className="button small" onClick={logout}>
            Logga ut
          </button>
        </div>
      </header>
      <div className="layout">
        <nav className={`sidenav${menuOpen ? ' open' : ''}`} aria-label="Huvudmeny">
          <button
            type="button"
            className="menu-toggle button secondary small"
            aria-expanded={menuOpen}
            aria-controls="main-menu"
            onClick={() => setMenuOpen((o) => !o)}
          >
            Meny
          </button>
          <ul id="main-menu">
            {nav.map((r) => (
              <li key={r.pattern}>
                <Link href={r.pattern} aria-current={section === r.section ? 'page' : undefined}>
                  {r.nav}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {!resolved ? (
            <NotFound />
          ) : !can(me.role, resolved.route.needs) ? (
            <Forbidden />
          ) : (
            <resolved.route.page key={location.path} params={resolved.params} />
          )}
        </main>
      </div>
    </SessionContext.Provider>
  );
}

function NotFound() {
  return (
    <>
      <PageHeader title="Sidan finns inte" />
      <p>Adressen leder inte till någon sida i Vårdval.</p>
      <p>
        <Link href="/">Till startsidan</Link>
      </p>
    </>
  );
}

function Forbidden() {
  return (
    <>
      <PageHeader title="Behörighet saknas" />
      <p>Din roll har inte tillgång till den här sidan. Menyn visar det du kan använda.</p>
    </>
  );
}
