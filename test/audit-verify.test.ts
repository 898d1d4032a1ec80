/**
 * `npm run audit:verify` (scripts/verify-audit.ts), run as a child process against a fresh test
 * database, and the paged chain walk behind it (checkAuditChain / verifyAuditChain with a small
 * page size):
 *
 * - it seals pending inbox records first (unless --no-seal), then reports the intact chain with
 *   its link count, last sequence and head, from the database; exit 0;
 * - an altered middle link is named (exit 1); a removed newest link shows as the head (exit 1);
 * - a database it cannot reach or log in to exits 2 without printing the password;
 * - the walk verifies a chain over several pages, finds breaks on a later page and across a page
 *   boundary, and does not mistake links sealed during the walk for a removed head.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { appendAudit, checkAuditChain, sealAuditInbox, verifyAuditChain } from '../src/audit/audit.service';
import { auditActor, readOf } from './support/audit-fixtures';
import { createTestDatabase, type TestDatabase } from './support/db';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const cli = (args: string[], databaseUrl: string): Promise<Result> =>
  run(path.join(REPO, 'node_modules/.bin/ts-node'), ['--transpile-only', path.join(REPO, 'scripts/verify-audit.ts'), ...args], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: Result) => e,
  );

const actor = (requestId: string) => auditActor('nl-customs', requestId);

const append = async (db: DataSource, from: number, n: number) => {
  for (let i = from; i < from + n; i++) await appendAudit(db.manager, actor(`v-${i}`), [readOf(`rec-${i}`)]);
};

const links = (db: DataSource): Promise<{ sequence: string; hash: string }[]> =>
  db.query('SELECT sequence::text AS sequence, hash FROM audit_events ORDER BY sequence');

const inboxCount = async (db: DataSource) => Number((await db.query('SELECT count(*)::int AS n FROM audit_inbox'))[0].n);

describe('npm run audit:verify', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(() => database?.drop());

  test('an empty trail is intact', async () => {
    const r = await cli([], database.url);
    expect(r).toMatchObject({ code: 0, stdout: `audit chain intact: 0 links, last sequence 0, head ${'0'.repeat(16)}\n` });
  }, 90_000);

  test('seals the pending records first, then reports the intact chain: count, last sequence and head from the database', async () => {
    const { db } = database;
    await append(db, 0, 3);
    expect(await sealAuditInbox(db, { wait: true })).toBe(3);
    await append(db, 3, 2); // still in the inbox
    expect(await inboxCount(db)).toBe(2);

    // --no-seal checks the chain as it is: the three sealed links.
    const unsealed = await cli(['--no-seal'], database.url);
    const three = (await links(db))[2];
    expect(unsealed.stdout).toBe(`audit chain intact: 3 links, last sequence ${three.sequence}, head ${three.hash.slice(0, 16)}\n`);
    expect(unsealed.code).toBe(0);
    expect(await inboxCount(db)).toBe(2);

    const r = await cli([], database.url);
    expect(r.stderr).not.toMatch(/audit:verify:/);
    expect(await inboxCount(db)).toBe(0);
    const rows = await links(db);
    expect(rows).toHaveLength(5);
    const last = rows[4];
    const [head] = await db.query('SELECT hash, sequence::text AS sequence FROM audit_chain_head');
    expect(head).toEqual(last);
    expect(r.stdout).toBe(`audit chain intact: 5 links, last sequence ${last.sequence}, head ${last.hash.slice(0, 16)}\n`);
    expect(r.stderr).toMatch(/sealed 2 pending audit records onto the chain/);
    expect(r.code).toBe(0);
  }, 90_000);

  test('an altered middle link is named: exit 1', async () => {
    const { db } = database;
    const rows = await links(db);
    const middle = rows[2].sequence;
    await db.query(`UPDATE audit_events SET operation = 'x' WHERE sequence = $1`, [middle]);
    const r = await cli([], database.url);
    expect(r.stdout).toBe(`audit chain BROKEN at sequence ${middle}\n`);
    expect(r.code).toBe(1);
    await db.query(`UPDATE audit_events SET operation = 'vesselAlert' WHERE sequence = $1`, [middle]);
    expect(await verifyAuditChain(db.manager)).toBeUndefined();
  }, 90_000);

  test('a removed newest link shows as the head: exit 1', async () => {
    const { db } = database;
    const rows = await links(db);
    await db.query('DELETE FROM audit_events WHERE sequence = $1', [rows[rows.length - 1].sequence]);
    const r = await cli([], database.url);
    expect(r.stdout).toBe('audit chain BROKEN: the newest links were removed (head does not match the last link)\n');
    expect(r.code).toBe(1);
  }, 90_000);

  test('a missing head row is reported as broken, not as an error: exit 1', async () => {
    const { db } = database;
    await db.query('DELETE FROM audit_chain_head');
    await append(db, 100, 1); // sealing cannot extend a chain without its head
    const r = await cli([], database.url);
    expect(r.stdout).toBe('audit chain BROKEN: the newest links were removed (head does not match the last link)\n');
    expect(r.stderr).toMatch(/the chain head row \(audit_chain_head\) is missing/);
    expect(r.code).toBe(1);
  }, 90_000);

  test('a database it cannot log in to or reach: exit 2, without the password', async () => {
    const url = new URL(database.url);
    url.password = 'Wrong-Secret-4711';
    const wrong = await cli([], url.toString());
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(/^audit:verify: the audit chain could not be checked: .*password authentication failed/);
    expect(`${wrong.stdout}${wrong.stderr}`).not.toMatch(/Wrong-Secret-4711/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const refused = new URL(database.url);
    refused.port = '1';
    const down = await cli([], refused.toString());
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^audit:verify: the audit chain could not be checked: .*ECONNREFUSED/);
    expect(down.stderr).not.toContain(new URL(database.url).password);
    expect(down.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);

  test('an unknown option is a usage error: exit 2', async () => {
    const r = await cli(['--bogus'], database.url);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: npm run audit:verify/);
    const help = await cli(['--help'], database.url);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: npm run audit:verify \[-- --no-seal\]/);
  }, 90_000);
});

describe('verifyAuditChain in pages', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(() => database?.drop());

  test('a chain over several pages verifies; breaks on a later page and across a page boundary are found', async () => {
    const { db } = database;
    await append(db, 0, 6);
    await sealAuditInbox(db, { wait: true });
    // Exactly two pages of three, then three pages (the last of one link).
    expect(await checkAuditChain(db.manager, { pageSize: 3 })).toMatchObject({ broken: undefined, links: 6 });
    await append(db, 6, 1);
    await sealAuditInbox(db, { wait: true });
    const rows = await links(db);
    expect(await checkAuditChain(db.manager, { pageSize: 3 })).toMatchObject({
      broken: undefined,
      links: 7,
      lastSequence: rows[6].sequence,
      head: { hash: rows[6].hash, sequence: rows[6].sequence },
    });
    expect(await verifyAuditChain(db.manager, { pageSize: 1 })).toBeUndefined();

    // Altered on the second page.
    await db.query(`UPDATE audit_events SET operation = 'x' WHERE sequence = $1`, [rows[4].sequence]);
    expect(await verifyAuditChain(db.manager, { pageSize: 3 })).toBe(rows[4].sequence);
    expect(await checkAuditChain(db.manager, { pageSize: 3 })).toMatchObject({
      broken: rows[4].sequence,
      links: 4,
      lastSequence: rows[3].sequence,
    });
    await db.query(`UPDATE audit_events SET operation = 'vesselAlert' WHERE sequence = $1`, [rows[4].sequence]);
    expect(await verifyAuditChain(db.manager, { pageSize: 3 })).toBeUndefined();

    // The last link of the first page removed: the first of the second names a hash no row has.
    await db.query('DELETE FROM audit_events WHERE sequence = $1', [rows[2].sequence]);
    expect(await verifyAuditChain(db.manager, { pageSize: 3 })).toBe(rows[3].sequence);
    expect(await verifyAuditChain(db.manager)).toBe(rows[3].sequence);
  });

  test('a page size must be a whole number of at least 1', async () => {
    await expect(verifyAuditChain(database.db.manager, { pageSize: 0 })).rejects.toThrow(/pageSize/);
  });
});

describe('verifyAuditChain while the chain grows', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(() => database?.drop());

  test('a link sealed during the walk is not mistaken for a removed head: pages and head are one snapshot', async () => {
    const { db } = database;
    await append(db, 0, 5);
    await sealAuditInbox(db, { wait: true });
    const rows = await links(db);
    // Take the newest link off (kept aside) and point the head at the one before: an intact chain of 4.
    await db.query('CREATE TABLE held_link AS SELECT * FROM audit_events WHERE sequence = $1', [rows[4].sequence]);
    await db.query('DELETE FROM audit_events WHERE sequence = $1', [rows[4].sequence]);
    await db.query('UPDATE audit_chain_head SET hash = $1, sequence = $2', [rows[3].hash, rows[3].sequence]);
    expect(await checkAuditChain(db.manager)).toMatchObject({ broken: undefined, links: 4 });

    // A "sealer" puts the link back with its head while the walk runs: holding the head table
    // exclusively, it lets the walk read every page, then commits while the walk waits to read the head.
    const sealer = db.createQueryRunner();
    await sealer.connect();
    try {
      await sealer.startTransaction();
      await sealer.query('LOCK TABLE audit_chain_head IN ACCESS EXCLUSIVE MODE');
      await sealer.query('INSERT INTO audit_events SELECT * FROM held_link');
      await sealer.query('UPDATE audit_chain_head SET hash = $1, sequence = $2', [rows[4].hash, rows[4].sequence]);
      const walking = checkAuditChain(db.manager, { pageSize: 2 });
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [{ n }] = await db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM audit_chain_head%'`,
        );
        if (n > 0) break;
        if (Date.now() > deadline) throw new Error('the walk never waited for the head');
        await new Promise((r) => setTimeout(r, 10));
      }
      await sealer.commitTransaction();
      // The walk saw the chain as it was when it began: four links and their head.
      expect(await walking).toMatchObject({ broken: undefined, links: 4, head: { hash: rows[3].hash } });
    } finally {
      await sealer.release();
    }
    expect(await checkAuditChain(db.manager, { pageSize: 2 })).toMatchObject({ broken: undefined, links: 5, head: { hash: rows[4].hash } });
  });
});

describe('the acting person is sealed in the chain', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(() => database?.drop());

  /** A link's hash as the chain computed it before migration 1764000000950: the subject in clear. */
  const clearHash = (prev: string, e: Record<string, any>) =>
    createHash('sha256')
      .update(prev)
      .update(
        JSON.stringify([
          new Date(e.at).toISOString(),
          e.subject,
          e.agency,
          e.operation,
          e.record_ids,
          e.data_owners,
          e.basis ?? null,
          e.agreement_id ?? null,
          e.purpose ?? null,
          e.request_id ?? null,
        ]),
      )
      .digest('hex');

  test('a guessed subject cannot be tested against a hash, and links sealed before keep verifying', async () => {
    const { db } = database;
    // A link as the hub sealed it before: the subject in clear.
    const at = new Date('2026-11-01T10:00:00.000Z');
    const old = {
      at,
      subject: 'analyst.old@douane.example',
      agency: 'nl-customs',
      operation: 'read',
      record_ids: ['X:1'],
      data_owners: ['nl-customs'],
    };
    const oldHash = clearHash('0'.repeat(64), old);
    await db.query(
      `INSERT INTO audit_events (sequence, at, subject, agency, operation, record_ids, data_owners, prev_hash, hash, subject_sealed)
       VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, false)`,
      [at, old.subject, old.agency, old.operation, old.record_ids, old.data_owners, '0'.repeat(64), oldHash],
    );
    await db.query('UPDATE audit_chain_head SET hash = $1, sequence = 1', [oldHash]);

    await append(db, 0, 2);
    expect(await sealAuditInbox(db, { wait: true })).toBe(2);
    expect(await verifyAuditChain(db.manager)).toBeUndefined();

    // Knowing every other input and the right subject, the clear form does not give the hash.
    const rows: Record<string, any>[] = await db.query('SELECT * FROM audit_events ORDER BY sequence');
    expect(rows.map((r) => r.subject_sealed)).toEqual([false, true, true]);
    expect(clearHash(rows[0].hash, rows[1])).not.toBe(rows[1].hash);

    // The form is not a free choice: flipping it breaks the link.
    await db.query('UPDATE audit_events SET subject_sealed = true WHERE sequence = 1');
    expect(await verifyAuditChain(db.manager)).toBe('1');
    await db.query('UPDATE audit_events SET subject_sealed = false WHERE sequence = 1');
    expect(await verifyAuditChain(db.manager)).toBeUndefined();
  });
});
