/**
 * The alert stream: one ordered log (alert_events) in PostgreSQL, read by every hub instance.
 *
 * Writers queue their events in their own transaction (alert_outbox) and, once committed, move
 * them onto the log under a stream lock in one statement (sequenceQueuedEvents), so sequence
 * order is commit order and a reader that remembers "last sequence seen" never skips a row that
 * commits late. The move NOTIFYs; NOTIFY is only a wake-up (payloads are not trusted, and a missed one is
 * covered by a slow poll). Each instance fetches every new batch ONCE and keeps the recent tail in
 * memory; subscribers read the tail by position, so fan-out costs no query per subscriber. A
 * subscriber behind the tail (resume after a long sleep) catches up from the table itself.
 */
import { Client } from 'pg';
import type { Availability } from '../common/db-availability';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { Vessel } from '../vessel/vessel.entity';
import { VesselAlert } from './vessel-alert.entity';

const STREAM_CHANNEL = 'portcullis_alert_stream';
const STREAM_LOCK_KEY = 0x616c7274; // "alrt"
/** Reconnecting the LISTEN connection: the first wait, doubled per failed attempt up to the last. */
const RECONNECT_FIRST_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

export interface StreamEvent {
  sequence: bigint;
  kind: 'PUBLISHED' | 'UPDATED';
  alertId: string;
  /** The alert's vessel, read with the batch so no subscriber has to query it. */
  vessel: Vessel;
  /** The alert as it stood when this instance read the event. */
  alert: VesselAlert;
}

export interface QueuedEvent {
  alertId: string;
  kind: 'PUBLISHED' | 'UPDATED';
  status: string;
  note: string | null;
  actor: string;
}

/** Queues an event in the writer's transaction (no lock taken): it commits or rolls back with the change. */
export async function queueStreamEvent(m: EntityManager, event: QueuedEvent): Promise<void> {
  await m.query('INSERT INTO alert_outbox (alert_id, kind, status, note, actor) VALUES ($1, $2, $3, $4, $5)', [
    event.alertId,
    event.kind,
    event.status,
    event.note,
    event.actor,
  ]);
}

/**
 * Moves committed events from the outbox onto the stream in outbox order, as ONE statement in
 * its own transaction: it takes the stream lock, draws the sequences, stamps them on the alerts,
 * NOTIFYs, and its commit releases the lock. No round trip to a hub happens while the lock is
 * held, so a hub busy with fan-out cannot stall every publisher, and sequence order is commit
 * order. Writers call it right after their commit; each instance's poll also calls it for events
 * older than `minAgeMs`, which a writer that stopped between its commit and this call left.
 * Returns the sequences it gave.
 */
export async function sequenceQueuedEvents(db: DataSource, minAgeMs = 0): Promise<{ alertId: string; sequence: string }[]> {
  return db.query(
    `WITH locked AS (SELECT pg_advisory_xact_lock($1)),
     moved AS (
       DELETE FROM alert_outbox o
       WHERE o.created_at <= clock_timestamp() - $2 * interval '1 millisecond' AND EXISTS (SELECT FROM locked)
       RETURNING o.id, o.alert_id, o.kind, o.status, o.note, o.actor
     ),
     appended AS (
       INSERT INTO alert_events (alert_id, kind, status, note, actor)
       SELECT alert_id, kind, status, note, actor FROM moved ORDER BY id
       RETURNING sequence, alert_id
     ),
     stamped AS (
       UPDATE vessel_alerts a SET sequence = latest.sequence
       FROM (SELECT alert_id, max(sequence) AS sequence FROM appended GROUP BY alert_id) latest
       WHERE a.id = latest.alert_id
     )
     SELECT alert_id AS "alertId", sequence::text AS sequence, pg_notify($3, sequence::text) FROM appended ORDER BY sequence`,
    [STREAM_LOCK_KEY, minAgeMs, STREAM_CHANNEL],
  );
}

