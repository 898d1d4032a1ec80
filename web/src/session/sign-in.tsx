/**
 * The sign-in page. Where issuers.yaml configures it: single sign-on through the identity
 * provider of the agency the user picks (oidc.ts). Always: an access token from the agency's own
 * identity provider, pasted. In
 * development only (the hub says so in /console/settings): a list of the demo agencies, for
 * which the hub signs a token itself with its development issuer.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { t, type MessageKey } from '../i18n';
import type { Credentials } from '../api/client';
import { startProviderSignIn, type SignInProvider } from './oidc';

export interface ConsoleSettings {
  purposes: string[];
  devSignIn: { agencies: { code: string; name: string; kind: string }[]; roles: string[] } | null;
  /** GraphiQL at /explorer: development only. */
  explorer: boolean;
  /** Per agency, the identity provider it signs in through (issuers.yaml `signIn`). */
  signIn: SignInProvider[];
}

export async function loadSettings(): Promise<ConsoleSettings> {
  const response = await fetch('/console/settings', { credentials: 'omit' });
  if (!response.ok) throw new Error(`the hub answered ${response.status}`);
  return (await response.json()) as ConsoleSettings;
}

async function devToken(agency: string, roles: string[]): Promise<string> {
  const response = await fetch('/dev/token', {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agency, roles }),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(body.error ?? `the hub answered ${response.status}`);
  return body.token;
}

export function SignIn(props: {
  settings: ConsoleSettings;
  notice?: MessageKey;
  /** Why the last sign-in through the identity provider failed. */
  failure?: string;
  onCredentials: (c: Credentials) => Promise<void>;
}) {
  const { settings } = props;
  const [error, setError] = useState<string | undefined>(props.failure && t('signIn.failed', { reason: props.failure }));
  const [busy, setBusy] = useState(false);
  const [purpose, setPurpose] = useState('');
  const purposeId = useId();

  async function attempt(make: () => Promise<string>) {
    setBusy(true);
    setError(undefined);
    try {
      await props.onCredentials({ token: await make(), purpose: purpose || undefined });
    } catch (e) {
      setError(t('signIn.failed', { reason: e instanceof Error ? e.message : String(e) }));
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>{t('signIn.title')}</h1>
      {props.notice && (
        <p className="notice" role="status">
          {t(props.notice)}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor={purposeId}>{t('signIn.purposeLabel')}</label>
        <select id={purposeId} value={purpose} onChange={(e) => setPurpose(e.target.value)}>
          <option value="">{t('signIn.purposeNone')}</option>
          {settings.purposes.map((p) => (
            <option key={p} value={p}>
              {t(`purpose.${p}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      {settings.signIn.length > 0 && (
        <ProviderSignIn
          providers={settings.signIn}
          busy={busy}
          onSubmit={(provider) => {
            setBusy(true);
            setError(undefined);
            startProviderSignIn(provider, purpose || undefined).catch((e: unknown) => {
              setError(t('signIn.failed', { reason: e instanceof Error ? e.message : String(e) }));
              setBusy(false);
            });
          }}
        />
      )}
      {settings.devSignIn && (
        <DevSignIn dev={settings.devSignIn} busy={busy} onSubmit={(agency, roles) => void attempt(() => devToken(agency, roles))} />
      )}
      <TokenSignIn busy={busy} onSubmit={(token) => void attempt(async () => token)} />
    </main>
  );
}

function ProviderSignIn(props: { providers: SignInProvider[]; busy: boolean; onSubmit: (provider: SignInProvider) => void }) {
  const [agency, setAgency] = useState(props.providers[0].agency);
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const provider = props.providers.find((p) => p.agency === agency);
    if (provider) props.onSubmit(provider);
  };
  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t('signIn.providerHeading')}</h2>
      <div className="field">
        <label htmlFor={id}>{t('signIn.providerAgency')}</label>
        <select id={id} value={agency} onChange={(e) => setAgency(e.target.value)} aria-describedby={`${id}-help`}>
          {props.providers.map((p) => (
            <option key={p.agency} value={p.agency}>
              {p.name}
            </option>
          ))}
        </select>
        <p id={`${id}-help`} className="help">
          {t('signIn.providerHelp')}
        </p>
      </div>
      <button type="submit" disabled={props.busy}>
        {t('signIn.providerSubmit')}
      </button>
    </form>
  );
}

function TokenSignIn(props: { busy: boolean; onSubmit: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [missing, setMissing] = useState(false);
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = token.trim();
    setMissing(!trimmed);
    if (trimmed) props.onSubmit(trimmed);
  };
  return (
    <form className="panel" onSubmit={submit} autoComplete="off">
      <h2>{t('signIn.tokenHeading')}</h2>
      <div className="field">
        <label htmlFor={id}>{t('signIn.tokenLabel')}</label>
        <textarea
          id={id}
          rows={3}
          value={token}
          spellCheck={false}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby={`${id}-help`}
        />
        <p id={`${id}-help`} className="help">
          {t('signIn.tokenHelp')}
        </p>
        {missing && <p className="error">{t('signIn.tokenRequired')}</p>}
      </div>
      <button type="submit" disabled={props.busy}>
        {t('signIn.submit')}
      </button>
    </form>
  );
}

function DevSignIn(props: {
  dev: NonNullable<ConsoleSettings['devSignIn']>;
  busy: boolean;
  onSubmit: (agency: string, roles: string[]) => void;
}) {
  const { dev } = props;
  const [agency, setAgency] = useState(dev.agencies[0]?.code ?? '');
  const [roles, setRoles] = useState<string[]>(['analyst']);
  const [noRoles, setNoRoles] = useState(false);
  const id = useId();
  useEffect(() => setNoRoles(false), [roles]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (roles.length === 0) return setNoRoles(true);
    props.onSubmit(agency, roles);
  };
  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t('signIn.devHeading')}</h2>
      <p className="help">{t('signIn.devHelp')}</p>
      <div className="field">
        <label htmlFor={`${id}-agency`}>{t('signIn.agencyLabel')}</label>
        <select id={`${id}-agency`} value={agency} onChange={(e) => setAgency(e.target.value)}>
          {dev.agencies.map((a) => (
            <option key={a.code} value={a.code}>
              {a.name} ({a.code})
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>{t('signIn.rolesLabel')}</legend>
        {dev.roles.map((r) => (
          <label key={r} className="check">
            <input
              type="checkbox"
              checked={roles.includes(r)}
              onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
            />
            {t(`role.${r}` as MessageKey)}
          </label>
        ))}
        {noRoles && <p className="error">{t('signIn.rolesRequired')}</p>}
      </fieldset>
      <button type="submit" disabled={props.busy}>
        {t('signIn.devSubmit')}
      </button>
    </form>
  );
}
