import { render } from 'preact';
import { ErrorBoundary, lazy, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useEffect } from 'preact/hooks';
import { whenSessionEnds } from './api.js';
import { Shell } from './components/Shell.js';
import { InboxPage } from './pages/InboxPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { loadSession, principal, sessionExpired } from './session.js';
import './styles.css';

// Pages an agent opens less often load on demand: the first load stays small (docs/decisions.md).
const StatisticsPage = lazy(() => import('./pages/StatisticsPage.js').then((m) => m.StatisticsPage));
const AgentsPage = lazy(() => import('./pages/AgentsPage.js').then((m) => m.AgentsPage));
const TokensPage = lazy(() => import('./pages/TokensPage.js').then((m) => m.TokensPage));
const SimulatorPage = lazy(() => import('./pages/SimulatorPage.js').then((m) => m.SimulatorPage));

function NotFound() {
  return (
    <main class="page-message">
      <h1>Página no encontrada</h1>
      <p>
        <a href="/conversaciones">Volver a las conversaciones</a>
      </p>
    </main>
  );
}

/** Signed out → the sign-in page, remembering where the agent was going. */
function Guarded() {
  const location = useLocation();
  const who = principal.value;
  useEffect(() => {
    if (who === null && location.path !== '/entrar') location.route(`/entrar?volver=${encodeURIComponent(location.url)}`, true);
  }, [who, location.url]);
  if (who === undefined) return <p class="page-message">Cargando…</p>;
  if (who === null) return <SignInPage />;
  return (
    <Shell>
      <Router>
        <Route path="/" component={InboxPage} />
        <Route path="/conversaciones/:numero?" component={InboxPage} />
        <Route path="/estadisticas" component={StatisticsPage} />
        <Route path="/admin/agentes" component={AgentsPage} />
        <Route path="/admin/tokens" component={TokensPage} />
        <Route path="/simulador" component={SimulatorPage} />
        <Route default component={NotFound} />
      </Router>
    </Shell>
  );
}

function App() {
  return (
    <LocationProvider>
      <ErrorBoundary>
        <Router>
          <Route path="/entrar" component={SignInPage} />
          <Route path="/*" component={Guarded} />
        </Router>
      </ErrorBoundary>
    </LocationProvider>
  );
}

whenSessionEnds(() => {
  if (principal.value) sessionExpired.value = true;
  principal.value = null;
});
void loadSession().catch(() => {
  principal.value = null;
});
render(<App />, document.getElementById('app') as HTMLElement);
