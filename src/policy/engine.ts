/**
 * The one policy engine. Every enforcement point (SQL row filters, graphql-shield field rules,
 * subscription delivery, mutations, audit) asks it; nothing else decides access.
 *
 * `decide` is a pure function of (policy set, principal, action, resource, time).
 * `rowFilter` is the same row-visibility rule compiled to a SQL predicate; a property test
 * (test/policy-engine.test.ts) checks the two agree on random records. `fieldVerdict` is the
 * per-field half of a read.
 *
 * The rest of the engine, pure like this file and importing nothing of the project but
 * ./types and src/common: ./agreements (agreements in force and open for a principal),
 * ./membership (an agency's standing and its issuer's), ./scopes (sightings, audit trail and
 * webhooks: each rule with its SQL form).
 */
import { agreementOpenFor, applicableAgreements } from './agreements';
import { canManageWebhook } from './scopes';
import {
  DERIVABLE_TYPES,
  SHAREABLE_TYPES,
  type AccessBasis,
  type Agreement,
  type PolicySet,
  type Principal,
  type ShareableRecord,
  type ShareableType,
  type Tlp,
} from './types';

export const TLP_RANK: Record<Tlp, number> = { CLEAR: 0, GREEN: 1, AMBER: 2, AMBER_STRICT: 3, RED: 4 };

const tlpAtMost = (max: Tlp): Tlp[] => (Object.keys(TLP_RANK) as Tlp[]).filter((t) => TLP_RANK[t] <= TLP_RANK[max]);

export type Action =
  | { kind: 'read'; type: ShareableType; record: ShareableRecord }
  /** create or change a watchlist, entry or alert owned by `ownerAgency` */
  | { kind: 'publish'; type: 'Watchlist' | 'WatchlistEntry' | 'VesselAlert'; ownerAgency: string }
  | { kind: 'submitReport'; port: string }
  | { kind: 'triageReport'; record: ShareableRecord }
  /** may the principal triage reports at all (before a report is looked up) */
  | { kind: 'triageReports' }
  /** the analysts' side of a report's history: each transition's actor and note */
  | { kind: 'readTriageNotes'; record: ShareableRecord }
  /** the owner's side of an alert's status history: each transition's actor and note */
  | { kind: 'readAlertNotes'; record: ShareableRecord }
  | { kind: 'readAuditTrail' }
  /** be told live (subscription, webhook) of partners' sightings and false positives on the agency's entries */
  | { kind: 'receiveEntryFeedback' }
  /** tell an entry's owner what a screening hit turned out to be (the entry is visible to the caller) */
  | { kind: 'reportSighting' }
  /** register, list, rotate or delete the alert webhooks of `ownerAgency` (src/webhook) */
  | { kind: 'manageWebhooks'; ownerAgency: string }
  /** record values of the shared vessel registry (src/vessel/registry.service.ts) */
  | { kind: 'writeRegistry' }
  /** revoke tokens or subjects of `agency`, and list its revocations (src/revocation) */
  | { kind: 'manageRevocations'; agency: string };

export interface Decision {
  allowed: boolean;
  /** Why: a short sentence fit for logs and for the audit trail (never shown for hidden records). */
  reason: string;
  /** The first basis that holds. */
  basis?: AccessBasis;
  /** An agreement that released a field this principal reads; for AGREEMENT, always one that covers the record. */
  agreementId?: string;
  /** Sensitive fields of the record this principal may read: every one for OWNER, else the union over the bases that hold. */
  releasedFields?: ReadonlySet<string>;
}

const deny = (reason: string): Decision => ({ allowed: false, reason });
const NOTHING: ReadonlySet<string> = new Set();

const isPublicAgency = (p: Principal) => p.agency.kind !== 'PRIVATE_OPERATOR';

/**
 * Whether agreement `a` (already open for the principal, see ./agreements) reaches record `r`: the
 * provider's own records only, within its jurisdictions and maxTlp, and never RED, even if a
 * maxTlp were mis-set to RED (RED goes only to named recipients).
 */
function agreementCovers(a: Agreement, r: ShareableRecord): boolean {
  return (
    a.provider === r.ownerAgency &&
    r.tlp !== 'RED' &&
    TLP_RANK[r.tlp] <= TLP_RANK[a.maxTlp] &&
    (a.jurisdictions.length === 0 || a.jurisdictions.includes(r.jurisdiction))
  );
}

/**
 * The jurisdiction right: analysts of public agencies whose country is the record's jurisdiction.
 * For a report these are the agencies that triage it; they also read the fields fields.yaml lists
 * under `releasedToJurisdiction` (the reporter's identity) and the analysts' notes, whatever basis
 * the report reached them by. Private operators and agreements never get it.
 */
