/**
 * SIGTERM with publishes in flight, through the hub's stop() (what main.ts runs on SIGTERM):
 * requests that arrive once the stop began get 503 with Retry-After; a publish that finishes
 * within the grace period answers success and is present once; a publish still running when it
 * ends answers an error and is absent for good; a retry with its key after a restart is
 * idempotent; subscribers get the finished publish, then close code 1001. And a publish whose
 * client hung up before its answer never commits.
 */
import type http from 'node:http';
import { Client } from 'pg';
import WebSocket from 'ws';
import { alertInput } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { tokenOf } from './support/stream';
import { Subscriber, titled } from './support/subscriber';
import { pollUntil } from './support/wait';

const GRACE_MS = 1_500;
const PUBLISH = `mutation($input: PublishAlertInput!, $key: String) { publishAlert(input: $input, idempotencyKey: $key) { id title } }`;
const analyst = tokenFor('nl-customs', ['analyst']);

type Outcome = { title: string; key: string; ok: boolean; id?: string; error?: string };

/** A publish over its own connection; a socket error or an error answer is a failure. */
async function publish(url: string, title: string, key: string): Promise<Outcome> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` },
      body: JSON.stringify({ query: PUBLISH, variables: { input: alertInput({ title }), key } }),
    });
    const body = (await res.json()) as { data?: { publishAlert?: { id: string } }; errors?: { extensions?: { code?: string } }[] };
    const id = body.data?.publishAlert?.id;
    return id ? { title, key, ok: true, id } : { title, key, ok: false, error: body.errors?.[0]?.extensions?.code ?? String(res.status) };
  } catch (err) {
    return { title, key, ok: false, error: String(err) };
  }
}

/** The status and Retry-After a WebSocket upgrade is refused with (or 101 when accepted). */
function upgrade(url: string): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url.replace('http', 'ws'), 'graphql-transport-ws');
    ws.on('unexpected-response', (_req, res: http.IncomingMessage) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
      ws.terminate();
    });
    ws.on('open', () => {
      resolve({ status: 101 });
      ws.terminate();
    });
    ws.on('error', () => resolve({ status: 0 }));
  });
}

describe('stopping with publishes in flight', () => {
  let hub: TestHub;
  let holder: Client;

  beforeAll(async () => {
    hub = await startTestHub({ shutdownGraceMs: GRACE_MS });
    // Test-only: an alert titled "hold:..." waits, inside its publishing transaction, for the
    // advisory lock its title names, which `holder` holds: a publish in flight for as long as the test wants.
    await hub.database.db.query(`
      CREATE FUNCTION hold_publish() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.title LIKE 'hold:%' THEN PERFORM pg_advisory_xact_lock(hashtext(NEW.title)); END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER hold_publish BEFORE INSERT ON vessel_alerts FOR EACH ROW EXECUTE FUNCTION hold_publish();
    `);
    holder = new Client({ connectionString: hub.database.url });
    await holder.connect();
  });

  afterAll(async () => {
    await holder?.end();
    await hub?.database.drop();
  });

  it('a publish whose client hangs up before the answer never commits, even once it could go on', async () => {
    const title = 'hold:abandoned';
    await holder.query('SELECT pg_advisory_lock(hashtext($1))', [title]);
    const abort = new AbortController();
    const abandoned = fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` },
      body: JSON.stringify({ query: PUBLISH, variables: { input: alertInput({ title }) } }),
      signal: abort.signal,
    }).catch((err: Error) => err.name);
    const waiters = () =>
      holder
        .query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)
        .then((r) => r.rows[0].n as number);
    expect(await pollUntil(waiters, (n) => n === 1)).toBe(1);
    abort.abort();
    expect(await abandoned).toBe('AbortError');
    // Now the publish may go on: its transaction takes the lock and ends, one way or the other.
    await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [title]);
    const heldByHub = () =>
      holder
        .query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()`)
        .then((r) => r.rows[0].n as number);
    expect(await pollUntil(heldByHub, (n) => n === 0)).toBe(0);
    const { rows } = await holder.query('SELECT count(*)::int AS n FROM vessel_alerts WHERE title = $1', [title]);
    expect(rows[0].n).toBe(0);
  });

  it('answers new requests 503, lets publishes finish within the grace period, and stops the rest without a write', async () => {
    const held = ['hold:finishes', 'hold:outlasts-1', 'hold:outlasts-2'];
    for (const title of held) await holder.query('SELECT pg_advisory_lock(hashtext($1))', [title]);
    // From the stream's start, so nothing published below can be missed while it subscribes.
    const subscriber = new Subscriber(hub, analyst, { after: await tokenOf(hub, '0') });
    const before = await publish(hub.url, 'before the stop', 'key-before');
    expect(before.ok).toBe(true);
    await subscriber.waitUntil(titled('before the stop'));

    const inFlight = held.map((title) => publish(hub.url, title, `key-${title}`));
    const waiting = () =>
      holder
        .query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)
        .then((r) => r.rows[0].n as number);
    expect(await pollUntil(waiting, (n) => n === held.length)).toBe(held.length);

    const stopped = hub.stop({ keepDatabase: true });

    const late = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` },
      body: JSON.stringify({ query: PUBLISH, variables: { input: alertInput({ title: 'after the stop began' }) } }),
    });
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe(String(Math.ceil(GRACE_MS / 1000)));
    expect(((await late.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('SHUTTING_DOWN');
    const health = await fetch(hub.url.replace('/graphql', '/health'));
    expect({ status: health.status, body: await health.json() }).toEqual({ status: 503, body: { status: 'stopping' } });
    expect(await upgrade(hub.url)).toEqual({ status: 503, retryAfter: String(Math.ceil(GRACE_MS / 1000)) });

    // One publish may go on within the grace period; the other two outlast it.
    await holder.query('SELECT pg_advisory_unlock(hashtext($1))', ['hold:finishes']);
    const outcomes = [before, ...(await Promise.all(inFlight))];
    expect(outcomes.map((o) => [o.title, o.ok])).toEqual([
      ['before the stop', true],
      ['hold:finishes', true],
      ['hold:outlasts-1', false],
      ['hold:outlasts-2', false],
    ]);
    expect(outcomes.filter((o) => !o.ok).map((o) => o.error)).toEqual(['SHUTTING_DOWN', 'SHUTTING_DOWN']);

    // Were the stopped publishes still running, they would go on now, while the hub stops its
    // other parts; the stop ends (its pool closed) only once every transaction of the hub has ended.
    await holder.query('SELECT pg_advisory_unlock_all()');

    // Subscribers got what committed, then were told the hub is going away.
    await subscriber.waitUntil(titled('hold:finishes'));
    expect(
      (
        await pollUntil(
          () => subscriber.closed,
          (c) => c !== undefined,
        )
      )?.code,
    ).toBe(1001);
    await stopped;
    const rows = await holder.query<{ title: string; n: number; events: number }>(
      `SELECT t.title, count(DISTINCT a.id)::int AS n, count(e.sequence)::int AS events
         FROM unnest($1::text[]) AS t(title)
         LEFT JOIN vessel_alerts a ON a.title = t.title
         LEFT JOIN alert_events e ON e.alert_id = a.id
        GROUP BY t.title`,
      [outcomes.map((o) => o.title)],
    );
    const found = Object.fromEntries(rows.rows.map((r) => [r.title, { n: r.n, events: r.events }]));
    for (const o of outcomes) expect([o.title, found[o.title]]).toEqual([o.title, o.ok ? { n: 1, events: 1 } : { n: 0, events: 0 }]);
    const late503 = await holder.query(`SELECT count(*)::int AS n FROM vessel_alerts WHERE title = 'after the stop began'`);
    expect(late503.rows[0].n).toBe(0);

    // After a restart, retrying every publish with its key: each is present exactly once.
    const again = await startTestHub({ database: hub.database });
    try {
      const retries = await Promise.all(outcomes.map((o) => publish(again.url, o.title, o.key)));
      for (const [i, r] of retries.entries()) {
        expect(r.ok).toBe(true);
        if (outcomes[i].ok) expect(r.id).toBe(outcomes[i].id);
      }
      const counts = await holder.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM unnest($1::text[]) AS t(title) JOIN vessel_alerts a ON a.title = t.title GROUP BY t.title',
        [outcomes.map((o) => o.title)],
      );
      expect(counts.rows.map((r) => r.n)).toEqual(outcomes.map(() => 1));
    } finally {
      await again.stop();
      await subscriber.close();
    }
  });
});
