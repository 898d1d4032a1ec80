/**
 * Checkpoints: the audit chain's head (sequence and hash), signed by the hub with an Ed25519 key
 * that is not in the database. The chain alone shows an altered row, but someone who can write
 * the database can rewrite the tail and recompute every hash after it. A checkpoint an auditor
 * keeps elsewhere catches that: the rewritten chain no longer holds the signed hash at the signed
 * sequence, and a new checkpoint cannot be made without the key.
 */
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { DEV_KEYS_DIR } from '../config';

/** A signed head, as stored, returned by `auditCheckpoint` and kept by auditors as a file. */
export interface AuditCheckpoint {
  sequence: string;
  hash: string;
  /** ISO 8601, exactly as signed. */
  signedAt: string;
  /** First 16 hex digits of the SHA-256 of the public key (SPKI, DER). */
  keyId: string;
  /** The hub's public key, SPKI PEM. */
  publicKey: string;
  /** Ed25519 over checkpointMessage(), base64. */
  signature: string;
}

export interface AuditSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  source: 'AUDIT_SIGNING_KEY' | 'development key file';
}

const DEV_KEY_FILE = 'audit-signing.pem';

/** AUDIT_CHECKPOINT_SECONDS' default: a rewrite can hide for at most this long before a head is signed. */
export const DEFAULT_AUDIT_CHECKPOINT_MS = 300_000;

/** What is signed: the head and when, under a label so the signature cannot stand for anything else. */
const checkpointMessage = (c: Pick<AuditCheckpoint, 'sequence' | 'hash' | 'signedAt'>) =>
  Buffer.from(`portcullis-audit-checkpoint/v1\n${c.sequence}\n${c.hash}\n${c.signedAt}`);

const publicKeyPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();

export const keyIdOf = (key: KeyObject): string =>
  crypto
    .createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);

function parsePrivateKey(pem: string, from: string): KeyObject {
  let key: KeyObject;
  try {
    // An environment setting may carry the PEM's line breaks as "\n".
    key = crypto.createPrivateKey(pem.replace(/\\n/g, '\n'));
  } catch {
    throw new Error(`${from} is not a private key in PEM (openssl genpkey -algorithm ed25519)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${from} must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  return key;
}

/**
 * The hub's checkpoint key: AUDIT_SIGNING_KEY (an Ed25519 private key in PEM), or the development
 * key in `.keys/audit-signing.pem`, made on first use unless `create` is false (the verifier only
 * reads it: a key it made could not have signed anything).
 */
export function loadAuditSigningKey(env: NodeJS.ProcessEnv = process.env, opts: { create?: boolean; dir?: string } = {}): AuditSigningKey {
  const fromEnv = env.AUDIT_SIGNING_KEY;
  let privateKey: KeyObject;
  if (fromEnv) privateKey = parsePrivateKey(fromEnv, 'AUDIT_SIGNING_KEY');
  else {
    const file = path.join(opts.dir ?? DEV_KEYS_DIR, DEV_KEY_FILE);
    if (!fs.existsSync(file)) {
      if (opts.create === false) throw new Error(`no audit signing key: AUDIT_SIGNING_KEY is not set and ${file} does not exist`);
      createKeyFileOnce(file);
    }
    privateKey = parsePrivateKey(fs.readFileSync(file, 'utf8'), file);
  }
  return { privateKey, publicKey: crypto.createPublicKey(privateKey), source: fromEnv ? 'AUDIT_SIGNING_KEY' : 'development key file' };
}

/** Written whole to a temporary file, then linked into place: if another process won, its key is used. */
function createKeyFileOnce(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Whether `c` carries a valid signature by `publicKey` (a checkpoint's own key is not trusted). */
export function checkpointSignatureValid(c: AuditCheckpoint, publicKey: KeyObject): boolean {
  try {
    return crypto.verify(null, checkpointMessage(c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

const CHECKPOINT_COLUMNS = `sequence::text AS sequence, hash, signed_at AS "signedAt", key_id AS "keyId", public_key AS "publicKey", signature`;

/** The newest checkpoint, or undefined before the first. */
export async function latestAuditCheckpoint(db: Pick<DataSource, 'query'>): Promise<AuditCheckpoint | undefined> {
  const [row]: AuditCheckpoint[] = await db.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY sequence DESC LIMIT 1`);
  return row;
}

/**
 * Signs the chain's head if it moved since the last checkpoint; returns the new checkpoint, or
 * undefined when there was nothing new (an empty chain, or the head already signed). Several
 * instances may race: the first to insert a head's checkpoint wins, the others insert nothing.
 */
export async function makeAuditCheckpoint(db: DataSource, key: AuditSigningKey): Promise<AuditCheckpoint | undefined> {
  const [head]: { hash: string; sequence: string }[] = await db.query('SELECT hash, sequence::text AS sequence FROM audit_chain_head');
  if (!head || head.sequence === '0') return undefined;
  const latest = await latestAuditCheckpoint(db);
  if (latest && BigInt(latest.sequence) >= BigInt(head.sequence)) return undefined;
  if (latest) {
    // Never vouch for a chain that lost what the hub signed before: that is for an auditor to see.
    const [link]: { hash: string }[] = await db.query('SELECT hash FROM audit_events WHERE sequence = $1', [latest.sequence]);
    if (link?.hash !== latest.hash) {
      throw new Error(`the audit chain no longer holds checkpoint ${latest.sequence} (rewritten or cut): no new checkpoint is signed`);
    }
  }
  const unsigned = { sequence: head.sequence, hash: head.hash, signedAt: new Date().toISOString() };
  const checkpoint: AuditCheckpoint = {
    ...unsigned,
    keyId: keyIdOf(key.publicKey),
    publicKey: publicKeyPem(key.publicKey),
    signature: crypto.sign(null, checkpointMessage(unsigned), key.privateKey).toString('base64'),
  };
  const inserted: unknown[] = await db.query(
    `INSERT INTO audit_checkpoints (sequence, hash, signed_at, key_id, public_key, signature) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (sequence) DO NOTHING RETURNING sequence`,
    [checkpoint.sequence, checkpoint.hash, checkpoint.signedAt, checkpoint.keyId, checkpoint.publicKey, checkpoint.signature],
  );
  return inserted.length > 0 ? checkpoint : undefined;
}

/** Signs the head every `intervalMs` on this instance, when it moved; errors go to `onError`. */
export class AuditCheckpointer {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly db: DataSource,
    private readonly key: AuditSigningKey,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly availability?: { readonly down: boolean },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.availability?.down) return;
      this.running ??= makeAuditCheckpoint(this.db, this.key)
        .catch(this.onError)
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
