/**
 * The audit trail: append-only and hash-chained, so a removed or altered row breaks the chain.
 *
 * Writers never wait for the chain. They insert their records into audit_inbox in their own
 * transaction, so a record commits exactly when the change or read it records does, and no lock
 * is taken. A sealer moves committed records from the inbox onto the chain (audit_events) in
 * batches; only one seals at a time across all instances, since sealing holds the chain's head
 * row, so sequence order is chain order. Records reach the chain within a fraction of a second,
 * and listing the audit trail seals first, so an auditor sees everything recorded so far.
 */
import type { Availability } from '../common/db-availability';
import { AsyncResource } from 'node:async_hooks';
import { createHash, createHmac } from 'node:crypto';
import { MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { hubSecret } from '../common/hub-secrets';
import type { Principal } from '../policy/types';
import type { AuditRecord } from '../request/audit-record';
import { AuditEvent } from './audit-event.entity';

export interface AuditActor {
  principal: Principal;
  requestId?: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** A record as written to the inbox: everything of a chain link but its place on the chain. */
type PendingRecord = Omit<AuditEvent, 'sequence' | 'hash' | 'prevHash' | 'subjectSealed'>;

/**
 * The key a link's hash seals its subject under (hub_secrets `audit-subject`, made by migration
 * 1764000000950). Every other input of a hash is readable by the auditors who may see the event,
 * so a subject in clear could be guessed and tested against it where the engine withholds it.
 */
const auditSubjectKey = (manager: EntityManager): Promise<Buffer> => hubSecret(manager.connection, 'audit-subject');

/** `subjectKey`: seal the subject under it (every link since migration 1764000000950); null: the subject in clear (links before it). */
function chainHash(prev: string, e: PendingRecord, subjectKey: Buffer | null): string {
  const subject = subjectKey ? `hmac-sha256:${createHmac('sha256', subjectKey).update(e.subject).digest('hex')}` : e.subject;
  const canonical = JSON.stringify([
    e.at.toISOString(),
    subject,
    e.agency,
    e.operation,
    e.recordIds,
    e.dataOwners,
    e.basis ?? null,
    e.agreementId ?? null,
    e.purpose ?? null,
    e.requestId ?? null,
  ]);
  return createHash('sha256').update(prev).update(canonical).digest('hex');
}

function pendingRecords(entries: { actor: AuditActor; records: AuditRecord[] }[], at = new Date()): PendingRecord[] {
  return entries.flatMap(({ actor, records }) =>
    records.map((r) => ({
      at,
      subject: actor.principal.subject,
      agency: actor.principal.agency.code,
      operation: r.operation,
      recordIds: r.recordIds,
      dataOwners: [...new Set(r.dataOwners)],
      basis: r.basis ?? null,
      agreementId: r.agreementId ?? null,
      purpose: actor.principal.purpose ?? null,
      requestId: actor.requestId ?? null,
    })),
  );
}

const RECORD_COLUMNS = `at timestamptz, subject text, agency text, operation text, "recordIds" text[], "dataOwners" text[],
  basis text, "agreementId" text, purpose text, "requestId" text`;

/** Records into the inbox, in one statement (atomic on its own, or part of the caller's transaction). */
async function insertIntoInbox(manager: EntityManager, records: PendingRecord[]): Promise<void> {
  if (records.length === 0) return;
  await manager.query(
    `INSERT INTO audit_inbox (at, subject, agency, operation, record_ids, data_owners, basis, agreement_id, purpose, request_id)
     SELECT r.at, r.subject, r.agency, r.operation, r."recordIds", r."dataOwners", r.basis, r."agreementId", r.purpose, r."requestId"
     FROM jsonb_to_recordset($1::jsonb) AS r(${RECORD_COLUMNS})`,
    [JSON.stringify(records)],
  );
}

/** Records what `actor` did, in the caller's transaction: the record commits with the change. */
export async function appendAudit(manager: EntityManager, actor: AuditActor, records: AuditRecord[]): Promise<void> {
  await insertIntoInbox(manager, pendingRecords([{ actor, records }]));
}

/**
 * Group commit for reads that are audited one delivery at a time (live subscriptions): appends
 * that arrive while an insert is in flight go together in the next one, so a burst of audited
 * deliveries costs a few statements, not one each. `append` resolves once the records are
 * committed: the caller delivers only what is on record.
 */
export class AuditWriter {
  /** `alone`: retried in an insert of its own after its batch failed. */
  private queue: { records: PendingRecord[]; written: () => void; failed: (err: unknown) => void; alone?: boolean }[] = [];
  private writing?: Promise<void>;
  /**
   * The writer's own async context (where it was made): its inserts never run under the deadline
   * or the request id of whichever request happened to start them.
   */
  private readonly scope = new AsyncResource('AuditWriter');

  constructor(
    private readonly db: DataSource,
    private readonly maxRecordsPerInsert = 2_000,
    /**
     * How long appends gather before each insert. 0 (live deliveries, which wait for their
     * records): only what arrives in the current turn of the event loop. Reads of HTTP requests,
     * which do not wait, gather longer: fewer, larger inserts cost the database less.
     */
    private readonly gatherMs = 0,
  ) {}

  append(actor: AuditActor, records: AuditRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ records: pendingRecords([{ actor, records }]), written: resolve, failed: reject });
      this.writing ??= this.scope.runInAsyncScope(() => this.drain());
    });
  }

  /** Resolves when everything appended so far is written (or has failed). */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Let the deliveries of the current event join the first insert.
    await this.gather();
    while (this.queue.length > 0) {
      const batch = this.nextBatch();
      try {
        await insertIntoInbox(
          this.db.manager,
          batch.flatMap((e) => e.records),
        );
        for (const e of batch) e.written();
      } catch (err) {
        if (batch.length === 1) batch[0].failed(err);
        // One bad append must not fail the others it was batched with: each again on its own.
        else this.queue.unshift(...batch.map((e) => ({ ...e, alone: true })));
      }
      if (this.gatherMs > 0 && this.queue.length > 0) await this.gather();
    }
    this.writing = undefined;
  }

  private gather(): Promise<unknown> {
    return new Promise((resolve) => (this.gatherMs > 0 ? setTimeout(resolve, this.gatherMs) : setImmediate(resolve)));
  }

  /** The next insert: an append to retry alone, or as many others as fit in one insert. */
  private nextBatch() {
    if (this.queue[0].alone) return this.queue.splice(0, 1);
    let n = 0;
    let count = 0;
    while (n < this.queue.length && !this.queue[n].alone && (n === 0 || count + this.queue[n].records.length <= this.maxRecordsPerInsert)) {
      count += this.queue[n].records.length;
      n++;
    }
    return this.queue.splice(0, n);
  }
}

