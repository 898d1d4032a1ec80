/**
 * The graphql-shield rule tree. Every field of every type has an explicit rule; the fallback is
 * deny, and start-up refuses a schema with a field this tree does not name (assertEveryFieldRuled).
 * Rules only ask the policy engine (through RecordAccess), they decide nothing themselves.
 */
import { GraphQLError, GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { deny, rule, shield, type IRule, type IRules } from 'graphql-shield';
import { decide } from '../policy/engine';
import { SHAREABLE_TYPES, type ShareableRecord, type ShareableType } from '../policy/types';
import type { RequestContext } from '../server/context';

const denied = (message: string) => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });

const isAuthenticated = rule({ cache: 'contextual' })((_p, _a, ctx: RequestContext) =>
  ctx.principal ? true : new GraphQLError('authentication required', { extensions: { code: 'UNAUTHENTICATED' } }));

/** Early capability check; services check again against the record's real owner. */
const canPublish = rule({ cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
  const d = decide(ctx.policy, ctx.principal, { kind: 'publish', type: 'VesselAlert', ownerAgency: ctx.principal.agency.code });
  return d.allowed || denied(`not allowed: ${d.reason}`);
});

const canReadAuditTrail = rule({ cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
  const d = decide(ctx.policy, ctx.principal, { kind: 'readAuditTrail' });
  return d.allowed || denied(`not allowed: ${d.reason}`);
});

/**
 * Field rule of shareable types: core fields for anyone who sees the record, sensitive fields
 * only where the record's decision releases them. Reads of another agency's sensitive fields are
 * noted for the audit trail.
 */
const shareableField = rule({ cache: 'no_cache' })((parent: ShareableRecord & { id: string }, _a, ctx: RequestContext, info) => {
  const type = info.parentType.name as ShareableType;
  const field = info.fieldName;
  const view = ctx.access.view(type, parent);
  if (!view.visible) return denied(`${type} is not visible to ${ctx.principal.agency.code}`);
  const classes = ctx.policy.fields[type];
  if (classes.core.includes(field)) return true;
  if (!classes.sensitive.includes(field)) return denied(`${type}.${field} is not classed in fields.yaml`);
  if (!view.released.has(field)) {
    return denied(`${type}.${field} is withheld: access by ${view.basis} does not release it`);
  }
  if (view.basis !== 'OWNER') {
    ctx.sensitiveReads.set(`${type}:${parent.id}`, {
      operation: 'readSensitiveFields',
      recordIds: [`${type}:${parent.id}`],
      dataOwners: [parent.ownerAgency],
      basis: view.basis,
      agreementId: view.agreementId,
    });
  }
  return true;
});

/** Types whose fields every authenticated member reads: reference data and plumbing. */
const AUTHENTICATED_TYPES: Record<string, string[]> = {
  Agency: ['id', 'code', 'name', 'kind', 'country', 'ports'],
  Principal: ['subject', 'agency', 'roles', 'purpose'],
  Vessel: ['id', 'imo', 'mmsi', 'name', 'flag', 'callSign', 'vesselType', 'formerNames', 'watchlistEntries', 'alerts'],
  Access: ['basis', 'agreementId', 'redactedFields'],
  GeoPoint: ['lat', 'lon'],
  PageInfo: ['hasNextPage', 'endCursor'],
  SharingAgreement: [
    'id', 'provider', 'recipients', 'types', 'jurisdictions', 'maxTlp', 'fields', 'purposes', 'purpose',
    'validFrom', 'validUntil', 'active',
  ],
  AuditEvent: [
    'id', 'sequence', 'at', 'subject', 'agency', 'operation', 'recordIds', 'basis', 'agreementId', 'purpose',
    'requestId', 'hash',
  ],
  _Service: ['sdl'],
  // The event envelope; its `alert` is a VesselAlert with that type's own field rules.
  AlertEvent: ['sequence', 'kind', 'alertId', 'alert'],
};

const CONNECTION_FIELDS = ['edges', 'pageInfo', 'totalCount'];
const EDGE_FIELDS = ['cursor', 'node'];
const CONNECTIONS = ['Vessel', 'Watchlist', 'WatchlistEntry', 'VesselAlert', 'SuspiciousActivityReport', 'AuditEvent'];

const QUERY_RULES: Record<string, IRule> = {
  me: isAuthenticated,
  node: isAuthenticated,
  agencies: isAuthenticated,
  vessel: isAuthenticated,
  vessels: isAuthenticated,
  watchlists: isAuthenticated,
  watchlist: isAuthenticated,
  watchlistEntries: isAuthenticated,
  alerts: isAuthenticated,
  alert: isAuthenticated,
  reports: isAuthenticated,
  report: isAuthenticated,
  agreements: isAuthenticated,
  auditTrail: canReadAuditTrail,
  // Federation: the gateway's SDL fetch and entity resolution, with the caller's token.
  _service: isAuthenticated,
  _entities: isAuthenticated,
};

const SUBSCRIPTION_RULES: Record<string, IRule> = {
  // Each event is checked against the subscriber by the policy engine in the alert feed.
  vesselAlerts: isAuthenticated,
};

const MUTATION_RULES: Record<string, IRule> = {
  createWatchlist: canPublish,
  addWatchlistEntry: canPublish,
  updateWatchlistEntry: canPublish,
  removeWatchlistEntry: canPublish,
  publishAlert: canPublish,
  updateAlertStatus: canPublish,
  // Any member may report; the service checks the agency is registered at the port.
  submitSuspiciousActivityReport: isAuthenticated,
};

const every = (fields: string[], r: IRule) => Object.fromEntries(fields.map((f) => [f, r]));

/** The rule tree for `schema`: shareable types get the field rule on each of their fields. */
export function buildRuleTree(schema: GraphQLSchema): IRules {
  const tree: Record<string, Record<string, IRule>> = {
    Query: { ...QUERY_RULES }, Mutation: { ...MUTATION_RULES }, Subscription: { ...SUBSCRIPTION_RULES },
  };
  for (const [type, fields] of Object.entries(AUTHENTICATED_TYPES)) tree[type] = every(fields, isAuthenticated);
  for (const name of CONNECTIONS) {
    tree[`${name}Connection`] = every(CONNECTION_FIELDS, isAuthenticated);
    tree[`${name}Edge`] = every(EDGE_FIELDS, isAuthenticated);
  }
  for (const type of SHAREABLE_TYPES) {
    const t = schema.getType(type);
    if (t instanceof GraphQLObjectType) tree[type] = every(Object.keys(t.getFields()), shareableField);
  }
  return tree;
}

/** Refuse a schema in which any field lacks an explicit rule: new fields never ship unguarded. */
export function assertEveryFieldRuled(schema: GraphQLSchema, tree: IRules): void {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    const rules = (tree as Record<string, Record<string, IRule>>)[type.name] ?? {};
    for (const field of Object.keys(type.getFields())) if (!rules[field]) missing.push(`${type.name}.${field}`);
  }
  if (missing.length > 0) {
    throw new Error(`these fields have no authorization rule in src/graphql/permissions.ts: ${missing.join(', ')}`);
  }
}

export function createPermissions(schema: GraphQLSchema) {
  const tree = buildRuleTree(schema);
  assertEveryFieldRuled(schema, tree);
  return shield(tree, {
    fallbackRule: deny,
    fallbackError: () => denied('not allowed'),
    allowExternalErrors: true,
    debug: false,
  });
}
