/**
 * The one policy engine. Every enforcement point (SQL row filters, graphql-shield field rules,
 * subscription delivery, mutations, audit) asks it; nothing else decides access.
 *
 * `decide` is a pure function of (policy set, principal, action, resource, time).
 * `rowFilter` is the same row-visibility rule compiled to a SQL predicate; a property test
 * (test/policy-engine.test.ts) checks the two agree on random records.
 */
import type {
  AccessBasis, Agreement, PolicySet, Principal, ShareableRecord, ShareableType, Tlp,
} from './types';

export const TLP_RANK: Record<Tlp, number> = { CLEAR: 0, GREEN: 1, AMBER: 2, AMBER_STRICT: 3, RED: 4 };

export const tlpAtMost = (max: Tlp): Tlp[] =>
  (Object.keys(TLP_RANK) as Tlp[]).filter((t) => TLP_RANK[t] <= TLP_RANK[max]);

export type Action =
  | { kind: 'read'; type: ShareableType; record: ShareableRecord }
  /** create or change a watchlist, entry or alert owned by `ownerAgency` */
  | { kind: 'publish'; type: 'Watchlist' | 'WatchlistEntry' | 'VesselAlert'; ownerAgency: string }
  | { kind: 'submitReport'; port: string }
  | { kind: 'triageReport'; record: ShareableRecord }
  | { kind: 'readAuditTrail' };

export interface Decision {
  allowed: boolean;
  /** Why: a short sentence fit for logs and for the audit trail (never shown for hidden records). */
  reason: string;
  basis?: AccessBasis;
  agreementId?: string;
  /** Sensitive fields of the record this principal may read (every one for OWNER). */
  releasedFields?: ReadonlySet<string>;
}

const deny = (reason: string): Decision => ({ allowed: false, reason });
const NOTHING: ReadonlySet<string> = new Set();

const isPublicAgency = (p: Principal) => p.agency.kind !== 'PRIVATE_OPERATOR';

/** Agreements that grant `principal` anything on `type` at time `now` for its stated purpose. */
export function applicableAgreements(
  policy: PolicySet, principal: Principal, type: ShareableType, now: Date,
): Agreement[] {
  return policy.agreements.filter(
    (a) =>
      a.recipients.includes(principal.agency.code) &&
      a.types.includes(type) &&
      a.validFrom.getTime() <= now.getTime() &&
      (a.validUntil === undefined || now.getTime() <= a.validUntil.getTime()) &&
      (a.purposes.length === 0 || (principal.purpose !== undefined && a.purposes.includes(principal.purpose))),
  );
}

function agreementCovers(a: Agreement, r: ShareableRecord): boolean {
  return (
    a.provider === r.ownerAgency &&
    r.tlp !== 'RED' &&
    TLP_RANK[r.tlp] <= TLP_RANK[a.maxTlp] &&
    (a.jurisdictions.length === 0 || a.jurisdictions.includes(r.jurisdiction))
  );
}

/** Reports are never shared with the whole community or the public (ACCESS-MODEL.md). */
const communityShareable = (type: ShareableType) => type !== 'SuspiciousActivityReport';

export function decideRead(
  policy: PolicySet, principal: Principal, type: ShareableType, r: ShareableRecord, now = new Date(),
): Decision {
  const me = principal.agency;
  const allFields = new Set(policy.fields[type].sensitive);
  if (r.ownerAgency === me.code) return { allowed: true, basis: 'OWNER', reason: 'owner', releasedFields: allFields };
  if (r.recipients.includes(me.code)) {
    return { allowed: true, basis: 'RECIPIENT', reason: 'named recipient', releasedFields: NOTHING };
  }
  const agreement = applicableAgreements(policy, principal, type, now).find((a) => agreementCovers(a, r));
  if (agreement) {
    const sensitive = policy.fields[type].sensitive;
    return {
      allowed: true,
      basis: 'AGREEMENT',
      agreementId: agreement.id,
      reason: `agreement ${agreement.id}`,
      releasedFields: new Set(agreement.fields.filter((f) => sensitive.includes(f))),
    };
  }
  if (isPublicAgency(principal) && TLP_RANK[r.tlp] <= TLP_RANK.AMBER && r.jurisdiction === me.country) {
    return { allowed: true, basis: 'JURISDICTION', reason: 'public agency of the jurisdiction', releasedFields: NOTHING };
  }
  if (communityShareable(type) && isPublicAgency(principal) && TLP_RANK[r.tlp] <= TLP_RANK.GREEN) {
    return { allowed: true, basis: 'COMMUNITY', reason: 'TLP:GREEN or CLEAR for public agencies', releasedFields: NOTHING };
  }
  if (communityShareable(type) && r.tlp === 'CLEAR') {
    return { allowed: true, basis: 'PUBLIC', reason: 'TLP:CLEAR', releasedFields: NOTHING };
  }
  return deny('no basis');
}

