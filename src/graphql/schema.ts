/**
 * The hub's schema: type-graphql classes printed with their directives and rebuilt as an Apollo
 * Federation 2 subgraph (type-graphql's apollo-federation-2 pattern), then wrapped by the shield.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap } from 'type-graphql';
import '../common/enums';
import { AgencyResolver } from '../agency/agency.resolver';
import { VesselAlertResolver } from '../alert/alert.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { AgreementResolver } from '../policy/agreement.resolver';
import { ReportResolver } from '../report/report.resolver';
import type { RequestContext } from '../server/context';
import { Vessel } from '../vessel/vessel.entity';
import { VesselResolver } from '../vessel/vessel.resolver';
import { WatchlistEntryResolver, WatchlistResolver } from '../watchlist/watchlist.resolver';
import { NodeResolver } from './node.resolver';
import { createPermissions } from './permissions';
import { scalarsMap } from './scalars';

const RESOLVERS = [
  AgencyResolver, VesselResolver, WatchlistResolver, WatchlistEntryResolver, VesselAlertResolver,
  ReportResolver, AgreementResolver, AuditResolver, NodeResolver,
] as const;

const FEDERATION_LINK = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
`;

/** Entities other subgraphs can extend, and how a representation becomes an object. */
const referenceResolvers = {
  Vessel: {
    __resolveReference: (ref: { imo: string }, ctx: RequestContext) =>
      ctx.db.getRepository(Vessel).findOneBy({ imo: ref.imo }),
  },
};

/** The federated schema without authorization: what `npm run schema` prints. */
export async function buildHubSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS as unknown as [Function, ...Function[]],
    scalarsMap,
    validate: false,
    skipCheck: true,
  });
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [type, extra] of Object.entries(referenceResolvers)) resolvers[type] = { ...resolvers[type], ...extra };
  return buildSubgraphSchema({
    typeDefs: gql(FEDERATION_LINK + printSchemaWithDirectives(schema)),
    resolvers: resolvers as never,
  });
}

/** The schema the server runs: every field behind an explicit shield rule. */
export function protectSchema(schema: GraphQLSchema): GraphQLSchema {
  return applyMiddleware(schema, createPermissions(schema));
}

/** Field names of each shareable type, to check fields.yaml classes every one of them. */
export function shareableFieldNames(schema: GraphQLSchema) {
  const names = (type: string) => Object.keys((schema.getType(type) as import('graphql').GraphQLObjectType).getFields());
  return {
    Watchlist: names('Watchlist'),
    WatchlistEntry: names('WatchlistEntry'),
    VesselAlert: names('VesselAlert'),
    SuspiciousActivityReport: names('SuspiciousActivityReport'),
  };
}
