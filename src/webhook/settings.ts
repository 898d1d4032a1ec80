/**
 * Webhook settings (environment variables, read at start-up) and the cipher that keeps each
 * registration's signing secret encrypted at rest.
 *
 * Why encrypt rather than hash: the hub must sign every delivery, so it needs the raw secret;
 * a hash would not do. Encrypting it with a key that lives outside the database (AES-256-GCM,
 * WEBHOOK_SECRET_KEY) means a database dump or backup alone cannot forge deliveries to partners.
 * Each ciphertext is bound to its registration id (GCM additional data), so ciphertexts cannot be
 * swapped between rows, and names the key it was made with, so a wrong key fails with a clear
 * message rather than a bad signature.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEV_KEYS_DIR } from '../config';

export interface WebhookSettings {
  /** Allow http:// (and loopback targets) to loopback addresses only: tests and local development. */
  allowInsecureLoopback: boolean;
  /** 32 bytes for AES-256-GCM. */
  secretKey: Buffer;
  /** Where the key came from, for the start-up log. */
  secretKeySource: 'WEBHOOK_SECRET_KEY' | 'development key file';
  maxAttempts: number;
  /** First retry delay; doubles per attempt up to retryMaxMs, with jitter (half to full delay). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A delivery not delivered this long after it was queued is given up. */
  maxAgeSeconds: number;
  /** Per request: connect, send and response headers. */
  timeoutMs: number;
  /** Deliveries in flight per hub instance. */
  concurrency: number;
  /** How often the sender looks for due retries and deliveries queued by other instances. */
  pollMs: number;
  /** How often shown alerts are re-checked (agreements expire with time). */
  recheckMs: number;
  /** Registrations per agency. */
  maxPerAgency: number;
  /** Finished deliveries, and the shown alerts of alerts that are over, are kept this many days. */
  retentionDays: number;
  /** How often an instance prunes what retention lets go. */
  pruneEveryMs: number;
}

const DEFAULT_WEBHOOK_SETTINGS: Omit<WebhookSettings, 'secretKey' | 'secretKeySource'> = {
  allowInsecureLoopback: false,
  maxAttempts: 12,
  retryBaseMs: 5_000,
  retryMaxMs: 60 * 60 * 1000,
  maxAgeSeconds: 24 * 60 * 60,
  timeoutMs: 10_000,
  concurrency: 16,
  pollMs: 1_000,
  recheckMs: 15_000,
  maxPerAgency: 25,
  retentionDays: 30,
  pruneEveryMs: 60 * 60 * 1000,
};

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw.slice(0, 40)}"`);
  }
  return n;
}

/** WEBHOOK_SECRET_KEY: 32 bytes as 64 hex digits or as base64. */
function parseSecretKey(raw: string): Buffer {
  const value = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('WEBHOOK_SECRET_KEY must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)');
  return key;
}

/** The development key in `<repo>/.keys/webhook-secret.key` (git-ignored), made once. */
function devSecretKey(dir = DEV_KEYS_DIR): Buffer {
  const file = path.join(dir, 'webhook-secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(tmp, file); // fails if another process won the race: then its key is used
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  return parseSecretKey(fs.readFileSync(file, 'utf8'));
}

function loadWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const fromEnv = env.WEBHOOK_SECRET_KEY;
  const d = DEFAULT_WEBHOOK_SETTINGS;
  return {
    allowInsecureLoopback: env.WEBHOOK_ALLOW_INSECURE_LOOPBACK === 'true',
    secretKey: fromEnv ? parseSecretKey(fromEnv) : devSecretKey(),
    secretKeySource: fromEnv ? 'WEBHOOK_SECRET_KEY' : 'development key file',
    maxAttempts: intEnv(env, 'WEBHOOK_MAX_ATTEMPTS', d.maxAttempts, 1, 100),
    retryBaseMs: intEnv(env, 'WEBHOOK_RETRY_BASE_MS', d.retryBaseMs, 10, 3_600_000),
    retryMaxMs: intEnv(env, 'WEBHOOK_RETRY_MAX_MS', d.retryMaxMs, 10, 86_400_000),
    maxAgeSeconds: intEnv(env, 'WEBHOOK_MAX_AGE_SECONDS', d.maxAgeSeconds, 1, 30 * 86_400),
    timeoutMs: intEnv(env, 'WEBHOOK_TIMEOUT_MS', d.timeoutMs, 100, 120_000),
    concurrency: intEnv(env, 'WEBHOOK_CONCURRENCY', d.concurrency, 1, 1_000),
    pollMs: d.pollMs,
    recheckMs: d.recheckMs,
    maxPerAgency: intEnv(env, 'WEBHOOK_MAX_PER_AGENCY', d.maxPerAgency, 1, 10_000),
    retentionDays: intEnv(env, 'WEBHOOK_RETENTION_DAYS', d.retentionDays, 1, 3_650),
    pruneEveryMs: d.pruneEveryMs,
  };
}

/** Exponential backoff with jitter: the delay before attempt `attempts + 1`. */
export function retryDelayMs(s: Pick<WebhookSettings, 'retryBaseMs' | 'retryMaxMs'>, attempts: number, random = Math.random): number {
  const full = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(full / 2 + random() * (full / 2));
}

/** A new signing secret: 32 random bytes. */
export const newWebhookSecret = () => `whsec_${crypto.randomBytes(32).toString('base64url')}`;

export class SecretCipher {
  private readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the webhook secret key must be 32 bytes');
    this.keyId = crypto.createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  /** `v1.<key id>.<iv>.<tag>.<ciphertext>`, bound to `webhookId`. */
  encrypt(secret: string, webhookId: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(webhookId));
    const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', this.keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  decrypt(stored: string, webhookId: string): string {
    const [version, keyId, iv, tag, ct] = stored.split('.');
    if (version !== 'v1' || !ct) throw new Error(`webhook ${webhookId}: unreadable stored secret`);
    if (keyId !== this.keyId) {
      throw new Error(`webhook ${webhookId}: its secret was encrypted with another WEBHOOK_SECRET_KEY (key id ${keyId})`);
    }
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(webhookId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** What the resolvers and the worker share: settings and the cipher made from its key. */
export interface WebhookRuntime {
  settings: WebhookSettings;
  cipher: SecretCipher;
}

export function createWebhookRuntime(overrides: Partial<WebhookSettings> = {}, env: NodeJS.ProcessEnv = process.env): WebhookRuntime {
  const keyEnv = overrides.secretKey ? { ...env, WEBHOOK_SECRET_KEY: overrides.secretKey.toString('hex') } : env;
  const settings = { ...loadWebhookSettings(keyEnv), ...overrides };
  return { settings, cipher: new SecretCipher(settings.secretKey) };
}
