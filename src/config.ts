/** Settings from the environment, read once, validated with messages that say what is wrong. */
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..');

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

/** How long a stopping hub lets requests in flight finish before it stops them without committing. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  embeddedPgDir: string;
  embeddedPgPort: number;
  policiesDir: string;
  audience: string;
  logLevel: string;
  seedDemo: boolean;
  reportRateLimit: RateLimit;
  shutdownGraceMs: number;
}

export function loadConfig(): Config {
  return {
    port: intSetting('PORT', 4000, 0, 65535),
    host: process.env.HOST || '127.0.0.1',
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
    shutdownGraceMs: intSetting('SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0, 600_000),
  };
}
