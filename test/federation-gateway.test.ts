/**
 * The hub composed with an agency's own system through a REAL Apollo gateway.
 *
 * test/federation.test.ts checks the subgraph entry points (`_service`, `_entities`) directly;
 * this file proves what they are for: the COMMITTED schema/schema.graphql composes with another
 * subgraph that extends `Vessel @key(fields: "imo")`, and an @apollo/gateway query plan that
 * crosses from that subgraph into the hub (and back) carries the caller's token, so the hub's
 * access model holds for whatever the gateway asks of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import gql from 'graphql-tag';
import { recordInRegistry } from './support/builders';
import { startTestHub, tokenFor, type GraphQLResponse, type TestHub } from './support/hub';

const OCEAN_STAR = '9074729';
const ESTRELLA = '9176187'; // 9*7+1*6+7*5+6*4+1*3+8*2 = 147: check digit 7

// ---------------------------------------------------------------------------------------------
// "An agency's own port-call system": a tiny subgraph of its own, on its own port.
// ---------------------------------------------------------------------------------------------
const PORT_CALLS_SDL = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  scalar IMONumber

  type Vessel @key(fields: "imo") {
    imo: IMONumber!
    portCalls: [PortCall!]!
  }

  type PortCall {
    port: String!
    arrivedAt: String!
    vessel: Vessel!
  }

  type Query {
    portCallsAt(port: String!): [PortCall!]!
  }
`;

interface PortCall {
  port: string;
  arrivedAt: string;
  imo: string;
}
const PORT_CALLS: PortCall[] = [
  { port: 'NLRTM', arrivedAt: '2026-03-01T06:00:00Z', imo: OCEAN_STAR },
  { port: 'NLRTM', arrivedAt: '2026-03-02T14:30:00Z', imo: ESTRELLA },
  { port: 'BEANR', arrivedAt: '2026-02-20T09:15:00Z', imo: OCEAN_STAR },
];

/** Authorization headers the port-call system received, to show the gateway forwards them there too. */
const portCallAuth: (string | undefined)[] = [];

const portCallSchema = buildSubgraphSchema({
  typeDefs: PORT_CALLS_SDL,
  resolvers: {
    Query: {
      portCallsAt: (_: unknown, { port }: { port: string }) => PORT_CALLS.filter((c) => c.port === port),
    },
    PortCall: {
      // A representation: the gateway fetches every other Vessel field from the hub.
      vessel: (c: PortCall) => ({ __typename: 'Vessel', imo: c.imo }),
    },
    Vessel: {
      __resolveReference: (ref: { imo: string }) => ({ imo: ref.imo }),
      portCalls: (v: { imo: string }) => PORT_CALLS.filter((c) => c.imo === v.imo),
    },
  },
});

// ---------------------------------------------------------------------------------------------
// Setup: hub, seed data, port-call subgraph, composition, gateway.
// ---------------------------------------------------------------------------------------------
interface GatewayContext {
  authorization?: string;
}

let hub: TestHub;
let portCallServer: ApolloServer | undefined;
let gatewayServer: ApolloServer<GatewayContext> | undefined;
let gatewayUrl: string;
let composedSupergraph: string;
let compositionHints: string[];
/** Operations the gateway sent to the hub (query text), to prove the plan went through `_entities`. */
const hubOperations: string[] = [];

const nl = tokenFor('nl-customs', ['analyst']);

async function seed(query: string, input: Record<string, unknown>) {
  const res = await hub.gql(nl, query, { input });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!;
}

