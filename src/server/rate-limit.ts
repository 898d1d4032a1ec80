/**
 * Per-agency request rates, a token bucket per agency and kind (reads: queries and
 * subscriptions; writes: mutations) kept in PostgreSQL (take_rate_tokens, migration
 * 1764000000600), so every hub instance on the database draws on the same bucket.
 *
 * To keep the round trip off most requests, an instance takes a small lease of tokens at a time
 * (a hundredth of the bucket, at least one) and spends it locally. A lease is drawn from the
 * shared bucket, so instances together never admit more than the bucket grants; tokens an
 * instance holds unused are, at worst, a hundredth of the limit that another instance cannot use.
 */
import type { DataSource } from 'typeorm';
import { rateLimited } from '../common/errors';
import type { RateLimit } from '../config';

export type RequestKind = 'read' | 'write';

const SETTING: Record<RequestKind, string> = { read: 'READ_RATE_LIMIT', write: 'WRITE_RATE_LIMIT' };
const NOUN: Record<RequestKind, string> = { read: 'queries', write: 'mutations' };

export class AgencyRateLimits {
  /** Tokens this instance holds, by kind and agency. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly db: DataSource,
    private readonly limits: Record<RequestKind, RateLimit>,
    /** Tokens taken per round trip; 1 takes one per request (the benchmark's comparison). */
    private readonly leaseSize = (limit: RateLimit) => Math.max(1, Math.floor(limit.max / 100)),
  ) {}

  /** Spends one token of `agency`'s bucket, or throws RATE_LIMITED with the seconds until the next. */
  async take(agency: string, kind: RequestKind): Promise<void> {
    const key = `${kind}:${agency}`;
    const held = this.held.get(key) ?? 0;
    if (held > 0) {
      this.held.set(key, held - 1);
      return;
    }
    const limit = this.limits[kind];
    const [row]: { granted: number; retry_after_seconds: number }[] = await this.db.query(
      'SELECT granted, retry_after_seconds FROM take_rate_tokens($1, $2, $3, $4, $5)',
      [agency, kind, limit.max, limit.max / limit.windowSeconds, this.leaseSize(limit)],
    );
    if (row.granted === 0) {
      throw rateLimited(
        `Your agency has used its ${limit.max} ${NOUN[kind]} per ${limit.windowSeconds} seconds (${SETTING[kind]}). ` +
          `Try again in ${row.retry_after_seconds} seconds.`,
        row.retry_after_seconds,
      );
    }
    // Concurrent requests may each have taken a lease: keep what all of them brought.
    this.held.set(key, (this.held.get(key) ?? 0) + row.granted - 1);
  }
}
