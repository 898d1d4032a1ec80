/**
 * The graphql-shield rule tree, collected from the modules (src/api/modules.ts). Every field of
 * every type has an explicit rule; the fallback is deny, and start-up refuses a schema with a field
 * this tree does not name (assertEveryFieldRuled). Rules only ask the policy engine (through
 * RecordAccess), they decide nothing themselves.
 */
import { GraphQLObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { middleware, type IMiddlewareFunction, type IMiddlewareGenerator } from 'graphql-middleware';
import { deny, shield, type IRule, type IRules } from 'graphql-shield';
import { SHAREABLE_TYPES } from '../policy/types';
import type { RequestContext } from '../request/context';
import { denied, every, isAuthenticated, isSynchronousRule, shareableField } from '../request/rules';
import { MODULES } from './modules';

const CONNECTION_FIELDS = ['edges', 'pageInfo', 'totalCount'];
const EDGE_FIELDS = ['cursor', 'node'];

/** The hub's own plumbing: node(id), federation, pagination. */
const HUB_RULES: Record<string, Record<string, IRule>> = {
  Query: {
    node: isAuthenticated,
    // Federation: the gateway's SDL fetch and entity resolution, with the caller's token.
    _service: isAuthenticated,
    _entities: isAuthenticated,
  },
  _Service: { sdl: isAuthenticated },
  PageInfo: every(['hasNextPage', 'endCursor'], isAuthenticated),
};

/** Adds `rules` to `tree`; two modules ruling the same field is a mistake, not an override. */
function merge(tree: Record<string, Record<string, IRule>>, rules: Record<string, Record<string, IRule>>, from: string) {
  for (const [type, fields] of Object.entries(rules)) {
    const target = (tree[type] ??= {});
    for (const [field, r] of Object.entries(fields)) {
      if (target[field]) throw new Error(`${type}.${field} is ruled twice (again by the ${from} module)`);
      target[field] = r;
    }
  }
}

/** The rule tree for `schema`: the modules' rules, connection envelopes, and the field rule on every field of a shareable type. */
export function buildRuleTree(schema: GraphQLSchema): IRules {
  const tree: Record<string, Record<string, IRule>> = {};
  merge(tree, HUB_RULES, 'hub');
  for (const m of MODULES) {
    merge(tree, m.rules ?? {}, m.name);
    for (const name of m.connections ?? []) {
      merge(
        tree,
        { [`${name}Connection`]: every(CONNECTION_FIELDS, isAuthenticated), [`${name}Edge`]: every(EDGE_FIELDS, isAuthenticated) },
        m.name,
      );
    }
  }
  for (const type of SHAREABLE_TYPES) {
    const t = schema.getType(type);
    if (t instanceof GraphQLObjectType) merge(tree, { [type]: every(Object.keys(t.getFields()), shareableField) }, 'shareable');
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
    throw new Error(`these fields have no authorization rule in the module's rules: ${missing.join(', ')}`);
  }
}

const fallbackError = () => denied('NO_RULE', 'not allowed');

interface ShieldRule {
  name: string;
  cache: 'contextual' | 'no_cache' | 'strict';
  func: (parent: unknown, args: unknown, ctx: RequestContext, info: GraphQLResolveInfo) => true | false | string | Error;
}

/** Contextual rules' results, per request: graphql-shield's own `contextual` cache, without its promise. */
const contextualResults = new WeakMap<RequestContext, Map<ShieldRule, unknown>>();

/**
 * graphql-shield's field middleware for a synchronous rule (src/request/rules.ts syncRule),
 * without the promise it wraps every field in: the same outcomes as its own (Rule.resolve and
 * the generated middleware in graphql-shield 7.6.5): true resolves the field; an Error is the
 * field's error; a string is an Error with that message; anything else is the fallback error;
 * a throw (debug: true) fails the field with what was thrown.
 */
function synchronousFieldMiddleware(r: IRule): IMiddlewareFunction {
  const sync = r as unknown as ShieldRule;
  return (resolve, parent, args, ctx: RequestContext, info) => {
    let res: unknown;
    if (sync.cache === 'contextual') {
      let results = contextualResults.get(ctx);
      if (!results) contextualResults.set(ctx, (results = new Map()));
      if (results.has(sync)) res = results.get(sync);
      else results.set(sync, (res = sync.func(parent, args, ctx, info)));
    } else {
      res = sync.func(parent, args, ctx, info);
    }
    if (res === true) return resolve(parent, args, ctx, info);
    if (res instanceof Error) return res;
    if (typeof res === 'string') return new Error(res);
    return fallbackError();
  };
}

/**
 * graphql-shield over the rule tree, with its field middleware replaced by
 * synchronousFieldMiddleware where the field's rule is synchronous: the shield still holds every
 * field (its tree, its deny fallback, its other rules), and most fields cost no promise.
 * Measured in docs/performance.md.
 */
function withSynchronousRules(tree: Record<string, Record<string, IRule>>, shielded: IMiddlewareGenerator<unknown, unknown, unknown>) {
  return middleware((schema) => {
    const generated = shielded.generate(schema) as Record<string, Record<string, IMiddlewareFunction>>;
    for (const [type, fields] of Object.entries(tree)) {
      for (const [field, r] of Object.entries(fields)) if (isSynchronousRule(r)) generated[type][field] = synchronousFieldMiddleware(r);
    }
    return generated;
  });
}

export function createPermissions(schema: GraphQLSchema) {
  const tree = buildRuleTree(schema);
  assertEveryFieldRuled(schema, tree);
  return withSynchronousRules(tree as Record<string, Record<string, IRule>>, createShield(tree));
}

function createShield(tree: IRules) {
  return shield(tree, {
    fallbackRule: deny,
    fallbackError,
    allowExternalErrors: true,
    // Errors are thrown on to graphql-js rather than returned as a field's value: a returned value
    // is an error only if it is an Error of graphql-js's realm, and under Jest a socket error of
    // Node's own (a database outage) is not, so it would be taken for the record itself. A rule
    // that throws then fails its field with its error (masked, src/graphql/format-error.ts)
    // instead of passing for a denial: the field is refused either way.
    debug: true,
  });
}
