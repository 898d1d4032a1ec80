/**
 * Bearer-token verification: turns a JWT into a Principal, or refuses with an AuthError.
 *
 * Rules (ACCESS-MODEL.md "Principals", STACK-NOTES.md "jsonwebtoken"):
 * - the key comes from policy, chosen by the token's `iss`; `jku`, `x5u` and `jwk` headers are
 *   never followed, so a token can never pick its own key;
 * - every verify passes an explicit `algorithms` allow-list (so `alg: none` and HS/RS confusion
 *   fail), plus `audience`, `issuer` and `clockTolerance`; `exp` is required here because
 *   jsonwebtoken treats it as optional;
 * - keys are built once per verifier: jsonwebtoken re-parses PEM strings on every call.
 */
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import jwt from 'jsonwebtoken';
import { memberStanding } from '../policy/membership';
import { parseJwks } from './jwks';
import { RemoteKeySets, UnknownKey, type RemoteKeySet } from './remote-keys';
import { PURPOSES, ROLES, type Issuer, type PolicySet, type Principal, type Purpose, type Role } from '../policy/types';

/** A refused token. `reason` is short and safe to show a client; it never holds token or key material. */
export class AuthError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AuthError';
  }
}

export interface TokenVerifierOptions {
  /** The hub's audience (`JWT_AUDIENCE`). */
  audience: string;
  /** Allowed clock skew for exp/nbf/iat, in seconds. Default 30. */
  clockToleranceSec?: number;
  /** Current time in milliseconds (like Date.now); injectable for tests. */
  now?: () => number;
  /** Where issuers with `jwksUri` or `discovery` keep their keys; shared across reloads by the policy store. */
  remoteKeys?: RemoteKeySets;
}

export interface TokenVerifier {
  /**
   * Verifies `token`; `purposeHeader` is the request's X-Purpose-Of-Use, if any. For an issuer
   * whose keys are fetched (`jwksUri`, `discovery`) only keys already cached are used: the
   * transports call verifyAsync.
   */
  verify(token: string, purposeHeader?: string): Principal;
  /** As verify, and fetches an issuer's keys when the token names one not cached (rate-limited). */
  verifyAsync(token: string, purposeHeader?: string): Promise<Principal>;
}

/** Tokens are small; refusing huge input early keeps decode cheap. */
const MAX_TOKEN_LENGTH = 16 * 1024;
/** HMAC secrets shorter than this are guessable; such an issuer is treated as unconfigured. */
const MIN_SECRET_BYTES = 32;

const ROLE_SET: ReadonlySet<string> = new Set(ROLES);
const PURPOSE_SET: ReadonlySet<string> = new Set(PURPOSES);

// ---------------------------------------------------------------------------------------------
// Bearer header

/**
 * Extracts the JWT from `Authorization: Bearer <jwt>`. No (or an empty) header gives undefined,
 * so the caller decides what an anonymous request may do (health, metrics); any other scheme
 * or shape is an AuthError.
 */
export function parseBearer(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^bearer +([A-Za-z0-9\-_.=+/]+)$/i.exec(header.trim());
  if (!match) throw new AuthError('expected a Bearer token');
  return match[1];
}

// ---------------------------------------------------------------------------------------------
// Keys, built once per verifier

/** How one issuer finds the key for a given token header: a promise only while remote keys are fetched. */
type KeyResolver = (header: jwt.JwtHeader) => KeyObject | Promise<KeyObject>;

function notConfigured(): never {
  throw new AuthError('issuer not configured');
}

function pemKeyResolver(issuer: Issuer, file: string): KeyResolver {
  let key: KeyObject;
  try {
    key = crypto.createPublicKey(fs.readFileSync(file));
  } catch (e) {
    // Configuration error: fail at start-up (or reload), naming the file but no key bytes.
    throw new Error(`issuer ${issuer.iss}: cannot read public key ${file}: ${(e as Error).message}`, { cause: e });
  }
  return () => key;
}

