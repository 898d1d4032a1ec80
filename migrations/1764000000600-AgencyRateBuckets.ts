import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-agency request rates (READ_RATE_LIMIT, WRITE_RATE_LIMIT), shared by every hub instance on
 * the database: one token bucket per agency and kind, refilled by the database's clock.
 * take_rate_tokens takes up to `want` tokens in one round trip (src/server/rate-limit.ts takes a
 * few at a time so most requests need none).
 */
export class AgencyRateBuckets1764000000600 implements MigrationInterface {
  name = 'AgencyRateBuckets1764000000600';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agency_rate_buckets (
        agency text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('read', 'write')),
        tokens double precision NOT NULL,
        refilled_at timestamptz NOT NULL,
        PRIMARY KEY (agency, kind)
      );
    `);
    await q.query(`
      CREATE FUNCTION take_rate_tokens(p_agency text, p_kind text, p_capacity float8, p_per_second float8, p_want int)
      RETURNS TABLE (granted int, retry_after_seconds int) LANGUAGE plpgsql AS $$
      DECLARE
        t timestamptz;
        stored float8;
        stored_at timestamptz;
        available float8;
        got int;
      BEGIN
        -- A new bucket starts full; concurrent first takers meet on the row lock below.
        INSERT INTO agency_rate_buckets (agency, kind, tokens, refilled_at) VALUES (p_agency, p_kind, p_capacity, clock_timestamp())
          ON CONFLICT (agency, kind) DO NOTHING;
        SELECT b.tokens, b.refilled_at INTO stored, stored_at
          FROM agency_rate_buckets b WHERE b.agency = p_agency AND b.kind = p_kind FOR UPDATE;
        -- The clock is read once the lock is held: a taker that waited never refills from before
        -- the refill of the one it waited for, so no interval is credited twice.
        t := GREATEST(clock_timestamp(), stored_at);
        available := LEAST(p_capacity, stored + p_per_second * extract(epoch FROM t - stored_at));
        got := GREATEST(0, LEAST(p_want, floor(available)))::int;
        UPDATE agency_rate_buckets SET tokens = available - got, refilled_at = t WHERE agency = p_agency AND kind = p_kind;
        RETURN QUERY SELECT got, CASE WHEN got > 0 THEN 0 ELSE GREATEST(1, ceil((1 - available) / p_per_second))::int END;
      END
      $$;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION take_rate_tokens(text, text, float8, float8, int)');
    await q.query('DROP TABLE agency_rate_buckets');
  }
}
