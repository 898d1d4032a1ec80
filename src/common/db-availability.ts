/**
 * Is the database reachable? One instance per hub, told of every failure by whoever meets it
 * (requests, the alert stream, the webhook worker, the audit sealer). The first failure that says
 * the database cannot be reached (isDatabaseUnavailable) marks it down and is logged once; from
 * then on a probe alone retries, with backoff, and the first probe that succeeds marks it up
 * again (logged once, with how long it was down) and wakes the workers that waited. So an outage
 * writes two log lines, not one per failed statement, and the workers do not hammer a server
 * that is starting.
 */
import type { Logger } from './logger';
import { isDatabaseUnavailable } from './errors';
import { outsideDeadline } from './request-deadline';

export interface DatabaseAvailabilityOptions {
  /** The first wait before a probe, doubled after each failed one up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/** What the workers ask of it. */
export type Availability = Pick<DatabaseAvailability, 'down' | 'failed' | 'whenUp'>;

export class DatabaseAvailability {
  private downSince?: number;
  private probeTimer?: NodeJS.Timeout;
  private delayMs: number;
  private waiters = new Set<() => void>();
  private upListeners = new Set<() => void>();
  private stopped = false;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    /** A statement that succeeds when the database answers (SELECT 1). */
    private readonly probe: () => Promise<unknown>,
    private readonly log: Logger,
    opts: DatabaseAvailabilityOptions = {},
  ) {
    this.firstDelayMs = opts.firstDelayMs ?? 250;
    this.maxDelayMs = opts.maxDelayMs ?? 2_000;
    this.delayMs = this.firstDelayMs;
  }

  get down(): boolean {
    return this.downSince !== undefined;
  }

  /**
   * Tell of a failure. True when it says the database is unreachable: the caller then logs
   * nothing of it (the state change is logged here, once); false for any other error.
   */
  failed(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    if (this.downSince === undefined && !this.stopped) {
      this.downSince = Date.now();
      const code = (error as { code?: unknown }).code;
      this.log.error({ code: typeof code === 'string' ? code : undefined }, 'database unreachable');
      this.delayMs = this.firstDelayMs;
      this.scheduleProbe();
    }
    return true;
  }

  /** Resolves at once when the database is up, else when it is up again (or `signal` aborts, or this stops). */
  whenUp(signal?: AbortSignal): Promise<void> {
    if (!this.down || this.stopped || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.waiters.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      this.waiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  /** Calls `listener` each time the database answers again after an outage; returns the unsubscribe. */
  onUp(listener: () => void): () => void {
    this.upListeners.add(listener);
    return () => this.upListeners.delete(listener);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
    for (const wake of [...this.waiters]) wake();
  }

  private scheduleProbe(): void {
    if (this.stopped) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(delay * 2, this.maxDelayMs);
    // The first failure is often met in a request: the probe, and what the recovery starts (the
    // alert stream's reads), must not run under that request's deadline.
    this.probeTimer = outsideDeadline(() =>
      setTimeout(() => {
        this.probe().then(
          () => this.up(),
          () => this.scheduleProbe(),
        );
      }, delay),
    );
    this.probeTimer.unref();
  }

  private up(): void {
    if (this.downSince === undefined) return;
    this.log.info({ downMs: Date.now() - this.downSince }, 'database reachable again');
    this.downSince = undefined;
    for (const wake of [...this.waiters]) wake();
    for (const listener of [...this.upListeners]) listener();
  }
}
