/**
 * The console's shell against a real hub in a real browser: served from the hub's origin under a
 * strict CSP, the development sign-in (present only in development), the pasted-token sign-in,
 * a session that ends when its token expires, and no request to any other origin.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { mintDevToken } from '../../src/auth/dev-token';
import { startTestHub, type TestHub } from '../support/hub';
import { launchBrowser, openConsole, screenshot, seriousViolations, signIn } from '../support/browser';

let hub: TestHub;
let apiOnly: TestHub;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  [hub, apiOnly, browser] = await Promise.all([
    startTestHub({ console: { devSignIn: true } }),
    startTestHub({ console: { devSignIn: false } }),
    launchBrowser(),
  ]);
  origin = new URL(hub.url).origin;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([hub?.stop(), apiOnly?.stop()]);
});

test('the console is served at / under a strict Content-Security-Policy', async () => {
  const res = await fetch(`${origin}/`, { headers: { accept: 'text/html' } });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('<div id="root">');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  // A deep link is the console too; an unknown path asked for as data is a JSON 404, never a page.
  expect((await fetch(`${origin}/alerts/xyz`, { headers: { accept: 'text/html' } })).status).toBe(200);
  const missing = await fetch(`${origin}/nothing-here.json`, { headers: { accept: 'application/json' } });
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({
    errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND', requestId: missing.headers.get('x-request-id') } }],
  });
});

test('a hub without a built console still serves the API, and says what to do for the page', async () => {
  const bare = await startTestHub({ console: { devSignIn: false, dir: fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-no-console-')) } });
  try {
    const page = await fetch(new URL('/', bare.url), { headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(await page.json()).toEqual({
      errors: [{ message: 'the web console is not built: run npm run build:console', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
    });
    expect((await bare.gql(mintDevToken({ agency: 'nl-customs', roles: ['viewer'] }), '{ me { subject } }')).data?.me.subject).toBe(
      'dev-nl-customs',
    );
  } finally {
    await bare.stop();
  }
});

test('development sign-in exists only in development, and checks what it signs', async () => {
  const settings = (await (await fetch(`${origin}/console/settings`)).json()) as any;
  expect(settings.devSignIn.agencies.map((a: { code: string }) => a.code)).toContain('nl-ect-terminal');
  expect(settings.purposes).toContain('CUSTOMS');

  const ask = (base: string, body: unknown) =>
    fetch(`${base}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const bad = await ask(origin, { agency: 'xx-nobody', roles: ['analyst'] });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as any).error).toMatch(/agency must be/);
  expect((await ask(origin, { agency: 'nl-customs', roles: ['admin'] })).status).toBe(400);
  const good = await ask(origin, { agency: 'nl-customs', roles: ['viewer'] });
  expect(good.status).toBe(200);
  const { token } = (await good.json()) as { token: string };
  const me = await hub.gql(token, '{ me { agency { code } roles } }');
  expect(me.data?.me).toEqual({ agency: { code: 'nl-customs' }, roles: ['viewer'] });

  const apiOrigin = new URL(apiOnly.url).origin;
  expect(((await (await fetch(`${apiOrigin}/console/settings`)).json()) as any).devSignIn).toBeNull();
  expect((await ask(apiOrigin, { agency: 'nl-customs', roles: ['viewer'] })).status).toBe(404);
});

test('a duty officer signs in, sees who they are, and nothing leaves the hub’s origin', async () => {
  const c = await openConsole(browser, origin);
  await c.page.goto(`${origin}/`);
  await c.page.getByLabel('Agency').waitFor();
  expect(await seriousViolations(c.page)).toEqual([]);
  await screenshot(c.page, 'sign-in');
  await signIn(c.page, origin, 'nl-coastguard', ['viewer'], 'MARITIME_SAFETY_SECURITY');
  await c.page.getByText('of Netherlands Coastguard (Kustwacht)').waitFor();
  await c.page.getByText('Purpose: Maritime safety and security').waitFor();
  expect(await seriousViolations(c.page)).toEqual([]);
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('sign-in and navigation work from the keyboard alone', async () => {
  const c = await openConsole(browser, origin);
  await c.page.goto(`${origin}/`);
  // Evaluated in the page (a string, so the test's Node types need no DOM library).
  const focused = () =>
    c.page.evaluate<string>(`(document.activeElement?.labels?.[0]?.textContent ?? document.activeElement?.textContent ?? '').trim()`);
  /** Presses Tab until the focused control is called `name`; fails after 15 presses. */
  const tabTo = async (name: string) => {
    for (let i = 0; i < 15; i++) {
      await c.page.keyboard.press('Tab');
      if ((await focused()) === name) return;
    }
    throw new Error(`Tab never reached "${name}"`);
  };
  await tabTo('Purpose of use');
  await tabTo('Agency');
  await c.page.keyboard.press('ArrowDown'); // the second demo agency
  await tabTo('Viewer');
  await c.page.keyboard.press('Space');
  await tabTo('Sign in as this agency');
  await c.page.keyboard.press('Enter');
  await c.page.getByText('of Netherlands Coastguard (Kustwacht)').waitFor();
  // The first Tab reaches the skip link, which moves focus to the page's content.
  await c.page.keyboard.press('Tab');
  expect(await focused()).toBe('Skip to content');
  await c.page.keyboard.press('Enter');
  expect(await c.page.evaluate<string>('document.activeElement?.id')).toBe('main');
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('a pasted token signs in; the session ends cleanly when it expires', async () => {
  const c = await openConsole(browser, origin);
  const token = mintDevToken({ agency: 'be-customs', roles: ['analyst'], ttlSeconds: 4 });
  await c.page.goto(`${origin}/`);
  await c.page.getByLabel('Access token').fill(token);
  await c.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await c.page.getByRole('button', { name: 'Sign out' }).waitFor();
  await c.page.getByText('Your session ended because its token expired').waitFor({ timeout: 10_000 });
  expect(await c.page.getByLabel('Access token').inputValue()).toBe('');
  expect(c.requests.some((u) => u.includes(token))).toBe(false);
  await c.context.close();
});

test('a refused token says why and stays on the sign-in page', async () => {
  const c = await openConsole(browser, origin);
  await c.page.goto(`${origin}/`);
  await c.page.getByLabel('Access token').fill('not-a-token');
  await c.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await c.page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();
  expect(await seriousViolations(c.page)).toEqual([]);
  await c.context.close();
});
