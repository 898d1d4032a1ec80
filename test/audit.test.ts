/**
 * The audit trail (src/audit/audit.service.ts) against real PostgreSQL: writers append to
 * audit_inbox (appendAudit in the caller's transaction, AuditWriter by group commit), sealers move
 * committed records onto the hash chain audit_events, one at a time across instances.
 *
 * - concurrency: two hub instances (two DataSources) appending and sealing at once put every
 *   record on the chain exactly once, in one unbroken chain, and leave the inbox empty;
 * - only the holder of the chain's head seals: without `wait` a sealer skips, with `wait` it waits;
 * - AuditWriter.append resolves only once the record is committed (another instance sees it);
 * - a failing append rejects alone: the appends batched with it are retried one by one and written;
 * - tamper evidence: removing the newest link, or altering or removing a middle one, is detected;
 * - AuditSealer seals in the background, and `stop` seals what is left.
 */
import type { DataSource } from 'typeorm';
import { AuditSealer, AuditWriter, GENESIS_HASH, appendAudit, sealAuditInbox, verifyAuditChain } from '../src/audit/audit.service';
import { createDataSource } from '../src/db/data-source';
import { auditActor, readOf } from './support/audit-fixtures';
import { createTestDatabase, type TestDatabase } from './support/db';
import { pollUntil, sleep } from './support/wait';

// ---------------------------------------------------------------------------------------------
// Helpers

interface ChainRow {
  sequence: string;
  request_id: string | null;
  record_ids: string[];
  agency: string;
  prev_hash: string;
  hash: string;
}

const chain = (ds: DataSource): Promise<ChainRow[]> =>
  ds.query('SELECT sequence, request_id, record_ids, agency, prev_hash, hash FROM audit_events ORDER BY sequence');

const inboxCount = async (ds: DataSource): Promise<number> => Number((await ds.query('SELECT count(*)::int AS n FROM audit_inbox'))[0].n);

/** How many times `requestId` is on record anywhere (inbox or chain), seen through `ds`. */
const onRecord = async (ds: DataSource, requestId: string): Promise<number> =>
  Number(
    (
      await ds.query(
        `SELECT (SELECT count(*) FROM audit_inbox WHERE request_id = $1) + (SELECT count(*) FROM audit_events WHERE request_id = $1) AS n`,
        [requestId],
      )
    )[0].n,
  );

/**
 * A fresh database for the enclosing describe, reached by two hub instances (two DataSources):
 * `db` and `other`. Read them inside tests, after beforeAll has run.
 */
