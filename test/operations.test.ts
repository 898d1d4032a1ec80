/**
 * What an operations team runs the hub by, against the running hub over HTTP and WebSocket: the
 * request id end to end, the request log (and what it never holds), rate-limited authentication
 * failures, the metrics, the probes, and the answers given before GraphQL.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { loadConfig } from '../src/config';
import { alertInput, PUBLISH_ALERT } from './support/builders';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { Subscriber, titled } from './support/subscriber';
import { pollUntil, sleep } from './support/wait';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 };

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ captureLog: {}, authFailureLog: { max: 3, intervalMs: 2500 } });
}, 60_000);
afterAll(() => hub?.stop());

const base = () => hub.url.replace(/\/graphql$/, '');
const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** The request lines of request `requestId`. */
const linesOf = (requestId: string) => hub.log!.lines.filter((l) => l.requestId === requestId);

/** Waits for the line of request `requestId` (written when the answer is done). */
const lineOf = async (requestId: string, msg = 'request') => {
  const lines = await pollUntil(
    () => linesOf(requestId).filter((l) => l.msg === msg),
    (l) => l.length > 0,
    { timeoutMs: 3000 },
  );
  expect(lines).toHaveLength(1);
  return lines[0];
};

/** The close code a subscription attempt over WebSocket ends with (a refused token: 4401). */
async function subscriptionCloseCode(connectionParams?: Record<string, string>): Promise<number> {
  const client = createClient({ url: hub.url.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams });
  try {
    return await new Promise<number>((resolve) => {
      client.on('closed', (e) => resolve((e as { code: number }).code));
      client.subscribe(
        { query: 'subscription { vesselAlerts { sequence } }' },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    });
  } finally {
    await client.dispose();
  }
}

async function metricsText(url = hub.metricsUrl): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of the sample `name{labels}` (labels in the order prom-client writes them), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const prefix = wanted ? `${name}{${wanted}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

describe('the request id and the request log', () => {
  test("a caller's well-formed id is kept end to end: header, errors, log line, audit records", async () => {
    const token = tokenFor('nl-customs', ['analyst']);
    const requestId = 'ops-test.publish:0001';
    const sentinel = 'VARIABLE-SENTINEL-7f3a';
    const input = alertInput({ title: 'request id round trip', description: sentinel });
    const res = await post(
      JSON.stringify({
        query: `mutation OpsPublish($input: PublishAlertInput!) { publishAlert(input: $input) { id } }`,
        variables: { input },
      }),
      {
        authorization: `Bearer ${token}`,
        'x-request-id': requestId,
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const body = (await res.json()) as { data?: { publishAlert: { id: string } } };
    expect(body.data?.publishAlert.id).toBeDefined();

    const line = await lineOf(requestId);
    expect(line).toMatchObject({
      level: LEVEL.info,
      transport: 'http',
      method: 'POST',
      path: '/graphql',
      status: 200,
      agency: 'nl-customs',
      subject: 'dev-nl-customs',
      operationName: 'OpsPublish',
      operationType: 'mutation',
      outcome: 'ok',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.errorCodes).toBeUndefined();

    // The audit records of the write carry the same id.
    const audited = await pollUntil(
      () =>
        hub.database.db.query(
          `SELECT request_id FROM audit_inbox WHERE request_id = $1 UNION ALL SELECT request_id FROM audit_events WHERE request_id = $1`,
          [requestId],
        ),
      (rows: unknown[]) => rows.length > 0,
    );
    expect(audited.length).toBeGreaterThan(0);

    // Never the token, the variables or the free text in them.
    expect(hub.log!.raw).not.toContain(token);
    expect(hub.log!.raw).not.toContain(token.split('.')[2]);
    expect(hub.log!.raw).not.toContain(sentinel);
    expect(hub.log!.raw).not.toContain('secret source');
  });

  test('without an id, or with a malformed one, the hub makes one; errors carry it in extensions.requestId', async () => {
    const token = tokenFor('nl-customs', ['viewer']);
    for (const given of [undefined, 'has spaces in it', 'x'.repeat(129), 'quote"and\\back']) {
      const res = await post(JSON.stringify({ query: 'query OpsBroken { me { nope } }' }), {
        authorization: `Bearer ${token}`,
        ...(given === undefined ? {} : { 'x-request-id': given }),
      });
      const requestId = res.headers.get('x-request-id')!;
      expect(requestId).toMatch(UUID);
      const body = (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(body.errors[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', requestId });
      const line = await lineOf(requestId);
      expect(line).toMatchObject({ outcome: 'graphql_validation_failed', errorCodes: ['GRAPHQL_VALIDATION_FAILED'], agency: 'nl-customs' });
      if (given !== undefined) expect(hub.log!.raw).not.toContain(given);
    }
  });

  test('a live subscription has a line of its own when it ends, with its events', async () => {
    const analyst = tokenFor('nl-customs', ['analyst']);
    const sub = new Subscriber(
      hub,
      tokenFor('nl-customs', ['viewer']),
      {},
      { query: 'subscription OpsLive { vesselAlerts { alert { title } } }' },
    );
    await sub.ready();
    const res = await hub.gql(analyst, PUBLISH_ALERT, { input: alertInput({ title: 'ops live line' }) });
    expect(res.errors).toBeUndefined();
    expect(await sub.waitUntil(titled('ops live line'))).toEqual([{ alert: { title: 'ops live line' } }]);
    await sub.close();
    const lines = await pollUntil(
      () => hub.log!.find('operation', { operationName: 'OpsLive' }),
      (l) => l.length > 0,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: LEVEL.info,
      transport: 'ws',
      agency: 'nl-customs',
      subject: 'dev-nl-customs',
      operationType: 'subscription',
      outcome: 'ok',
      events: 1,
    });
    expect(lines[0].requestId).toMatch(UUID);
  });
});

describe('unexpected errors', () => {
  test('are answered "Internal server error" with the request id, and logged once at error with it', async () => {
    const viewer = tokenFor('nl-customs', ['viewer']);
    // A real fault: the table the query reads is not there.
    await hub.database.db.query('ALTER TABLE watchlists RENAME TO watchlists_away');
    let res;
    try {
      res = await post(JSON.stringify({ query: 'query OpsFault { watchlists { totalCount } }' }), {
        authorization: `Bearer ${viewer}`,
        'x-request-id': 'ops-fault-1',
      });
    } finally {
      await hub.database.db.query('ALTER TABLE watchlists_away RENAME TO watchlists');
    }
    const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'Internal server error',
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'ops-fault-1' },
      }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/watchlists_away|relation|SELECT/);
    const line = await lineOf('ops-fault-1');
    expect(line).toMatchObject({ level: LEVEL.info, outcome: 'internal_server_error', errorCodes: ['INTERNAL_SERVER_ERROR'] });
    const errors = linesOf('ops-fault-1').filter((l) => l.level >= LEVEL.error);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'unexpected error', requestId: 'ops-fault-1' });
  });
});

describe('authentication failures', () => {
  test('a 401 says WWW-Authenticate: Bearer, with error="invalid_token" when a token was refused', async () => {
    const none = await post(JSON.stringify({ query: '{ me { subject } }' }));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await post(JSON.stringify({ query: '{ me { subject } }' }), { authorization: 'Bearer not.a.token' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const body = (await bad.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', requestId: bad.headers.get('x-request-id') });
  });

  test('are logged at warn, at most so many per interval, then one summary line', async () => {
    // A fresh interval: the previous test's failures are behind it.
    await sleep(2600);
    const before = hub.log!.lines.length;
    // A token whose signature does not match (a character well inside the signature changed).
    const good = tokenFor('nl-customs');
    const at = good.length - 10;
    const badToken = good.slice(0, at) + (good[at] === 'A' ? 'B' : 'A') + good.slice(at + 1);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await post(JSON.stringify({ query: '{ me { subject } }' }), { authorization: `Bearer ${badToken}` });
      expect(res.status).toBe(401);
      ids.push(res.headers.get('x-request-id')!);
    }
    // And one over WebSocket, in the same interval: counted with them.
    expect(await subscriptionCloseCode({ authorization: `Bearer ${badToken}` })).toBe(4401);

    const summary = await pollUntil(
      () => hub.log!.lines.slice(before).filter((l) => l.suppressed !== undefined),
      (l) => l.length > 0,
      { timeoutMs: 4000 },
    );
    const failures = hub.log!.lines.slice(before).filter((l) => l.msg === 'authentication failed');
    expect(failures).toHaveLength(3);
    for (const f of failures) {
      expect(f).toMatchObject({ level: LEVEL.warn, transport: 'http', outcome: 'unauthenticated', reason: 'bad signature', status: 401 });
      expect(ids).toContain(f.requestId);
    }
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ level: LEVEL.warn, suppressed: 6, max: 3, intervalSeconds: 2.5 });
    expect(hub.log!.raw).not.toContain(badToken);
    expect(hub.log!.raw).not.toContain(badToken.split('.')[2]);
  });

  test('over WebSocket too, with the reason', async () => {
    await sleep(2600);
    const before = hub.log!.lines.length;
    expect(await subscriptionCloseCode()).toBe(4401);
    const lines = await pollUntil(
      () => hub.log!.lines.slice(before).filter((l) => l.msg === 'authentication failed'),
      (l) => l.length > 0,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: LEVEL.warn,
      transport: 'ws',
      outcome: 'unauthenticated',
      reason: 'a Bearer token is required',
    });
  });
});

describe('metrics', () => {
  test('/metrics shows the traffic, with no agency code or subject in any label', async () => {
    const viewer = tokenFor('be-customs', ['viewer']);
    const analyst = tokenFor('nl-customs', ['analyst']);
    const before = await metricsText();
    const okBefore = sample(before, 'portcullis_graphql_requests_total', { operation: 'OpsMe', outcome: 'ok' }) ?? 0;
    const deniedBefore = sample(before, 'portcullis_authz_denials_total', { reason: 'ACTION' }) ?? 0;
    const deliveredBefore = sample(before, 'portcullis_alert_deliveries_total') ?? 0;

    for (let i = 0; i < 3; i++) expect((await hub.gql(viewer, 'query OpsMe { me { subject } }')).errors).toBeUndefined();
    // A viewer may not publish: a denial of an action.
    const refused = await hub.gql(viewer, PUBLISH_ALERT, { input: alertInput({ port: 'BEANR' }) });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const sub = new Subscriber(hub, analyst);
    await sub.ready();
    const during = await metricsText();
    expect(sample(during, 'portcullis_live_subscriptions')).toBe(1);
    await hub.gql(analyst, PUBLISH_ALERT, { input: alertInput({ title: 'ops metrics' }) });
    await sub.waitUntil(titled('ops metrics'));

    const after = await metricsText();
    expect(sample(after, 'portcullis_graphql_requests_total', { operation: 'OpsMe', outcome: 'ok' })).toBe(okBefore + 3);
    expect(sample(after, 'portcullis_graphql_request_duration_seconds_count', { operation: 'OpsMe' })).toBeGreaterThanOrEqual(3);
    expect(sample(after, 'portcullis_graphql_requests_total', { operation: 'other', outcome: 'forbidden' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'portcullis_authz_denials_total', { reason: 'ACTION' })).toBeGreaterThan(deniedBefore);
    expect(sample(after, 'portcullis_alert_deliveries_total')).toBeGreaterThan(deliveredBefore);
    expect(sample(after, 'portcullis_webhook_deliveries_total', { outcome: 'delivered' })).toBe(0);
    for (const state of ['active', 'idle', 'waiting']) {
      expect(sample(after, 'portcullis_db_pool_connections', { state })).toBeGreaterThanOrEqual(0);
    }
    const open = ['active', 'idle'].map((state) => sample(after, 'portcullis_db_pool_connections', { state })!);
    expect(open[0] + open[1]).toBeGreaterThan(0);
    expect(sample(after, 'portcullis_audit_inbox_pending')).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(after, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    await sub.close();
    expect(sample(await metricsText(), 'portcullis_live_subscriptions')).toBe(0);

    // Every label value of every sample: none names an agency or a subject.
    const agencies = [...hub.policies.current.policy.agencies.keys()];
    const labelValues = [...after.matchAll(/(\w+)="([^"]*)"/g)].map((m) => m[2]);
    expect(labelValues.length).toBeGreaterThan(20);
    for (const value of labelValues) {
      for (const code of agencies) expect(value).not.toContain(code);
      expect(value).not.toMatch(/^dev-/);
    }
  });

  test('operation names are labels up to a bound; past it they are "other"', async () => {
    const viewer = tokenFor('nl-customs', ['viewer']);
    const long = `Ops${'L'.repeat(62)}`;
    expect((await hub.gql(viewer, `query ${long} { me { subject } }`)).errors).toBeUndefined();
    for (let i = 0; i < 110; i++) await hub.gql(viewer, `query OpsFlood${i} { me { subject } }`);
    const text = await metricsText();
    const operations = new Set([...text.matchAll(/^portcullis_graphql_requests_total\{operation="([^"]*)"/gm)].map((m) => m[1]));
    expect(operations.size).toBeLessThanOrEqual(101);
    expect(operations.has('other')).toBe(true);
    expect(operations.has('OpsFlood109')).toBe(false);
    expect(operations.has(long)).toBe(false);
  });

  test('METRICS_PORT: /metrics on a listener of its own, and not on the public one; webhook outcomes counted', async () => {
    // A receiver that fails the first attempt and takes the retry.
    let attempts = 0;
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(++attempts === 1 ? 500 : 200).end('ok'));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    const other = await startTestHub({
      metricsPort: 0,
      webhooks: { allowInsecureLoopback: true, retryBaseMs: 100, retryMaxMs: 400, maxAttempts: 3, pollMs: 40, timeoutMs: 2_000 },
    });
    try {
      const analyst = tokenFor('nl-customs', ['analyst']);
      const registered = await other.gql(
        analyst,
        `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id } } }`,
        { input: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` } },
      );
      expect(registered.errors).toBeUndefined();
      expect((await other.gql(analyst, PUBLISH_ALERT, { input: alertInput({ title: 'to the webhook' }) })).errors).toBeUndefined();
      const counted = await pollUntil(
        () => metricsText(other.metricsUrl),
        (text) => (sample(text, 'portcullis_webhook_deliveries_total', { outcome: 'delivered' }) ?? 0) >= 1,
      );
      expect(sample(counted, 'portcullis_webhook_deliveries_total', { outcome: 'failed' })).toBe(1);
      expect(sample(counted, 'portcullis_webhook_deliveries_total', { outcome: 'delivered' })).toBe(1);
      expect(sample(counted, 'portcullis_webhook_deliveries_total', { outcome: 'gave_up' })).toBe(0);

      expect(new URL(other.metricsUrl).port).not.toBe(new URL(other.url).port);
      expect(sample(await metricsText(other.metricsUrl), 'portcullis_live_subscriptions')).toBe(0);
      const pub = await fetch(other.url.replace(/\/graphql$/, '/metrics'));
      expect(pub.status).toBe(404);
      expect(((await pub.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('NOT_FOUND');
      const elsewhere = await fetch(other.metricsUrl.replace(/\/metrics$/, '/graphql'));
      expect(elsewhere.status).toBe(404);
    } finally {
      await other.stop();
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  }, 60_000);
});

