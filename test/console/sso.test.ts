/**
 * Single sign-on against a real hub and a local OpenID provider (test/support/oidc-provider-child.mjs,
 * oidc-provider on loopback): an officer of Dutch Customs picks the agency, signs in on the
 * provider's page, comes back signed in with the provider's access token (which the hub verifies
 * through the provider's discovery document and JWKS), has it renewed before it expires, and signs
 * out at the provider too. The console reaches the provider's origin for exactly the protocol's
 * steps, and nothing else leaves the hub's origin.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Browser } from 'playwright-core';
import { copyDemoPolicies, startTestHub, type TestHub } from '../support/hub';
import { launchBrowser, openConsole, screenshot, seriousViolations } from '../support/browser';

const CLIENT_ID = 'portcullis-console';
/** Short, so the journey sees a renewal: the console renews a quarter of the lifetime before expiry. */
const ACCESS_TOKEN_TTL_SECONDS = 12;

let provider: ChildProcessWithoutNullStreams;
let providerOrigin: string;
let hub: TestHub;
let browser: Browser;
let origin: string;
let policiesDir: string;
const loopbackBefore = process.env.JWKS_ALLOW_HTTP_LOOPBACK;

beforeAll(async () => {
  provider = spawn(process.execPath, [path.resolve(__dirname, '../support/oidc-provider-child.mjs')], { stdio: 'pipe' });
  const lines = readline.createInterface({ input: provider.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    provider.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code})`)));
  });
  providerOrigin = `http://127.0.0.1:${(JSON.parse(first) as { port: number }).port}`;

  // The provider's discovery document and keys are on plain HTTP on loopback: a test's switch.
  process.env.JWKS_ALLOW_HTTP_LOOPBACK = 'true';
  policiesDir = copyDemoPolicies();
  fs.appendFileSync(
    path.join(policiesDir, 'issuers.yaml'),
    [
      `  - iss: ${providerOrigin}`,
      '    algorithms: [RS256]',
      `    discovery: ${providerOrigin}/.well-known/openid-configuration`,
      '    agencies: [nl-customs]',
      '    signIn:',
      `      clientId: ${CLIENT_ID}`,
      '      scope: openid hub',
      '',
    ].join('\n'),
  );
  [hub, browser] = await Promise.all([startTestHub({ console: { devSignIn: false }, policiesDir }), launchBrowser()]);
  origin = new URL(hub.url).origin;
  provider.stdin.write(`${JSON.stringify({ hubOrigin: origin, clientId: CLIENT_ID, accessTokenTtl: ACCESS_TOKEN_TTL_SECONDS })}\n`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  provider?.kill();
  if (policiesDir) fs.rmSync(policiesDir, { recursive: true, force: true });
  if (loopbackBefore === undefined) delete process.env.JWKS_ALLOW_HTTP_LOOPBACK;
  else process.env.JWKS_ALLOW_HTTP_LOOPBACK = loopbackBefore;
});

test('the hub tells the console which provider each agency signs in through, and its CSP allows that provider only', async () => {
  const res = await fetch(`${origin}/console/settings`);
  const settings = (await res.json()) as { signIn: unknown[] };
  expect(settings.signIn).toEqual([
    {
      agency: 'nl-customs',
      name: 'Netherlands Customs (Douane)',
      issuer: providerOrigin,
      clientId: CLIENT_ID,
      discovery: `${providerOrigin}/.well-known/openid-configuration`,
      scope: 'openid hub',
    },
  ]);
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain(`connect-src 'self' ${providerOrigin};`);
  expect(csp).toContain(`form-action 'self' ${providerOrigin};`);
});

test('an officer signs in through the agency’s identity provider, is renewed before expiry, and signs out there too', async () => {
  const c = await openConsole(browser, origin);
  const sent: string[] = [];
  c.context.on('request', (r) => sent.push(`${r.method()} ${r.url()}`));
  /** The provider's answer to the console's token request of `grant` (playwright's wait, set before it happens). */
  const tokenAnswer = (grant: string) =>
    c.page
      .waitForResponse(
        (r) => r.url() === `${providerOrigin}/token` && new URLSearchParams(r.request().postData() ?? '').get('grant_type') === grant,
        { timeout: 60_000 },
      )
      .then(async (r) => ((await r.json()) as { access_token: string }).access_token);
  const signedIn = tokenAnswer('authorization_code');
  const renewal = tokenAnswer('refresh_token');

  await c.page.goto(`${origin}/`);
  await c.page.getByLabel('Your agency').selectOption('nl-customs');
  await c.page.getByLabel('Purpose of use').selectOption('CUSTOMS');
  expect(await seriousViolations(c.page)).toEqual([]);
  await screenshot(c.page, 'sso-sign-in');
  await c.page.getByRole('button', { name: 'Continue to your identity provider' }).click();

  // The provider's own page.
  await c.page.getByLabel('User name').fill('officer.visser');
  await c.page.getByLabel('Password').fill('any');
  await c.page.getByRole('button', { name: 'Sign in' }).click();

  // Back on the hub, signed in as the provider's person, for the agency the token names.
  await c.page.getByText('officer.visser of Netherlands Customs (Douane)').waitFor();
  await c.page.getByText('Purpose: Customs').waitFor();
  expect(new URL(c.page.url()).search).toBe(''); // the code is gone from the address bar
  const first = await signedIn;
  const expiry = JSON.parse(Buffer.from(first.split('.')[1], 'base64url').toString()) as { exp: number; agency: string };
  expect(expiry.agency).toBe('nl-customs');

  // Renewal with the refresh token before the first token expires; the API then carries the new one.
  const renewed = await renewal;
  expect(Date.now()).toBeLessThan(expiry.exp * 1000);
  expect(renewed).not.toBe(first);
  const withNewToken = c.page.waitForRequest((r) => r.url() === `${origin}/graphql` && r.headers().authorization === `Bearer ${renewed}`);
  await c.page.getByRole('link', { name: 'Agreements' }).click();
  await withNewToken;
  await c.page.getByRole('heading', { name: 'nl-customs--be-customs-narcotics' }).waitFor();
  await c.page.getByText('officer.visser of Netherlands Customs (Douane)').waitFor();

  // Sign-out ends the session here and at the provider.
  await c.page.getByRole('button', { name: 'Sign out' }).click();
  await c.page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await c.page.getByText('You are signed out.').waitFor();
  expect(new URL(c.page.url()).pathname).toBe('/');

  // Nothing of a token in any URL or in storage.
  for (const token of [first, renewed]) expect(sent.some((s) => s.includes(token))).toBe(false);
  const stored = await c.page.evaluate<string>('JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])');
  expect(stored).toBe('[[],[]]');

  // Exactly the protocol's steps left the hub's origin, all to the provider.
  const away = sent
    .filter((s) => !s.split(' ')[1].startsWith(`${origin}/`))
    .map((s) => {
      const [method, url] = s.split(' ');
      const u = new URL(url);
      expect(u.origin).toBe(providerOrigin);
      return `${method} ${u.pathname.replace(/\/(interaction|auth)\/[\w-]+/, '/$1/:uid')}`;
    });
  expect(away).toEqual([
    'GET /.well-known/openid-configuration', // the console discovers the provider
    'GET /auth', // and sends the browser there (code, PKCE S256, state, nonce)
    'GET /interaction/:uid', // the provider's sign-in page
    'POST /interaction/:uid/login',
    'GET /auth/:uid', // which sends the browser back to /signin/callback with the code
    'GET /.well-known/openid-configuration', // the callback's page discovers it again (nothing was stored but the PKCE state)
    'POST /token', // the code for tokens
    'POST /token', // the renewal with the refresh token
    'POST /token/revocation', // sign-out: the refresh token revoked
    'GET /session/end', // and the provider's sign-out page
    'POST /session/end/confirm', // which sends the browser back to /signin/signed-out
  ]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
}, 90_000);

test('a callback this tab did not start is refused, and says why', async () => {
  const c = await openConsole(browser, origin);
  await c.page.goto(`${origin}/signin/callback?code=forged&state=forged`);
  await c.page.getByText('Sign-in failed: this sign-in was not started in this tab, or was already finished').waitFor();
  expect(new URL(c.page.url()).search).toBe('');
  await c.page.getByRole('button', { name: 'Continue to your identity provider' }).waitFor();
  // Nothing was sent anywhere with the forged code: no request left the hub's origin.
  expect(c.offOrigin()).toEqual([]);
  await c.context.close();
});
