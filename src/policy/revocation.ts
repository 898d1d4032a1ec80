/** Whether a principal's token is revoked: the one rule, for every transport and every instance. */
import type { Principal, Revocation } from './types';

/**
 * The revocation that refuses `principal` at `now`, if any. A revocation only ever names tokens of
 * its own agency: a `jti` chosen by one agency's identity provider cannot lock out another's.
 */
export function revocationOf(principal: Principal, revocations: Iterable<Revocation>, now: Date): Revocation | undefined {
  for (const r of revocations) {
    if (r.agency !== principal.agency.code) continue;
    if (r.until !== null && r.until.getTime() <= now.getTime()) continue;
    if (r.kind === 'SUBJECT' ? r.value === principal.subject : r.value === principal.tokenId) return r;
  }
  return undefined;
}