function jwksKeyResolver(issuer: Issuer, file: string): KeyResolver {
  let jwks: unknown;
  try {
    jwks = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`issuer ${issuer.iss}: cannot read JWKS ${file}: ${(e as Error).message}`, { cause: e });
  }
  const keys = parseJwks(jwks, `issuer ${issuer.iss}: JWKS ${file}`);
  return (header) => {
    const key = keys.keyFor(header);
    if (key) return key;
    throw new AuthError(typeof header.kid === 'string' ? 'unknown key id' : 'token has no key id');
  };
}

function remoteKeyResolver(set: RemoteKeySet): KeyResolver {
  return (header) => {
    try {
      const key = set.keyFor(header);
      return key instanceof Promise ? key.catch((e: unknown) => Promise.reject(remoteRefusal(e))) : key;
    } catch (e) {
      throw remoteRefusal(e);
    }
  };
}

const remoteRefusal = (e: unknown) => (e instanceof UnknownKey ? new AuthError(e.reason) : e);

function secretKeyResolver(envName: string): KeyResolver {
  const value = process.env[envName];
  // An unset or short secret must not crash the hub, nor let anything through.
  if (value === undefined || Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) return notConfigured;
  const key = crypto.createSecretKey(Buffer.from(value, 'utf8'));
  return () => key;
}

function keyResolverFor(issuer: Issuer, remote: RemoteKeySets): KeyResolver {
  if (issuer.publicKeyFile) return pemKeyResolver(issuer, issuer.publicKeyFile);
  if (issuer.jwksFile) return jwksKeyResolver(issuer, issuer.jwksFile);
  if (issuer.jwksUri) return remoteKeyResolver(remote.of(issuer.iss, { jwksUri: issuer.jwksUri }));
  if (issuer.discovery) return remoteKeyResolver(remote.of(issuer.iss, { discovery: issuer.discovery }));
  if (issuer.secretEnv) return secretKeyResolver(issuer.secretEnv);
  return notConfigured;
}

interface TrustedIssuer {
  issuer: Issuer;
  /** Never includes 'none', whatever the policy file says. */
  algorithms: jwt.Algorithm[];
  keyFor: KeyResolver;
}

function trustIssuers(policy: PolicySet, remote: RemoteKeySets): Map<string, TrustedIssuer> {
  const trusted = new Map<string, TrustedIssuer>();
  for (const issuer of policy.issuers) {
    if (trusted.has(issuer.iss)) continue; // the loader rejects duplicates; first wins regardless
    trusted.set(issuer.iss, {
      issuer,
      algorithms: issuer.algorithms.filter((a) => a.toLowerCase() !== 'none') as jwt.Algorithm[],
      keyFor: keyResolverFor(issuer, remote),
    });
  }
  return trusted;
}

// ---------------------------------------------------------------------------------------------
// Verification

/** Decodes without trusting anything, only to learn which issuer (and key) to check against. */
function decodeUntrusted(token: string): { header: jwt.JwtHeader; payload: jwt.JwtPayload } {
  if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('malformed token');
  let decoded: jwt.Jwt | null;
  try {
    decoded = jwt.decode(token, { complete: true });
  } catch {
    decoded = null;
  }
  if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null || Array.isArray(decoded.payload)) {
    throw new AuthError('malformed token');
  }
  return { header: decoded.header, payload: decoded.payload };
}

/** Maps jsonwebtoken's errors to short reasons; its messages can echo expectations, so none pass through. */
function authErrorFrom(e: unknown): AuthError {
  if (e instanceof AuthError) return e;
  if (e instanceof jwt.TokenExpiredError) return new AuthError('token expired');
  if (e instanceof jwt.NotBeforeError) return new AuthError('token not yet valid');
  if (e instanceof jwt.JsonWebTokenError) {
    const m = e.message;
    if (m === 'invalid signature') return new AuthError('bad signature');
    if (m.startsWith('jwt audience invalid')) return new AuthError('wrong audience');
    if (m.startsWith('jwt issuer invalid')) return new AuthError('unknown issuer');
    if (m === 'invalid algorithm' || m.startsWith('secretOrPublicKey must be') || m.startsWith('"alg" parameter'))
      return new AuthError('algorithm not allowed');
    if (m === 'jwt signature is required') return new AuthError('token is not signed');
  }
  return new AuthError('malformed token');
}

