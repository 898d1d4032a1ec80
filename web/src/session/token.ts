/**
 * What the console reads of a token without verifying it (the hub verifies every request): when
 * it expires, so the session can end on time. Never stored anywhere but in memory.
 */
export function tokenExpiry(token: string): Date | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? new Date(json.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}
