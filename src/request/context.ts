/**
 * What every resolver receives: the verified principal and one request's policy snapshot, with
 * the state that lives exactly as long as one execution (decision cache, loaders, reads to audit).
 * A live subscription gets a new context for every event it executes, so none of this outlives
 * the event it was made for.
 */
import type { DataSource } from 'typeorm';
import type { PolicySet, Principal } from '../policy/types';
import { RecordReads } from './audit-record';
import { CommitGate } from './commit-gate';
import { RecordAccess } from './record-access';

/** A per-request loader (usually a DataLoader), defined by the module that owns its data. */
export type LoaderDefinition<L> = (ctx: RequestContext) => L;

/** Names a loader's definition: each context makes it on first use and keeps it for its own life only. */
export const defineLoader = <L>(make: (ctx: RequestContext) => L): LoaderDefinition<L> => make;

class RequestLoaders {
  private readonly made = new Map<LoaderDefinition<unknown>, unknown>();

  constructor(private readonly ctx: RequestContext) {}

  get<L>(definition: LoaderDefinition<L>): L {
    if (!this.made.has(definition)) this.made.set(definition, definition(this.ctx));
    return this.made.get(definition) as L;
  }
}

/** A hub-wide setting a module reads through the context; `fallback` serves contexts made outside a hub. */
export interface Setting<T> {
  name: string;
  fallback: () => T;
}

export const defineSetting = <T>(name: string, fallback: () => T): Setting<T> => ({ name, fallback });

/** The settings one hub runs with (its report rate limit, its webhook runtime, ...). */
export class HubSettings {
  private readonly values: Map<Setting<unknown>, unknown>;

  constructor(values: [Setting<unknown>, unknown][] = []) {
    this.values = new Map(values.filter(([, v]) => v !== undefined));
  }

  get<T>(setting: Setting<T>): T {
    if (!this.values.has(setting)) this.values.set(setting, setting.fallback());
    return this.values.get(setting) as T;
  }
}

/**
 * Whether reads of other agencies' records are noted for the audit trail: always, but in a
 * benchmark's hub that measures their cost (HubOptions.benchmark, refused outside NODE_ENV=benchmark).
 */
export const AUDIT_READS = defineSetting('audit reads', () => true);

/** Contexts made outside a hub (scripts, the demo seed, tests) share these, filled from the environment. */
const FALLBACK_SETTINGS = new HubSettings();

export interface RequestContext {
  principal: Principal;
  /** The policy set in force when the request began; a reload never changes it mid-request. */
  policy: PolicySet;
  db: DataSource;
  access: RecordAccess;
  loaders: RequestLoaders;
  requestId: string;
  /** Reads of other agencies' records, appended to the audit trail after the response. */
  reads: RecordReads;
  settings: HubSettings;
  /** Whether this request's writes may still commit (a stopping hub shuts it at the end of its grace period). */
  commitGate: CommitGate;
}

export function createContext(
  db: DataSource,
  policy: PolicySet,
  principal: Principal,
  requestId: string,
  now = new Date(),
  settings: HubSettings = FALLBACK_SETTINGS,
): RequestContext {
  const reads = new RecordReads(principal.agency.code, settings.get(AUDIT_READS));
  const ctx: RequestContext = {
    principal,
    policy,
    db,
    access: new RecordAccess(policy, principal, now, reads),
    loaders: undefined as never,
    requestId,
    reads,
    settings,
    commitGate: new CommitGate(),
  };
  ctx.loaders = new RequestLoaders(ctx);
  return ctx;
}
