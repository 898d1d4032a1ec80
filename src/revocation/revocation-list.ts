/**
 * The revocations in force, as one hub instance knows them: the database's rows, read every
 * `refreshMs` (and right after a revocation on this instance), so a token revoked anywhere is
 * refused everywhere within that time. revoked.yaml's entries come with the policy snapshot.
 * While the database does not answer, the last list read stays in force.
 */
import type { DataSource } from 'typeorm';
import { revocationOf } from '../policy/revocation';
import type { PolicySet, Principal, Revocation, RevocationKind } from '../policy/types';
import { defineSetting } from '../request/context';

/** How often each instance reads the list (REVOCATION_REFRESH_MS). */
export const DEFAULT_REVOCATION_REFRESH_MS = 2000;

/** What a revoking request asks of its hub: read the list now, so this instance refuses at once. */
export interface RevocationRefresh {
  refresh(): Promise<void>;
}

/** A context made outside a hub has no list to refresh. */
export const REVOCATIONS = defineSetting<RevocationRefresh>('revocations', () => ({ refresh: async () => undefined }));

export class RevocationList implements RevocationRefresh {
  private entries: Revocation[] = [];
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private failing = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: DataSource,
    private readonly opts: { refreshMs: number; onState?: (ok: boolean, err?: unknown) => void },
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Reads the list; calls run one after another, so one asked for after a commit sees it. */
  refresh(): Promise<void> {
    this.queue = this.queue.then(() => this.read());
    return this.queue;
  }

  /** The revocation that refuses `principal` now, from the database or from `policy`'s revoked.yaml. */
  revocationOf(principal: Principal, policy: PolicySet): Revocation | undefined {
    const now = new Date();
    return revocationOf(principal, policy.revoked, now) ?? revocationOf(principal, this.entries, now);
  }

  /** Called when the list read differs from the one before. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async read(): Promise<void> {
    let rows: { agency: string; kind: RevocationKind; value: string; reason: string; until: Date | null }[];
    try {
      rows = await this.db.query(
        `SELECT agency, kind, value, reason, until FROM revocations WHERE until IS NULL OR until > now() ORDER BY id`,
      );
    } catch (err) {
      if (!this.failing) this.opts.onState?.(false, err);
      this.failing = true;
      return;
    }
    if (this.failing) this.opts.onState?.(true);
    this.failing = false;
    const next = rows.map(({ agency, kind, value, reason, until }) => ({ agency, kind, value, reason, until }));
    const changed = JSON.stringify(next) !== JSON.stringify(this.entries);
    this.entries = next;
    if (changed) for (const listener of this.listeners) listener();
  }
}
