/** Settings from the environment, read once, validated with messages that say what is wrong. */
import fs from 'node:fs';
import path from 'node:path';

/**
 * The checkout (or the image's /app): the nearest folder above this file with a package.json.
 * This file runs as src/config.ts (ts-node, Jest) and as dist/src/config.js (`npm run build`), so
 * policies/, web/dist and .keys/ are found from either.
 */
function repoRoot(from: string): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (dir === path.dirname(dir)) return path.resolve(from, '..');
  }
}

export const REPO_ROOT = repoRoot(__dirname);

/** `.keys/`: the development issuer's key pair and the development webhook key (git-ignored). */
export const DEV_KEYS_DIR = path.join(REPO_ROOT, '.keys');

function intSetting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw.slice(0, 40)}"`);
  }
  return n;
}

/** At most `max` events per agency within any `windowSeconds`. */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

/** Suspicious-activity report submissions per agency: REPORT_RATE_LIMIT per REPORT_RATE_WINDOW_SECONDS. */
export const DEFAULT_REPORT_RATE_LIMIT: RateLimit = { max: 20, windowSeconds: 600 };

/**
 * What one request may ask of the hub (README, Security notes, "Limits"): its cost before it
 * runs, its time, its share of the database pool, and each agency's request rates.
 */
export interface RequestLimits {
  /** QUERY_MAX_COST: an operation's cost, counted with its variables (src/graphql/cost.ts). */
  maxCost: number;
  /** SCREENING_MAX_NAMES: names screened by one operation, over all its screening fields. */
  screeningNames: number;
  /** SCREENING_MAX_HITS: hits one operation's screening may return (screened vessels × maxHits). */
  screeningHits: number;
  /** REQUEST_TIMEOUT_MS: a request's deadline; also every hub statement's statement_timeout. */
  timeoutMs: number;
  /** SCREENING_MAX_CONNECTIONS: screening statements running at once per hub instance. */
  screeningConnections: number;
  /** SCREENING_QUEUE: screening requests waiting for one of those; more are answered RATE_LIMITED. */
  screeningQueue: number;
  /** READ_RATE_LIMIT per READ_RATE_WINDOW_SECONDS: queries per agency over HTTP. */
  reads: RateLimit;
  /** WRITE_RATE_LIMIT per WRITE_RATE_WINDOW_SECONDS: mutations per agency over HTTP. */
  writes: RateLimit;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  maxCost: 20_000,
  screeningNames: 200,
  screeningHits: 100_000,
  timeoutMs: 10_000,
  screeningConnections: 3,
  screeningQueue: 20,
  reads: { max: 3000, windowSeconds: 60 },
  writes: { max: 600, windowSeconds: 60 },
};

function rateSetting(name: string, fallback: RateLimit): RateLimit {
  return {
    max: intSetting(`${name}_RATE_LIMIT`, fallback.max, 1, 1_000_000),
    windowSeconds: intSetting(`${name}_RATE_WINDOW_SECONDS`, fallback.windowSeconds, 1, 86_400),
  };
}

/**
 * What one client may send, on HTTP and WebSocket alike (README "Limits"). Sockets are counted per
 * hub instance: N instances let a principal hold N times maxSocketsPerPrincipal.
 */
export interface TransportLimits {
  /** MAX_BODY_BYTES: an HTTP body or a WebSocket message larger than this is refused (413, or close code 1009). */
  maxRequestBytes: number;
  /** The GraphQL parser stops after this many tokens (QUERY_TOO_COMPLEX). */
  maxTokens: number;
  maxSubscriptionsPerSocket: number;
  /** Open sockets of one principal (issuer, agency and subject of its token) on this instance. */
  maxSocketsPerPrincipal: number;
  /** Open sockets of one agency, whatever its subjects (an agency's own issuer mints as many as it likes), on this instance. */
  maxSocketsPerAgency: number;
  /** Messages one socket may send per second (a bucket that refills at this rate, holding at most one second's worth). */
  maxMessagesPerSecond: number;
  /** Introspection and "Did you mean" suggestions: development only (NODE_ENV=development, or GRAPHQL_INTROSPECTION=true). */
  introspection: boolean;
}

export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = {
  maxRequestBytes: 2 * 1024 * 1024,
  maxTokens: 10_000,
  maxSubscriptionsPerSocket: 20,
  maxSocketsPerPrincipal: 20,
  maxSocketsPerAgency: 500,
  maxMessagesPerSecond: 30,
  introspection: false,
};

/**
 * MAX_BODY_BYTES, the documented name; MAX_REQUEST_BYTES, its older name, still works. Both set
 * to different values is refused rather than one of them silently winning.
 */
