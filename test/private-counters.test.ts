/**
 * Issue 10, item 8: the alert stream's position, which counts every agency's events, reaches
 * clients only as an opaque token (src/alert/stream-position.ts): equal for the same event, no
 * order and no count in it, still accepted by `after` to resume. (Report references per agency:
 * test/reports.test.ts; webhook positions and delivery sequences: test/webhooks.test.ts.)
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { publishAlert, updateAlertStatus } from './support/builders';
import { expectError } from './support/expect';
import { startTestHub, tokenFor, type GraphQLResponse, type TestHub } from './support/hub';
import { positionOf } from './support/stream';
import { Subscriber, titled } from './support/subscriber';

let hub: TestHub;
const NL = tokenFor('nl-customs');
const DE = tokenFor('de-customs');
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(() => hub.stop());

/** The errors the hub answers a vesselAlerts subscription from `after` with (the first message it sends). */
async function subscribeErrors(after: string): Promise<NonNullable<GraphQLResponse['errors']>> {
  const client = createClient({
    url: hub.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${NL}` },
  });
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe(
        { query: 'subscription($after: String) { vesselAlerts(after: $after) { sequence } }', variables: { after } },
        {
          next: (r) => (r.errors ? resolve(r.errors as never) : reject(new Error('an event instead of an error'))),
          error: (e) => (Array.isArray(e) ? resolve(e as never) : reject(e as Error)),
          complete: () => reject(new Error('completed without an error')),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

test("an agency's sequences say nothing of the events of others in between", async () => {
  const a = await publishAlert(hub, NL, { title: 'nl before' });
  // Three events nl-customs never sees: de-customs' RED alerts with no recipients.
  for (let i = 0; i < 3; i++) await publishAlert(hub, DE, { tlp: 'RED', jurisdiction: 'DE', port: 'DEHAM', title: `de hidden ${i}` });
  const b = await publishAlert(hub, NL, { title: 'nl after' });
  for (const s of [a.sequence, b.sequence]) {
    expect(s).toMatch(TOKEN);
    expect(s).not.toMatch(/^\d+$/);
  }
  // Behind the tokens the stream did count de-customs' events: the token is what hides them.
  expect((await positionOf(hub, b.sequence)) - (await positionOf(hub, a.sequence))).toBe(4n);

  // One event, one token: the alert and the publish answer agree, so clients deduplicate as before.
  const read = await hub.gql(NL, 'query($id: ID!) { alert(id: $id) { sequence } }', { id: b.id });
  expect(read.data!.alert.sequence).toBe(b.sequence);
  const changed = await updateAlertStatus(hub, NL, b.id, 'ACKNOWLEDGED');
  expect(changed.sequence).toMatch(TOKEN);
  expect(changed.sequence).not.toBe(b.sequence);
});

test('`after` takes a token and resumes from it; a number or a made-up token is refused', async () => {
  const first = await publishAlert(hub, NL, { title: 'resume 1' });
  await publishAlert(hub, NL, { title: 'resume 2' });
  await publishAlert(hub, NL, { title: 'resume marker' });
  const resumed = new Subscriber(hub, NL, { after: first.sequence });
  const events = await resumed.waitUntil(titled('resume marker'));
  expect(events.map((e) => e.alert?.title)).toEqual(['resume 2', 'resume marker']);
  for (const e of events) expect(e.sequence).toMatch(TOKEN);
  await resumed.close();

  // One character changed (in the middle, where every bit counts), and one of another spelling of the same bytes.
  const flip = (c: string) => (c === 'A' ? 'B' : 'A');
  const tampered = first.sequence.slice(0, 10) + flip(first.sequence[10]) + first.sequence.slice(11);
  const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const respelled = first.sequence.slice(0, 21) + B64URL[B64URL.indexOf(first.sequence[21]) ^ 1];
  expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(first.sequence, 'base64url'));
  for (const after of ['5', tampered, respelled, 'not a token', first.sequence + 'A']) {
    const errors = await subscribeErrors(after);
    expectError({ status: 200, errors }, 'BAD_USER_INPUT', /^after must be a sequence given by the hub/);
  }
});
