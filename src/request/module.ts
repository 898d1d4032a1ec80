/**
 * What a feature module hands the assembly (src/api/modules.ts): everything the hub needs to know
 * of it, so that adding a type touches its own folder and that one list.
 */
import type { IRule } from 'graphql-shield';
import type { FieldCosts } from '../graphql/cost';
import type { RequestContext } from './context';

/** A record by its global id, or null when missing or not visible (node(id) answers both alike). */
export type NodeLookup = (ctx: RequestContext, id: string, key: string) => Promise<object | null>;

/** A class, as type-graphql takes resolvers and TypeORM takes entities. */
export type Class = new (...args: never[]) => object;

export interface FeatureModule {
  name: string;
  /** type-graphql resolver classes. */
  resolvers: Class[];
  /** TypeORM entities whose tables the module owns (migrations/ creates them). */
  entities?: Class[];
  /** node(id) lookups by type; keys are uuids unless the type is listed in `codeKeyed`. */
  nodes?: Record<string, NodeLookup>;
  /** Types whose global id holds a code rather than a uuid. */
  codeKeyed?: string[];
  /** graphql-shield rules by type and field. Shareable types get theirs from the policy (src/api/permissions.ts). */
  rules?: Record<string, Record<string, IRule>>;
  /** Types this module lists as Relay connections (their Connection and Edge types get the envelope rules). */
  connections?: string[];
  /** What its costly fields cost, by type and field (src/graphql/cost.ts); others cost 1 plus their selection. */
  costs?: FieldCosts;
  /** Federation: how a representation of an entity this module owns becomes an object. */
  references?: Record<string, (representation: Record<string, unknown>, ctx: RequestContext) => unknown>;
}