function maxBodyBytes(fallback: number): number {
  const range = [1024, 64 * 1024 * 1024] as const;
  const body = intSetting('MAX_BODY_BYTES', fallback, ...range);
  const request = intSetting('MAX_REQUEST_BYTES', fallback, ...range);
  const bodySet = (process.env.MAX_BODY_BYTES ?? '') !== '';
  const requestSet = (process.env.MAX_REQUEST_BYTES ?? '') !== '';
  if (bodySet && requestSet && body !== request) {
    throw new Error(`MAX_BODY_BYTES (${body}) and its older name MAX_REQUEST_BYTES (${request}) differ: set only MAX_BODY_BYTES`);
  }
  return bodySet ? body : request;
}

function transportLimits(): TransportLimits {
  const d = DEFAULT_TRANSPORT_LIMITS;
  const introspection = process.env.GRAPHQL_INTROSPECTION;
  if (introspection !== undefined && introspection !== '' && introspection !== 'true' && introspection !== 'false') {
    throw new Error(`GRAPHQL_INTROSPECTION must be true or false, got "${introspection.slice(0, 40)}"`);
  }
  return {
    maxRequestBytes: maxBodyBytes(d.maxRequestBytes),
    maxTokens: intSetting('GRAPHQL_MAX_TOKENS', d.maxTokens, 100, 1_000_000),
    maxSubscriptionsPerSocket: intSetting('WS_MAX_SUBSCRIPTIONS_PER_SOCKET', d.maxSubscriptionsPerSocket, 1, 10_000),
    maxSocketsPerPrincipal: intSetting('WS_MAX_SOCKETS_PER_PRINCIPAL', d.maxSocketsPerPrincipal, 1, 100_000),
    maxSocketsPerAgency: intSetting('WS_MAX_SOCKETS_PER_AGENCY', d.maxSocketsPerAgency, 1, 1_000_000),
    maxMessagesPerSecond: intSetting('WS_MAX_MESSAGES_PER_SECOND', d.maxMessagesPerSecond, 1, 100_000),
    introspection: introspection ? introspection === 'true' : process.env.NODE_ENV === 'development',
  };
}
/** How long a stopping hub lets requests in flight finish before it stops them without committing. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export interface Config {
  port: number;
  host: string;
  /** METRICS_PORT: /metrics on a listener of its own (on `host`); unset, /metrics is on the main listener. */
  metricsPort?: number;
  databaseUrl?: string;
  embeddedPgDir: string;
  embeddedPgPort: number;
  policiesDir: string;
  audience: string;
  logLevel: string;
  seedDemo: boolean;
  reportRateLimit: RateLimit;
  limits: RequestLimits;
  transport: TransportLimits;
  shutdownGraceMs: number;
  console: ConsoleSettings;
  /** Issuers' keys fetched from a URL (issuers.yaml `jwksUri`, `discovery`). */
  remoteKeys: { minRefetchMs: number; maxAgeMs: number };
  /** REVOCATION_REFRESH_MS: how often each instance reads the revocation list. */
  revocationRefreshMs: number;
  /** AUDIT_CHECKPOINT_SECONDS: how often the hub signs the audit chain's head, when it moved. */
  auditCheckpointSeconds: number;
  /** ANOMALY_CHECK_SECONDS: how often the hub evaluates the insider-threat thresholds (policies/anomalies.yaml). */
  anomalyCheckSeconds: number;
  /** LIVE_NOTICE_POLL_MS: how often each instance reads new anomalies and entry feedback for live subscribers (only while there are some). */
  liveNoticePollMs: number;
  /** AIS_RETENTION_DAYS and AIS_MAX_VESSELS: how long AIS positions are kept, how many vessels are held in memory. */
  ais: { retentionDays: number; maxVessels: number };
  /**
   * May policies/issuers.yaml trust the development issuer (`portcullis-dev`, whose key sits in
   * .keys/)? Only in development and tests, or with ALLOW_DEV_ISSUER=true (a demo).
   */
  allowDevIssuer: boolean;
}

/**
 * NODE_ENV=development (which `npm start` sets unless told otherwise) and test (Jest) trust the
 * development issuer. Any other mode, production above all and a hub started without saying,
 * refuses it unless ALLOW_DEV_ISSUER=true: whoever reads its key can sign in as any agency.
 */
function allowDevIssuer(): boolean {
  const raw = process.env.ALLOW_DEV_ISSUER;
  if (raw !== undefined && raw !== '' && raw !== 'true' && raw !== 'false') {
    throw new Error(`ALLOW_DEV_ISSUER must be true or false, got "${raw.slice(0, 40)}"`);
  }
  if (raw) return raw === 'true';
  return process.env.NODE_ENV === 'development' || process.env.NODE_ENV === 'test';
}