describe('probes', () => {
  test('/healthz answers without the database; /readyz and /health list the checks', async () => {
    const healthz = await fetch(`${base()}/healthz`);
    expect(healthz.status).toBe(200);
    expect(await healthz.json()).toEqual({ status: 'ok' });
    expect(healthz.headers.get('x-request-id')).toMatch(UUID);
    const ready = { status: 'ready', checks: { database: 'ok', migrations: 'ok', policies: 'ok', alertStream: 'ok' } };
    for (const path of ['/readyz', '/health']) {
      const res = await fetch(`${base()}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(ready);
    }
  });

  test('/readyz is 503 naming alertStream while the stream is not listening, and ready again once it is', async () => {
    // The stream's LISTEN connection is cut by the server, as a restart of PostgreSQL would.
    const [{ n }] = await hub.database.db.query(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE application_name = 'portcullis-stream' AND datname = current_database()`,
    );
    expect(n).toBe(1);
    const down = await pollUntil(
      async () => {
        const res = await fetch(`${base()}/readyz`);
        return { status: res.status, body: (await res.json()) as Record<string, any> };
      },
      (r) => r.status === 503,
      { timeoutMs: 1000, intervalMs: 10 },
    );
    expect(down).toEqual({
      status: 503,
      body: { status: 'not ready', checks: { database: 'ok', migrations: 'ok', policies: 'ok', alertStream: 'failed' } },
    });
    const up = await pollUntil(
      async () => (await fetch(`${base()}/readyz`)).status,
      (s) => s === 200,
      { timeoutMs: 5000, intervalMs: 50 },
    );
    expect(up).toBe(200);
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
  });
});

describe('the alert stream reconnecting', () => {
  test('keeps trying until the database takes connections again, then /readyz is ready', async () => {
    const db = hub.database.db;
    const [{ name }] = await db.query('SELECT current_database() AS name');
    const readyz = async () => {
      const res = await fetch(`${base()}/readyz`);
      return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
    };
    // New connections to this database are refused (existing ones stay; said from another
    // database, as PostgreSQL asks), and the stream's is cut.
    const url = new URL(hub.database.url);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    try {
      await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'portcullis-stream' AND datname = current_database()`,
      );
      // The first attempt (after 1 s) fails; the stream stays down and says so.
      await sleep(1500);
      const down = await readyz();
      expect(down.status).toBe(503);
      expect(down.body.checks.alertStream).toBe('failed');
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    // The next attempt (2 s after the first) holds.
    const up = await pollUntil(readyz, (r) => r.status === 200, { timeoutMs: 6000, intervalMs: 100 });
    expect(up).toEqual({ status: 200, body: expect.objectContaining({ status: 'ready' }) });
    expect(up.body.checks.alertStream).toBe('ok');
  });
});

describe('answers before GraphQL', () => {
  const expectJsonError = async (res: Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).not.toMatch(/<html|<pre|\bat \w|node_modules|\/src\//i);
    const body = JSON.parse(text) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toEqual({ code, requestId: res.headers.get('x-request-id') });
    return body.errors[0].message;
  };

  test('a body that is not JSON: 400 BAD_REQUEST', async () => {
    expect(await expectJsonError(await post('{"query": '), 400, 'BAD_REQUEST')).toBe('the request body is not valid JSON');
  });

  test('a body over MAX_BODY_BYTES: 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await post(JSON.stringify({ query: '{ me { subject } }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }), {
      authorization: `Bearer ${tokenFor('nl-customs')}`,
    });
    expect(await expectJsonError(res, 413, 'PAYLOAD_TOO_LARGE')).toMatch(/larger than 2097152 bytes.*MAX_BODY_BYTES.*npm run import/);
    const line = await lineOf(res.headers.get('x-request-id')!);
    expect(line).toMatchObject({ status: 413, outcome: 'payload_too_large', errorCodes: ['PAYLOAD_TOO_LARGE'] });
  });

  test("Apollo's own refusals carry the request id too", async () => {
    const res = await post(JSON.stringify({ variables: {} }), { authorization: `Bearer ${tokenFor('nl-customs')}` });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST', requestId: res.headers.get('x-request-id') });
  });

  test('an unknown path: 404 NOT_FOUND, whatever the method', async () => {
    await expectJsonError(await fetch(`${base()}/nope/../etc/passwd`), 404, 'NOT_FOUND');
    await expectJsonError(await fetch(`${base()}/admin`, { method: 'POST', body: '{}' }), 404, 'NOT_FOUND');
  });
});

describe('settings', () => {
  const withEnv = <T>(env: Record<string, string>, fn: () => T): T => {
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      return fn();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };

  test('MAX_BODY_BYTES sets the body limit; MAX_REQUEST_BYTES still works; the two differing is refused', () => {
    expect(withEnv({ MAX_BODY_BYTES: '4096' }, () => loadConfig().transport.maxRequestBytes)).toBe(4096);
    expect(withEnv({ MAX_REQUEST_BYTES: '8192' }, () => loadConfig().transport.maxRequestBytes)).toBe(8192);
    expect(withEnv({ MAX_BODY_BYTES: '4096', MAX_REQUEST_BYTES: '4096' }, () => loadConfig().transport.maxRequestBytes)).toBe(4096);
    expect(() => withEnv({ MAX_BODY_BYTES: '4096', MAX_REQUEST_BYTES: '8192' }, () => loadConfig())).toThrow(
      /MAX_BODY_BYTES \(4096\) and its older name MAX_REQUEST_BYTES \(8192\) differ/,
    );
    expect(withEnv({ METRICS_PORT: '9464' }, () => loadConfig().metricsPort)).toBe(9464);
    expect(loadConfig().metricsPort).toBeUndefined();
  });
});