/**
 * Moves committed inbox records onto the chain, oldest first, `limit` at a time; returns how many.
 * Holding the head row makes this the only sealer: with `wait` it waits its turn (the audit trail
 * query), without it it leaves the work to whichever instance is sealing (the background sealer).
 */
export async function sealAuditInbox(db: DataSource, opts: { wait?: boolean; limit?: number } = {}): Promise<number> {
  const limit = opts.limit ?? 5_000;
  let sealed = 0;
  for (;;) {
    const n = await db.transaction(async (m) => {
      const [head]: { hash: string; sequence: string }[] = await m.query(
        `SELECT hash, sequence::text AS sequence FROM audit_chain_head FOR UPDATE${opts.wait ? '' : ' SKIP LOCKED'}`,
      );
      if (!head) {
        if (opts.wait) throw new Error('the audit chain head (audit_chain_head) is missing: the chain cannot be extended');
        return 0; // another instance is sealing
      }
      const taken: (PendingRecord & { id: string })[] = await m.query(
        `WITH taken AS (
           DELETE FROM audit_inbox WHERE id IN (SELECT id FROM audit_inbox ORDER BY id LIMIT $1)
           RETURNING id, at, subject, agency, operation, record_ids AS "recordIds", data_owners AS "dataOwners", basis,
                     agreement_id AS "agreementId", purpose, request_id AS "requestId"
         )
         SELECT * FROM taken ORDER BY id`,
        [limit],
      );
      if (taken.length === 0) return 0;
      const subjectKey = await auditSubjectKey(m);
      let prev = head.hash;
      const links = taken.map(({ id: _id, ...record }, n) => {
        const hash = chainHash(prev, record, subjectKey);
        const link = { ...record, prevHash: prev, hash, n };
        prev = hash;
        return link;
      });
      // The sealer holding the head is the only writer of the chain: it numbers the links itself,
      // the head's sequence + 1, + 2, ..., so sequence order is chain order by construction.
      await m.query(
        `WITH sealed AS (
           INSERT INTO audit_events (sequence, at, subject, agency, operation, record_ids, data_owners, basis, agreement_id, purpose, request_id, prev_hash, hash,
                                     subject_sealed)
           SELECT $2::bigint + r.n + 1, r.at, r.subject, r.agency, r.operation, r."recordIds", r."dataOwners", r.basis, r."agreementId", r.purpose,
                  r."requestId", r."prevHash", r.hash, true
           FROM jsonb_to_recordset($1::jsonb) AS r(${RECORD_COLUMNS}, "prevHash" text, hash text, n int)
         )
         UPDATE audit_chain_head SET hash = $3, sequence = $2::bigint + $4`,
        [JSON.stringify(links), head.sequence, prev, links.length],
      );
      return taken.length;
    });
    sealed += n;
    if (n < limit) return sealed;
  }
}

