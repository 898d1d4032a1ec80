/**
 * The signed-in session: the token and purpose (in memory only, never in storage or a URL), the
 * principal the hub says they stand for, and the API bound to them. The session ends when the
 * token expires or the hub refuses it, and the sign-in page says why.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createApi, type Api, type Credentials } from '../api/client';
import { graphql } from '../gql';
import type { MeQuery } from '../gql/graphql';
import type { ProviderSession } from './oidc';
import { tokenExpiry } from './token';

const MeDocument = graphql(`
  query Me {
    me {
      subject
      roles
      purpose
      agency {
        code
        name
        kind
        country
        ports
      }
    }
  }
`);

export type Principal = MeQuery['me'];

export interface Session {
  credentials: Credentials;
  principal: Principal;
  api: Api;
  expiresAt?: Date;
  /** What screens keep for the rest of this session (see `sessionMemory`); gone when it ends. */
  memory: Map<string, unknown>;
  /** Signed in through the agency's identity provider: renewed before expiry, signed out there too. */
  provider?: ProviderSession;
  signOut(): void;
}

export type EndReason = 'expired' | 'signedOut' | 'refused';

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** True when the principal holds `role`; the hub decides access, this only hides what would be refused. */
export function hasRole(principal: Principal, role: 'viewer' | 'analyst' | 'auditor'): boolean {
  return principal.roles.includes(role);
}

/** Checks the credentials with the hub (`me`) and makes a session of them, or says why not. */
/**
 * State a screen keeps while the analyst moves between screens (a long screening, say): in this
 * session's memory, never in storage, so signing out or another sign-in starts empty.
 */
export function sessionMemory<T>(session: Session, key: string, create: () => T): T {
  if (!session.memory.has(key)) session.memory.set(key, create());
  return session.memory.get(key) as T;
}

export async function openSession(
  credentials: Credentials,
  onEnd: (reason: EndReason) => void,
  provider?: ProviderSession,
): Promise<Omit<Session, 'signOut'>> {
  const api = createApi(credentials, () => onEnd('refused'));
  const { data, errors } = await api.run(MeDocument, {});
  if (!data) throw new Error(errors[0]?.message ?? 'the hub did not accept the token');
  return { credentials, principal: data.me, api, expiresAt: tokenExpiry(credentials.token), memory: new Map(), provider };
}

export function SessionProvider(props: { session: Omit<Session, 'signOut'>; onEnd: (reason: EndReason) => void; children: ReactNode }) {
  const { session, onEnd } = props;
  const [expiresAt, setExpiresAt] = useState(session.expiresAt);
  const signOut = useCallback(() => {
    // Through the provider when signed in there: its sign-out page brings the browser back.
    if (session.provider)
      session.provider.signOut().then(
        (away) => away || onEnd('signedOut'),
        () => onEnd('signedOut'),
      );
    else onEnd('signedOut');
  }, [onEnd, session.provider]);
  useRenewal(session, expiresAt, setExpiresAt);
  useEnd(expiresAt, onEnd);
  const value = useMemo(() => ({ ...session, signOut }), [session, signOut]);
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

/** Renew this long before expiry at most: a minute, or a quarter of what is left when that is less. */
const RENEW_LEAD_MS = 60_000;

/**
 * A provider's session gets a new access token before the old one expires. The token is replaced
 * in the session's credentials, which the API and the live client read at each request and
 * connection, so screens carry on; a renewal that fails leaves the session to end at expiry.
 */
function useRenewal(session: Omit<Session, 'signOut'>, expiresAt: Date | undefined, renewed: (at: Date | undefined) => void) {
  useEffect(() => {
    const provider = session.provider;
    if (!provider || !expiresAt) return;
    const left = expiresAt.getTime() - Date.now();
    if (left <= 0 || left > 2 ** 31 - 1) return;
    let active = true;
    const timer = setTimeout(
      () => {
        provider.renew().then(
          (token) => {
            if (!active) return;
            session.credentials.token = token;
            renewed(tokenExpiry(token));
          },
          () => undefined,
        );
      },
      left - Math.min(RENEW_LEAD_MS, left / 4),
    );
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [session, expiresAt, renewed]);
}

/** Ends the session when the token expires (timers longer than about 24.8 days fire at once, so chained). */
function useEnd(expiresAt: Date | undefined, onEnd: (reason: EndReason) => void) {
  const [, tick] = useState(0);
  useEffect(() => {
    if (!expiresAt) return;
    const left = expiresAt.getTime() - Date.now();
    if (left <= 0) {
      onEnd('expired');
      return;
    }
    const timer = setTimeout(() => (left > 2 ** 31 - 1 ? tick((n) => n + 1) : onEnd('expired')), Math.min(left, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [expiresAt, onEnd]);
}
