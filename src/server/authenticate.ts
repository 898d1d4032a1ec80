/** The principal of a request or WebSocket connection, from its bearer token. */
import { GraphQLError } from 'graphql';
import { AuthError, parseBearer } from '../auth/tokens';
import type { PolicyStore } from '../request/policy-store';

const unauthenticated = (reason: string) =>
  new GraphQLError(`not authenticated: ${reason}`, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

export const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Builds the principal from the bearer token; no token or a bad one is UNAUTHENTICATED. */
export function authenticate(policies: PolicyStore, authorization?: string, purposeHeader?: string) {
  const snapshot = policies.current;
  try {
    const token = parseBearer(authorization);
    if (!token) throw new AuthError('a Bearer token is required');
    return { policy: snapshot.policy, principal: snapshot.verifier.verify(token, purposeHeader) };
  } catch (err) {
    if (err instanceof AuthError) throw unauthenticated(err.reason);
    throw err;
  }
}
