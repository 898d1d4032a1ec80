/**
 * The policy set in force and the token verifier built from it, swapped together and atomically
 * on reload. A request takes one snapshot at its start and keeps it to the end.
 */
import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { createTokenVerifier, type TokenVerifier } from '../auth/tokens';
import { DEV_ISSUER } from '../auth/dev-token';
import { DEFAULT_REMOTE_KEY_OPTIONS, RemoteKeySets, type RemoteKeyOptions } from '../auth/remote-keys';
import { loadPolicies, validateFieldCoverage } from '../policy/load';
import { agreementWindowCrossed } from '../policy/agreements';
import { SHAREABLE_TYPES, type PolicySet, type ShareableType } from '../policy/types';

/** Field names of each shareable type in `schema`, to check fields.yaml classes every one of them. */
export function shareableFieldNames(schema: GraphQLSchema): Record<ShareableType, string[]> {
  const names = (type: string) => Object.keys((schema.getType(type) as GraphQLObjectType).getFields());
  return Object.fromEntries(SHAREABLE_TYPES.map((t) => [t, names(t)])) as Record<ShareableType, string[]>;
}

/**
 * A check a new policy set must pass before it is swapped in, beyond the files' own validation
 * (for example: the hub's records name no agency the new set drops). Returns why it refuses.
 */
export type PolicyCheck = (policy: PolicySet) => Promise<string | undefined>;

export type ReloadResult = { ok: true } | { ok: false; error: string };

export interface PolicySnapshot {
  policy: PolicySet;
  verifier: TokenVerifier;
  loadedAt: Date;
}

export interface PolicyStoreOptions extends Partial<RemoteKeyOptions> {
  /**
   * Whether issuers.yaml may trust the development issuer; when not, a set that does is refused
   * at start-up and on reload, before its key file is read (config.ts, `allowDevIssuer`). Default true.
   */
  allowDevIssuer?: boolean;
}

export class PolicyStore {
  private snapshot: PolicySnapshot;
  private readonly listeners = new Set<(s: PolicySnapshot) => void>();
  private readonly checks = new Set<PolicyCheck>();
  /** Reloads run one after another, so a slower check never lets an older set win. */
  private reloading: Promise<unknown> = Promise.resolve();

  /** Issuers' fetched keys, kept across reloads. */
  private readonly remoteKeys: RemoteKeySets;
  private readonly allowDevIssuer: boolean;

  constructor(
    readonly dir: string,
    private readonly schema: GraphQLSchema,
    private readonly audience: string,
    { allowDevIssuer = true, ...remoteKeys }: PolicyStoreOptions = {},
  ) {
    this.allowDevIssuer = allowDevIssuer;
    this.remoteKeys = new RemoteKeySets({ ...DEFAULT_REMOTE_KEY_OPTIONS, ...remoteKeys });
    this.snapshot = this.load(); // start-up: a bad policy set throws and the hub does not start
  }

  private load(): PolicySnapshot {
    const policy = loadPolicies(this.dir);
    if (!this.allowDevIssuer && policy.issuers.some((i) => i.iss === DEV_ISSUER)) {
      throw new Error(
        `${this.dir}/issuers.yaml trusts the development issuer ${DEV_ISSUER}, which is refused unless NODE_ENV=development: ` +
          `remove its entry (README, "Going live"), or set ALLOW_DEV_ISSUER=true for a demo`,
      );
    }
    validateFieldCoverage(policy, shareableFieldNames(this.schema));
    const verifier = createTokenVerifier(policy, { audience: this.audience, remoteKeys: this.remoteKeys });
    return { policy, verifier, loadedAt: new Date() };
  }

  get current(): PolicySnapshot {
    return this.snapshot;
  }

  /** Swap in the files as they are now, or keep the old set and say why. */
  reload(): Promise<ReloadResult> {
    const result = this.reloading.then(() => this.reloadNow());
    this.reloading = result;
    return result;
  }

  private async reloadNow(): Promise<ReloadResult> {
    let next: PolicySnapshot;
    try {
      next = this.load();
      const refusal = await this.refusalOf(next.policy);
      if (refusal) return { ok: false, error: refusal };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    this.snapshot = next;
    for (const listener of this.listeners) listener(this.snapshot);
    return { ok: true };
  }

  /** Why `policy` may not be put in force, by the first check that refuses it. */
  private async refusalOf(policy: PolicySet): Promise<string | undefined> {
    for (const check of this.checks) {
      const refusal = await check(policy);
      if (refusal) return refusal;
    }
    return undefined;
  }

  /** Adds a check every later reload must pass; returns its removal. */
  addCheck(check: PolicyCheck): () => void {
    this.checks.add(check);
    return () => this.checks.delete(check);
  }

  /**
   * Calls `listener` when time alone may have changed a decision (an agreement's validity window
   * opened or closed), looking every `intervalMs`. With onReload, what live parts (subscriptions,
   * webhooks) need to re-check what they have shown.
   */
  onAgreementWindow(intervalMs: number, listener: () => void): () => void {
    let checkedAt = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      if (agreementWindowCrossed(this.snapshot.policy.agreements, checkedAt, now)) listener();
      checkedAt = now;
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Live parts (subscriptions) re-check what they hold when the policy changes. */
  onReload(listener: (s: PolicySnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