/**
 * Switches that make a hub measure itself against a weaker version of itself (auditing of reads
 * off): only in a process started with NODE_ENV=benchmark, which `npm run bench:*` sets and no
 * deployment has. A hub given one in any other mode refuses to start.
 */
export const benchmarkSwitchesAllowed = (): boolean => process.env.NODE_ENV === 'benchmark';

/** The web console (web/, served at `/`) and its development sign-in. */
export interface ConsoleSettings {
  /** The built console (web/dist); the hub serves nothing at `/` when it is missing. */
  dir: string;
  /**
   * /dev/token signs a token for any demo agency with the development issuer: only with
   * NODE_ENV=development (which `npm start` sets unless told otherwise), and only while
   * policies/issuers.yaml trusts that issuer.
   */
  devSignIn: boolean;
  /** GraphiQL at /explorer (the console's API explorer): NODE_ENV=development only; 404 otherwise. */
  explorer: boolean;
}

export const CONSOLE_DIR = path.join(REPO_ROOT, 'web', 'dist');

export function loadConfig(): Config {
  return {
    port: intSetting('PORT', 4000, 0, 65535),
    host: process.env.HOST || '127.0.0.1',
    metricsPort: process.env.METRICS_PORT ? intSetting('METRICS_PORT', 0, 0, 65535) : undefined,
    databaseUrl: process.env.DATABASE_URL || undefined,
    embeddedPgDir: path.resolve(process.env.EMBEDDED_PG_DIR || path.join(REPO_ROOT, '.data', 'pg')),
    embeddedPgPort: intSetting('EMBEDDED_PG_PORT', 5433, 1, 65535),
    policiesDir: path.resolve(process.env.POLICIES_DIR || path.join(REPO_ROOT, 'policies')),
    audience: process.env.JWT_AUDIENCE || 'portcullis',
    logLevel: process.env.LOG_LEVEL || 'info',
    seedDemo: (process.env.SEED_DEMO ?? 'true') !== 'false',
    reportRateLimit: {
      max: intSetting('REPORT_RATE_LIMIT', DEFAULT_REPORT_RATE_LIMIT.max, 1, 1_000_000),
      windowSeconds: intSetting('REPORT_RATE_WINDOW_SECONDS', DEFAULT_REPORT_RATE_LIMIT.windowSeconds, 1, 86_400),
    },
    limits: {
      maxCost: intSetting('QUERY_MAX_COST', DEFAULT_REQUEST_LIMITS.maxCost, 100, 10_000_000),
      screeningNames: intSetting('SCREENING_MAX_NAMES', DEFAULT_REQUEST_LIMITS.screeningNames, 1, 1000),
      screeningHits: intSetting('SCREENING_MAX_HITS', DEFAULT_REQUEST_LIMITS.screeningHits, 1, 1_000_000),
      timeoutMs: intSetting('REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_LIMITS.timeoutMs, 100, 600_000),
      screeningConnections: intSetting('SCREENING_MAX_CONNECTIONS', DEFAULT_REQUEST_LIMITS.screeningConnections, 1, 100),
      screeningQueue: intSetting('SCREENING_QUEUE', DEFAULT_REQUEST_LIMITS.screeningQueue, 0, 10_000),
      reads: rateSetting('READ', DEFAULT_REQUEST_LIMITS.reads),
      writes: rateSetting('WRITE', DEFAULT_REQUEST_LIMITS.writes),
    },
    transport: transportLimits(),
    shutdownGraceMs: intSetting('SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0, 600_000),
    console: {
      dir: path.resolve(process.env.CONSOLE_DIR || CONSOLE_DIR),
      devSignIn: process.env.NODE_ENV === 'development',
      explorer: process.env.NODE_ENV === 'development',
    },
    allowDevIssuer: allowDevIssuer(),
    remoteKeys: {
      minRefetchMs: intSetting('JWKS_MIN_REFETCH_SECONDS', 30, 1, 3600) * 1000,
      maxAgeMs: intSetting('JWKS_MAX_AGE_SECONDS', 600, 10, 86_400) * 1000,
    },
    revocationRefreshMs: intSetting('REVOCATION_REFRESH_MS', 2000, 100, 60_000),
    auditCheckpointSeconds: intSetting('AUDIT_CHECKPOINT_SECONDS', 300, 1, 86_400),
    anomalyCheckSeconds: intSetting('ANOMALY_CHECK_SECONDS', 60, 1, 86_400),
    liveNoticePollMs: intSetting('LIVE_NOTICE_POLL_MS', 500, 50, 60_000),
    ais: {
      retentionDays: intSetting('AIS_RETENTION_DAYS', 90, 1, 3650),
      maxVessels: intSetting('AIS_MAX_VESSELS', 200_000, 100, 5_000_000),
    },
  };
}
