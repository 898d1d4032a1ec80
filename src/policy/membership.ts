/**
 * Standing in the membership: is an agency (still) a member, and may this issuer (still) speak for
 * it. Token verification asks it once per token; what outlives that check (a WebSocket connection,
 * a webhook registered with a token) asks it again whenever the membership is reloaded, so an
 * agency that left, or an issuer that lost it, stops being served everywhere by the same rule.
 */
import type { Agency, PolicySet } from './types';

export type MemberStanding =
  /** The agency as the current membership describes it (name, kind, country, ports may have changed). */
  | { agency: Agency }
  /**
   * Not in standing. `reason` is worded for a re-check of what was admitted earlier and names the
   * agency and issuer, both known to the hub; `lapse` lets token verification word its own
   * refusals without echoing an unverified claim back to a client.
   */
  | { lapse: 'NOT_A_MEMBER' | 'DEPARTED' | 'ISSUER_MAY_NOT_SPEAK'; reason: string };

export function memberStanding(policy: PolicySet, agencyCode: string, iss: string): MemberStanding {
  const departed = policy.departed.get(agencyCode);
  if (departed) return { lapse: 'DEPARTED', reason: `membership changed: agency ${agencyCode} departed on ${departed.departedOn}` };
  const agency = policy.agencies.get(agencyCode);
  if (!agency) return { lapse: 'NOT_A_MEMBER', reason: `membership changed: agency ${agencyCode} is no longer a member` };
  // The loader refuses duplicate issuers; the first one wins regardless, as in the token verifier.
  const issuer = policy.issuers.find((i) => i.iss === iss);
  if (!issuer?.agencies.includes(agency.code)) {
    return { lapse: 'ISSUER_MAY_NOT_SPEAK', reason: `membership changed: issuer ${iss} no longer speaks for ${agency.code}` };
  }
  return { agency };
}
