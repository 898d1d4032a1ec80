/** Vocabulary of the access model (../shared/spec/ACCESS-MODEL.md), shared by every module. */

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const AGENCY_KINDS = ['CUSTOMS', 'COAST_GUARD', 'PORT_AUTHORITY', 'BORDER_POLICE', 'PRIVATE_OPERATOR'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const ROLES = ['viewer', 'analyst', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PURPOSES = [
  'BORDER_CONTROL',
  'CUSTOMS',
  'FISHERIES',
  'LAW_ENFORCEMENT',
  'MARITIME_SAFETY_SECURITY',
  'MARINE_ENVIRONMENT',
  'DEFENCE',
  'PORT_OPERATIONS',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * The record types the access model governs, by their GraphQL names. A VesselPosition is an AIS
 * position a feed reported: owned by the feed's agency, at the feed's TLP, in that agency's country.
 */
export const SHAREABLE_TYPES = ['Watchlist', 'WatchlistEntry', 'VesselAlert', 'SuspiciousActivityReport', 'VesselPosition'] as const;
export type ShareableType = (typeof SHAREABLE_TYPES)[number];

export const ACCESS_BASES = ['OWNER', 'RECIPIENT', 'AGREEMENT', 'JURISDICTION', 'COMMUNITY', 'PUBLIC', 'REFERENCED'] as const;
export type AccessBasis = (typeof ACCESS_BASES)[number];

export interface Agency {
  code: string;
  name: string;
  kind: AgencyKind;
  /** ISO 3166-1 alpha-2 */
  country: string;
  /** UN/LOCODEs the agency is registered at */
  ports: string[];
  /** The membership trusts it to write the shared vessel registry (agencies.yaml `registryAuthority`); absent means no. */
  registryAuthority?: true;
}

/**
 * An agency that left the membership while it owned records: a tombstone. Its records keep their
 * owner code and stay under the same rules; it can no longer sign in or be named as a recipient.
 */
export interface DepartedAgency extends Agency {
  /** The day of departure as agencies.yaml records it (YYYY-MM-DD). */
  departedOn: string;
}

export interface Issuer {
  iss: string;
  algorithms: string[];
  /** Exactly one key source; paths are already resolved against POLICIES_DIR. */
  publicKeyFile?: string;
  jwksFile?: string;
  /** A JWKS URL, fetched and cached by the hub (src/auth/remote-keys.ts). */
  jwksUri?: string;
  /** An OpenID Connect discovery document's URL: its `jwks_uri` is fetched, its `issuer` must be `iss`. */
  discovery?: string;
  secretEnv?: string;
  agencies: string[];
  /** Tokens living longer than this (exp - iat, or exp - now without iat) are refused. */
  maxTokenLifetimeSeconds: number;
  /** The console's single sign-on through this provider, for its agencies (issuers.yaml `signIn`). */
  signIn?: IssuerSignIn;
}

/** OpenID Connect authorization code with PKCE, as the console (a public client) uses it. */
export interface IssuerSignIn {
  /** The console's client id at the provider. */
  clientId: string;
  /** The provider's discovery document: `signIn.discovery`, or else the issuer's own `discovery`. */
  discovery: string;
  /** The scopes the console asks for, space-separated; always with `openid`. */
  scope: string;
}

/** An issuer's maxTokenLifetime when issuers.yaml gives none: 24 hours. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

export interface FieldClasses {
  core: string[];
  sensitive: string[];
  /**
   * Fields only the record's owner reads, whatever the basis of anyone else (an entry's history
   * and sighting feedback). Never released by an agreement; not listed in `redactedFields`, since
   * they are the owner's own bookkeeping rather than withheld intelligence.
   */
  owner?: string[];
  /**
   * Sensitive fields also released to the principals that hold the jurisdiction right: analysts
   * of public agencies whose country is the record's jurisdiction (for reports, exactly those who
   * may triage them), whatever basis the record reached them by. A subset of `sensitive`. Nobody
   * else gets them without an agreement that lists them (e.g. a report's reporterContact).
   */
  releasedToJurisdiction?: string[];
}

export interface Agreement {
  id: string;
  provider: string;
  recipients: string[];
  types: ShareableType[];
  /** Empty means every jurisdiction of the provider's records. */
  jurisdictions: string[];
  maxTlp: Exclude<Tlp, 'RED'>;
  /** Sensitive fields released on top of core. */
  fields: string[];
  /** Empty means any purpose (or none stated). */
  purposes: Purpose[];
  purpose?: string;
  validFrom: Date;
  validUntil?: Date;
  /** File the agreement came from, for error messages and reviews. */
  file: string;
}

/** The whole membership, loaded and validated from POLICIES_DIR; swapped atomically on reload. */
export interface PolicySet {
  dir: string;
  /** Agencies in the membership now. */
  agencies: Map<string, Agency>;
  /** Agencies that left it; agencies.yaml keeps them (`departed:`) because records still name them. */
  departed: Map<string, DepartedAgency>;
  issuers: Issuer[];
  fields: Record<ShareableType, FieldClasses>;
  agreements: Agreement[];
  /** revoked.yaml: revocations for an emergency, beside those auditors keep in the database. */
  revoked: Revocation[];
  /** anomalies.yaml: insider-threat thresholds per data owner; absent, DEFAULT_ANOMALY_THRESHOLDS for every agency. */
  anomalies?: AnomalyPolicy;
  /** ais.yaml (optional): the AIS feeds the hub reads and its port approach zones; absent means no AIS. */
  ais?: AisPolicy;
}

/**
 * When reads of an agency's data raise an audit anomaly for its auditors (src/audit/anomaly-watch.ts).
 * Windows are aligned on the epoch (a 1h window starts on the hour, UTC).
 */
export interface AnomalyThresholds {
  /** One subject's reads of the agency's records in a window: at least minReads AND more than baselineMultiple x its mean per window over the previous 30 days. */
  readVolume: { windowSeconds: number; minReads: number; baselineMultiple: number };
  /** One subject reading records of at least minPartners agencies other than its own (this one among them) in a window. */
  partnerSpread: { windowSeconds: number; minPartners: number };
}

export const DEFAULT_ANOMALY_THRESHOLDS: AnomalyThresholds = Object.freeze({
  readVolume: Object.freeze({ windowSeconds: 3600, minReads: 500, baselineMultiple: 5 }),
  partnerSpread: Object.freeze({ windowSeconds: 900, minPartners: 4 }),
});

export interface AnomalyPolicy {
  /** The file's `defaults` over DEFAULT_ANOMALY_THRESHOLDS. */
  defaults: AnomalyThresholds;
  /** Per agency, its own keys over `defaults`. */
  agencies: Map<string, AnomalyThresholds>;
}

/** The thresholds that guard `agency`'s data under `policy`. */
export function anomalyThresholdsFor(policy: PolicySet, agency: string): AnomalyThresholds {
  return policy.anomalies?.agencies.get(agency) ?? policy.anomalies?.defaults ?? DEFAULT_ANOMALY_THRESHOLDS;
}

/** How an AIS feed reaches the hub: a TCP port it listens on, a feed it connects to, or a UDP port. */
export type AisFeedSource =
  | { kind: 'listen'; host: string; port: number }
  | { kind: 'connect'; host: string; port: number }
  | { kind: 'udp'; host: string; port: number };

export interface AisFeed {
  id: string;
  /** Operates the feed; owns what it derives outside watchlists. */
  agency: string;
  /** The marking of its positions and of alerts not derived from a watchlist entry. */
  tlp: Exclude<Tlp, 'RED'>;
  source: AisFeedSource;
}

export interface AisPolicy {
  feeds: AisFeed[];
  /** Radius of a port's approach zone in nautical miles, unless `ports` says otherwise. */
  approachNm: number;
  /** Per-port approach radius, by UN/LOCODE. */
  ports: Map<string, { approachNm: number }>;
  /** The rules' thresholds: the file's `rules` over DEFAULT_AIS_RULES. */
  rules: AisRuleThresholds;
}

/** What makes AIS_GAP, POSITION_SPOOFING and ENCOUNTER fire (ais.yaml `rules`). */
export interface AisRuleThresholds {
  /** AIS_GAP: a listed vessel silent longer than this while its feed hears others. */
  gapHours: number;
  /** POSITION_SPOOFING: an implied speed above this between two reports. */
  maxSpeedKn: number;
  /** ENCOUNTER: two vessels within this distance ... */
  encounterMeters: number;
  /** ... for at least this long ... */
  encounterHours: number;
  /** ... both slower than this. */
  encounterMaxKn: number;
}

export const DEFAULT_AIS_RULES: AisRuleThresholds = Object.freeze({
  gapHours: 12,
  maxSpeedKn: 50,
  encounterMeters: 500,
  encounterHours: 2,
  encounterMaxKn: 2,
});

export const REVOCATION_KINDS = ['TOKEN', 'SUBJECT'] as const;
export type RevocationKind = (typeof REVOCATION_KINDS)[number];

/** A token (by its `jti`) or a whole subject of one agency, refused until `until` (or for good). */
export interface Revocation {
  agency: string;
  kind: RevocationKind;
  /** The jti (TOKEN) or the subject (SUBJECT). */
  value: string;
  reason: string;
  until: Date | null;
}

/** Who is asking: built from a verified token, never from unverified input. */
export interface Principal {
  subject: string;
  agency: Agency;
  roles: Role[];
  purpose?: Purpose;
  issuer: string;
  /** Seconds since epoch, from the token's exp. */
  expiresAt: number;
  /** The token's `jti`, when it has one: what a revocation of this one token names. */
  tokenId?: string;
}

/** The attributes of a record that visibility depends on. */
export interface ShareableRecord {
  ownerAgency: string;
  tlp: Tlp;
  jurisdiction: string;
  recipients: string[];
  /**
   * The type of the record this one was derived from, when it was (an automatic alert raised from
   * a watchlist entry: 'WatchlistEntry'). Such a record is read only by those who could read a
   * record of that type with the same attributes, so it never shows what its source would not.
   * Only the DERIVABLE_TYPES carry it.
   */
  derivedFrom?: ShareableType | null;
}

/** The types whose records may be derived from another's (their tables have a derived_from column). */
export const DERIVABLE_TYPES: readonly ShareableType[] = ['VesselAlert'];