beforeAll(async () => {
  hub = await startTestHub();
  await recordInRegistry(hub, [
    { imo: OCEAN_STAR, name: 'OCEAN STAR' },
    { imo: ESTRELLA, name: 'ESTRELLA', flag: 'PA' },
  ]);

  // Seed through the hub's own API (the registry as its authority), as a Dutch customs analyst: an AMBER NL watchlist with an
  // entry on OCEAN STAR, and an AMBER alert on each vessel at Rotterdam.
  const list = await seed(`mutation($input: CreateWatchlistInput!) { createWatchlist(input: $input) { id } }`, {
    name: 'Rotterdam narcotics',
    tlp: 'AMBER',
    jurisdiction: 'NL',
  });
  await seed(`mutation($input: AddWatchlistEntryInput!) { addWatchlistEntry(input: $input) { id } }`, {
    watchlistId: list.createWatchlist.id,
    vessel: { imo: OCEAN_STAR, name: 'OCEAN STAR' },
    category: 'DRUG_TRAFFICKING',
    riskLevel: 'HIGH',
    reason: 'Cocaine in reefer containers',
    source: 'FIOD',
  });
  for (const vessel of [
    { imo: OCEAN_STAR, name: 'OCEAN STAR' },
    { imo: ESTRELLA, name: 'ESTRELLA', flag: 'PA' },
  ]) {
    await seed(`mutation($input: PublishAlertInput!) { publishAlert(input: $input) { id } }`, {
      vessel,
      category: 'DRUG_TRAFFICKING',
      severity: 'HIGH',
      title: `Reefer seals on ${vessel.name}`,
      description: 'Seals tampered',
      port: 'NLRTM',
      tlp: 'AMBER',
      intelligenceSummary: 'Informant CI-17',
    });
  }

  portCallServer = new ApolloServer({ schema: portCallSchema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const portCalls = await startStandaloneServer(portCallServer, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      portCallAuth.push(req.headers.authorization);
      return {};
    },
  });

  // Compose from the hub's COMMITTED SDL, as an agency's platform team would.
  const committed = fs.readFileSync(path.resolve(__dirname, '../schema/schema.graphql'), 'utf8');
  const composition = composeServices([
    { name: 'portcullis', url: hub.url, typeDefs: parse(committed) },
    { name: 'portcalls', url: portCalls.url, typeDefs: PORT_CALLS_SDL },
  ]);
  if (composition.errors) {
    throw new Error(`composition failed:\n${composition.errors.map((e) => e.message).join('\n')}`);
  }
  composedSupergraph = composition.supergraphSdl;
  compositionHints = composition.hints.map((h) => `${h.definition.code}: ${h.message}`);

  const gateway = new ApolloGateway({
    supergraphSdl: composedSupergraph,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url,
        willSendRequest({ request, context }) {
          if (name === 'portcullis') hubOperations.push(request.query ?? '');
          if (context.authorization) request.http!.headers.set('authorization', context.authorization);
        },
      }),
  });
  gatewayServer = new ApolloServer<GatewayContext>({
    gateway: gateway, // @apollo/gateway's copy of server-gateway-interface is 1.x
    includeStacktraceInErrorResponses: false,
  });
  const started = await startStandaloneServer(gatewayServer, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  gatewayUrl = started.url;
}, 90_000);

afterAll(async () => {
  await gatewayServer?.stop();
  await portCallServer?.stop();
  await hub?.stop();
});

async function viaGateway(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await res.json()) as GraphQLResponse), status: res.status };
}

const PORT_CALLS_AT = `{ portCallsAt(port: "NLRTM") {
  port vessel { imo name watchlistEntries { reason access { basis } } alerts { totalCount } } } }`;

// ---------------------------------------------------------------------------------------------

describe('composition', () => {
  it('the committed hub SDL composes with a subgraph that extends Vessel and shares the IMONumber scalar', () => {
    // Composition succeeded in beforeAll (it throws otherwise); the supergraph joins both.
    expect(composedSupergraph).toMatch(
      /type Vessel implements Node\s+@join__implements\(graph: PORTCULLIS, interface: "Node"\)\s+@join__type\(graph: PORTCALLS, key: "imo"\)\s+@join__type\(graph: PORTCULLIS, key: "imo"\)/,
    );
    expect(composedSupergraph).toMatch(/scalar IMONumber[\s\S]*?@join__type\(graph: PORTCALLS\)\s+@join__type\(graph: PORTCULLIS\)/);
    expect(composedSupergraph).toMatch(/portCalls: \[PortCall!\]! @join__field\(graph: PORTCALLS\)/);
    // Not even a hint: the shared scalar and the key field agree across both subgraphs.
    expect(compositionHints).toEqual([]);
    expect(composedSupergraph).toMatch(/watchlistEntries: \[WatchlistEntry!\]! @join__field\(graph: PORTCULLIS\)/);
  });
});