function jurisdictionRight(principal: Principal, r: ShareableRecord): Decision {
  if (!isPublicAgency(principal)) return deny('private operators do not triage');
  if (!principal.roles.includes('analyst')) return deny('triage needs the analyst role');
  if (r.jurisdiction !== principal.agency.country) return deny("report outside the agency's jurisdiction");
  return { allowed: true, reason: 'analyst of a public agency of the jurisdiction' };
}

/** Reports are never shared with the whole community or the public (ACCESS-MODEL.md). */
const communityShareable = (type: ShareableType) => type !== 'SuspiciousActivityReport';

/**
 * Row visibility: the record is visible if any basis holds, and `basis` reports the first that
 * does (OWNER, RECIPIENT, AGREEMENT, JURISDICTION, COMMUNITY, PUBLIC). Fields: the principal reads
 * the union of what every basis that holds releases (ACCESS-MODEL.md "Field visibility"), so being
 * named as a recipient, or holding a second agreement, never hides what an agreement releases.
 */
export function decideRead(policy: PolicySet, principal: Principal, type: ShareableType, r: ShareableRecord, now = new Date()): Decision {
  const own = decideOwnRead(policy, principal, type, r, now);
  const source = r.derivedFrom;
  if (!own.allowed || !source || source === type || !DERIVABLE_TYPES.includes(type)) return own;
  // Derived from another record (an automatic alert from a watchlist entry): never shown where its source would not be.
  return decideOwnRead(policy, principal, source, r, now).allowed ? own : deny(`derived from a ${source} the principal may not read`);
}

function decideOwnRead(policy: PolicySet, principal: Principal, type: ShareableType, r: ShareableRecord, now: Date): Decision {
  const me = principal.agency;
  const classes = policy.fields[type];
  if (r.ownerAgency === me.code) {
    return { allowed: true, basis: 'OWNER', reason: 'owner', releasedFields: new Set([...classes.sensitive, ...(classes.owner ?? [])]) };
  }
  const covering = applicableAgreements(policy, principal, type, now).filter((a) => agreementCovers(a, r));
  const basis = firstBasis(principal, type, r, covering.length > 0);
  if (basis === undefined) return deny('no basis');

  // Each covering agreement releases the sensitive fields of this type that it lists (a listed
  // field of another type, or an owner field, releases nothing here).
  const byAgreement = covering.map((a) => ({ a, fields: a.fields.filter((f) => classes.sensitive.includes(f)) }));
  const releasedFields = new Set(byAgreement.flatMap((x) => x.fields));
  // The jurisdiction's analysts keep what is theirs whatever the basis (never COMMUNITY or PUBLIC
  // here: where the jurisdiction right holds, so does JURISDICTION, which comes first).
  if (jurisdictionRight(principal, r).allowed) for (const f of classes.releasedToJurisdiction ?? []) releasedFields.add(f);
  // access.agreementId names an agreement that released something the principal reads, so the
  // audit trail can name the agreement a sensitive read rests on; an AGREEMENT basis always names one.
  const named = (byAgreement.find((x) => x.fields.length > 0) ?? (basis === 'AGREEMENT' ? byAgreement[0] : undefined))?.a;
  const reason =
    basis === 'AGREEMENT'
      ? `agreement ${named!.id}` // covering is not empty
      : READ_REASONS[basis] + (named ? `, and agreement ${named.id}` : '');
  return { allowed: true, basis, ...(named ? { agreementId: named.id } : {}), reason, releasedFields };
}

type SharedBasis = Exclude<AccessBasis, 'OWNER' | 'REFERENCED'>;

/** The first basis after OWNER that holds, in the order access.basis reports them. */
function firstBasis(principal: Principal, type: ShareableType, r: ShareableRecord, agreementHolds: boolean): SharedBasis | undefined {
  const me = principal.agency;
  if (r.recipients.includes(me.code)) return 'RECIPIENT';
  if (agreementHolds) return 'AGREEMENT';
  if (isPublicAgency(principal) && TLP_RANK[r.tlp] <= TLP_RANK.AMBER && r.jurisdiction === me.country) return 'JURISDICTION';
  if (communityShareable(type) && isPublicAgency(principal) && TLP_RANK[r.tlp] <= TLP_RANK.GREEN) return 'COMMUNITY';
  if (communityShareable(type) && r.tlp === 'CLEAR') return 'PUBLIC';
  return undefined;
}

const READ_REASONS: Record<Exclude<SharedBasis, 'AGREEMENT'>, string> = {
  RECIPIENT: 'named recipient',
  JURISDICTION: 'public agency of the jurisdiction',
  COMMUNITY: 'TLP:GREEN or CLEAR for public agencies',
  PUBLIC: 'TLP:CLEAR',
};

