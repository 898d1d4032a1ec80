/**
 * The console: sign-in until there is a session, then the screens of the agency's people. Each
 * screen is a client of the public GraphQL API and nothing else; the hub decides what it shows.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import type { Credentials } from './api/client';
import { t, type MessageKey } from './i18n';
import { Layout } from './layout/layout';
import { SessionProvider, openSession, type EndReason, type Session } from './session/session';
import { SignIn, loadSettings, type ConsoleSettings } from './session/sign-in';
import { CALLBACK_PATH, SIGNED_OUT_PATH, completeProviderSignIn, type ProviderSession } from './session/oidc';
import { AlertBoard } from './alerts/board';
import { AlertDetail } from './alerts/detail';
import { Screening } from './screening/screening';
import { ReportForm } from './reports/report-form';
import { OurReports } from './reports/our-reports';
import { ReportDetail } from './reports/report-detail';
import { EntryDetail } from './entries/entry';
import { Watchlists } from './watchlists/watchlists';
import { WatchlistPage } from './watchlists/watchlist';
import { TriageQueue } from './triage/queue';
import { TriageReport } from './triage/triage-report';
import { Sightings } from './sightings/sightings';
import { Webhooks } from './webhooks/webhooks';
import { Agreements } from './agreements/agreements';
import { AuditView } from './audit/audit';

/** GraphiQL is large and for development only: its own chunk, loaded when /explorer is opened. */
const Explorer = lazy(() => import('./explorer/explorer'));

/** wouter hands a path segment over as it stands in the URL, still percent-encoded (ids hold ':'). */
function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const END_NOTICE: Record<EndReason, MessageKey> = { expired: 'signIn.expired', refused: 'signIn.refused', signedOut: 'signIn.signedOut' };

export function App() {
  const [settings, setSettings] = useState<ConsoleSettings>();
  const [settingsError, setSettingsError] = useState<string>();
  const [session, setSession] = useState<Omit<Session, 'signOut'>>();
  const [notice, setNotice] = useState<MessageKey>();
  const [providerFailure, setProviderFailure] = useState<string>();
  const [completing, setCompleting] = useState(() => location.pathname === CALLBACK_PATH);
  const callbackTaken = useRef(false); // the code is single-use: once, even where effects run twice

  useEffect(() => {
    loadSettings().then(setSettings, (e: unknown) => setSettingsError(e instanceof Error ? e.message : String(e)));
  }, []);

  const end = useCallback((reason: EndReason) => {
    setSession(undefined);
    setNotice(END_NOTICE[reason]);
  }, []);

  const signIn = useCallback(
    async (credentials: Credentials, provider?: ProviderSession) => {
      setSession(await openSession(credentials, end, provider));
      setNotice(undefined);
    },
    [end],
  );

  // Back from the identity provider: finish signing in (session/oidc.ts), or say that sign-out is done there too.
  useEffect(() => {
    if (location.pathname === SIGNED_OUT_PATH) {
      history.replaceState(null, '', '/');
      setNotice('signIn.signedOut');
    }
    if (location.pathname !== CALLBACK_PATH || callbackTaken.current) return;
    callbackTaken.current = true;
    completeProviderSignIn()
      .then(({ credentials, provider }) => {
        history.replaceState(null, '', '/'); // the code leaves the address bar
        return signIn(credentials, provider);
      })
      .catch((e: unknown) => {
        history.replaceState(null, '', '/');
        setProviderFailure(e instanceof Error ? e.message : String(e));
      })
      .finally(() => setCompleting(false));
  }, [signIn]);

  if (settingsError)
    return (
      <main id="main">
        <p role="alert" className="error">
          {t('common.error', { reason: settingsError })}
        </p>
      </main>
    );
  if (!settings || completing) return <p role="status">{t(completing ? 'signIn.completing' : 'common.loading')}</p>;
  if (!session) return <SignIn settings={settings} notice={notice} failure={providerFailure} onCredentials={signIn} />;
  return (
    <SessionProvider session={session} onEnd={end}>
      <Layout explorer={settings.explorer}>
        <Switch>
          <Route path="/alerts" component={AlertBoard} />
          <Route path="/alerts/:id">{(params) => <AlertDetail id={segment(params.id)} />}</Route>
          <Route path="/screening" component={Screening} />
          <Route path="/report" component={ReportForm} />
          <Route path="/reports" component={OurReports} />
          <Route path="/reports/:id">{(params) => <ReportDetail id={segment(params.id)} />}</Route>
          <Route path="/entries/:id">{(params) => <EntryDetail id={segment(params.id)} />}</Route>
          <Route path="/watchlists" component={Watchlists} />
          <Route path="/watchlists/:id">{(params) => <WatchlistPage id={segment(params.id)} />}</Route>
          <Route path="/triage" component={TriageQueue} />
          <Route path="/triage/:id">{(params) => <TriageReport id={segment(params.id)} />}</Route>
          <Route path="/sightings" component={Sightings} />
          <Route path="/webhooks" component={Webhooks} />
          <Route path="/agreements" component={Agreements} />
          <Route path="/audit" component={AuditView} />
          {settings.explorer && (
            <Route path="/explorer">
              <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
                <Explorer />
              </Suspense>
            </Route>
          )}
          <Route>
            <Redirect to={session.principal.agency.kind === 'PRIVATE_OPERATOR' ? '/report' : '/alerts'} replace />
          </Route>
        </Switch>
      </Layout>
    </SessionProvider>
  );
}
