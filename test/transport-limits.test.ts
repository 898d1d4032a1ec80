/**
 * Bounded input on both transports, against real hubs: message and body size, the parser's token
 * limit, subscriptions per socket, sockets per principal, messages per second, token lifetimes
 * (and expiry timers past setTimeout's 24.8 days), introspection and suggestions outside
 * development, and the codes of a subscription over HTTP and of aborted validation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { mintDevToken } from '../src/auth/dev-token';
import { DEFAULT_TRANSPORT_LIMITS, loadConfig } from '../src/config';
import { CLOSE_TOO_MANY_MESSAGES, CLOSE_TOO_MANY_SOCKETS } from '../src/server/websocket';
import { publishAlert } from './support/builders';
import { copyDemoPolicies, startTestHub, tokenFor, type TestHub } from './support/hub';
import { Subscriber, titled } from './support/subscriber';
import { pollUntil } from './support/wait';

const nl = tokenFor('nl-customs');
const DAY = 86_400;
const ALERT_TITLES = `subscription { vesselAlerts { alert { title } } }`;

type Frame = { type: string; id?: string; payload?: any };

/** A bare graphql-transport-ws socket, for frames a well-behaved client never sends. */
class RawSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly ws: WebSocket;
  private readonly opened: Promise<void>;

  constructor(hub: TestHub) {
    this.ws = new WebSocket(hub.url.replace('http', 'ws'), 'graphql-transport-ws');
    this.ws.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Frame));
    this.ws.on('error', () => undefined); // the close code is what the tests look at
    this.opened = new Promise((resolve) => this.ws.once('open', () => resolve()));
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  /** Opens and initialises as `token`; true once acknowledged, false if the hub closed it instead. */
  async init(token: string): Promise<boolean> {
    await this.opened;
    this.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    const acked = pollUntil(
      () => this.frames.some((f) => f.type === 'connection_ack'),
      (ok) => ok,
    );
    return Promise.race([acked, this.closed.then(() => false)]);
  }

  send(frame: Frame | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close(1000);
    return this.closed;
  }
}

/** A graphql-ws client, connected at once, whose subscriptions record what they receive. */
function liveClient(hub: TestHub, token: string): Client {
  return createClient({
    url: hub.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: { authorization: `Bearer ${token}` },
  });
}

function record(client: Client, query = ALERT_TITLES) {
  const got: { titles: string[]; errors?: any[]; done: boolean } = { titles: [], done: false };
  const stop = client.subscribe<{ vesselAlerts: { alert: { title: string } | null } }>(
    { query },
    {
      next: (r) => r.data && got.titles.push(r.data.vesselAlerts.alert?.title ?? ''),
      error: (e) => {
        got.errors = Array.isArray(e) ? e : [e];
        got.done = true;
      },
      complete: () => (got.done = true),
    },
  );
  return { got, stop };
}

/** The errors of one operation sent over WebSocket (a refused one ends with errors, never with data). */
async function wsErrors(hub: TestHub, token: string, query: string): Promise<any[]> {
  const client = liveClient(hub, token);
  const { got } = record(client, query);
  await pollUntil(
    () => got.done,
    (done) => done,
  );
  await client.dispose();
  return got.errors ?? [];
}