function twoInstances(): { readonly db: DataSource; readonly other: DataSource } {
  let database: TestDatabase | undefined;
  let other: DataSource | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    other = createDataSource(database.url, { poolSize: 5, applicationName: 'portcullis-test-second' });
    await other.initialize();
  }, 60_000);
  afterAll(async () => {
    if (other?.isInitialized) await other.destroy();
    await database?.drop();
  });
  return {
    get db() {
      return database!.db;
    },
    get other() {
      return other!;
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe('two instances appending and sealing concurrently', () => {
  const instances = twoInstances();

  it('puts every record on the chain exactly once, in one unbroken chain, and empties the inbox', async () => {
    const { db, other } = instances;
    const writers = [new AuditWriter(db), new AuditWriter(other)];
    const expected = new Map<string, { recordId: string; agency: string }>();

    const appends: Promise<void>[] = [];
    const produce = async () => {
      for (let i = 0; i < 300; i++) {
        const requestId = `req-${i}`;
        const code = ['nl-customs', 'be-customs', 'de-customs'][i % 3];
        expected.set(requestId, { recordId: `rec-${i}`, agency: code });
        // Every fifth record is written by the caller itself, the others through either writer.
        appends.push(
          i % 5 === 4
            ? appendAudit(db.manager, auditActor(code, requestId), [readOf(`rec-${i}`)])
            : writers[i % 2].append(auditActor(code, requestId), [readOf(`rec-${i}`)]),
        );
        // Bursts of 25, so the writers commit several groups while the sealers run.
        if (i % 25 === 24) await sleep(2);
      }
    };
    const sealed: number[] = [];
    const seal = async (ds: DataSource) => {
      for (let k = 0; k < 8; k++) {
        sealed.push(await sealAuditInbox(ds));
        await sleep(1 + (k % 3));
      }
    };

    await Promise.all([produce(), seal(db), seal(other), seal(db), seal(other)]);
    await Promise.all(appends);
    sealed.push(await sealAuditInbox(db, { wait: true }));

    expect(await inboxCount(db)).toBe(0);
    // Each record was sealed by exactly one sealer.
    expect(sealed.reduce((a, b) => a + b, 0)).toBe(300);

    const rows = await chain(db);
    expect(rows).toHaveLength(300);
    const seen = new Map<string, number>();
    for (const r of rows) seen.set(r.request_id!, (seen.get(r.request_id!) ?? 0) + 1);
    expect(seen.size).toBe(300);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    for (const r of rows) {
      expect({ recordId: r.record_ids[0], agency: r.agency }).toEqual(expected.get(r.request_id!));
    }

    // Sequence order is chain order: each link names the hash of the row before it, from genesis
    // to the head row.
    rows.forEach((r, i) => expect(r.prev_hash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1].hash));
    const [head] = await db.query('SELECT hash FROM audit_chain_head');
    expect(head.hash).toBe(rows[rows.length - 1].hash);
    expect(await verifyAuditChain(db.manager)).toBeUndefined();
    expect(await verifyAuditChain(other.manager)).toBeUndefined();
  });

  it('without wait a sealer leaves the work to the holder of the head; with wait it waits its turn', async () => {
    const { db, other } = instances;
    await appendAudit(db.manager, auditActor('nl-customs', 'held-1'), [readOf('held-1')]);

    // The other instance is sealing: it holds the head row.
    const holder = other.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query('SELECT hash FROM audit_chain_head FOR UPDATE');

      expect(await sealAuditInbox(db)).toBe(0);
      expect(await inboxCount(db)).toBe(1);

      let done = false;
      const waiting = sealAuditInbox(db, { wait: true }).then((n) => {
        done = true;
        return n;
      });
      // Wait until the sealer is seen blocked on the head row's lock, then check it has not finished.
      const blocked = await pollUntil(
        async () =>
          Number(
            (
              await db.query(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%audit_chain_head%'`,
              )
            )[0].n,
          ),
        (n) => n > 0,
      );
      expect(blocked).toBe(1);
      expect(done).toBe(false);

      await holder.commitTransaction();
      expect(await waiting).toBe(1);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    expect(await inboxCount(db)).toBe(0);
    expect(await verifyAuditChain(db.manager)).toBeUndefined();
  });

  it('records appended in a rolled-back transaction never reach the inbox or the chain', async () => {
    const { db } = instances;
    await expect(
      db.transaction(async (m) => {
        await appendAudit(m, auditActor('nl-customs', 'rolled-back'), [readOf('rolled-back')]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await sealAuditInbox(db, { wait: true });
    expect(await onRecord(db, 'rolled-back')).toBe(0);
  });
});

describe('AuditWriter.append resolves once the record is committed', () => {
  const instances = twoInstances();

  it('another instance sees each record as soon as its append resolves', async () => {
    const { db, other } = instances;
    const writer = new AuditWriter(db);

    // One at a time.
    for (let i = 0; i < 5; i++) {
      await writer.append(auditActor('nl-customs', `single-${i}`), [readOf(`single-${i}`)]);
      expect(await onRecord(other, `single-${i}`)).toBe(1);
    }

    // A burst, grouped into few inserts: each caller checks right after its own append resolves.
    const seenRightAfter = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const requestId = `burst-${i}`;
        await writer.append(auditActor('be-customs', requestId), [readOf(requestId)]);
        return onRecord(other, requestId);
      }),
    );
    expect(seenRightAfter).toEqual(Array(100).fill(1));
  });
});

describe('a failing append', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(() => database?.drop());

  // PostgreSQL's jsonb rejects \u0000, so a record carrying it can never be inserted.

  it('rejects alone: the good appends batched with it are written, and the writer goes on working', async () => {
    const { db } = database;
    const writer = new AuditWriter(db);

    // Appended in the same tick, so AuditWriter puts them into one INSERT, which the bad record
    // fails as a whole; the writer then retries each append on its own, so only the bad one fails.
    const badOne = writer.append(auditActor('nl-customs', 'bad'), [readOf('bad\u0000id')]);
    const goodOnes = ['be-customs', 'de-customs', 'fr-douane'].map((code) =>
      writer.append(auditActor(code, `same-batch-${code}`), [readOf(`ok-${code}`)]),
    );

    await expect(badOne).rejects.toThrow(/unicode|\\u0000/i);
    await Promise.all(goodOnes);
    for (const code of ['be-customs', 'de-customs', 'fr-douane']) expect(await onRecord(db, `same-batch-${code}`)).toBe(1);
    expect(await onRecord(db, 'bad')).toBe(0);

    // The writer is not stuck: the next append is written.
    await writer.append(auditActor('be-customs', 'after-failure'), [readOf('after-failure')]);
    expect(await onRecord(db, 'after-failure')).toBe(1);
    await writer.idle();
    expect(await sealAuditInbox(db, { wait: true })).toBe(4);
    expect(await verifyAuditChain(db.manager)).toBeUndefined();
  });

  it('takes nothing else down when the batch holds only itself (one record per insert)', async () => {
    const { db } = database;
    const writer = new AuditWriter(db, 1);

    const badOne = writer.append(auditActor('nl-customs', 'bad-alone'), [readOf('bad\u0000id')]);
    const goodOnes = ['be-customs', 'de-customs'].map((code) => writer.append(auditActor(code, `alone-${code}`), [readOf(`ok-${code}`)]));

    await expect(badOne).rejects.toThrow(/unicode|\\u0000/i);
    await Promise.all(goodOnes);
    expect(await onRecord(db, 'alone-be-customs')).toBe(1);
    expect(await onRecord(db, 'alone-de-customs')).toBe(1);
    expect(await onRecord(db, 'bad-alone')).toBe(0);
  });

  it('appendAudit with a bad record rejects and writes none of its records', async () => {
    const { db } = database;
    await expect(appendAudit(db.manager, auditActor('nl-customs', 'direct-bad'), [readOf('fine'), readOf('bad\u0000id')])).rejects.toThrow(
      /unicode|\\u0000/i,
    );
    expect(await onRecord(db, 'direct-bad')).toBe(0);
  });
});

describe('tamper evidence', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(() => database?.drop());

  it('removing the newest link shows as head; altering or removing a middle link names it', async () => {
    const { db } = database;
    for (let i = 0; i < 6; i++) await appendAudit(db.manager, auditActor('nl-customs', `t-${i}`), [readOf(`t-${i}`)]);
    expect(await sealAuditInbox(db, { wait: true })).toBe(6);
    expect(await verifyAuditChain(db.manager)).toBeUndefined();

    const rows = await chain(db);
    expect(rows).toHaveLength(6);

    // Remove the newest link: every remaining link is intact, but the head names the removed one.
    await db.query('DELETE FROM audit_events WHERE sequence = $1', [rows[5].sequence]);
    expect(await verifyAuditChain(db.manager)).toBe('head');

    // Alter a middle link: its hash no longer matches its content.
    await db.query(`UPDATE audit_events SET operation = 'nothingToSeeHere' WHERE sequence = $1`, [rows[2].sequence]);
    expect(await verifyAuditChain(db.manager)).toBe(rows[2].sequence);

    // Put it back; then remove it: the next link names a hash no row has.
    await db.query(`UPDATE audit_events SET operation = 'vesselAlert' WHERE sequence = $1`, [rows[2].sequence]);
    expect(await verifyAuditChain(db.manager)).toBe('head');
    await db.query('DELETE FROM audit_events WHERE sequence = $1', [rows[2].sequence]);
    expect(await verifyAuditChain(db.manager)).toBe(rows[3].sequence);
  });
});

describe('AuditSealer', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(() => database?.drop());

  it('seals in the background, and stop seals what is left', async () => {
    const { db } = database;
    const errors: unknown[] = [];

    const sealer = new AuditSealer(db, (err) => errors.push(err), 50);
    sealer.start();
    try {
      await appendAudit(db.manager, auditActor('nl-customs', 'background'), [readOf('background')]);
      const chained = await pollUntil(
        async () => Number((await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE request_id = 'background'`))[0].n),
        (n) => n > 0,
        { timeoutMs: 5_000, intervalMs: 20 },
      );
      expect(chained).toBe(1);
    } finally {
      await sealer.stop();
    }

    // A sealer whose first turn is a minute away: only stop can seal this record.
    const slow = new AuditSealer(db, (err) => errors.push(err), 60_000);
    slow.start();
    await appendAudit(db.manager, auditActor('be-customs', 'left-over'), [readOf('left-over')]);
    expect(await inboxCount(db)).toBe(1);
    await slow.stop();
    expect(await inboxCount(db)).toBe(0);
    expect(Number((await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE request_id = 'left-over'`))[0].n)).toBe(1);

    expect(errors).toEqual([]);
    expect(await verifyAuditChain(db.manager)).toBeUndefined();
  });
});