function requireClaims(payload: jwt.JwtPayload, nowSec: number, toleranceSec: number): { sub: string; exp: number } {
  // jsonwebtoken accepts a token without exp as never expiring.
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) throw new AuthError('token has no expiry');
  if (typeof payload.iat === 'number' && payload.iat > nowSec + toleranceSec) {
    throw new AuthError('token issued in the future');
  }
  if (typeof payload.sub !== 'string' || payload.sub.trim() === '') throw new AuthError('token has no subject');
  return { sub: payload.sub, exp: payload.exp };
}

/**
 * A stolen long-lived token stays useful for as long as it lives, so each issuer has a maximum
 * (issuers.yaml `maxTokenLifetime`). Without `iat`, what is left of the token is what counts.
 */
function requireLifetimeWithin(issuer: Issuer, payload: jwt.JwtPayload, exp: number, nowSec: number): void {
  const from = typeof payload.iat === 'number' && Number.isFinite(payload.iat) ? payload.iat : nowSec;
  if (exp - from > issuer.maxTokenLifetimeSeconds) {
    throw new AuthError(`token lifetime exceeds the issuer's maximum of ${describeSeconds(issuer.maxTokenLifetimeSeconds)}`);
  }
}

/** 86400 as "24h", 2592000 as "30d": how issuers.yaml would say it. */
const describeSeconds = (s: number) =>
  s % 86_400 === 0 && s >= 2 * 86_400 ? `${s / 86_400}d` : s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;

/** The policy engine's memberStanding, with refusals worded for a client. */
function agencyOf(policy: PolicySet, trusted: TrustedIssuer, claim: unknown) {
  if (typeof claim !== 'string') throw new AuthError('unknown agency');
  const standing = memberStanding(policy, claim, trusted.issuer.iss);
  if ('agency' in standing) return standing.agency;
  if (standing.lapse === 'NOT_A_MEMBER') throw new AuthError('unknown agency');
  // A trusted issuer signed the claim and the code is a known one: naming the departure is safe.
  if (standing.lapse === 'DEPARTED')
    throw new AuthError(`agency ${claim} has left the membership (departed ${policy.departed.get(claim)?.departedOn})`);
  // The code is a known one by now, so echoing it is safe.
  throw new AuthError(`issuer may not speak for agency ${claim}`);
}

/** `roles` as an array or a space-separated string (OAuth `scope` style); unknown roles are ignored. */
function rolesOf(claim: unknown): Role[] {
  const raw = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/\s+/) : [];
  const known = raw.filter((r): r is Role => typeof r === 'string' && ROLE_SET.has(r));
  return [...new Set(known)];
}

/** The token's own claim is signed, so a header may only fill in a purpose, never change it. */
function purposeOf(claim: unknown, header: string | undefined): Purpose | undefined {
  const fromHeader = header?.trim() || undefined;
  if (claim !== undefined && claim !== null) {
    if (typeof claim !== 'string' || !PURPOSE_SET.has(claim)) throw unknownPurpose();
    if (fromHeader !== undefined && fromHeader !== claim) throw new AuthError('purpose in header differs from token');
    return claim as Purpose;
  }
  if (fromHeader === undefined) return undefined;
  if (!PURPOSE_SET.has(fromHeader)) throw unknownPurpose();
  return fromHeader as Purpose;
}

const unknownPurpose = () => new AuthError(`unknown purpose of use; allowed: ${PURPOSES.join(', ')}`);

/** Verified tokens a verifier remembers at most (the oldest is forgotten first). */
const MAX_REMEMBERED_TOKENS = 10_000;

interface Remembered {
  /** The key that verified it: a token is taken from memory only while its issuer still offers that key. */
  key: KeyObject;
  principal: Principal;
  /** jsonwebtoken refuses the token from this second on (exp plus the clock tolerance). */
  refusedFromSec: number;
}