/**
 * How a record reached only by reference is seen (an entry's watchlist that is not visible on its
 * own): "seeing a record implies seeing the core fields of what it references" (ACCESS-MODEL.md),
 * so it is visible and releases nothing. decideReferenced gives it where decideRead denies.
 */
export const REFERENCED: Decision = Object.freeze({
  allowed: true,
  basis: 'REFERENCED',
  reason: 'reached from a visible record',
  releasedFields: NOTHING,
});

/**
 * A record as it stood when the principal legitimately saw it, kept from then (a sighting's entry
 * as its reporter saw it when reporting): it shows nothing of what the record became, so it
 * releases the core fields of that past version only, as REFERENCED. RecordAccess gives it to
 * records marked as seen then (markSeenThen), never to a current record.
 */
export const SEEN_THEN: Decision = Object.freeze({
  allowed: true,
  basis: 'REFERENCED',
  reason: 'as it stood when the principal saw it',
  releasedFields: NOTHING,
});

/**
 * The types a visible record's reference makes visible: only a watchlist, the container an entry
 * sits in (the entry is decided now, so its list's core fields are too). Every other reference (a
 * sighting's entry, a report's escalated alert) is shown under the referenced record's own
 * visibility now: having reported on an entry, or seeing the report an alert was escalated from,
 * never shows that record as it is now to an agency that does not see it (issue 10, item 5).
 */
const CONTAINERS: ReadonlySet<ShareableType> = new Set(['Watchlist']);

/**
 * A `type` record reached from a record the principal sees now: its own decision, or REFERENCED
 * if it is a container of that record.
 */
export function decideReferenced(
  policy: PolicySet,
  principal: Principal,
  type: ShareableType,
  r: ShareableRecord,
  now = new Date(),
): Decision {
  const own = decideRead(policy, principal, type, r, now);
  return own.allowed || !CONTAINERS.has(type) ? own : REFERENCED;
}

/** Another agency's sensitive field was read: what the audit trail records the read as resting on. */
interface SensitiveRead {
  basis: AccessBasis;
  agreementId?: string;
}

export type FieldVerdict = { allowed: true; auditAs?: SensitiveRead } | { allowed: false; reason: string };

/**
 * May a principal read `field` of a `type` record it sees under `decision` (decideRead's, or
 * REFERENCED)? The per-field half of a read, as Oso's authorize_field: core fields go with the
 * record; owner fields only to the owner; sensitive fields where the decision releases them, and
 * reading one of another agency's records is audited (ACCESS-MODEL.md, Audit). A field fields.yaml
 * does not class is denied, so a field added to a type without a class never leaks.
 * The reasons are shown to clients in the FORBIDDEN error at the field's path.
 */
export function fieldVerdict(policy: PolicySet, type: ShareableType, field: string, decision: Decision): FieldVerdict {
  // The caller reports a hidden record in its own words (it knows whom it is hidden from).
  if (!decision.allowed) return { allowed: false, reason: `${type} is not visible` };
  const classes = policy.fields[type];
  const released = decision.releasedFields ?? NOTHING;
  if (classes.core.includes(field)) return { allowed: true };
  if (classes.owner?.includes(field)) {
    return released.has(field) ? { allowed: true } : { allowed: false, reason: `${type}.${field} is shown only to the owning agency` };
  }
  if (!classes.sensitive.includes(field)) return { allowed: false, reason: `${type}.${field} is not classed in fields.yaml` };
  if (!released.has(field)) {
    return { allowed: false, reason: `${type}.${field} is withheld: access by ${decision.basis} does not release it` };
  }
  if (decision.basis === 'OWNER') return { allowed: true };
  // A read decision that allows always names its basis.
  return {
    allowed: true,
    auditAs: { basis: decision.basis!, ...(decision.agreementId !== undefined ? { agreementId: decision.agreementId } : {}) },
  };
}

/**
 * The sensitive fields withheld under `decision`, in fields.yaml order, for access.redactedFields
 * (so clients can show what they are not seeing). Owner fields are not listed: they are the
 * owner's bookkeeping, not withheld intelligence.
 */