const EVENT_COLUMNS = `e.sequence AS "e_sequence", e.kind AS "e_kind", e.status AS "e_status"`;

/** Events after `after`, oldest first, each with its alert: one query however many subscribers. */
export async function readEvents(db: DataSource, after: bigint, limit: number): Promise<StreamEvent[]> {
  const qb = db
    .getRepository(VesselAlert)
    .createQueryBuilder('a')
    .innerJoin('alert_events', 'e', 'e.alert_id = a.id')
    .addSelect(EVENT_COLUMNS)
    .where('e.sequence > :after', { after: after.toString() })
    .orderBy('e.sequence', 'ASC')
    .limit(limit);
  const { entities, raw } = await qb.getRawAndEntities();
  // getRawAndEntities returns one entity per distinct alert; each event gets its own copy with
  // the status and sequence it had at that event, so a replay shows history as it happened.
  const byId = new Map(entities.map((a) => [a.id, a]));
  const vesselIds = [...new Set(entities.map((a) => a.vesselId))];
  const vessels = vesselIds.length ? await db.getRepository(Vessel).findBy({ id: In(vesselIds) }) : [];
  const vesselById = new Map(vessels.map((v) => [v.id, v]));
  return raw.map((r: Record<string, unknown>) => {
    const alert = Object.assign(Object.create(VesselAlert.prototype) as VesselAlert, byId.get(String(r.a_id)), {
      status: r.e_status as VesselAlert['status'],
      sequence: String(r.e_sequence),
    });
    return {
      sequence: BigInt(String(r.e_sequence)),
      kind: r.e_kind as StreamEvent['kind'],
      alertId: alert.id,
      vessel: vesselById.get(alert.vesselId)!,
      alert,
    };
  });
}

export interface AlertStreamOptions {
  /** How many recent events to keep in memory for live subscribers. */
  tailSize?: number;
  /** Safety poll when no notification arrives (missed NOTIFY, dropped listener). */
  pollIntervalMs?: number;
  batchSize?: number;
  onError?: (err: unknown) => void;
  /** While the database is unreachable the poll skips (its probe retries with backoff); the first poll after catches up. */
  availability?: Pick<Availability, 'down'>;
}

export class AlertStream {
  private tail: StreamEvent[] = [];
  /** Highest sequence this instance has read. */
  private head = 0n;
  private listeners = new Set<() => void>();
  private listener?: Client;
  /** A LISTEN connection being opened, or the wait before the next attempt. */
  private connecting = false;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelayMs = RECONNECT_FIRST_MS;
  private pollTimer?: NodeJS.Timeout;
  private fetching?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly tailSize: number;
  private readonly batchSize: number;

  constructor(
    private readonly db: DataSource,
    private readonly listenUrl: string,
    private readonly opts: AlertStreamOptions = {},
  ) {
    this.tailSize = opts.tailSize ?? 10_000;
    this.batchSize = opts.batchSize ?? 1_000;
  }

  async start(): Promise<void> {
    const [{ max }] = await this.db.query('SELECT COALESCE(MAX(sequence), 0)::text AS max FROM alert_events');
    this.head = BigInt(max);
    await this.listen();
    const pollMs = this.opts.pollIntervalMs ?? 2_000;
    this.pollTimer = setInterval(() => {
      if (this.opts.availability?.down) return;
      // Events a writer queued but did not get to move (it stopped right after its commit).
      sequenceQueuedEvents(this.db, pollMs).catch((err) => this.opts.onError?.(err));
      void this.fetch();
    }, pollMs);
    this.pollTimer.unref();
  }

