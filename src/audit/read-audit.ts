/**
 * The reads of HTTP requests go on the audit trail off the request's critical path: the response
 * does not wait for its records, which an AuditWriter appends to the audit inbox in batches
 * (group commit: every request's records that arrive within 50 ms, or while an insert is in
 * flight, go together in the next one). The sealer moves them onto the chain as for every other record.
 *
 * Bounded: while more than `maxBacklog` records wait to be written (the database is slow or
 * away), a request's response waits until its own records are written. Memory stays bounded,
 * nothing is dropped, and a backed-up inbox slows readers down instead of letting reads go
 * unrecorded. A write that meets a database outage is tried again once the database answers.
 */
import type { Availability } from '../common/db-availability';
import type { AuditRecord } from '../request/audit-record';
import { AuditWriter, type AuditActor } from './audit.service';
import type { DataSource } from 'typeorm';

/** Records of reads that may wait to be written before responses wait for theirs. */
const DEFAULT_AUDIT_READ_BACKLOG = 20_000;

const MAX_OUTAGE_ATTEMPTS = 5;

/** How long reads gather before each insert into the inbox (nobody waits for them). */
const GATHER_MS = 50;

export class ReadAudit {
  private readonly writer: AuditWriter;
  private readonly inFlight = new Set<Promise<void>>();
  /** Records queued and not yet written (or failed). */
  private waiting = 0;
  private stopped = false;
  private announceStop!: () => void;
  /** Resolves when the hub stops: a write waiting for the database gives up. */
  private readonly stopping = new Promise<void>((resolve) => (this.announceStop = resolve));

  constructor(
    db: DataSource,
    private readonly opts: {
      maxBacklog?: number;
      /** A write that failed for good (its records are lost): the hub logs it. */
      onError: (err: unknown, records: number) => void;
      availability?: Pick<Availability, 'failed' | 'whenUp'>;
    },
  ) {
    this.writer = new AuditWriter(db, undefined, GATHER_MS);
  }

  /**
   * Queues `records`; resolves at once while the backlog is within its bound, else once they are
   * written (and rejects if they cannot be).
   */
  record(actor: AuditActor, records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    this.waiting += records.length;
    const written = this.write(actor, records);
    this.inFlight.add(written);
    void written
      .catch(() => undefined)
      .finally(() => {
        this.inFlight.delete(written);
        this.waiting -= records.length;
      });
    if (this.waiting > (this.opts.maxBacklog ?? DEFAULT_AUDIT_READ_BACKLOG)) return written;
    written.catch((err) => this.opts.onError(err, records.length));
    return Promise.resolve();
  }

  /**
   * For a stopping hub: resolves when everything queued so far is written, or has failed. A write
   * waiting for the database to come back waits no longer: it fails (and is logged) at once.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.announceStop();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async write(actor: AuditActor, records: AuditRecord[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writer.append(actor, records);
      } catch (err) {
        if (this.stopped || !this.opts.availability?.failed(err) || attempt >= MAX_OUTAGE_ATTEMPTS) throw err;
        await Promise.race([this.opts.availability.whenUp(), this.stopping]);
      }
    }
  }
}
