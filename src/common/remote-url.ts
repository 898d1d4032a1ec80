/**
 * Where the hub may fetch an identity provider's keys from: HTTPS only, so nobody on the path
 * can hand it keys. Plain HTTP to a loopback address is allowed only when
 * JWKS_ALLOW_HTTP_LOOPBACK=true, a switch for tests (a local JWKS server), never for production.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const httpLoopbackAllowed = () => process.env.JWKS_ALLOW_HTTP_LOOPBACK === 'true';

/** Why `value` may not be fetched for keys, or undefined when it may. */
export function keyUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) {
    return httpLoopbackAllowed() ? undefined : 'must be https (plain http to loopback only with JWKS_ALLOW_HTTP_LOOPBACK=true, for tests)';
  }
  return 'must be https';
}
