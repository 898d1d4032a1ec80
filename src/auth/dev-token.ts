/**
 * Development tokens from the `portcullis-dev` issuer (key pair in `<repo>/.keys/`, made on
 * first use). For the `npm run token` CLI, tests and README examples; never for production.
 *
 * No validation here on purpose: tests mint tokens for unknown agencies and roles to check
 * that the verifier refuses them. The CLI validates its input before calling this.
 */
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import jwt from 'jsonwebtoken';
import { ensureDevKeys } from './dev-keys';

export const DEV_ISSUER = 'portcullis-dev';
export const DEFAULT_DEV_TTL_SECONDS = 8 * 60 * 60;

export interface DevTokenOptions {
  agency: string;
  roles: string[];
  purpose?: string;
  /** Lifetime in seconds; default 8 hours. */
  ttlSeconds?: number;
  /** Default `dev-<agency>`. */
  subject?: string;
  /** Default JWT_AUDIENCE or `portcullis`. */
  audience?: string;
  /** The token's id (jti), what revokeToken names; default a new random one. */
  tokenId?: string;
}

/** Parsed once per key file: parsing a PEM costs far more than signing. */
const keyCache = new Map<string, KeyObject>();

function devPrivateKey(): KeyObject {
  const { privateKeyPath } = ensureDevKeys();
  let key = keyCache.get(privateKeyPath);
  if (!key) {
    key = crypto.createPrivateKey(fs.readFileSync(privateKeyPath));
    keyCache.set(privateKeyPath, key);
  }
  return key;
}

export function mintDevToken(opts: DevTokenOptions): string {
  const ttl = opts.ttlSeconds ?? DEFAULT_DEV_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error(`ttlSeconds must be a positive whole number, got ${ttl}`);

  const claims: Record<string, unknown> = { agency: opts.agency, roles: opts.roles };
  if (opts.purpose !== undefined) claims.purpose = opts.purpose;

  return jwt.sign(claims, devPrivateKey(), {
    algorithm: 'RS256',
    issuer: DEV_ISSUER,
    // `||` like src/config.ts, so an empty JWT_AUDIENCE means the same here as in the server.
    audience: opts.audience ?? (process.env.JWT_AUDIENCE || 'portcullis'),
    subject: opts.subject ?? `dev-${opts.agency}`,
    expiresIn: ttl,
    jwtid: opts.tokenId ?? crypto.randomUUID(),
  });
}
