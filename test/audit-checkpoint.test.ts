/**
 * Audit checkpoints (src/audit/audit-checkpoint.ts): the chain's head signed with the hub's
 * Ed25519 key, and `npm run audit:verify -- --checkpoint FILE` run as a child process against a
 * real database:
 *
 * - a checkpoint is made and signed only when the head moved; verifying against it passes;
 * - a tail rewritten with recomputed hashes (the plain check passes) is found: exit 1;
 * - a tail cut below the checkpoint, and one cut and grown again, are found: exit 1;
 * - an altered checkpoint, or one signed by another key, is refused: exit 2;
 * - the hub signs the head on its own, and `auditCheckpoint` gives it to auditors only.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { appendAudit, sealAuditInbox } from '../src/audit/audit.service';
import {
  checkpointSignatureValid,
  latestAuditCheckpoint,
  makeAuditCheckpoint,
  type AuditCheckpoint,
  type AuditSigningKey,
} from '../src/audit/audit-checkpoint';
import { auditActor, readOf } from './support/audit-fixtures';
import { createTestDatabase, type TestDatabase } from './support/db';
import { startTestHub, tokenFor, type TestHub } from './support/hub';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '..');

const newKey = (): AuditSigningKey & { pem: string } => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return { privateKey, publicKey, source: 'AUDIT_SIGNING_KEY', pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
};
const hubKey = newKey();

const cli = (args: string[], databaseUrl: string) =>
  run(path.join(REPO, 'node_modules/.bin/ts-node'), ['--transpile-only', path.join(REPO, 'scripts/verify-audit.ts'), ...args], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: databaseUrl, AUDIT_SIGNING_KEY: hubKey.pem },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

const append = async (db: DataSource, from: number, n: number) => {
  for (let i = from; i < from + n; i++) await appendAudit(db.manager, auditActor('nl-customs', `c-${i}`), [readOf(`rec-${i}`)]);
  await sealAuditInbox(db, { wait: true });
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-checkpoint-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const keep = (name: string, checkpoint: unknown): string => {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(checkpoint));
  return file;
};

/**
 * Rewrites the links from `from` on as someone with write access to the database would: each
 * link's hash recomputed with the hub's own hash function (the subject sealed under the hub's
 * audit-subject key, which the database holds), and the head moved to the new last hash.
 */
async function rewriteFrom(db: DataSource, from: string, change: (row: Record<string, any>) => void): Promise<void> {
  const [{ value: subjectKey }] = await db.query(`SELECT value FROM hub_secrets WHERE name = 'audit-subject'`);
  const [{ prev }] = await db.query('SELECT hash AS prev FROM audit_events WHERE sequence < $1 ORDER BY sequence DESC LIMIT 1', [from]);
  const rows: Record<string, any>[] = await db.query('SELECT * FROM audit_events WHERE sequence >= $1 ORDER BY sequence', [from]);
  let hash = prev as string;
  for (const [i, row] of rows.entries()) {
    if (i === 0) change(row);
    const canonical = JSON.stringify([
      new Date(row.at).toISOString(),
      `hmac-sha256:${crypto.createHmac('sha256', subjectKey).update(row.subject).digest('hex')}`,
      row.agency,
      row.operation,
      row.record_ids,
      row.data_owners,
      row.basis ?? null,
      row.agreement_id ?? null,
      row.purpose ?? null,
      row.request_id ?? null,
    ]);
    const prevHash = hash;
    hash = crypto.createHash('sha256').update(prevHash).update(canonical).digest('hex');
    await db.query('UPDATE audit_events SET operation = $2, prev_hash = $3, hash = $4 WHERE sequence = $1', [
      row.sequence,
      row.operation,
      prevHash,
      hash,
    ]);
  }
  await db.query('UPDATE audit_chain_head SET hash = $1', [hash]);
}

