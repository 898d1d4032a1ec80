/** The principal of a request or WebSocket connection, from its bearer token. */
import { GraphQLError } from 'graphql';
import { AuthError, parseBearer } from '../auth/tokens';
import type { PolicyStore } from '../request/policy-store';
import type { RevocationList } from '../revocation/revocation-list';

/**
 * 401 with `WWW-Authenticate: Bearer` (RFC 6750), saying `error="invalid_token"` when a token was
 * given and refused. The header travels in `extensions.http`, which Apollo applies to the answer
 * and the error formatter never shows.
 */
const unauthenticated = (reason: string, tokenGiven: boolean) =>
  new GraphQLError(`not authenticated: ${reason}`, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: new Map([['www-authenticate', tokenGiven ? 'Bearer error="invalid_token"' : 'Bearer']]) },
    },
  });

export const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Builds the principal from the bearer token; no token, a bad one or a revoked one is UNAUTHENTICATED. */
export async function authenticate(policies: PolicyStore, revocations: RevocationList, authorization?: string, purposeHeader?: string) {
  const snapshot = policies.current;
  try {
    const token = parseBearer(authorization);
    if (!token) throw new AuthError('a Bearer token is required');
    const principal = await snapshot.verifier.verifyAsync(token, purposeHeader);
    if (revocations.revocationOf(principal, snapshot.policy)) throw new AuthError('token revoked');
    return { policy: snapshot.policy, principal };
  } catch (err) {
    if (err instanceof AuthError) throw unauthenticated(err.reason, authorization !== undefined && authorization.trim() !== '');
    throw err;
  }
}
