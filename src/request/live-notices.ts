/**
 * A live feed of rows other writers commit (audit anomalies, entry feedback), for subscriptions
 * that are not the alert stream. One poll per feed and instance, however many subscribers: the
 * rows committed since the last poll are read once and handed to every listener, which keeps
 * those its principal may see (the engine's in-memory scope).
 *
 * Rows are read by transaction horizon, not by "last id seen": each row carries the id of the
 * transaction that wrote it (an `xid8` column defaulting to pg_current_xact_id()), and a poll
 * reads the rows whose transaction is at or after the previous horizon and before the current
 * one (pg_snapshot_xmin: every transaction before it has ended). A row whose transaction commits
 * late is read by the first poll after it commits, never skipped (STACK-NOTES, alert ordering).
 * Only rows committed after the feed's first poll are delivered.
 */
import type { DataSource } from 'typeorm';
import { defineSetting } from './context';

/** Reads the rows written by transactions in [from, to) (xid8 as text). */
export type NoticeReader<T> = (db: DataSource, from: string, to: string) => Promise<T[]>;

interface Listener<T> {
  push(items: T[]): void;
}

export class NoticeFeed<T> {
  private readonly listeners = new Set<Listener<T>>();
  private horizon?: string;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly read: NoticeReader<T>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /**
   * The rows committed from now on that `keep` admits, until `signal` aborts. Resolves once the
   * feed has its starting horizon, so a row committed after it returns is delivered.
   */
  async listen(keep: (item: T) => boolean, signal: AbortSignal): Promise<AsyncGenerator<T>> {
    if (this.stopped) throw new Error('the hub is stopping');
    const queue: T[] = [];
    let wake: (() => void) | undefined;
    const listener: Listener<T> = {
      // Also called with nothing when the feed stops: the loop looks again and ends.
      push: (items) => {
        for (const item of items) if (keep(item)) queue.push(item);
        wake?.();
      },
    };
    this.listeners.add(listener);
    const ended = () => {
      this.listeners.delete(listener);
      wake?.();
      if (this.listeners.size === 0) this.pause();
    };
    signal.addEventListener('abort', ended, { once: true });
    await this.ensurePolling();
    const stopped = () => this.stopped;
    return (async function* () {
      try {
        while (!signal.aborted && !stopped()) {
          if (queue.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          yield queue.shift()!;
        }
      } finally {
        ended();
      }
    })();
  }

  /** Polls now rather than at the next tick (after a write of this instance). */
  poke(): void {
    if (this.listeners.size > 0) this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.pause();
    for (const l of this.listeners) l.push([]);
  }

  private async ensurePolling(): Promise<void> {
    if (this.horizon === undefined) {
      const [{ horizon }]: { horizon: string }[] = await this.db.query('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon');
      this.horizon ??= horizon;
    }
    if (!this.timer && !this.stopped) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    }
  }

  private pause(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    // The next listener starts from its own moment: nothing older is kept for it.
    if (this.listeners.size === 0) this.horizon = undefined;
  }

  private tick(): void {
    this.polling ??= this.poll()
      .catch(this.onError)
      .finally(() => (this.polling = undefined));
  }

  private async poll(): Promise<void> {
    const from = this.horizon;
    if (from === undefined) return;
    const [{ horizon }]: { horizon: string }[] = await this.db.query('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon');
    if (horizon === from) return;
    const items = await this.read(this.db, from, horizon);
    // A pause meanwhile dropped the horizon: the next listener starts afresh.
    if (this.horizon !== from) return;
    this.horizon = horizon;
    if (items.length > 0) for (const l of this.listeners) l.push(items);
  }
}

/** A feed as a hub setting: made by the hub (src/server/app.ts); a context outside a hub has none. */
export const defineNoticeFeed = <T>(name: string) => defineSetting<NoticeFeed<T> | undefined>(name, () => undefined);
