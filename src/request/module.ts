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

/**
 * A column of the module's tables that holds an agency code shown as an Agency: while a row names
 * an agency, agencies.yaml must keep listing it (as a member, or as departed).
 */
interface AgencyColumn {
  table: string;
  column: string;
  /** How a row is named in a refusal: its kind, and the column that identifies it. */
  record: string;
  id: string;
}

/** Which of these vessels (ids) the caller sees a record of the module about. */
export type VesselMentions = (ctx: RequestContext, vesselIds: string[]) => Promise<string[]>;

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
  /**
   * For vessels no registry authority has named (an IMO that records alone name): which the caller
   * sees a record of this module about. Only those are shown to it by a look-up (src/vessel).
   */
  vesselMentions?: VesselMentions;
  /** Columns holding agency codes that records show as an Agency (see AgencyColumn). */
  agencyColumns?: AgencyColumn[];
  /** Federation: how a representation of an entity this module owns becomes an object. */
  references?: Record<string, (representation: Record<string, unknown>, ctx: RequestContext) => unknown>;
}
