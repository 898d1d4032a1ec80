/**
 * testWebhook against a real hub and a real HTTP receiver on loopback: one signed POST marked
 * Portcullis-Test that verifies with the webhook's secret, the receiver's refusal reported with its
 * status, nothing queued as a delivery, and only the owning agency's analysts may send one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../src/webhook/signature';
import { startTestHub, tokenFor, type TestHub } from './support/hub';

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret webhook { id } } }`;
const TEST = `mutation($id: ID!) { testWebhook(id: $id) { delivered statusCode error deliveryId sentAt } }`;
const DELIVERIES = `query($id: ID!) { webhook(id: $id) { deliveries(first: 10) { totalCount } } }`;

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let hub: TestHub;
let server: http.Server;
let port = 0;
const received: Received[] = [];
const nl = tokenFor('nl-customs');

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(req.url === '/refuses' ? 503 : 204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
  hub = await startTestHub({ webhooks: { allowInsecureLoopback: true, timeoutMs: 2_000 } });
});

afterAll(async () => {
  await hub?.stop();
  server?.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function register(path: string): Promise<{ id: string; secret: string }> {
  const res = await hub.gql(nl, REGISTER, { input: { url: `http://127.0.0.1:${port}${path}` } });
  expect(res.errors).toBeUndefined();
  return { id: res.data!.registerWebhook.webhook.id, secret: res.data!.registerWebhook.secret };
}

test('a test delivery is one signed POST marked as a test, answered with the receiver status, and queues nothing', async () => {
  const { id, secret } = await register('/ok');
  const res = await hub.gql(nl, TEST, { id });
  expect(res.errors).toBeUndefined();
  const result = res.data!.testWebhook;
  expect(result).toMatchObject({ delivered: true, statusCode: 204, error: null });

  const got = received.filter((r) => r.path === '/ok');
  expect(got).toHaveLength(1);
  expect(got[0].headers['portcullis-test']).toBe('true');
  expect(got[0].headers['portcullis-webhook-id']).toBe(id);
  expect(got[0].headers['portcullis-delivery-id']).toBe(result.deliveryId);
  expect(verifyWebhookSignature(secret, String(got[0].headers['portcullis-signature']), got[0].body)).toMatchObject({ ok: true });
  expect(JSON.parse(got[0].body)).toMatchObject({ webhookId: id, deliveryId: result.deliveryId, test: true });

  const deliveries = await hub.gql(nl, DELIVERIES, { id });
  expect(deliveries.data!.webhook.deliveries.totalCount).toBe(0);
});

test("a receiver's refusal comes back with its status and a reason", async () => {
  const { id } = await register('/refuses');
  const res = await hub.gql(nl, TEST, { id });
  expect(res.errors).toBeUndefined();
  expect(res.data!.testWebhook).toMatchObject({ delivered: false, statusCode: 503 });
  expect(res.data!.testWebhook.error).toEqual(expect.any(String));
});

test('viewers, other agencies and deleted webhooks get no test delivery', async () => {
  const { id } = await register('/guarded');
  const viewer = await hub.gql(tokenFor('nl-customs', ['viewer']), TEST, { id });
  expect(viewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const other = await hub.gql(tokenFor('be-customs'), TEST, { id });
  expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect((await hub.gql(nl, 'mutation($id: ID!) { deleteWebhook(id: $id) { active } }', { id })).errors).toBeUndefined();
  const deleted = await hub.gql(nl, TEST, { id });
  expect(deleted.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  // The refused ones sent nothing: the only request on this path would be from one of them.
  const ok = await hub.gql(nl, TEST, { id: (await register('/guarded')).id });
  expect(ok.data!.testWebhook.delivered).toBe(true);
  expect(received.filter((r) => r.path === '/guarded')).toHaveLength(1);
});
