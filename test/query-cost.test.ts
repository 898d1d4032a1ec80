/**
 * Cost counts what a query will do, whether its page sizes and lists are written in the document
 * or sent as variables, and the same count refuses the same operation over HTTP and WebSocket.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestHub, tokenFor, type TestHub } from './support/hub';
import { Subscriber } from './support/subscriber';
import { imoFrom } from './support/vessels';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const token = tokenFor('nl-customs');

const NESTED_PAGES = `query($n: Int) { watchlists(first: $n) { edges { node { entries(first: $n) { edges { node { vessel { name } } } } } } } }`;

test('page sizes given as variables count, exactly as the same literals do', async () => {
  const byVariable = await hub.gql(token, NESTED_PAGES, { n: 500 });
  expect(byVariable.status).toBe(400);
  expect(byVariable.data).toBeUndefined();
  expect(byVariable.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  expect(byVariable.errors?.[0].message).toMatch(/would cost \d+, more than the limit of 20000 \(QUERY_MAX_COST\)/);

  const byLiteral = await hub.gql(token, NESTED_PAGES.replace('query($n: Int)', 'query').replaceAll('$n', '500'));
  expect(byLiteral.errors?.[0].message).toBe(byVariable.errors?.[0].message);

  const small = await hub.gql(token, NESTED_PAGES, { n: 10 });
  expect(small.errors).toBeUndefined();
  expect(small.data?.watchlists).toBeDefined();
});

test('an unset page size counts as the default page (50)', async () => {
  // 50 x 50 x the inner selection: within the limit; the same with first: 500 is not.
  const res = await hub.gql(token, NESTED_PAGES, {});
  expect(res.errors).toBeUndefined();
});

const vesselBatch = (n: number, withNames = 0) =>
  Array.from({ length: n }, (_, i) => (i < withNames ? { name: `SHIP ${i}` } : { imo: imoFrom(600000 + i) }));

test('a screening batch given as a variable counts per vessel', async () => {
  const six = Array.from({ length: 6 }, (_, i) => `a${i}: screenVessels(vessels: $v, maxHits: 1) { totalHits hits { score } }`).join(' ');
  const query = `query($v: [VesselQueryInput!]!) { ${six} }`;
  const over = await hub.gql(token, query, { v: vesselBatch(1000) });
  expect(over.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  expect(over.errors?.[0].message).toMatch(/QUERY_MAX_COST/);
  // One alias of the same batch is an ordinary arrival list.
  const one = await hub.gql(token, `query($v: [VesselQueryInput!]!) { screenVessels(vessels: $v) { totalHits hits { score } } }`, {
    v: vesselBatch(1000),
  });
  expect(one.errors).toBeUndefined();
  expect(one.data?.screenVessels).toHaveLength(1000);
});

test('a name costs more when it may return more hits (maxHits)', async () => {
  const query = `query($v: [VesselQueryInput!]!, $max: Int) { screenVessels(vessels: $v, maxHits: $max) { totalHits } }`;
  const v = vesselBatch(60, 60);
  const many = await hub.gql(token, query, { v, max: 500 });
  expect(many.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  expect(many.errors?.[0].message).toMatch(/QUERY_MAX_COST/);
  const usual = await hub.gql(token, query, { v });
  expect(usual.errors).toBeUndefined();
});

test("the issue's amplification (20 aliases of 150 names, as a variable) is refused whole", async () => {
  const aliases = Array.from({ length: 20 }, (_, i) => `s${i}: screenVessels(vessels: $v) { totalHits }`).join(' ');
  const res = await hub.gql(token, `query($v: [VesselQueryInput!]!) { ${aliases} }`, { v: vesselBatch(150, 150) });
  expect(res.status).toBe(400);
  expect(res.data).toBeUndefined();
  expect(res.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  expect(res.errors?.[0].message).toMatch(
    /asks for 3000 screened names; the hub accepts at most 200 in one operation \(SCREENING_MAX_NAMES\)/,
  );
});

test('the hits screening may return count per operation, by IMO as by name (vessels × maxHits)', async () => {
  const query = `query($v: [VesselQueryInput!]!, $max: Int) { screenVessels(vessels: $v, maxHits: $max) { hits { score entry { id reason } } } }`;
  const over = await hub.gql(token, query, { v: vesselBatch(1000), max: 500 });
  expect(over.status).toBe(400);
  expect(over.errors?.[0].message).toMatch(/asks for 500000 screening hits .*at most 100000 in one operation \(SCREENING_MAX_HITS\)/);
  const usual = await hub.gql(token, query, { v: vesselBatch(1000) });
  expect(usual.errors).toBeUndefined();
});

test('an argument or directive value execution would refuse turns the whole operation away, so nothing runs uncounted', async () => {
  const heavy = 'heavy: watchlistEntries(first: 500) { edges { node { id watchlist { entries(first: 500) { edges { node { id } } } } } } }';
  const alone = await hub.gql(token, `query { ${heavy} }`);
  expect(alone.errors?.[0].message).toMatch(/QUERY_MAX_COST/);
  // A null in a non-null argument, through a nullable variable with a default, fails only its own
  // field at execution: counted as it was, the rest of the operation ran at cost 0.
  const nullArgument = await hub.gql(token, `query($imo: IMONumber = "9074729") { v: vessel(imo: $imo) { id } ${heavy} }`, { imo: null });
  expect(nullArgument.status).toBe(400);
  expect(nullArgument.data).toBeUndefined();
  expect(nullArgument.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(nullArgument.errors?.[0].message).toMatch(/must not be null/);
  const nullDirective = await hub.gql(token, `query($show: Boolean = true) { me { subject @include(if: $show) } ${heavy} }`, {
    show: null,
  });
  expect(nullDirective.status).toBe(400);
  expect(nullDirective.data).toBeUndefined();
  expect(nullDirective.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('federation look-ups count per representation', async () => {
  const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Vessel { imo name } } }`;
  const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Vessel', imo: imoFrom(700000 + i) }));
  const many = await hub.gql(token, query, { r: representations(20_000) });
  expect(many.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  expect(many.errors?.[0].message).toMatch(/QUERY_MAX_COST/);
  const few = await hub.gql(token, query, { r: representations(100) });
  expect(few.errors).toBeUndefined();
  expect(few.data?._entities).toHaveLength(100);
});

test('screened names are limited per operation across aliases and both screening fields', async () => {
  const twoBatches = `query($v: [VesselQueryInput!]!) { a: screenVessels(vessels: $v) { totalHits } b: screenVessels(vessels: $v) { totalHits }
    c: screenVessel(name: "ONE MORE") { totalHits } }`;
  const over = await hub.gql(token, twoBatches, { v: vesselBatch(100, 100) });
  expect(over.errors?.[0].message).toMatch(/asks for 201 screened names/);
  const within = await hub.gql(token, twoBatches, { v: vesselBatch(100, 99) });
  expect(within.errors).toBeUndefined();
  expect(within.data?.a).toHaveLength(100);
});

test('HTTP and WebSocket count the same operation alike', async () => {
  // A query: over WebSocket it is priced before it is refused as not a subscription, so both
  // transports answer with the cost.
  const nested = `query($n: Int) { alerts(first: $n) { edges { node { vessel { alerts(first: $n) { totalCount } } } } } }`;
  const messages: string[] = [];
  for (const n of [500, 300]) {
    const http = await hub.gql(token, nested, { n });
    expect(http.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const ws = new Subscriber(hub, token, { n }, { query: nested });
    const wsErrors = await ws.waitUntil(() => false, 10_000).then(() => ws.error as { message: string; extensions?: { code?: string } }[]);
    await ws.close();
    expect(wsErrors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    // The message carries the computed cost: the same number on both transports.
    expect(wsErrors[0].message).toBe(http.errors?.[0].message);
    messages.push(wsErrors[0].message);
  }
  // ... and that number follows the variable.
  expect(messages[0]).not.toBe(messages[1]);
});

test('an operation name that names no operation is answered over WebSocket, not met with a closed socket', async () => {
  let closed: { code: number; reason: string } | undefined;
  const client = createClient({
    url: hub.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
    on: { closed: (e) => (closed = e as { code: number; reason: string }) },
  });
  try {
    const answer = await new Promise<unknown>((resolve) =>
      client.subscribe(
        { query: 'subscription { vesselAlerts { sequence } }', operationName: 'Named' },
        { next: resolve, error: resolve, complete: () => resolve('complete') },
      ),
    );
    expect((answer as { extensions?: { code?: string } }[])[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(closed).toBeUndefined();
  } finally {
    await client.dispose();
  }
});