/** Seals the inbox every `intervalMs` on this instance; `stop` seals what is left. */
export class AuditSealer {
  private timer?: NodeJS.Timeout;
  private sealing?: Promise<unknown>;

  constructor(
    private readonly db: DataSource,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = 250,
    /** While the database is unreachable, no attempt: its probe retries with backoff, and sealing resumes when it answers. */
    private readonly availability?: Pick<Availability, 'down'>,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.availability?.down) return;
      this.sealing ??= this.sealIfAny()
        .catch(this.onError)
        .finally(() => (this.sealing = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  private async sealIfAny(): Promise<void> {
    const [{ pending }]: { pending: boolean }[] = await this.db.query('SELECT EXISTS (SELECT 1 FROM audit_inbox) AS pending');
    if (pending) await sealAuditInbox(this.db);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sealing;
    await sealAuditInbox(this.db, { wait: true }).catch(this.onError);
  }
}

/** What a walk of the chain found; see checkAuditChain. */
export interface AuditChainCheck {
  /** The sequence of the first broken link; 'head' when the head does not name the last link's hash or is missing. */
  broken?: string;
  /** Links read and found intact, oldest first (all of them when `broken` is undefined). */
  links: number;
  /** The sequence of the last intact link read (undefined for an empty chain). */
  lastSequence?: string;
  /** The head row (audit_chain_head), or undefined when it is missing. */
  head?: { hash: string; sequence: string };
}

const AUDIT_CHAIN_PAGE_SIZE = 10_000;

/**
 * Recompute the chain, `pageSize` links at a time in sequence order (keyset pagination on
 * sequence), so memory stays flat however long the trail is. It runs in one REPEATABLE READ
 * transaction, so the pages and the head are one snapshot: links sealed meanwhile are not
 * mistaken for a mismatching head. (Given a manager already in a transaction, it runs inside it,
 * with that transaction's isolation.)
 */
export async function checkAuditChain(manager: EntityManager, opts: { pageSize?: number } = {}): Promise<AuditChainCheck> {
  const pageSize = opts.pageSize ?? AUDIT_CHAIN_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a whole number of at least 1, got ${pageSize}`);
  return manager.transaction('REPEATABLE READ', async (m) => {
    const events = m.getRepository(AuditEvent);
    const subjectKey = await auditSubjectKey(m);
    let prev = GENESIS_HASH;
    let links = 0;
    let lastSequence: string | undefined;
    for (;;) {
      const page = await events.find({
        where: lastSequence === undefined ? {} : { sequence: MoreThan(lastSequence) },
        order: { sequence: 'ASC' },
        take: pageSize,
      });
      for (const e of page) {
        if (e.prevHash !== prev || chainHash(prev, e, e.subjectSealed ? subjectKey : null) !== e.hash)
          return { broken: e.sequence, links, lastSequence, head: await chainHead(m) };
        prev = e.hash;
        links++;
        lastSequence = e.sequence;
      }
      if (page.length < pageSize) break;
    }
    const head = await chainHead(m);
    return { broken: head?.hash === prev ? undefined : 'head', links, lastSequence, head };
  });
}

async function chainHead(manager: EntityManager): Promise<{ hash: string; sequence: string } | undefined> {
  const [head]: { hash: string; sequence: string }[] = await manager.query('SELECT hash, sequence::text AS sequence FROM audit_chain_head');
  return head;
}

/**
 * Recompute the chain; returns the sequence of the first broken link, 'head' when the last rows
 * were removed (the chain's head names a hash no row has) or the head itself is gone, or
 * undefined if intact. Reads `pageSize` links at a time (see checkAuditChain).
 */
export async function verifyAuditChain(manager: EntityManager, opts: { pageSize?: number } = {}): Promise<string | undefined> {
  return (await checkAuditChain(manager, opts)).broken;
}