export function createTokenVerifier(policy: PolicySet, opts: TokenVerifierOptions): TokenVerifier {
  const toleranceSec = opts.clockToleranceSec ?? 30;
  const now = opts.now ?? Date.now;
  const issuers = trustIssuers(policy, opts.remoteKeys ?? new RemoteKeySets());
  /**
   * Tokens verified under this policy snapshot (a reload makes a new verifier, so a new memory),
   * by the SHA-256 of the token and the purpose header, until they expire: a signature check
   * costs far more than the rest of a small request. Every check but expiry holds for good once
   * passed (issuer, audience, signature, nbf, iat, lifetime, membership under this policy);
   * expiry is checked again on every use, the key must still be the issuer's, and revocation is
   * checked per request by the caller (src/server/authenticate.ts), never remembered.
   */
  const remembered = new Map<string, Remembered>();

  function rememberedOr(token: string, key: KeyObject, purposeHeader: string | undefined, verify: () => Principal): Principal {
    const id = crypto
      .createHash('sha256')
      .update(token)
      .update('\n')
      .update(purposeHeader ?? '')
      .digest('base64');
    const nowSec = Math.floor(now() / 1000);
    const hit = remembered.get(id);
    if (hit && hit.key === key && nowSec < hit.refusedFromSec) return hit.principal;
    if (hit) remembered.delete(id);
    const principal = verify();
    if (remembered.size >= MAX_REMEMBERED_TOKENS) remembered.delete(remembered.keys().next().value!);
    remembered.set(id, { key, principal, refusedFromSec: principal.expiresAt + toleranceSec });
    return principal;
  }

  /** What can be checked before the key is known; `trusted` then names the key's issuer. */
  function inspect(token: string) {
    if (typeof token !== 'string' || token === '') throw new AuthError('no token');
    const { header, payload } = decodeUntrusted(token);
    const trusted = typeof payload.iss === 'string' ? issuers.get(payload.iss) : undefined;
    if (!trusted) throw new AuthError('unknown issuer');
    if (header.crit !== undefined) throw new AuthError('unsupported critical header'); // RFC 7515 §4.1.11
    return { header, trusted };
  }

  function verifyWith(token: string, trusted: TrustedIssuer, key: KeyObject, purposeHeader: string | undefined): Principal {
    const nowSec = Math.floor(now() / 1000);
    let verified: jwt.JwtPayload;
    try {
      const result = jwt.verify(token, key, {
        algorithms: trusted.algorithms,
        audience: opts.audience,
        issuer: trusted.issuer.iss,
        clockTolerance: toleranceSec,
        clockTimestamp: nowSec,
      });
      if (typeof result === 'string') throw new AuthError('malformed token');
      verified = result;
    } catch (e) {
      throw authErrorFrom(e);
    }

    const { sub, exp } = requireClaims(verified, nowSec, toleranceSec);
    requireLifetimeWithin(trusted.issuer, verified, exp, nowSec);
    return {
      subject: sub,
      agency: agencyOf(policy, trusted, verified.agency),
      roles: rolesOf(verified.roles),
      purpose: purposeOf(verified.purpose, purposeHeader),
      issuer: trusted.issuer.iss,
      expiresAt: exp,
      ...(typeof verified.jti === 'string' && verified.jti !== '' ? { tokenId: verified.jti } : {}),
    };
  }

  function verify(token: string, purposeHeader?: string): Principal {
    const { header, trusted } = inspect(token);
    let key;
    try {
      key = trusted.keyFor(header);
    } catch (e) {
      throw authErrorFrom(e);
    }
    if (key instanceof Promise) {
      key.catch(() => undefined); // fetched for a later attempt; this one is refused now
      throw new AuthError("the issuer's keys are not available");
    }
    return rememberedOr(token, key, purposeHeader, () => verifyWith(token, trusted, key, purposeHeader));
  }

  async function verifyAsync(token: string, purposeHeader?: string): Promise<Principal> {
    const { header, trusted } = inspect(token);
    let key;
    try {
      key = await trusted.keyFor(header);
    } catch (e) {
      throw authErrorFrom(e);
    }
    return rememberedOr(token, key, purposeHeader, () => verifyWith(token, trusted, key, purposeHeader));
  }

  return { verify, verifyAsync };
}
