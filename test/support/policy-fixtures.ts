/** Small in-code policy sets for unit tests of the policy engine and of what is built on it. */
import {
  SHAREABLE_TYPES,
  type Agency,
  type AgencyKind,
  type Agreement,
  type FieldClasses,
  type PolicySet,
  type ShareableType,
} from '../../src/policy/types';

export const DAY = 24 * 60 * 60 * 1000;

export const FIELDS: Record<ShareableType, FieldClasses> = {
  Watchlist: { core: ['id', 'name', 'tlp'], sensitive: [] },
  WatchlistEntry: { core: ['id', 'reason', 'tlp'], sensitive: ['source', 'notes'] },
  VesselAlert: { core: ['id', 'title', 'tlp'], sensitive: ['intelligenceSummary'] },
  SuspiciousActivityReport: { core: ['id', 'description', 'tlp'], sensitive: ['reporterContact'] },
  VesselPosition: { core: ['id', 'lat', 'lon', 'tlp'], sensitive: [] },
};

export const agency = (code: string, kind: AgencyKind, country: string, ports: string[] = []): Agency => ({
  code,
  name: code,
  kind,
  country,
  ports,
});

/** An agreement on every type, up to AMBER, releasing nothing, valid since 30 days before `now`. */
export function agreement(over: Partial<Agreement> & Pick<Agreement, 'id' | 'provider' | 'recipients'>, now: Date): Agreement {
  return {
    types: [...SHAREABLE_TYPES],
    jurisdictions: [],
    maxTlp: 'AMBER',
    fields: [],
    purposes: [],
    validFrom: new Date(now.getTime() - 30 * DAY),
    file: `agreements/${over.id}.yaml`,
    ...over,
  };
}

export function policyOf(agreements: Agreement[], agencies: Agency[]): PolicySet {
  return {
    dir: '/nowhere',
    agencies: new Map(agencies.map((a) => [a.code, a])),
    departed: new Map(),
    issuers: [],
    fields: FIELDS,
    agreements,
    revoked: [],
  };
}
