/**
 * Keys an identity provider publishes at a URL (issuers.yaml `jwksUri`, or `discovery`: an OpenID
 * Connect discovery document whose `jwks_uri` is followed and whose `issuer` must be the
 * issuer's `iss`).
 *
 * - Keys are cached. A token naming a `kid` the cache lacks triggers a fetch, but at most one per
 *   issuer every `minRefetchMs`, so tokens with random kids cannot flood the provider; within
 *   that time such a token is refused as "unknown key id". That is how a rotation is picked up
 *   without a restart; keys older than `maxAgeMs` are also refreshed in the background on use,
 *   so a key the provider withdrew stops verifying.
 * - A failed fetch keeps the last good keys; `onState` hears once per change (failing, recovered).
 * - Only the configured URL is fetched: redirects are refused, the body is bounded, and nothing a
 *   token says (`jku`, `x5u`, `jwk`) is ever followed.
 * - The sets outlive policy reloads (RemoteKeySets), keyed by issuer and URL.
 */
import type { KeyObject } from 'node:crypto';
import type jwt from 'jsonwebtoken';
import { keyUrlProblem } from '../common/remote-url';
import { parseJwks, type KeySet } from './jwks';

export interface RemoteKeyOptions {
  /** At most one fetch per issuer in this time (JWKS_MIN_REFETCH_SECONDS). */
  minRefetchMs: number;
  /** Keys older than this are refreshed on use (JWKS_MAX_AGE_SECONDS). */
  maxAgeMs: number;
  /** One fetch's time limit. */
  timeoutMs: number;
  /** Called when an issuer's keys start failing to load, and when they load again. */
  onState?: (change: { iss: string; ok: boolean; error?: string }) => void;
}

export const DEFAULT_REMOTE_KEY_OPTIONS: RemoteKeyOptions = { minRefetchMs: 30_000, maxAgeMs: 600_000, timeoutMs: 5_000 };

/** A key set or discovery document is small; anything larger is refused unread. */
const MAX_DOCUMENT_BYTES = 512 * 1024;

/** Why a key was not found; short and safe for a client. */
export class UnknownKey extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export type RemoteSource = { jwksUri: string } | { discovery: string };

export class RemoteKeySet {
  private keys: KeySet | undefined;
  private loadedAt = -Infinity;
  private attemptedAt = -Infinity;
  private inflight: Promise<void> | undefined;
  private failing = false;

  constructor(
    readonly iss: string,
    private readonly source: RemoteSource,
    private readonly opts: RemoteKeyOptions,
  ) {}

  /** The key for `header`: at once when cached, otherwise after a fetch when one is allowed now. */
  keyFor(header: jwt.JwtHeader): KeyObject | Promise<KeyObject> {
    const cached = this.keys?.keyFor(header);
    if (cached) {
      if (Date.now() - this.loadedAt > this.opts.maxAgeMs) void this.refresh();
      return cached;
    }
    if (!this.mayFetch() && !this.inflight) throw this.unknown(header);
    return this.refresh().then(() => {
      const key = this.keys?.keyFor(header);
      if (!key) throw this.unknown(header);
      return key;
    });
  }

  private unknown(header: jwt.JwtHeader): UnknownKey {
    if (!this.keys) return new UnknownKey("the issuer's keys are not available");
    return new UnknownKey(typeof header.kid === 'string' ? 'unknown key id' : 'token has no key id');
  }

  private mayFetch(): boolean {
    return Date.now() - this.attemptedAt >= this.opts.minRefetchMs;
  }

  /** One fetch at a time, and none sooner than minRefetchMs after the last. */
  refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (!this.mayFetch()) return Promise.resolve();
    this.attemptedAt = Date.now();
    this.inflight = this.load()
      .then(
        (keys) => {
          this.keys = keys;
          this.loadedAt = Date.now();
          if (this.failing) this.opts.onState?.({ iss: this.iss, ok: true });
          this.failing = false;
        },
        (err: unknown) => {
          if (!this.failing) this.opts.onState?.({ iss: this.iss, ok: false, error: (err as Error).message });
          this.failing = true;
        },
      )
      .finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async load(): Promise<KeySet> {
    let jwksUri: string;
    if ('discovery' in this.source) {
      const doc = (await this.fetchJson(this.source.discovery, 'discovery document')) as { issuer?: unknown; jwks_uri?: unknown };
      if (doc?.issuer !== this.iss) throw new Error(`discovery document ${this.source.discovery} names another issuer`);
      if (typeof doc.jwks_uri !== 'string') throw new Error(`discovery document ${this.source.discovery} has no jwks_uri`);
      const problem = keyUrlProblem(doc.jwks_uri);
      if (problem) throw new Error(`discovery document ${this.source.discovery}: jwks_uri ${problem}`);
      jwksUri = doc.jwks_uri;
    } else {
      jwksUri = this.source.jwksUri;
    }
    const keys = parseJwks(await this.fetchJson(jwksUri, 'JWKS'), `JWKS ${jwksUri}`);
    if (keys.size === 0) throw new Error(`JWKS ${jwksUri} holds no signing key`);
    return keys;
  }

  private async fetchJson(url: string, what: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, {
        redirect: 'error',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        headers: { accept: 'application/json' },
      });
    } catch (e) {
      throw new Error(`${what} ${url}: ${(e as Error).name === 'TimeoutError' ? 'no answer in time' : 'cannot be fetched'}`, { cause: e });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`${what} ${url}: HTTP ${res.status}`);
    }
    const text = await boundedText(res, `${what} ${url}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${what} ${url} is not JSON`);
    }
  }
}

/** The body as text, read no further than MAX_DOCUMENT_BYTES (a chunked answer declares no length). */
async function boundedText(res: Response, what: string): Promise<string> {
  const tooLarge = () => new Error(`${what} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  if (Number(res.headers.get('content-length') ?? 0) > MAX_DOCUMENT_BYTES) {
    await res.body?.cancel();
    throw tooLarge();
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_DOCUMENT_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The remote key sets of all issuers, kept across policy reloads while issuer and URL stay the same. */
export class RemoteKeySets {
  private readonly sets = new Map<string, RemoteKeySet>();

  constructor(readonly opts: RemoteKeyOptions = DEFAULT_REMOTE_KEY_OPTIONS) {}

  of(iss: string, source: RemoteSource): RemoteKeySet {
    const id = JSON.stringify([iss, source]);
    let set = this.sets.get(id);
    if (!set) this.sets.set(id, (set = new RemoteKeySet(iss, source, this.opts)));
    return set;
  }
}
