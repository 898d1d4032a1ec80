/** A JSON Web Key Set as the verifier uses it: signing keys by `kid`, made into KeyObjects once. */
import crypto, { type KeyObject } from 'node:crypto';
import type jwt from 'jsonwebtoken';

/** The header may only name a key (`kid`); `jku`, `x5u` and `jwk` are never read. */
export class KeySet {
  constructor(
    private readonly byKid: ReadonlyMap<string, KeyObject>,
    private readonly all: readonly KeyObject[],
  ) {}

  /** The key for `header`, or undefined when the set has none that fits it. */
  keyFor(header: jwt.JwtHeader): KeyObject | undefined {
    if (typeof header.kid === 'string') return this.byKid.get(header.kid);
    // Without a kid the choice is only unambiguous when the set holds a single key.
    return this.all.length === 1 ? this.all[0] : undefined;
  }

  get size(): number {
    return this.all.length;
  }
}

/** Reads a JWKS document; throws an Error naming `where` (never key bytes) when it is not one. */
export function parseJwks(jwks: unknown, where: string): KeySet {
  const entries = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(entries)) throw new Error(`${where} has no "keys" array`);
  const byKid = new Map<string, KeyObject>();
  const all: KeyObject[] = [];
  entries.forEach((jwk: crypto.JsonWebKey & { kid?: unknown; use?: unknown }, i) => {
    if (jwk === null || typeof jwk !== 'object') throw new Error(`${where} key #${i} is not an object`);
    if (jwk.use !== undefined && jwk.use !== 'sig') return; // encryption keys do not verify tokens
    // A private or symmetric key has no place in a published set: refuse the set rather than use it.
    if (jwk.kty === 'oct' || jwk.d !== undefined) throw new Error(`${where} key #${i} is not a public key`);
    let key: KeyObject;
    try {
      key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
    } catch (e) {
      throw new Error(`${where} key #${i} is not a public key: ${(e as Error).message}`, { cause: e });
    }
    all.push(key);
    if (typeof jwk.kid === 'string') byKid.set(jwk.kid, key);
  });
  return new KeySet(byKid, all);
}
