/**
 * Single sign-on through an agency's identity provider: OpenID Connect authorization code with
 * PKCE (oauth4webapi), the console being a public client. The hub says which provider serves
 * which agency (/console/settings `signIn`, from policies/issuers.yaml) and its CSP lets the
 * console reach those providers' origins and no other.
 *
 * The round trip leaves the page, so what the callback needs to finish (the PKCE verifier, state,
 * nonce and the choices made) waits in sessionStorage, and only until the callback reads it: no
 * token is ever stored. The access and refresh tokens live in memory (the returned
 * ProviderSession), so reloading the page signs out, as with a pasted token. The authorization
 * code is in the callback's URL, as the protocol has it: single-use, bound to the PKCE verifier,
 * and removed from the address bar at once.
 */
import * as oauth from 'oauth4webapi';
import type { Credentials } from '../api/client';

export interface SignInProvider {
  agency: string;
  name: string;
  issuer: string;
  clientId: string;
  discovery: string;
  scope: string;
}

/** The provider side of a signed-in session: renewal before expiry, and sign-out. */
export interface ProviderSession {
  /** A fresh access token from the refresh token; rejects when the provider gave none or refuses. */
  renew(): Promise<string>;
  /** Revokes the refresh token and goes to the provider's sign-out; false when it has none (sign out here only). */
  signOut(): Promise<boolean>;
}

const PENDING_KEY = 'portcullis.signIn';
export const CALLBACK_PATH = '/signin/callback';
export const SIGNED_OUT_PATH = '/signin/signed-out';

interface Pending {
  provider: SignInProvider;
  purpose?: string;
  verifier: string;
  state: string;
  nonce: string;
}

/** Plain HTTP is for a provider on loopback in tests: the hub accepts such a URL only with JWKS_ALLOW_HTTP_LOOPBACK. */
const httpOptions = (url: string) => (new URL(url).protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {});

async function discover(provider: SignInProvider): Promise<oauth.AuthorizationServer> {
  const response = await fetch(provider.discovery, { credentials: 'omit', redirect: 'error' });
  const as = await oauth.processDiscoveryResponse(new URL(provider.issuer), response);
  // The hub's CSP lets the console reach the discovery document's origin only.
  const origin = new URL(provider.discovery).origin;
  for (const endpoint of [as.token_endpoint, as.authorization_endpoint]) {
    if (!endpoint || new URL(endpoint).origin !== origin) {
      throw new Error(`the identity provider's endpoints must be on ${origin}, the origin of its discovery document`);
    }
  }
  return as;
}

/** Goes to the provider's sign-in page; the browser comes back to CALLBACK_PATH. */
export async function startProviderSignIn(provider: SignInProvider, purpose: string | undefined): Promise<void> {
  const as = await discover(provider);
  const pending: Pending = {
    provider,
    purpose,
    verifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
  };
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: provider.clientId,
    redirect_uri: `${location.origin}${CALLBACK_PATH}`,
    response_type: 'code',
    scope: provider.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  }).toString();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(url);
}

/** Finishes the sign-in at CALLBACK_PATH: checks the answer, trades the code for tokens, forgets the pending state. */
export async function completeProviderSignIn(): Promise<{ credentials: Credentials; provider: ProviderSession }> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!raw) throw new Error('this sign-in was not started in this tab, or was already finished');
  const pending = JSON.parse(raw) as Pending;
  const as = await discover(pending.provider);
  const client: oauth.Client = { client_id: pending.provider.clientId };
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    `${location.origin}${CALLBACK_PATH}`,
    pending.verifier,
    httpOptions(as.token_endpoint!),
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  return { credentials: { token: tokens.access_token, purpose: pending.purpose }, provider: providerSession(as, client, tokens) };
}

function providerSession(as: oauth.AuthorizationServer, client: oauth.Client, first: oauth.TokenEndpointResponse): ProviderSession {
  let refreshToken = first.refresh_token;
  return {
    async renew() {
      if (!refreshToken) throw new Error('the identity provider gave no refresh token');
      const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, httpOptions(as.token_endpoint!));
      const tokens = await oauth.processRefreshTokenResponse(as, client, response);
      refreshToken = tokens.refresh_token ?? refreshToken; // a provider may rotate it
      return tokens.access_token;
    },
    async signOut() {
      if (refreshToken && as.revocation_endpoint) {
        // Best effort: the provider's own sign-out ends the grant too.
        await oauth
          .revocationRequest(as, client, oauth.None(), refreshToken, {
            ...httpOptions(as.revocation_endpoint),
            signal: AbortSignal.timeout(3000),
          })
          .then(oauth.processRevocationResponse)
          .catch(() => undefined);
      }
      refreshToken = undefined;
      if (!as.end_session_endpoint) return false;
      // client_id rather than id_token_hint: no token of any kind goes into a URL.
      const url = new URL(as.end_session_endpoint);
      url.search = new URLSearchParams({
        client_id: client.client_id,
        post_logout_redirect_uri: `${location.origin}${SIGNED_OUT_PATH}`,
      }).toString();
      location.assign(url);
      return true;
    },
  };
}
