/**
 * A verifier remembers the tokens it verified (src/auth/tokens.ts) until they expire: a repeated
 * request costs no signature check, and nothing a verification refuses is ever let through by
 * the memory (expiry, another purpose header, a policy reload, the revocation list).
 */
import path from 'node:path';
import { ensureDevKeys } from '../src/auth/dev-keys';
import { mintDevToken } from '../src/auth/dev-token';
import { AuthError, createTokenVerifier } from '../src/auth/tokens';
import { loadPolicies } from '../src/policy/load';
import type { PolicySet } from '../src/policy/types';

const AUD = 'portcullis';

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AuthError) return e.reason;
    throw e;
  }
  throw new Error('expected the token to be refused');
}

let policy: PolicySet;
beforeAll(() => {
  ensureDevKeys();
  policy = loadPolicies(path.resolve(__dirname, '../policies'));
});

test('a token verified once is taken from memory: the same principal, no second verification', () => {
  const verifier = createTokenVerifier(policy, { audience: AUD });
  const token = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], purpose: 'CUSTOMS', audience: AUD });
  const first = verifier.verify(token);
  expect(verifier.verify(token)).toBe(first);
});

test('a remembered token is refused once it expires, as jsonwebtoken refuses it (exp plus the clock tolerance)', () => {
  let clock = Date.now();
  const verifier = createTokenVerifier(policy, { audience: AUD, clockToleranceSec: 30, now: () => clock });
  const token = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], audience: AUD, ttlSeconds: 60 });
  const principal = verifier.verify(token);
  clock = (principal.expiresAt + 29) * 1000;
  expect(verifier.verify(token)).toBe(principal);
  clock = (principal.expiresAt + 30) * 1000;
  expect(reasonOf(() => verifier.verify(token))).toBe('token expired');
});

test('the purpose header is part of what is remembered: a conflicting header is still refused', () => {
  const verifier = createTokenVerifier(policy, { audience: AUD });
  const token = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], purpose: 'CUSTOMS', audience: AUD });
  expect(verifier.verify(token, 'CUSTOMS').purpose).toBe('CUSTOMS');
  expect(reasonOf(() => verifier.verify(token, 'LAW_ENFORCEMENT'))).toBe('purpose in header differs from token');
  const open = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], audience: AUD });
  expect(verifier.verify(open, 'CUSTOMS').purpose).toBe('CUSTOMS');
  expect(verifier.verify(open, 'LAW_ENFORCEMENT').purpose).toBe('LAW_ENFORCEMENT');
  expect(verifier.verify(open).purpose).toBeUndefined();
});

test('a new verifier (a policy reload) remembers nothing: it verifies under its own policy', () => {
  const token = mintDevToken({ agency: 'nl-customs', roles: ['analyst'], audience: AUD });
  const before = createTokenVerifier(policy, { audience: AUD });
  before.verify(token);
  const withoutMember = { ...policy, agencies: new Map([...policy.agencies].filter(([code]) => code !== 'nl-customs')) };
  const after = createTokenVerifier(withoutMember, { audience: AUD });
  expect(reasonOf(() => after.verify(token))).toBe('unknown agency');
  expect(before.verify(token).agency.code).toBe('nl-customs');
});