// ---------------------------------------------------------------------------------------------
describe('a hub with the default limits', () => {
  let hub: TestHub;
  let policiesDir: string;
  beforeAll(async () => {
    // The development issuer allows 30-day tokens here; the default is 24 hours.
    policiesDir = copyDemoPolicies();
    const issuers = path.join(policiesDir, 'issuers.yaml');
    fs.writeFileSync(
      issuers,
      fs.readFileSync(issuers, 'utf8').replace('    algorithms: [RS256]\n', '    algorithms: [RS256]\n    maxTokenLifetime: 30d\n'),
    );
    hub = await startTestHub({ policiesDir });
  });
  afterAll(async () => {
    await hub.stop();
    fs.rmSync(policiesDir, { recursive: true, force: true });
  });

  test('a WebSocket message over MAX_REQUEST_BYTES closes that socket with 1009; others keep their answers and events', async () => {
    const bystander = new Subscriber(hub, tokenFor('nl-coastguard', ['viewer']), {}, { query: ALERT_TITLES });
    await bystander.ready();
    const attacker = new RawSocket(hub);
    expect(await attacker.init(tokenFor('nl-ect-terminal', ['viewer']))).toBe(true);
    const huge = 'x'.repeat(DEFAULT_TRANSPORT_LIMITS.maxRequestBytes);
    attacker.send({ type: 'subscribe', id: '1', payload: { query: `subscription { vesselAlerts { sequence } } # ${huge}` } });
    expect((await attacker.closed).code).toBe(1009);

    const res = await fetch(hub.url.replace('/graphql', '/health'));
    expect(res.status).toBe(200);
    await publishAlert(hub, nl, { tlp: 'CLEAR', title: 'after the big message' });
    expect(await bystander.waitUntil(titled('after the big message'))).toEqual([{ alert: { title: 'after the big message' } }]);
    expect(bystander.closed).toBeUndefined();
    await bystander.close();
  });

  test('an HTTP body over MAX_BODY_BYTES is refused with 413 PAYLOAD_TOO_LARGE and a message saying so', async () => {
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${nl}` },
      body: JSON.stringify({ query: '{ me { subject } }', variables: { pad: 'x'.repeat(DEFAULT_TRANSPORT_LIMITS.maxRequestBytes) } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      errors: [
        {
          message: `the request body is larger than ${DEFAULT_TRANSPORT_LIMITS.maxRequestBytes} bytes, the limit (MAX_BODY_BYTES); import larger files with npm run import (README, Bulk import)`,
          extensions: { code: 'PAYLOAD_TOO_LARGE', requestId: res.headers.get('x-request-id') },
        },
      ],
    });
  });

  test('a body that is not JSON is BAD_REQUEST, with no stack trace', async () => {
    const res = await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: [
        { message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST', requestId: res.headers.get('x-request-id') } },
      ],
    });
  });

  test('the parser stops at GRAPHQL_MAX_TOKENS with QUERY_TOO_COMPLEX, on HTTP and on WebSocket', async () => {
    const limit = DEFAULT_TRANSPORT_LIMITS.maxTokens;
    // The parser stops at the token over the limit: nothing after it is read, nor validated.
    const overHttp = await hub.gql(nl, `{ me { ${'subject '.repeat(limit)}} }`);
    expect(overHttp.status).toBe(400);
    expect(overHttp.errors).toEqual([
      {
        message: `the operation has more than ${limit} tokens, the limit`,
        extensions: { code: 'QUERY_TOO_COMPLEX', requestId: expect.any(String) },
      },
    ]);
    const subscription = `subscription { vesselAlerts { ${'sequence '.repeat(limit)}} }`;
    expect(await wsErrors(hub, nl, subscription)).toEqual([
      {
        message: `the operation has more than ${limit} tokens, the limit`,
        extensions: { code: 'QUERY_TOO_COMPLEX', requestId: expect.any(String) },
      },
    ]);
  });

  test('a token living longer than its issuer allows is refused, on HTTP and on WebSocket', async () => {
    const tenYears = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], ttlSeconds: 3650 * DAY });
    const res = await hub.gql(tenYears, '{ me { subject } }');
    expect(res.status).toBe(401);
    expect(res.errors?.[0]).toMatchObject({
      message: "not authenticated: token lifetime exceeds the issuer's maximum of 30d",
      extensions: { code: 'UNAUTHENTICATED', requestId: expect.any(String) },
    });
    const socket = new RawSocket(hub);
    expect(await socket.init(tenYears)).toBe(false);
    expect(await socket.closed).toEqual({ code: 4401, reason: "not authenticated: token lifetime exceeds the issuer's maximum of 30d" });
  });

  test('a token valid for more than 24.8 days stays connected and receives events; a short one is closed at expiry', async () => {
    const longLived = mintDevToken({ agency: 'nl-coastguard', roles: ['viewer'], ttlSeconds: 25 * DAY, subject: 'long-lived' });
    const shortLived = mintDevToken({ agency: 'nl-coastguard', roles: ['viewer'], ttlSeconds: 2, subject: 'short-lived' });
    const long = new Subscriber(hub, longLived, {}, { query: ALERT_TITLES });
    const short = new Subscriber(hub, shortLived, {}, { query: ALERT_TITLES });
    await Promise.all([long.ready(), short.ready()]);
    await pollUntil(
      () => short.closed,
      (closed) => closed !== undefined,
      { timeoutMs: 8000 },
    );
    expect(short.closed).toEqual({ code: 4401, reason: 'token expired' });
    // Connected before the short token expired, and still there after: it receives what follows.
    await publishAlert(hub, nl, { tlp: 'CLEAR', title: 'for the long-lived token' });
    expect(await long.waitUntil(titled('for the long-lived token'))).toEqual([{ alert: { title: 'for the long-lived token' } }]);
    expect(long.closed).toBeUndefined();
    await long.close();
  });

  test('no introspection outside development, on HTTP and on WebSocket; _service stays for federation', async () => {
    const refused = (field: string) => ({
      message: `GraphQL introspection has been disabled, but the requested query contained the field "${field}".`,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
    });
    const overHttp = await hub.gql(nl, '{ __schema { queryType { name } } }');
    expect(overHttp.data).toBeUndefined();
    expect(overHttp.errors?.[0]).toMatchObject(refused('__schema'));
    const typeLookup = await hub.gql(nl, '{ __type(name: "VesselAlert") { name } }');
    expect(typeLookup.errors?.[0]).toMatchObject(refused('__type'));
    const overWs = await wsErrors(hub, nl, '{ __schema { queryType { name } } }');
    expect(overWs[0]).toMatchObject(refused('__schema'));
    const sdl = await hub.gql(nl, '{ _service { sdl } __typename }');
    expect(sdl.errors).toBeUndefined();
    expect(sdl.data?._service.sdl).toMatch(/type VesselAlert/);
  });

  test('no "Did you mean" suggestions outside development, on HTTP and on WebSocket', async () => {
    const overHttp = await hub.gql(nl, '{ me { subjec } }');
    expect(overHttp.errors).toEqual([
      expect.objectContaining({
        message: 'Cannot query field "subjec" on type "Principal".',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
      }),
    ]);
    const variable = await hub.gql(nl, 'query($s: [ReportStatus!]) { reports(filter: { status: $s }) { totalCount } }', { s: ['CLOSE'] });
    expect(variable.errors?.[0].message).toMatch(/"CLOSE" does not exist in "ReportStatus" enum\.$/);
    expect(await wsErrors(hub, nl, 'subscription { vesselAlerts { sequenc } }')).toEqual([
      expect.objectContaining({
        message: 'Cannot query field "sequenc" on type "AlertEvent".',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
      }),
    ]);
  });

  test('a subscription sent over HTTP is the client’s mistake: BAD_USER_INPUT naming WebSocket', async () => {
    const res = await hub.gql(nl, 'subscription { vesselAlerts { sequence } }');
    expect(res.status).toBe(400);
    expect(res.errors).toEqual([
      {
        message: 'subscriptions are served over WebSocket (graphql-transport-ws) at this same path, not over HTTP',
        extensions: { code: 'BAD_USER_INPUT', requestId: expect.any(String) },
      },
    ]);
  });

  test('validation that gives up after 100 errors is a validation failure on both transports, not an internal error', async () => {
    const fields = Array.from({ length: 101 }, (_, i) => `f${i}`).join(' ');
    const overHttp = await hub.gql(nl, `{ ${fields} }`);
    expect(overHttp.errors).toHaveLength(101);
    expect(overHttp.errors!.at(-1)).toEqual({
      message: 'Too many validation errors, error limit reached. Validation aborted.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: expect.any(String) },
    });
    const overWs = await wsErrors(hub, nl, `subscription { vesselAlerts { ${fields} } }`);
    expect(overWs).toHaveLength(101);
    expect(overWs.every((e) => e.extensions.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    expect(overWs.at(-1).message).toBe('Too many validation errors, error limit reached. Validation aborted.');
  });
});

// ---------------------------------------------------------------------------------------------
describe('a hub with tight WebSocket limits', () => {
  const limits = { maxSubscriptionsPerSocket: 3, maxSocketsPerPrincipal: 2, maxSocketsPerAgency: 4, maxMessagesPerSecond: 10 };
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ transport: limits });
  });
  afterAll(async () => {
    await hub.stop();
  });

  test('one subscription over WS_MAX_SUBSCRIPTIONS_PER_SOCKET is refused; the others keep receiving, and a completed one frees its place', async () => {
    const client = liveClient(hub, mintDevToken({ agency: 'nl-customs', roles: ['analyst'], subject: 'many-subscriptions' }));
    const subs = Array.from({ length: limits.maxSubscriptionsPerSocket + 1 }, () => record(client));
    const refused = subs.at(-1)!.got;
    await pollUntil(
      () => refused.done,
      (done) => done,
    );
    expect(refused.errors).toEqual([
      {
        message: `too many subscriptions: at most ${limits.maxSubscriptionsPerSocket} per connection; complete one first`,
        extensions: { code: 'RATE_LIMITED', requestId: expect.any(String) },
      },
    ]);
    await publishAlert(hub, nl, { title: 'to the first three' });
    const kept = subs.slice(0, -1).map((s) => s.got);
    await pollUntil(
      () => kept.every((g) => g.titles.includes('to the first three')),
      (ok) => ok,
    );
    for (const g of kept) expect(g.titles).toEqual(['to the first three']);

    subs[0].stop();
    const replacement = record(client).got;
    await pollUntil(
      () => replacement.done || replacement.titles.length > 0,
      (ok) => ok,
      { timeoutMs: 1000 },
    ); // not an absence check: lets the subscription register before the event is published
    await publishAlert(hub, nl, { title: 'to the replacement' });
    await pollUntil(
      () => replacement.titles,
      (titles) => titles.length > 0 || replacement.done,
    );
    expect(replacement).toEqual({ titles: ['to the replacement'], done: false });
    await client.dispose();
  });

  test('a socket over WS_MAX_SOCKETS_PER_PRINCIPAL is closed with 4290; another subject of the agency is not counted with it', async () => {
    const token = mintDevToken({ agency: 'be-customs', roles: ['viewer'], subject: 'many-sockets' });
    const open = [new RawSocket(hub), new RawSocket(hub)];
    for (const s of open) expect(await s.init(token)).toBe(true);
    // A new token of the same principal does not escape the count.
    const sameSubject = mintDevToken({ agency: 'be-customs', roles: ['analyst'], subject: 'many-sockets', ttlSeconds: 600 });
    const third = new RawSocket(hub);
    expect(await third.init(sameSubject)).toBe(false);
    expect(await third.closed).toEqual({
      code: CLOSE_TOO_MANY_SOCKETS,
      reason: `too many connections: at most ${limits.maxSocketsPerPrincipal} per principal`,
    });
    const colleague = new RawSocket(hub);
    expect(await colleague.init(mintDevToken({ agency: 'be-customs', roles: ['viewer'], subject: 'colleague' }))).toBe(true);

    // A closed socket frees its place (the hub learns of the close a moment after the client does).
    await open[0].close();
    const tries: RawSocket[] = [];
    const accepted = await pollUntil(
      () => {
        tries.push(new RawSocket(hub));
        return tries.at(-1)!.init(token);
      },
      (ok) => ok,
    );
    expect(accepted).toBe(true);
    await Promise.all([open[1].close(), colleague.close(), tries.at(-1)!.close()]);
  });

  test('a socket over WS_MAX_SOCKETS_PER_AGENCY is closed with 4290, however many subjects the agency mints', async () => {
    const subjectToken = (i: number) => mintDevToken({ agency: 'de-customs', roles: ['viewer'], subject: `minted-${i}` });
    const open = Array.from({ length: limits.maxSocketsPerAgency }, () => new RawSocket(hub));
    for (const [i, s] of open.entries()) expect(await s.init(subjectToken(i))).toBe(true);
    const over = new RawSocket(hub);
    expect(await over.init(subjectToken(99))).toBe(false);
    expect(await over.closed).toEqual({
      code: CLOSE_TOO_MANY_SOCKETS,
      reason: `too many connections: at most ${limits.maxSocketsPerAgency} per agency`,
    });
    // Another agency is not counted with it.
    const other = new RawSocket(hub);
    expect(await other.init(mintDevToken({ agency: 'fr-douane', roles: ['viewer'], subject: 'minted-0' }))).toBe(true);
    await Promise.all([...open, other].map((s) => s.close()));
  });

  test('a socket sending more than WS_MAX_MESSAGES_PER_SECOND is closed with 4291; the hub keeps serving the principal', async () => {
    const token = mintDevToken({ agency: 'nl-coastguard', roles: ['viewer'], subject: 'flooder' });
    const flooder = new RawSocket(hub);
    expect(await flooder.init(token)).toBe(true);
    for (let i = 0; i < 50; i++) flooder.send({ type: 'ping' });
    expect(await flooder.closed).toEqual({
      code: CLOSE_TOO_MANY_MESSAGES,
      reason: `too many messages: at most ${limits.maxMessagesPerSecond} per second`,
    });

    const next = new Subscriber(hub, token, {}, { query: ALERT_TITLES });
    await next.ready();
    await publishAlert(hub, nl, { tlp: 'CLEAR', title: 'after the flood' });
    expect(await next.waitUntil(titled('after the flood'))).toEqual([{ alert: { title: 'after the flood' } }]);
    await next.close();
  });
});

// ---------------------------------------------------------------------------------------------
describe('a hub in development mode', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ transport: { introspection: true } });
  });
  afterAll(async () => {
    await hub.stop();
  });

  test('introspection and suggestions are served', async () => {
    const schema = await hub.gql(nl, '{ __schema { queryType { name } } }');
    expect(schema).toMatchObject({ status: 200, data: { __schema: { queryType: { name: 'Query' } } } });
    const typo = await hub.gql(nl, '{ me { subjec } }');
    expect(typo.errors?.[0].message).toBe('Cannot query field "subjec" on type "Principal". Did you mean "subject"?');
  });
});

describe('settings', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('introspection follows NODE_ENV=development unless GRAPHQL_INTROSPECTION says otherwise', () => {
    process.env.NODE_ENV = 'production';
    expect(loadConfig().transport.introspection).toBe(false);
    process.env.NODE_ENV = 'development';
    expect(loadConfig().transport.introspection).toBe(true);
    process.env.GRAPHQL_INTROSPECTION = 'false';
    expect(loadConfig().transport.introspection).toBe(false);
    process.env.GRAPHQL_INTROSPECTION = 'yes';
    expect(() => loadConfig()).toThrow('GRAPHQL_INTROSPECTION must be true or false, got "yes"');
  });

  test('the limits are read from the environment, within their ranges', () => {
    process.env.MAX_REQUEST_BYTES = '65536';
    process.env.WS_MAX_SOCKETS_PER_PRINCIPAL = '5';
    expect(loadConfig().transport).toMatchObject({ maxRequestBytes: 65_536, maxSocketsPerPrincipal: 5, maxTokens: 10_000 });
    process.env.GRAPHQL_MAX_TOKENS = '10';
    expect(() => loadConfig()).toThrow('GRAPHQL_MAX_TOKENS must be a whole number from 100 to 1000000, got "10"');
  });
});