export function decide(policy: PolicySet, principal: Principal, action: Action, now = new Date()): Decision {
  const me = principal.agency;
  const analyst = principal.roles.includes('analyst');
  switch (action.kind) {
    case 'read':
      return decideRead(policy, principal, action.type, action.record, now);
    case 'publish':
      if (!isPublicAgency(principal)) return deny('private operators never publish');
      if (!analyst) return deny('publishing needs the analyst role');
      if (action.ownerAgency !== me.code) return deny('analysts publish for their own agency only');
      return { allowed: true, reason: 'analyst of the owning agency' };
    case 'submitReport':
      if (!me.ports.includes(action.port)) return deny(`agency ${me.code} is not registered at port ${action.port}`);
      return { allowed: true, reason: 'agency registered at the port' };
    case 'triageReport':
      if (!isPublicAgency(principal)) return deny('private operators do not triage');
      if (!analyst) return deny('triage needs the analyst role');
      if (action.record.jurisdiction !== me.country) return deny('report outside the agency\'s jurisdiction');
      return { allowed: true, reason: 'analyst of a public agency of the jurisdiction' };
    case 'readAuditTrail':
      return principal.roles.includes('auditor') ? { allowed: true, reason: 'auditor' } : deny('needs the auditor role');
  }
}

/** A SQL condition with positional parameters numbered from `firstParam`. */
export interface SqlPredicate {
  sql: string;
  params: unknown[];
}

/**
 * Row visibility for `type` compiled to SQL over columns owner_agency, tlp, jurisdiction,
 * recipients of table alias `alias`. Uses named TypeORM parameters prefixed with `prefix`.
 */
export function rowFilter(
  policy: PolicySet, principal: Principal, type: ShareableType, alias: string, now = new Date(), prefix = 'acl',
): { sql: string; params: Record<string, unknown> } {
  const me = principal.agency;
  const col = (c: string) => `${alias}.${c}`;
  const params: Record<string, unknown> = { [`${prefix}_me`]: me.code };
  const ors: string[] = [
    `${col('owner_agency')} = :${prefix}_me`,
    `:${prefix}_me = ANY(${col('recipients')})`,
  ];
  applicableAgreements(policy, principal, type, now).forEach((a, i) => {
    const p = `${prefix}_a${i}`;
    params[`${p}_provider`] = a.provider;
    params[`${p}_tlps`] = tlpAtMost(a.maxTlp).filter((t) => t !== 'RED');
    let clause = `(${col('owner_agency')} = :${p}_provider AND ${col('tlp')} = ANY(:${p}_tlps)`;
    if (a.jurisdictions.length > 0) {
      params[`${p}_jur`] = a.jurisdictions;
      clause += ` AND ${col('jurisdiction')} = ANY(:${p}_jur)`;
    }
    ors.push(clause + ')');
  });
  if (isPublicAgency(principal)) {
    params[`${prefix}_country`] = me.country;
    ors.push(`(${col('tlp')} IN ('CLEAR','GREEN','AMBER') AND ${col('jurisdiction')} = :${prefix}_country)`);
    if (communityShareable(type)) ors.push(`${col('tlp')} IN ('CLEAR','GREEN')`);
  } else if (communityShareable(type)) {
    ors.push(`${col('tlp')} = 'CLEAR'`);
  }
  return { sql: `(${ors.join(' OR ')})`, params };
}
