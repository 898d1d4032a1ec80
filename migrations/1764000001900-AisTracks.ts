import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automatic alerts from AIS (src/ais/): an alert's origin and detection, one alert per detection
 * key (vessel, rule, port visit); the latest state of each MMSI; and the positions kept for
 * watchlisted vessels and alert evidence, partitioned by day so retention drops whole partitions.
 * An alert raised from a watchlist entry is marked derived_from 'WatchlistEntry', which the policy
 * engine reads (src/policy/engine.ts, decideRead and rowFilter).
 * Existing alerts are MANUAL.
 */
export class AisTracks1764000001900 implements MigrationInterface {
  name = 'AisTracks1764000001900';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE vessel_alerts
        ADD COLUMN origin text NOT NULL DEFAULT 'MANUAL' CHECK (origin IN ('MANUAL', 'AUTOMATIC')),
        ADD COLUMN detection jsonb,
        ADD COLUMN detection_key text,
        ADD COLUMN derived_from text CHECK (derived_from IN ('WatchlistEntry')),
        ADD CONSTRAINT vessel_alerts_detection_origin CHECK ((origin = 'AUTOMATIC') = (detection IS NOT NULL))`);
    await q.query(`CREATE UNIQUE INDEX vessel_alerts_detection_key_idx ON vessel_alerts (detection_key) WHERE detection_key IS NOT NULL`);
    await q.query(`
      CREATE TABLE ais_vessels (
        mmsi char(9) PRIMARY KEY,
        feed_id text NOT NULL,
        imo char(7),
        name text,
        call_sign text,
        ship_type smallint,
        destination text,
        lat double precision,
        lon double precision,
        sog real,
        cog real,
        position_at timestamptz(3),
        static_at timestamptz(3),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((lat IS NULL) = (lon IS NULL))
      )`);
    await q.query(`CREATE INDEX ais_vessels_imo_idx ON ais_vessels (imo) WHERE imo IS NOT NULL`);
    await q.query(`
      CREATE TABLE ais_positions (
        mmsi char(9) NOT NULL,
        at timestamptz(3) NOT NULL,
        feed_id text NOT NULL,
        lat double precision NOT NULL,
        lon double precision NOT NULL,
        sog real,
        cog real
      ) PARTITION BY RANGE (at)`);
    await q.query(`CREATE INDEX ais_positions_mmsi_at_idx ON ais_positions (mmsi, at)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ais_positions`);
    await q.query(`DROP TABLE ais_vessels`);
    await q.query(
      `ALTER TABLE vessel_alerts DROP COLUMN derived_from, DROP COLUMN detection_key, DROP COLUMN detection, DROP COLUMN origin`,
    );
  }
}
