/**
 * Time, pool share and rate limits of requests, against running hubs on real PostgreSQL: the
 * deadline cancels a statement that would outlive it; a heavy screening load leaves /readyz and
 * cheap queries answering; each agency's request rates hold across two hub instances.
 */
import { Client } from 'pg';
import { generateDataset } from '../bench/dataset';
import { withDeadline } from '../src/common/request-deadline';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { pollUntil } from './support/wait';

const nl = tokenFor('nl-customs');

/** What the hub's own connections are doing now. */
async function hubStatements(pg: Client, like: string): Promise<{ pid: number; state: string; wait_event_type: string | null }[]> {
  const { rows } = await pg.query(
    `SELECT pid, state, wait_event_type FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE $1`,
    [like],
  );
  return rows;
}

describe('the request deadline (REQUEST_TIMEOUT_MS)', () => {
  let hub: TestHub;
  let pg: Client;
  beforeAll(async () => {
    // The statement timeout far beyond the deadline: what stops a statement here is the deadline.
    hub = await startTestHub({ limits: { timeoutMs: 1000 }, statementTimeoutMs: 60_000 });
    pg = new Client({ connectionString: hub.database.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await hub.stop();
  });

  test('cancels a statement that outlives it, answers QUERY_TOO_COMPLEX (reason TIMEOUT) and leaks nothing', async () => {
    // Another session holds the table: the hub's statement waits on it for as long as it is allowed to.
    // (A session of its own: within a transaction pg_stat_activity would show one unchanging snapshot.)
    const locker = new Client({ connectionString: hub.database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE watchlists IN ACCESS EXCLUSIVE MODE');
    try {
      const started = Date.now();
      const answer = hub.gql(nl, '{ watchlists { totalCount } }');
      const waiting = await pollUntil(
        () => hubStatements(pg, '%watchlists%'),
        (rows) => rows.some((r) => r.wait_event_type === 'Lock'),
      );
      expect(waiting.length).toBeGreaterThan(0);
      const res = await answer;
      const elapsed = Date.now() - started;
      expect(res.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'TIMEOUT', requestId: expect.any(String) });
      expect(res.errors?.[0].message).toMatch(/longer than the hub allows \(REQUEST_TIMEOUT_MS\)/);
      expect(JSON.stringify(res)).not.toMatch(/statement timeout|canceling|SQL|select/i);
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(5000);
      // The lock is still held, yet the hub's statement is gone: PostgreSQL cancelled it.
      expect(await hubStatements(pg, '%watchlists%')).toEqual([]);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // And the hub serves on.
    expect((await hub.gql(nl, '{ watchlists { totalCount } }')).errors).toBeUndefined();
  });

  test('bounds the whole request, not each statement: the one running at the deadline is cancelled, later ones never reach the server', async () => {
    const db = hub.database.db; // the hub's pool: statement_timeout 60 s, far beyond the deadline
    await db.query('CREATE TABLE IF NOT EXISTS deadline_probe (n int)');
    const outcomes = await withDeadline(1000, async () => {
      const settle = (p: Promise<unknown>) =>
        p.then(
          () => 'ran',
          (e: { code?: string }) => `refused ${e.code}`,
        );
      // Each alone is well within the deadline; together they are not.
      const first = await settle(db.query('SELECT pg_sleep(0.6)'));
      const second = await settle(db.query('SELECT pg_sleep(0.6)'));
      const third = await settle(db.query('INSERT INTO deadline_probe VALUES (3)'));
      return [first, second, third];
    });
    expect(outcomes).toEqual(['ran', 'refused 57014', 'refused 57014']);
    expect(await hubStatements(pg, '%pg_sleep%')).toEqual([]);
    expect((await pg.query('SELECT count(*)::int AS n FROM deadline_probe')).rows[0].n).toBe(0);
    // Outside a request nothing is bounded but by the statement timeout.
    expect(await db.query('SELECT pg_sleep(0.01), 1 AS one').then((r: { one: number }[]) => r[0].one)).toBe(1);
  });
});

describe('a heavy screening load keeps to its share of the pool', () => {
  let hub: TestHub;
  let pg: Client;
  beforeAll(async () => {
    // The hub's pool has 5 connections here; screening may use 3 (SCREENING_MAX_CONNECTIONS).
    // The pool's statement timeout is raised for the data set's generation only (name keys and all).
    // 1,000 names in one operation (SCREENING_MAX_NAMES at its most): enough load to be measured under.
    hub = await startTestHub({
      limits: { screeningConnections: 3, screeningQueue: 40, screeningNames: 1000, maxCost: 1_000_000 },
      statementTimeoutMs: 120_000,
    });
    await generateDataset(hub.database.db, { vessels: 20_000, entries: 40_000 }, () => undefined);
    pg = new Client({ connectionString: hub.database.url });
    await pg.connect();
  }, 120_000);
  afterAll(async () => {
    await pg.end();
    await hub.stop();
  });

  test('/readyz and a cheap query answer within 1 s while 20 aliased fuzzy screenings run', async () => {
    // 20 aliases of 50 common names: 1,000 names, within this hub's per-operation limit.
    const words = ['OCEAN STAR', 'NORDIC SPIRIT', 'GOLDEN SUN', 'BALTIC QUEEN', 'SEA KING', 'ROYAL CAPE', 'BLUE LADY', 'GRAND PORT'];
    const vessels = Array.from({ length: 50 }, (_, i) => ({ name: `${words[i % words.length]} ${i % 10}` }));
    const aliases = Array.from({ length: 20 }, (_, i) => `s${i}: screenVessels(vessels: $v, minSimilarity: 0.3) { totalHits }`);
    // The name keys locked meanwhile: the screenings hold their connections, waiting, however fast
    // the machine answers them otherwise.
    const locker = new Client({ connectionString: hub.database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE name_keys IN ACCESS EXCLUSIVE MODE');
    const heavy = hub.gql(nl, `query($v: [VesselQueryInput!]!) { ${aliases.join(' ')} }`, { v: vessels });

    // In flight: the screening statements (name candidates, then hits) are running in PostgreSQL.
    const running = await pollUntil(
      () => hubStatements(pg, '%name_norm%'),
      (rows) => rows.length > 0,
    );
    expect(running.length).toBeGreaterThan(0);

    const t0 = Date.now();
    const ready = await fetch(hub.url.replace('/graphql', '/readyz'));
    const readyMs = Date.now() - t0;
    const t1 = Date.now();
    const cheap = await hub.gql(nl, '{ watchlists { totalCount } }');
    const cheapMs = Date.now() - t1;
    // Still in flight when both answered: the measure was taken under the load.
    const stillRunning = await hubStatements(pg, '%name_norm%');

    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', policies: 'ok', alertStream: 'ok' },
    });
    expect(readyMs).toBeLessThan(1000);
    expect(cheap.errors).toBeUndefined();
    expect(cheapMs).toBeLessThan(1000);
    expect(stillRunning.length).toBeGreaterThan(0);
    // Never more screening statements at once than its share.
    expect(stillRunning.length).toBeLessThanOrEqual(3);
    await locker.query('ROLLBACK');
    await locker.end();

    const res = await heavy;
    expect(res.errors).toBeUndefined();
    expect(Object.keys(res.data ?? {})).toHaveLength(20);
  }, 60_000);
});

describe('beyond its share and queue, screening by name is answered busy', () => {
  let hub: TestHub;
  let pg: Client;
  beforeAll(async () => {
    hub = await startTestHub({ limits: { screeningConnections: 1, screeningQueue: 0 } });
    pg = new Client({ connectionString: hub.database.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await hub.stop();
  });

  test('RATE_LIMITED with a one-second hint while the only slot is taken; look-ups by IMO still run', async () => {
    const byName = `query($n: String) { screenVessel(name: $n) { totalHits } }`;
    const locker = new Client({ connectionString: hub.database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE name_keys IN ACCESS EXCLUSIVE MODE'); // the first table a search by name reads
    let first;
    try {
      first = hub.gql(nl, byName, { n: 'OCEAN STAR' });
      // The first search holds the slot, waiting on the lock.
      const holding = await pollUntil(
        () => hubStatements(pg, '%name_keys%'),
        (rows) => rows.some((r) => r.wait_event_type === 'Lock'),
      );
      expect(holding.length).toBe(1);
      const second = await hub.gql(nl, byName, { n: 'NORDIC SPIRIT' });
      expect(second.errors?.[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1, requestId: expect.any(String) });
      expect(second.errors?.[0].message).toMatch(/Screening by name is at capacity/);
      const byImo = await hub.gql(nl, `{ screenVessel(imo: "9074729") { totalHits } }`);
      expect(byImo.errors).toBeUndefined();
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // Once the slot is free again, the first answers and the next is served.
    expect((await first).errors).toBeUndefined();
    expect((await hub.gql(nl, byName, { n: 'NORDIC SPIRIT' })).errors).toBeUndefined();
  });
});

describe('per-agency rate limits shared by two instances', () => {
  const limits = { reads: { max: 4, windowSeconds: 600 }, writes: { max: 2, windowSeconds: 600 } };
  let a: TestHub;
  let b: TestHub;
  beforeAll(async () => {
    a = await startTestHub({ limits });
    b = await startTestHub({ limits, database: a.database });
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  const post = (hub: TestHub, token: string, query: string, variables?: Record<string, unknown>) =>
    fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });

  test('reads: the fifth of four per window, on either instance, is RATE_LIMITED with a retry hint', async () => {
    const de = tokenFor('de-customs');
    for (const hub of [a, b, a, b]) expect((await hub.gql(de, '{ me { subject } }')).errors).toBeUndefined();
    for (const hub of [a, b]) {
      const res = await post(hub, de, '{ me { subject } }');
      expect(res.status).toBe(429);
      // One token comes back every 150 s (4 per 600 s).
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(140);
      expect(retryAfter).toBeLessThanOrEqual(150);
      const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      expect(body.errors[0].extensions).toEqual({
        code: 'RATE_LIMITED',
        retryAfterSeconds: retryAfter,
        requestId: res.headers.get('x-request-id'),
      });
      expect(body.errors[0].message).toMatch(/used its 4 queries per 600 seconds \(READ_RATE_LIMIT\)\. Try again in \d+ seconds/);
    }
    // Another agency has its own bucket.
    expect((await a.gql(tokenFor('fr-douane'), '{ me { subject } }')).errors).toBeUndefined();
  });

  test('writes have their own bucket', async () => {
    const be = tokenFor('be-customs');
    const create = `mutation($input: CreateWatchlistInput!) { createWatchlist(input: $input) { id } }`;
    const input = (name: string) => ({ input: { name, tlp: 'AMBER', jurisdiction: 'BE' } });
    // Reads spent first: writes are still there.
    for (const hub of [a, b, a, b]) await hub.gql(be, '{ me { subject } }');
    expect((await a.gql(be, '{ me { subject } }')).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect((await a.gql(be, create, input('one'))).errors).toBeUndefined();
    expect((await b.gql(be, create, input('two'))).errors).toBeUndefined();
    const third = await a.gql(be, create, input('three'));
    expect(third.status).toBe(429);
    expect(third.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(third.errors?.[0].message).toMatch(/2 mutations per 600 seconds \(WRITE_RATE_LIMIT\)/);
    // Refused means not done: two watchlists, not three.
    const rows: { n: number }[] = await a.database.db.query(
      `SELECT count(*)::int AS n FROM watchlists WHERE owner_agency = 'be-customs' AND name IN ('one', 'two', 'three')`,
    );
    expect(rows[0].n).toBe(2);
  });
});
