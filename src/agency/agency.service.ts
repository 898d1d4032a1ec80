import type { PolicySet } from '../policy/types';
import { AgencyType } from './agency.type';

/**
 * The agency behind a code stored on a record. Agencies that own records must stay listed in
 * agencies.yaml; a missing one is a configuration fault, answered as an internal error.
 */
export function agencyByCode(policy: PolicySet, code: string): AgencyType {
  const agency = policy.agencies.get(code);
  if (!agency) throw new Error(`agency ${code} owns records but is not listed in agencies.yaml`);
  return AgencyType.of(agency);
}

export const listAgencies = (policy: PolicySet): AgencyType[] =>
  [...policy.agencies.values()].sort((a, b) => a.code.localeCompare(b.code)).map(AgencyType.of);