  private async listen(): Promise<void> {
    this.connecting = true;
    const client = new Client({ connectionString: this.listenUrl, application_name: 'portcullis-stream' });
    client.on('notification', () => void this.fetch());
    // Lost (the server restarted, the connection was cut): reconnect with backoff; the poll
    // keeps delivering meanwhile, and /readyz says the stream is not listening.
    const lost = (err?: unknown) => {
      if (err !== undefined) this.opts.onError?.(err);
      if (this.listener !== client) return;
      this.listener = undefined;
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${STREAM_CHANNEL}`);
    } catch (err) {
      void client.end().catch(() => undefined);
      throw err;
    } finally {
      this.connecting = false;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    this.reconnectDelayMs = RECONNECT_FIRST_MS;
    // What was sequenced while nobody listened.
    void this.fetch();
  }

  /** One attempt after the current delay (1 s, doubling up to 30 s), and another after that until one holds. */
  private scheduleReconnect(): void {
    if (this.stopped || this.listener || this.connecting || this.reconnectTimer) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.listen().catch((err) => {
        this.opts.onError?.(err);
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  /** The database answers again: open the LISTEN connection now rather than at the end of its backoff, and read what was missed. */
  reconnectNow(): void {
    void this.fetch();
    if (this.stopped || this.listener || this.connecting) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.reconnectDelayMs = RECONNECT_FIRST_MS;
    this.listen().catch((err) => {
      this.opts.onError?.(err);
      this.scheduleReconnect();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    this.wakeAll();
    await this.listener?.end().catch(() => undefined);
    await this.fetching;
  }

  /** The position a new live-only subscriber starts from. */
  get position(): bigint {
    return this.head;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Whether this instance is listening for new events now (the readiness check): false while it reconnects. */
  get listening(): boolean {
    return this.listener !== undefined && !this.stopped;
  }

  /** Read whatever committed since the last read; concurrent wake-ups coalesce into one more read. */
  fetch(): Promise<void> {
    if (this.fetching) {
      this.again = true;
      return this.fetching;
    }
    this.fetching = (async () => {
      try {
        do {
          this.again = false;
          let batch: StreamEvent[];
          do {
            batch = await readEvents(this.db, this.head, this.batchSize);
            if (batch.length > 0) this.append(batch);
          } while (batch.length === this.batchSize && !this.stopped);
        } while (this.again && !this.stopped);
      } catch (err) {
        this.opts.onError?.(err);
      } finally {
        this.fetching = undefined;
      }
    })();
    return this.fetching;
  }

  private append(batch: StreamEvent[]): void {
    this.tail.push(...batch);
    this.head = batch[batch.length - 1].sequence;
    if (this.tail.length > this.tailSize) this.tail.splice(0, this.tail.length - this.tailSize);
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Calls `listener` whenever new events arrive and when the stream stops; returns the unsubscribe. */
  onMore(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Events after `position` from the in-memory tail, without waiting (every feed asks on every
   * wake-up); undefined when `position` is older than the tail and only the table has them.
   */
  tailAfter(position: bigint, limit = 500): StreamEvent[] | undefined {
    if (position >= this.head) return [];
    const oldest = this.tail[0];
    // Older than the tail (or the tail has gaps from failed moves we cannot tell apart).
    if (!oldest || oldest.sequence > position + 1n) return undefined;
    // The tail is in sequence order: binary search.
    let lo = 0;
    let hi = this.tail.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tail[mid].sequence > position) hi = mid;
      else lo = mid + 1;
    }
    return this.tail.slice(lo, lo + limit);
  }

  /** Events after `position` that this instance has read: from the tail, or else from the table. */
  async eventsAfter(position: bigint, limit = 500): Promise<StreamEvent[]> {
    // From the table, never beyond what this instance has read, so order stays one order.
    return this.tailAfter(position, limit) ?? (await readEvents(this.db, position, limit)).filter((e) => e.sequence <= this.head);
  }

  /** Resolves when new events arrive (or the stream stops, or `signal` fires). */
  waitForMore(signal?: AbortSignal): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        signal?.removeEventListener('abort', wake);
        stopListening();
        resolve();
      };
      const stopListening = this.onMore(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }
}
