/**
 * The building blocks of the graphql-shield rule tree (assembled in src/api/permissions.ts from
 * what each module declares). Rules only ask the policy engine, through the request's
 * RecordAccess; they decide nothing themselves.
 */
import { GraphQLError, responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { rule, type IRule } from 'graphql-shield';
import { markDenial, type DenialReason } from '../common/errors';
import { decide, type Action } from '../policy/engine';
import type { ShareableRecord, ShareableType } from '../policy/types';
import type { RequestContext } from './context';

/**
 * A withheld field or record is an expected outcome of the access model, not a fault, and its
 * stack is never shown: build it without one. With `info` (only from rules that are not cached,
 * so one error never serves two fields) it is also built already located, with the field's path
 * and nodes, so graphql-js passes it on as it is instead of wrapping it in a second error whose
 * stack it would format. Clients see the same message, path, locations and code either way.
 * Measured (bench/alerts.ts, CPU profile at 2,000 subscribers): capturing and formatting those
 * stacks, through source-map-support under ts-node, took about a quarter of a hub's time.
 */
export const denied = (reason: DenialReason, message: string, info?: GraphQLResolveInfo) => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const error = new GraphQLError(message, {
      ...(info ? { nodes: info.fieldNodes, path: responsePathAsArray(info.path) } : {}),
      extensions: { code: 'FORBIDDEN' },
    });
    return markDenial(error, reason);
  } finally {
    Error.stackTraceLimit = limit;
  }
};

type SyncRuleFunction = (parent: any, args: any, ctx: RequestContext, info: GraphQLResolveInfo) => true | false | string | Error; // eslint-disable-line @typescript-eslint/no-explicit-any -- as graphql-shield types a rule's arguments

const SYNCHRONOUS = new WeakSet<IRule>();

/**
 * A graphql-shield rule whose function never awaits: src/api/permissions.ts runs it without the
 * promise graphql-shield makes of every rule (one per field of every row), with the same outcomes.
 */
const syncRule =
  (options: { cache: 'contextual' | 'no_cache' }) =>
  (func: SyncRuleFunction): IRule => {
    const r = rule(options)(func);
    SYNCHRONOUS.add(r);
    return r;
  };

export const isSynchronousRule = (r: IRule) => SYNCHRONOUS.has(r);

export const isAuthenticated = syncRule({ cache: 'contextual' })((_p, _a, ctx: RequestContext) =>
  ctx.principal ? true : new GraphQLError('authentication required', { extensions: { code: 'UNAUTHENTICATED' } }),
);

/**
 * A capability of the caller, whatever the record: the engine's decision on `action`. Early
 * checks only; services check again against the record they touch.
 */
export const capability = (action: (ctx: RequestContext) => Action) =>
  syncRule({ cache: 'contextual' })((_p, _a, ctx: RequestContext) => {
    const d = decide(ctx.policy, ctx.principal, action(ctx), ctx.access.now);
    return d.allowed || denied('ACTION', `not allowed: ${d.reason}`);
  });

/** Watchlists, entries and alerts of the caller's own agency. */
export const canPublish = capability((ctx) => ({ kind: 'publish', type: 'VesselAlert', ownerAgency: ctx.principal.agency.code }));

/**
 * Field rule of shareable types: the engine's field verdict on the record's decision. The record's
 * read is noted once, when its view is decided (RecordAccess); a read of another agency's
 * sensitive field is noted too, for the audit trail.
 */
export const shareableField = syncRule({ cache: 'no_cache' })((parent: ShareableRecord & { id: string }, _a, ctx: RequestContext, info) => {
  const type = info.parentType.name as ShareableType;
  const field = info.fieldName;
  const view = ctx.access.view(type, parent);
  if (!view.visible) return denied('RECORD', `${type} is not visible to ${ctx.principal.agency.code}`, info);
  const verdict = ctx.access.fieldVerdict(type, view, field);
  if (!verdict.allowed) return denied('FIELD', verdict.reason, info);
  if (verdict.auditAs) ctx.reads.sensitiveField(type, parent, verdict.auditAs);
  return true;
});

/** The same rule on each of `fields`. */
export const every = (fields: readonly string[], r: IRule): Record<string, IRule> => Object.fromEntries(fields.map((f) => [f, r]));
