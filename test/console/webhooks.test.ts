/**
 * The webhook screen against a real hub, a real browser and a real HTTP receiver on loopback (the
 * hub allows http:// to loopback, as with WEBHOOK_ALLOW_INSECURE_LOOPBACK=true): an analyst
 * registers a webhook and reads its secret once, sends a test delivery that the receiver verifies
 * with that secret, rotates the secret, sees a real delivery and a failing receiver's failures,
 * and deletes the webhook.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { verifyWebhookSignature } from '../../src/webhook/signature';
import { publishAlert } from '../support/builders';
import { startTestHub, tokenFor, type TestHub } from '../support/hub';
import { launchBrowser, openConsole, screenshot, seriousViolations, signIn, type ConsolePage } from '../support/browser';
import { pollUntil } from '../support/wait';

jest.setTimeout(90_000);

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let hub: TestHub;
let browser: Browser;
let origin: string;
let receiver: http.Server;
let base = '';
const received: Received[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(req.url === '/broken' ? 500 : 204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  [hub, browser] = await Promise.all([
    startTestHub({
      console: { devSignIn: true },
      webhooks: { allowInsecureLoopback: true, maxAttempts: 1, retryBaseMs: 50, retryMaxMs: 50, pollMs: 40, timeoutMs: 2_000 },
    }),
    launchBrowser(),
  ]);
  origin = new URL(hub.url).origin;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  receiver?.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const on = (path: string) => received.filter((r) => r.path === path);
const signatureOf = (r: Received) => String(r.headers['portcullis-signature']);

async function register(c: ConsolePage, path: string, description: string): Promise<string> {
  const page = c.page;
  await page.getByText('Register a webhook').click();
  await page.getByLabel('Receiver URL').fill(`${base}${path}`);
  await page.getByLabel('Description').fill(description);
  await page.getByRole('button', { name: 'Register', exact: true }).click();
  const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole('button', { name: 'I have stored it' }).click();
  return secret;
}

/** Leaves the screen and comes back: the screen loads the webhooks and deliveries afresh. */
async function reopen(c: ConsolePage): Promise<void> {
  await c.page.getByRole('link', { name: 'Watchlists' }).click();
  await c.page.getByRole('heading', { name: 'Watchlists', level: 1 }).waitFor();
  await c.page.getByRole('link', { name: 'Webhooks' }).click();
  await c.page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
}

test('an analyst registers, tests, rotates and deletes a webhook, and sees its deliveries and failures', async () => {
  const c = await openConsole(browser, origin);
  c.page.setDefaultTimeout(20_000);
  const page = c.page;
  await signIn(page, origin, 'nl-customs', ['analyst'], 'CUSTOMS');
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
  await page.getByText('No webhooks yet.').waitFor();

  const secret = await register(c, '/soc', 'SOC intake');
  const card = page.locator(`article[data-webhook="${base}/soc"]`);
  await card.waitFor();
  await card.getByText('No deliveries yet.').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'webhooks');

  // A test delivery reaches the receiver, signed with the secret shown once.
  expect(on('/soc')).toHaveLength(0);
  await card.getByRole('button', { name: 'Send a test delivery' }).click();
  await card.getByRole('status').filter({ hasText: 'Test delivery received: the receiver answered HTTP 204.' }).waitFor();
  expect(on('/soc')).toHaveLength(1);
  const test1 = on('/soc')[0];
  expect(test1.headers['portcullis-test']).toBe('true');
  expect(verifyWebhookSignature(secret, signatureOf(test1), test1.body)).toMatchObject({ ok: true });

  // Rotating shows a new secret; the next delivery is signed with it (and, for a day, with the old one).
  await card.getByLabel('Old secret still signs for').selectOption('86400');
  await card.getByRole('button', { name: 'Rotate the secret' }).click();
  await page.getByRole('heading', { name: `Signing secret for ${base}/soc` }).waitFor();
  const rotated = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(secret);
  await page.getByRole('button', { name: 'I have stored it' }).click();
  await card.getByRole('button', { name: 'Send a test delivery' }).click();
  await card.getByRole('status').filter({ hasText: 'Test delivery received' }).waitFor();
  const test2 = on('/soc')[1];
  expect(verifyWebhookSignature(rotated, signatureOf(test2), test2.body)).toMatchObject({ ok: true });
  expect(verifyWebhookSignature(secret, signatureOf(test2), test2.body)).toMatchObject({ ok: true });

  // A receiver that fails: its failures show, and only they with the failures filter.
  await register(c, '/broken', 'Broken receiver');
  const broken = page.locator(`article[data-webhook="${base}/broken"]`);
  await broken.getByRole('button', { name: 'Send a test delivery' }).click();
  await broken.getByRole('alert').filter({ hasText: 'Test delivery failed (HTTP 500)' }).waitFor();

  // A real alert event: delivered to the first, given up by the second (one attempt in this hub).
  const alert = await publishAlert(hub, tokenFor('nl-customs'), { title: `Webhook journey ${Date.now()}` });
  await pollUntil(
    () => Promise.resolve(on('/soc').filter((r) => r.body.includes(alert.id))),
    (got) => got.length === 1,
    { timeoutMs: 15_000, intervalMs: 50 },
  );
  await pollUntil(
    async () =>
      (await hub.gql(tokenFor('nl-customs'), '{ webhooks { edges { node { url deliveries(status: [GAVE_UP]) { totalCount } } } } }')).data!,
    (d) =>
      d.webhooks.edges.some(
        (e: { node: { url: string; deliveries: { totalCount: number } } }) =>
          e.node.url.endsWith('/broken') && e.node.deliveries.totalCount === 1,
      ),
    { timeoutMs: 15_000, intervalMs: 100 },
  );
  await reopen(c);
  await card.getByRole('table', { name: 'Recent deliveries (1 of 1)' }).getByText('Delivered').waitFor();
  await broken.getByRole('table', { name: 'Recent deliveries (1 of 1)' }).getByText('Gave up').waitFor();
  await page.getByLabel('Show only failed deliveries').check();
  await broken
    .getByRole('table', { name: 'Failed deliveries (1 of 1)' })
    .getByText(/HTTP 500/)
    .waitFor();
  await card.getByText('No failed deliveries.').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'webhooks-deliveries');

  // Deleting stops it for good; its history stays.
  await card.getByRole('button', { name: 'Delete' }).click();
  await card.getByRole('button', { name: 'Yes, delete' }).click();
  await card.getByText(/^Stopped: deleted by /).waitFor();
  expect(await card.getByRole('button', { name: 'Send a test delivery' }).count()).toBe(0);
  const state = await hub.gql(tokenFor('nl-customs'), '{ webhooks { edges { node { url active } } } }');
  expect(state.data!.webhooks.edges.find((e: { node: { url: string } }) => e.node.url.endsWith('/soc')).node.active).toBe(false);

  expect(c.offOrigin()).toEqual([]);
  expect(c.cspViolations()).toEqual([]);
  await c.context.close();
});

test('a viewer has no webhooks screen and the hub refuses the list', async () => {
  const c = await openConsole(browser, origin);
  c.page.setDefaultTimeout(20_000);
  await signIn(c.page, origin, 'nl-customs', ['viewer'], 'CUSTOMS');
  await c.page.getByRole('heading', { name: 'Alert board' }).waitFor();
  expect(await c.page.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
  const refused = await hub.gql(tokenFor('nl-customs', ['viewer']), '{ webhooks { totalCount } }');
  expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(c.offOrigin()).toEqual([]);
  await c.context.close();
});
