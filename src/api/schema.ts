/**
 * The hub's schema: type-graphql classes printed with their directives and rebuilt as an Apollo
 * Federation 2 subgraph (type-graphql's apollo-federation-2 pattern), then wrapped by the shield.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { isUnionType, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import gql from 'graphql-tag';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema, createResolversMap } from 'type-graphql';
import '../graphql/enums';
import { badInput } from '../common/errors';
import { scalarsMap } from '../graphql/scalars';
import type { RequestContext } from '../request/context';
import type { Class } from '../request/module';
import { MODULES } from './modules';
import { NodeResolver } from './node.resolver';
import { createPermissions } from './permissions';
import { benchmarkSwitchesAllowed } from '../config';

const RESOLVERS = [...MODULES.flatMap((m) => m.resolvers), NodeResolver];

const FEDERATION_LINK = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
`;

/** Entities other subgraphs can extend, and how a representation becomes an object. */
const referenceResolvers = Object.fromEntries(
  MODULES.flatMap((m) => Object.entries(m.references ?? {})).map(([type, resolve]) => [
    type,
    { __resolveReference: (ref: Record<string, unknown>, ctx: RequestContext) => resolve(ref, ctx) },
  ]),
);

/** @apollo/subgraph throws a plain Error (masked as INTERNAL_SERVER_ERROR) for a non-entity __typename. */
function checkEntityTypenames(schema: GraphQLSchema): GraphQLSchema {
  const entities = schema.getQueryType()?.getFields()._entities;
  const union = schema.getType('_Entity');
  if (!entities?.resolve || !isUnionType(union)) return schema;
  const names = new Set(union.getTypes().map((t) => t.name));
  const resolve = entities.resolve;
  entities.resolve = (source, args: { representations?: { __typename?: unknown }[] }, ctx, info) => {
    for (const r of args.representations ?? []) {
      if (typeof r?.__typename !== 'string' || !names.has(r.__typename)) {
        throw badInput(`representations: __typename must be an entity of this subgraph (${[...names].join(', ')})`, 'representations');
      }
    }
    return resolve(source, args, ctx, info);
  };
  return schema;
}

/** The federated schema without authorization: what `npm run schema` prints. */
export async function buildHubSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS as [Class, ...Class[]],
    scalarsMap,
    // type-graphql insists on a pubSub once a @Subscription exists, even though ours brings its
    // own `subscribe` (the alert stream); this one is never published to.
    pubSub: createPubSub(),
    validate: false,
    skipCheck: true,
  });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [type, extra] of Object.entries(referenceResolvers)) resolvers[type] = { ...resolvers[type], ...extra };
  return checkEntityTypenames(
    buildSubgraphSchema({
      typeDefs: gql(FEDERATION_LINK + printSchemaWithDirectives(schema)),
      resolvers: resolvers as never,
    }),
  );
}

/** Schemas made by protectSchema: the only ones a hub serves outside the API benchmark. */
const SHIELDED = new WeakSet<GraphQLSchema>();

/** The schema the server runs: every field behind an explicit shield rule. */
export function protectSchema(schema: GraphQLSchema): GraphQLSchema {
  const shielded = applyMiddleware(schema, createPermissions(schema));
  SHIELDED.add(shielded);
  return shielded;
}

/** Why a hub may not serve `schema` unshielded in this process, or undefined when it may (a benchmark, src/config.ts). */
function unshieldedRefusal(): string | undefined {
  return benchmarkSwitchesAllowed() ? undefined : `NODE_ENV is ${process.env.NODE_ENV ?? 'not set'}, not benchmark`;
}

/**
 * The schema without the shield (no field rules, no field redaction; the row filter in SQL stays):
 * side (b) of `npm run bench:api`, to measure what field-level authorization costs. Refused in
 * any process but a benchmark's (NODE_ENV=benchmark); startHub checks the same again.
 */
export function unshieldedSchemaForBenchmark(schema: GraphQLSchema): GraphQLSchema {
  const refusal = unshieldedRefusal();
  if (refusal) throw new Error(`an unshielded schema is for the API benchmark only (${refusal})`);
  return schema;
}

/** Throws unless `schema` is shielded, or this process is a benchmark's. */
export function assertServable(schema: GraphQLSchema): void {
  if (SHIELDED.has(schema)) return;
  const refusal = unshieldedRefusal();
  if (refusal) throw new Error(`the hub serves only a schema made by protectSchema (${refusal})`);
}