describe('npm run audit:verify -- --checkpoint', () => {
  let database: TestDatabase;
  let checkpoint: AuditCheckpoint;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(() => database?.drop());

  test('the head is signed when it moved, and only then; the chain verifies against it', async () => {
    const { db } = database;
    expect(await makeAuditCheckpoint(db, hubKey)).toBeUndefined(); // an empty chain: nothing to sign
    await append(db, 0, 4);
    checkpoint = (await makeAuditCheckpoint(db, hubKey))!;
    const [head] = await db.query('SELECT hash, sequence::text AS sequence FROM audit_chain_head');
    expect(checkpoint).toMatchObject({ sequence: head.sequence, hash: head.hash });
    expect(checkpointSignatureValid(checkpoint, hubKey.publicKey)).toBe(true);
    expect(crypto.createPublicKey(checkpoint.publicKey).export({ type: 'spki', format: 'pem' })).toBe(
      hubKey.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    expect(await makeAuditCheckpoint(db, hubKey)).toBeUndefined(); // the head has not moved
    expect(await latestAuditCheckpoint(db)).toEqual(checkpoint);

    await append(db, 4, 2); // the chain grew past the checkpoint: it still holds it
    const r = await cli(['--checkpoint', keep('good', checkpoint)], database.url);
    expect(r.stdout).toMatch(
      new RegExp(`^audit chain intact: 6 links, .*; holds the signed checkpoint at sequence ${checkpoint.sequence}\\n$`),
    );
    expect(r.code).toBe(0);
    // The whole GraphQL answer, as saved from the console or curl, is read too.
    expect((await cli(['--checkpoint', keep('answer', { data: { auditCheckpoint: checkpoint } })], database.url)).code).toBe(0);
  }, 120_000);

  test('an altered checkpoint, or one signed by another key, is refused: exit 2', async () => {
    const altered = await cli(
      ['--checkpoint', keep('altered', { ...checkpoint, sequence: String(Number(checkpoint.sequence) - 1) })],
      database.url,
    );
    expect(altered.code).toBe(2);
    expect(altered.stderr).toMatch(/the checkpoint's signature is not valid for the hub's key/);
    expect(altered.stdout).toBe('');

    // Self-consistent, with its own public key inside: still not the hub's.
    const other = newKey();
    const forged = { ...checkpoint, hash: 'f'.repeat(64), publicKey: other.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    forged.signature = crypto
      .sign(null, Buffer.from(`portcullis-audit-checkpoint/v1\n${forged.sequence}\n${forged.hash}\n${forged.signedAt}`), other.privateKey)
      .toString('base64');
    expect(checkpointSignatureValid(forged, other.publicKey)).toBe(true);
    const r = await cli(['--checkpoint', keep('forged', forged)], database.url);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the checkpoint's signature is not valid for the hub's key/);
  }, 120_000);

  test('a tail rewritten with recomputed hashes passes the plain check but not the checkpoint: exit 1', async () => {
    const { db } = database;
    const [{ seq }] = await db.query('SELECT sequence::text AS seq FROM audit_events ORDER BY sequence LIMIT 1 OFFSET 1');
    await rewriteFrom(db, seq, (row) => (row.operation = 'nothingToSeeHere'));
    expect((await cli([], database.url)).code).toBe(0); // the chain alone cannot tell

    const r = await cli(['--checkpoint', keep('good', checkpoint)], database.url);
    expect(r.stdout).toBe(
      `audit chain BROKEN: sequence ${checkpoint.sequence} no longer has the hash of the signed checkpoint (the chain was rewritten)\n`,
    );
    expect(r.code).toBe(1);
  }, 120_000);

  test('a tail cut below the checkpoint is found, and so is one cut and grown again: exit 1', async () => {
    const { db } = database;
    const below = String(Number(checkpoint.sequence) - 2);
    await db.query('DELETE FROM audit_events WHERE sequence > $1', [below]);
    await db.query('UPDATE audit_chain_head SET sequence = $1, hash = (SELECT hash FROM audit_events WHERE sequence = $1)', [below]);
    expect((await cli([], database.url)).code).toBe(0);

    const cut = await cli(['--checkpoint', keep('good', checkpoint)], database.url);
    expect(cut.stdout).toBe(
      `audit chain BROKEN: it ends at sequence ${below}, below the signed checkpoint at sequence ${checkpoint.sequence} (the newest links were removed)\n`,
    );
    expect(cut.code).toBe(1);

    await append(db, 100, 3); // new links over the removed ones: the numbers are back, the hashes are not
    const regrown = await cli(['--checkpoint', keep('good', checkpoint)], database.url);
    expect(regrown.stdout).toMatch(/no longer has the hash of the signed checkpoint/);
    expect(regrown.code).toBe(1);
    // Nor does the hub vouch for the regrown chain with a new checkpoint.
    await expect(makeAuditCheckpoint(db, hubKey)).rejects.toThrow(`the audit chain no longer holds checkpoint ${checkpoint.sequence}`);
    expect(await latestAuditCheckpoint(db)).toEqual(checkpoint);
  }, 120_000);
});

describe('auditCheckpoint', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ auditCheckpointMs: 100 });
  }, 60_000);
  afterAll(() => hub?.stop());

  const QUERY = '{ auditCheckpoint { sequence hash signedAt keyId publicKey signature } }';

  test('the hub signs the head when it moved; auditors read it, others are refused', async () => {
    await append(hub.database.db, 0, 2);
    const [head] = await hub.database.db.query('SELECT hash, sequence::text AS sequence FROM audit_chain_head');
    const auditor = tokenFor('nl-customs', ['auditor']);
    let got: AuditCheckpoint | null = null;
    const deadline = Date.now() + 20_000;
    while (got?.sequence !== head.sequence) {
      if (Date.now() > deadline) throw new Error('the hub never signed the head');
      const r = await hub.gql<{ auditCheckpoint: AuditCheckpoint | null }>(auditor, QUERY);
      expect(r.errors).toBeUndefined();
      got = r.data!.auditCheckpoint;
      if (got?.sequence !== head.sequence) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(got).toMatchObject({ hash: head.hash });
    expect(checkpointSignatureValid(got!, crypto.createPublicKey(got!.publicKey))).toBe(true);

    const analyst = await hub.gql(tokenFor('nl-customs', ['analyst']), QUERY);
    expect(analyst.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(analyst.data?.auditCheckpoint ?? null).toBeNull();
  }, 60_000);
});