describe('through the gateway', () => {
  it("the owner sees the port calls joined with the hub's vessel, entries and alerts (fetched via _entities)", async () => {
    hubOperations.length = 0;
    const res = await viaGateway(nl, PORT_CALLS_AT);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      portCallsAt: [
        {
          port: 'NLRTM',
          vessel: {
            imo: OCEAN_STAR,
            name: 'OCEAN STAR',
            watchlistEntries: [{ reason: 'Cocaine in reefer containers', access: { basis: 'OWNER' } }],
            alerts: { totalCount: 1 },
          },
        },
        { port: 'NLRTM', vessel: { imo: ESTRELLA, name: 'ESTRELLA', watchlistEntries: [], alerts: { totalCount: 1 } } },
      ],
    });
    // One fetch to the hub, and it is an entity fetch: the plan crossed subgraphs.
    expect(hubOperations).toHaveLength(1);
    expect(hubOperations[0]).toMatch(/_entities\(representations:/);
  });

  it('a private operator in the same country gets the reference data but none of the AMBER records', async () => {
    const res = await viaGateway(tokenFor('nl-ect-terminal', ['viewer']), PORT_CALLS_AT);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      portCallsAt: [
        { port: 'NLRTM', vessel: { imo: OCEAN_STAR, name: 'OCEAN STAR', watchlistEntries: [], alerts: { totalCount: 0 } } },
        { port: 'NLRTM', vessel: { imo: ESTRELLA, name: 'ESTRELLA', watchlistEntries: [], alerts: { totalCount: 0 } } },
      ],
    });
  });

  it('a Dutch public agency sees the AMBER NL entry on the JURISDICTION basis, and a foreign one nothing', async () => {
    const coastguard = await viaGateway(tokenFor('nl-coastguard', ['viewer']), PORT_CALLS_AT);
    expect(coastguard.errors).toBeUndefined();
    expect(coastguard.data!.portCallsAt[0].vessel).toEqual({
      imo: OCEAN_STAR,
      name: 'OCEAN STAR',
      watchlistEntries: [{ reason: 'Cocaine in reefer containers', access: { basis: 'JURISDICTION' } }],
      alerts: { totalCount: 1 },
    });
    const french = await viaGateway(tokenFor('fr-douane', ['viewer']), PORT_CALLS_AT);
    expect(french.errors).toBeUndefined();
    expect(french.data!.portCallsAt.map((c: { vessel: unknown }) => c.vessel)).toEqual([
      { imo: OCEAN_STAR, name: 'OCEAN STAR', watchlistEntries: [], alerts: { totalCount: 0 } },
      { imo: ESTRELLA, name: 'ESTRELLA', watchlistEntries: [], alerts: { totalCount: 0 } },
    ]);
  });

  it('the other direction: a hub query plans into the port-call system for Vessel.portCalls', async () => {
    const res = await viaGateway(nl, `query($imo: IMONumber!) { vessel(imo: $imo) { name portCalls { port arrivedAt } } }`, {
      imo: OCEAN_STAR,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      vessel: {
        name: 'OCEAN STAR',
        portCalls: [
          { port: 'NLRTM', arrivedAt: '2026-03-01T06:00:00Z' },
          { port: 'BEANR', arrivedAt: '2026-02-20T09:15:00Z' },
        ],
      },
    });
    // The gateway forwarded the client's token to the agency's own system as well.
    expect(portCallAuth.at(-1)).toBe(`Bearer ${nl}`);
  });

  it('without a token the hub refuses its part: UNAUTHENTICATED surfaces through the gateway, no hub data', async () => {
    hubOperations.length = 0;
    const res = await viaGateway(undefined, PORT_CALLS_AT);
    // The port-call system itself is open, so the gateway answers 200; the hub's 401 becomes the error.
    expect(res.status).toBe(200);
    // PortCall.vessel, Vessel.name and portCallsAt itself are non-null: the failed entity fetch
    // nulls its way up to the root, so no data at all.
    expect(res.data).toBeNull();
    expect(hubOperations).toHaveLength(1);
    expect(res.errors).toHaveLength(1);
    const [error] = res.errors!;
    expect(error.message).toBe('401: Unauthorized');
    expect(error.extensions?.code).toBe('UNAUTHENTICATED');
    const response = error.extensions?.response as { status: number; body: GraphQLResponse };
    expect(response.status).toBe(401);
    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(res)).not.toMatch(/OCEAN STAR|ESTRELLA|Cocaine/);
  });

  it('a forged token is refused the same way', async () => {
    const forged = nl.slice(0, -4) + (nl.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const res = await viaGateway(forged, PORT_CALLS_AT);
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['401: Unauthorized', 'UNAUTHENTICATED']]);
    const response = res.errors![0].extensions?.response as { status: number; body: GraphQLResponse };
    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(JSON.stringify(res)).not.toMatch(/OCEAN STAR|ESTRELLA|Cocaine/);
  });
});
