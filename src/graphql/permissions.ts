/**
 * The graphql-shield rule tree. Every field of every type has an explicit rule; the fallback is
 * deny, and start-up refuses a schema with a field this tree does not name (assertEveryFieldRuled).
 * Rules only ask the policy engine (through RecordAccess), they decide nothing themselves.
 */
import { GraphQLError, GraphQLObjectType, responsePathAsArray, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { deny, rule, shield, type IRule, type IRules } from 'graphql-shield';
import { decide, fieldVerdict } from '../policy/engine';
import { canReadSighting, type SightingParties } from '../policy/scopes';
import { SHAREABLE_TYPES, type ShareableRecord, type ShareableType } from '../policy/types';
import type { RequestContext } from '../server/context';

/**
 * A withheld field or record is an expected outcome of the access model, not a fault, and its
 * stack is never shown: build it without one. With `info` (only from rules that are not cached,
 * so one error never serves two fields) it is also built already located, with the field's path
 * and nodes, so graphql-js passes it on as it is instead of wrapping it in a second error whose
 * stack it would format. Clients see the same message, path, locations and code either way.
 * Measured (bench/alerts.ts, CPU profile at 2,000 subscribers): capturing and formatting those
 * stacks, through source-map-support under ts-node, took about a quarter of a hub's time.
 */
const denied = (message: string, info?: GraphQLResolveInfo) => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, {
      ...(info ? { nodes: info.fieldNodes, path: responsePathAsArray(info.path) } : {}),
      extensions: { code: 'FORBIDDEN' },
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
};

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

/** Early capability check; the report service checks the report's jurisdiction. */
const canTriage = rule({ cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
  const d = decide(ctx.policy, ctx.principal, { kind: 'triageReports' });
  return d.allowed || denied(`not allowed: ${d.reason}`);
});

/**
 * A report transition's actor and note: only for holders of the jurisdiction right on the
 * transition's report (the engine's readTriageNotes), never for the submitting operator. Reads of
 * notes another agency wrote are noted for the audit trail.
 */
const triageMaterial = rule({ cache: 'no_cache' })((
  parent: { report: ShareableRecord & { id: string }; actorAgency: string }, _a, ctx: RequestContext, info,
) => {
  const d = decide(ctx.policy, ctx.principal, { kind: 'readTriageNotes', record: parent.report }, ctx.access.now);
  if (!d.allowed) {
    return denied(`ReportTransition.${info.fieldName} is withheld: it is for analysts of the report's jurisdiction`);
  }
  if (parent.actorAgency !== ctx.principal.agency.code) {
    ctx.sensitiveReads.set(`ReportTransition:${parent.report.id}:${parent.actorAgency}`, {
      operation: 'readTriageNotes',
      recordIds: [`SuspiciousActivityReport:${parent.report.id}`],
      dataOwners: [parent.actorAgency],
    });
  }
  return true;
});

/**
 * Field rule of shareable types: the engine's fieldVerdict on the record's view (core fields for
 * anyone who sees the record, sensitive fields only where its decision releases them). Reads the
 * verdict marks for audit are noted for the audit trail.
 */
const shareableField = rule({ cache: 'no_cache' })((parent: ShareableRecord & { id: string }, _a, ctx: RequestContext, info) => {
  const type = info.parentType.name as ShareableType;
  const field = info.fieldName;
  const view = ctx.access.view(type, parent);
  if (!view.visible) return denied(`${type} is not visible to ${ctx.principal.agency.code}`, info);
  const verdict = fieldVerdict(ctx.policy, type, field, view.decision);
  if (!verdict.allowed) return denied(verdict.reason, info);
  if (verdict.auditAs) {
    ctx.sensitiveReads.set(`${type}:${parent.id}`, {
      operation: 'readSensitiveFields',
      recordIds: [`${type}:${parent.id}`],
      dataOwners: [parent.ownerAgency],
      ...verdict.auditAs,
    });
  }
  return true;
});

/**
 * Every field of a Sighting: only for the two parties, the entry's owner and the reporter (the
 * engine's canReadSighting). Every path that yields sightings already filters them in SQL; this
 * keeps a sighting that reached a response some other way from leaking.
 */
const sightingField = rule({ cache: 'strict' })((parent: SightingParties, _a, ctx: RequestContext) =>
  canReadSighting(ctx.principal, parent) || denied('Sighting is not visible to ' + ctx.principal.agency.code));

/** Webhooks: analysts of the agency (the engine's manageWebhooks); the service checks the record's agency again. */
const canManageWebhooks = rule({ cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
  const d = decide(ctx.policy, ctx.principal, { kind: 'manageWebhooks', ownerAgency: ctx.principal.agency.code });
  return d.allowed || denied(`not allowed: ${d.reason}`);
});

/** Every field of a webhook, its deliveries and its registration: only for the owning agency's analysts. */
const webhookField = rule({ cache: 'strict' })((parent: { agency?: string; webhook?: { agency: string } }, _a, ctx: RequestContext) => {
  const owner = parent.agency ?? parent.webhook?.agency;
  const d = decide(ctx.policy, ctx.principal, { kind: 'manageWebhooks', ownerAgency: owner ?? '' });
  return d.allowed || denied('not allowed: webhooks are shown only to their own agency\'s analysts');
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
  // Screening: the envelope of hits; each hit's entry is a WatchlistEntry with that type's rules,
  // and only entries the row filter admitted become hits.
  ScreeningResult: ['query', 'hits', 'totalHits', 'warnings', 'vessel', 'screenedAt'],
  ScreeningHit: ['entry', 'matchedOn', 'score', 'matchedName'],
  ScreeningWarning: ['code', 'message'],
  ScreeningQuery: ['imo', 'mmsi', 'name', 'flag', 'normalizedName'],
  // Reached only through WatchlistEntry.history, an owner-class field.
  WatchlistEntryVersion: ['version', 'operation', 'changedAt', 'changedBy', 'changedByAgency', 'changes'],
  FieldChange: ['field', 'from', 'to'],
  // Returned only to the analyst who ran the import, for a list of its own agency.
  ImportReport: ['watchlist', 'rows', 'created', 'updated', 'unchanged', 'failed', 'skipped', 'batches', 'errors', 'seconds'],
  ImportRowError: ['line', 'message'],
  // The event envelope; its `alert` is a VesselAlert with that type's own field rules.
  AlertEvent: ['sequence', 'kind', 'alertId', 'alert'],
};

const CONNECTION_FIELDS = ['edges', 'pageInfo', 'totalCount'];
const EDGE_FIELDS = ['cursor', 'node'];
const CONNECTIONS = ['Vessel', 'Watchlist', 'WatchlistEntry', 'VesselAlert', 'SuspiciousActivityReport', 'AuditEvent', 'Sighting', 'Webhook', 'WebhookDelivery'];

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
  screenVessel: isAuthenticated,
  screenVessels: isAuthenticated,
  sightings: isAuthenticated,
  auditTrail: canReadAuditTrail,
  webhooks: canManageWebhooks,
  webhook: canManageWebhooks,
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
  // The engine's reportSighting (analyst role) and the entry's visibility are checked by the service.
  reportSighting: isAuthenticated,
  importWatchlistEntries: canPublish,
  triageReport: canTriage,
  escalateReport: canTriage,
  registerWebhook: canManageWebhooks,
  deleteWebhook: canManageWebhooks,
  rotateWebhookSecret: canManageWebhooks,
};

const every = (fields: string[], r: IRule) => Object.fromEntries(fields.map((f) => [f, r]));

/** The rule tree for `schema`: shareable types get the field rule on each of their fields. */
export function buildRuleTree(schema: GraphQLSchema): IRules {
  const tree: Record<string, Record<string, IRule>> = {
    Query: { ...QUERY_RULES }, Mutation: { ...MUTATION_RULES }, Subscription: { ...SUBSCRIPTION_RULES },
  };
  for (const [type, fields] of Object.entries(AUTHENTICATED_TYPES)) tree[type] = every(fields, isAuthenticated);
  tree.Sighting = every(['id', 'entry', 'reportedBy', 'port', 'observedAt', 'outcome', 'note', 'createdAt'], sightingField);
  // A report's history is a core field of the (already checked) report; the analysts' part is not.
  tree.ReportTransition = {
    ...every(['from', 'status', 'at', 'agency'], isAuthenticated), actor: triageMaterial, note: triageMaterial,
  };
  tree.Webhook = every([
    'id', 'agency', 'url', 'description', 'filter', 'roles', 'purpose', 'createdBy', 'createdAt', 'previousSecretExpiresAt',
    'secretRotatedAt', 'position', 'active', 'deactivatedAt', 'deactivatedReason', 'deliveries',
  ], webhookField);
  tree.WebhookDelivery = every([
    'id', 'sequence', 'kind', 'alertId', 'status', 'attempts', 'createdAt', 'lastAttemptAt', 'nextAttemptAt', 'deliveredAt',
    'lastStatusCode', 'lastError',
  ], webhookField);
  tree.WebhookRegistration = every(['webhook', 'secret'], webhookField);
  // Reached only through Webhook.filter, whose rule has checked the webhook's agency.
  tree.WebhookFilter = every(['ports', 'jurisdictions', 'categories', 'minSeverity', 'imo', 'status'], isAuthenticated);
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
