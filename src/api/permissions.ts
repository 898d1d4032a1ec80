/**
 * The graphql-shield rule tree, collected from the modules (src/api/modules.ts). Every field of
 * every type has an explicit rule; the fallback is deny, and start-up refuses a schema with a field
 * this tree does not name (assertEveryFieldRuled). Rules only ask the policy engine (through
 * RecordAccess), they decide nothing themselves.
 */
import { GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { deny, shield, type IRule, type IRules } from 'graphql-shield';
import { SHAREABLE_TYPES } from '../policy/types';
import { denied, every, isAuthenticated, shareableField } from '../request/rules';
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

export function createPermissions(schema: GraphQLSchema) {
  const tree = buildRuleTree(schema);
  assertEveryFieldRuled(schema, tree);
  return shield(tree, {
    fallbackRule: deny,
    fallbackError: () => denied('NO_RULE', 'not allowed'),
    allowExternalErrors: true,
    // Errors are thrown on to graphql-js rather than returned as a field's value: a returned value
    // is an error only if it is an Error of graphql-js's realm, and under Jest a socket error of
    // Node's own (a database outage) is not, so it would be taken for the record itself. A rule
    // that throws then fails its field with its error (masked, src/graphql/format-error.ts)
    // instead of passing for a denial: the field is refused either way.
    debug: true,
  });
}
