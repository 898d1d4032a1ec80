/**
 * Webhook signatures. Self-contained (node:crypto only) so a receiver can copy this file.
 *
 *   Portcullis-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=<...>]
 *
 * The key is the secret string exactly as registerWebhook returned it (`whsec_...`), as UTF-8.
 * While a rotated-out secret is still honoured the header carries one v1 per secret; a receiver
 * accepts the request if any v1 matches a secret it holds. The timestamp is signed with the body,
 * so a captured request cannot be replayed once it is older than the tolerance; receivers should
 * also drop a Portcullis-Delivery-Id they have already processed (deliveries are at-least-once).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'portcullis-signature';

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'stale' | 'future' | 'mismatch' };

const hmacHex = (secret: string, timestamp: number, body: string | Buffer) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

/** The header value for `body` signed at `timestamp` (unix seconds) with each of `secrets`. */
export function signWebhookBody(secrets: string[], body: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${hmacHex(s, timestamp, body)}`)].join(',');
}

/**
 * Checks a Portcullis-Signature header against the raw request body (the exact bytes received,
 * before any JSON parsing). Rejects a timestamp more than `toleranceSeconds` old (a replay) or
 * more than `toleranceSeconds` ahead, and compares in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Buffer,
  opts: { toleranceSeconds?: number; now?: number | Date } = {},
): SignatureCheck {
  const tolerance = opts.toleranceSeconds ?? 300;
  const nowMs = opts.now instanceof Date ? opts.now.getTime() : (opts.now ?? Date.now());
  if (typeof header !== 'string' || header.length > 4096) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const age = nowMs / 1000 - timestamp;
  if (age > tolerance) return { ok: false, reason: 'stale' };
  if (age < -tolerance) return { ok: false, reason: 'future' };
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  // Check every candidate (no early exit), each in constant time.
  let match = false;
  for (const candidate of signatures) match = timingSafeEqual(expected, Buffer.from(candidate, 'hex')) || match;
  return match ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
