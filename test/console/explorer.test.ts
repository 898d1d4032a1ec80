/**
 * The API explorer (GraphiQL, bundled with the console) against a real hub: in development it
 * runs a query as the signed-in session, its token added by the console (never in a URL, the
 * headers editor or storage) and its purpose filled in; in production /explorer is a 404 and the
 * console does not offer it.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { mintDevToken } from '../../src/auth/dev-token';
import { startTestHub, type TestHub } from '../support/hub';
import { launchBrowser, openConsole, screenshot, seriousViolations, signIn } from '../support/browser';

let dev: TestHub;
let production: TestHub;
let browser: Browser;

beforeAll(async () => {
  [dev, production, browser] = await Promise.all([
    // As NODE_ENV=development runs the hub: dev sign-in, the explorer and introspection on.
    startTestHub({ console: { devSignIn: true, explorer: true }, transport: { introspection: true } }),
    startTestHub({ console: { devSignIn: false, explorer: false } }),
    launchBrowser(),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([dev?.stop(), production?.stop()]);
});

/** GraphiQL's structural findings (see the journey), only where they are inside GraphiQL. */
const GRAPHIQL_STRUCTURE = ['nested-interactive', 'scrollable-region-focusable'];

async function seriousViolationsBesideGraphiqlStructure(p: Page) {
  const found = await seriousViolations(p);
  const insideGraphiql = (selector: string) =>
    // Evaluated in the page (a string, so the test's Node types need no DOM library).
    p.evaluate<boolean>(`Boolean(document.querySelector(${JSON.stringify(selector)})?.closest('.graphiql-container'))`);
  const kept = [];
  for (const v of found) {
    if (!GRAPHIQL_STRUCTURE.includes(v.id)) {
      kept.push(v);
      continue;
    }
    const targets = [];
    for (const target of v.targets) if (!(await insideGraphiql(target))) targets.push(target);
    if (targets.length > 0) kept.push({ ...v, targets });
  }
  return kept;
}

const page = (hub: TestHub, path: string) => fetch(new URL(path, hub.url), { headers: { accept: 'text/html' } });

test('/explorer is the console in development and a 404 in production', async () => {
  expect((await page(dev, '/explorer')).status).toBe(200);
  expect(((await (await fetch(new URL('/console/settings', dev.url))).json()) as { explorer: boolean }).explorer).toBe(true);
  const refused = await page(production, '/explorer');
  expect(refused.status).toBe(404);
  expect(await refused.text()).not.toContain('<div id="root">');
  expect((await page(production, '/explorer/anything')).status).toBe(404);
  expect(((await (await fetch(new URL('/console/settings', production.url))).json()) as { explorer: boolean }).explorer).toBe(false);
  // The console itself is still there in production.
  expect((await page(production, '/agreements')).status).toBe(200);
});

test('the explorer runs a query with the session’s token and purpose, and keeps the token out of URLs and storage', async () => {
  const origin = new URL(dev.url).origin;
  const c = await openConsole(browser, origin);
  const issued = c.page.waitForResponse((r) => r.url() === `${origin}/dev/token`);
  await signIn(c.page, origin, 'nl-customs', ['analyst'], 'CUSTOMS');
  const { token } = (await (await issued).json()) as { token: string };

  // GraphiQL reads the schema by introspection (as the session too) before it runs anything.
  const introspected = c.page.waitForResponse(
    (r) => r.url() === `${origin}/graphql` && (r.request().postData() ?? '').includes('__schema'),
  );
  await c.page.getByRole('link', { name: 'API explorer' }).click();
  await c.page.getByRole('heading', { name: 'API explorer' }).waitFor();
  expect((await introspected).status()).toBe(200);
  await c.page.locator('.graphiql-query-editor .CodeMirror-line').first().waitFor();
  const run = c.page.locator('.graphiql-execute-button');
  const sent = c.page.waitForRequest((r: Request) => r.url() === `${origin}/graphql` && (r.postData() ?? '').includes('WhoAmI'));
  await run.click();
  const request = await sent;
  expect(await request.allHeaders()).toMatchObject({ authorization: `Bearer ${token}`, 'x-purpose-of-use': 'CUSTOMS' });
  const result = c.page.locator('.result-window');
  await result.getByText('"console-nl-customs"').waitFor();
  await result.getByText('"CUSTOMS"').waitFor();

  // The token is nowhere but in the requests' Authorization header: not in a URL, the page's text or storage.
  expect(c.requests.some((u) => u.includes(token))).toBe(false);
  expect(await c.page.content()).not.toContain(token);
  const stored = await c.page.evaluate<string>('JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])');
  expect(stored).not.toContain(token);
  expect(stored).not.toContain('graphiql');

  // GraphiQL's own structure has two findings the console cannot change from outside: a tab is a
  // list item holding its close button (nested-interactive), and CodeMirror's scroll area is not
  // itself focusable (its text box is). Everything else, GraphiQL included, is held to the rules.
  expect(await seriousViolationsBesideGraphiqlStructure(c.page)).toEqual([]);
  await screenshot(c.page, 'explorer');
  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
}, 60_000);

test('a console in production does not offer the explorer', async () => {
  const origin = new URL(production.url).origin;
  const c = await openConsole(browser, origin);
  await c.page.goto(`${origin}/`);
  await c.page.getByLabel('Access token').fill(mintDevToken({ agency: 'nl-customs', roles: ['analyst'] }));
  await c.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await c.page.getByRole('link', { name: 'Agreements' }).waitFor();
  expect(await c.page.getByRole('link', { name: 'API explorer' }).count()).toBe(0);
  await c.context.close();
});
