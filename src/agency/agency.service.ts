import type { PolicySet } from '../policy/types';
import { AgencyType } from './agency.type';

/** Agencies as shown, per policy set: every row of a list names its owner, and the set never changes. */
const shown = new WeakMap<PolicySet, Map<string, AgencyType>>();

/** A member, or a departed agency kept in agencies.yaml because records still name it. */
export function findAgency(policy: PolicySet, code: string): AgencyType | null {
  let agencies = shown.get(policy);
  if (!agencies) shown.set(policy, (agencies = new Map()));
  let type = agencies.get(code);
  if (!type) {
    const agency = policy.agencies.get(code) ?? policy.departed.get(code);
    if (!agency) return null;
    agencies.set(code, (type = AgencyType.of(agency)));
  }
  return type;
}

/**
 * The agency behind a code stored on a record. The hub refuses a membership that drops an agency
 * its records still name (src/api/membership-guard.ts), so a miss here is a fault, answered as an
 * internal error.
 */
export function agencyByCode(policy: PolicySet, code: string): AgencyType {
  const agency = findAgency(policy, code);
  if (!agency) throw new Error(`agency ${code} owns records but is not listed in agencies.yaml`);
  return agency;
}

export const listAgencies = (policy: PolicySet, includeDeparted: boolean): AgencyType[] =>
  [...policy.agencies.values(), ...(includeDeparted ? policy.departed.values() : [])]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map(AgencyType.of);