export function redactedFields(policy: PolicySet, type: ShareableType, decision: Decision): string[] {
  const released = decision.releasedFields ?? NOTHING;
  return policy.fields[type].sensitive.filter((f) => !released.has(f));
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
    case 'readTriageNotes':
      return jurisdictionRight(principal, action.record);
    case 'triageReports':
      if (!isPublicAgency(principal)) return deny('private operators do not triage');
      if (!analyst) return deny('triage needs the analyst role');
      return { allowed: true, reason: 'analyst of a public agency' };
    case 'readAlertNotes':
      // Who moved an alert and why is the owning agency's bookkeeping, as fields.yaml's owner
      // class: no recipient, agreement or jurisdiction right releases it.
      if (action.record.ownerAgency !== me.code) return deny("an alert's status notes are for the owning agency only");
      return { allowed: true, reason: 'the owning agency' };
    case 'readAuditTrail':
      return principal.roles.includes('auditor') ? { allowed: true, reason: 'auditor' } : deny('needs the auditor role');
    case 'receiveEntryFeedback':
      return analyst ? { allowed: true, reason: 'analyst' } : deny("entry feedback is for the owning agency's analysts");
    case 'reportSighting':
      return analyst ? { allowed: true, reason: 'analyst' } : deny('reporting a sighting needs the analyst role');
    case 'manageWebhooks':
      // A webhook is a standing export that outlives the token that set it up: only the agency's
      // analysts, for their own agency. It delivers what the agency reads anyway (each delivery
      // is decided by decideRead at delivery time), so private operators may have one too.
      if (!analyst) return deny('webhooks need the analyst role');
      if (!canManageWebhook(principal, { agency: action.ownerAgency })) return deny("analysts manage their own agency's webhooks only");
      return { allowed: true, reason: 'analyst of the owning agency' };
    case 'writeRegistry':
      // The registry is everyone's reference data: only agencies the membership marks as
      // registry authorities write it, through their analysts.
      if (me.registryAuthority !== true) return deny(`agency ${me.code} is not a registry authority (registryAuthority in agencies.yaml)`);
      if (!analyst) return deny('writing the vessel registry needs the analyst role');
      return { allowed: true, reason: 'analyst of a registry authority' };
    case 'manageRevocations':
      // Revoking is the auditors' answer to a stolen token, within their own agency only: no
      // agency can lock another's people out.
      if (!principal.roles.includes('auditor')) return deny('revoking tokens needs the auditor role');
      if (action.agency !== me.code) return deny("auditors revoke their own agency's tokens only");
      return { allowed: true, reason: 'auditor of the agency' };
  }
}

/**
 * Principals with equal keys get equal decisions from `decide` (and `rowFilter`) for every action
 * and resource under `policy` at `now`: the key holds exactly what the engine reads of a
 * principal (its agency, the roles it tests, the agreements in force at `now` that name it and
 * that its purpose opens). Live delivery uses it to compute one answer per key instead
 * of one per subscriber; a property test (test/policy-engine.test.ts) holds it to that promise,
 * so a change to what the engine reads must change this key too.
 */
export function decisionKey(policy: PolicySet, principal: Principal, now: Date): string {
  const opened = policy.agreements.filter((a) => agreementOpenFor(a, principal, now)).map((a) => a.id);
  const roles = (['analyst', 'auditor'] as const).filter((r) => principal.roles.includes(r));
  const me = principal.agency;
  return JSON.stringify([me.code, me.kind, me.country, me.ports, roles, opened]);
}

/**
 * Row visibility for `type` compiled to SQL over columns owner_agency, tlp, jurisdiction,
 * recipients of table alias `alias`. Uses named TypeORM parameters prefixed with `prefix`.
 */
export function rowFilter(
  policy: PolicySet,
  principal: Principal,
  type: ShareableType,
  alias: string,
  now = new Date(),
  prefix = 'acl',
): { sql: string; params: Record<string, unknown> } {
  const own = ownRowFilter(policy, principal, type, alias, now, prefix);
  if (!DERIVABLE_TYPES.includes(type)) return own;
  // decideRead's derived records: the source type's filter over the same columns, for each source type.
  const derived = `${alias}.derived_from`;
  const ors = [`${derived} IS NULL`, `${derived} = '${type}'`];
  const params = { ...own.params };
  SHAREABLE_TYPES.filter((t) => t !== type).forEach((source, i) => {
    const f = ownRowFilter(policy, principal, source, alias, now, `${prefix}_src${i}`);
    Object.assign(params, f.params);
    ors.push(`(${derived} = '${source}' AND ${f.sql})`);
  });
  return { sql: `(${own.sql} AND (${ors.join(' OR ')}))`, params };
}

function ownRowFilter(
  policy: PolicySet,
  principal: Principal,
  type: ShareableType,
  alias: string,
  now: Date,
  prefix: string,
): { sql: string; params: Record<string, unknown> } {
  const me = principal.agency;
  const col = (c: string) => `${alias}.${c}`;
  const params: Record<string, unknown> = { [`${prefix}_me`]: me.code };
  const ors: string[] = [`${col('owner_agency')} = :${prefix}_me`, `:${prefix}_me = ANY(${col('recipients')})`];
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
