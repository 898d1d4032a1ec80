import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Insider-threat signals and feedback to entry owners (issue 13, items 3 and 6):
 * - `audit_anomalies`: one row per subject, data owner, kind and window whose reads went beyond
 *   the owner's thresholds (src/audit/anomaly-watch.ts); the unique key keeps a window from
 *   raising twice.
 * - `xid` on anomalies and sightings: the writing transaction, so a live feed reads rows by
 *   transaction horizon and never skips one that commits late (src/request/live-notices.ts).
 *   Existing sightings get the migration's own transaction, older than any horizon a hub reads from.
 * - the identifiers a partner screened when it reported a false positive (`screened_*`), so the
 *   next screening of the same identity is marked (src/screening/false-positive-memory.ts).
 */
export class AuditAnomalies1764000001600 implements MigrationInterface {
  name = 'AuditAnomalies1764000001600';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_anomalies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        kind text NOT NULL CHECK (kind IN ('READ_VOLUME', 'PARTNER_SPREAD')),
        owner_agency text NOT NULL,
        agency text NOT NULL,
        subject text NOT NULL,
        window_start timestamptz(3) NOT NULL,
        window_end timestamptz(3) NOT NULL,
        reads int NOT NULL,
        baseline double precision,
        partners int,
        threshold text NOT NULL,
        raised_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (owner_agency, subject, agency, kind, window_start)
      );
      CREATE INDEX audit_anomalies_owner_idx ON audit_anomalies (owner_agency, raised_at, id);
      CREATE INDEX audit_anomalies_xid_idx ON audit_anomalies (xid);
      CREATE INDEX audit_events_read_at_idx ON audit_events (at) WHERE operation IN ('readRecords', 'readSensitiveFields');
      ALTER TABLE sightings ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
      ALTER TABLE sightings ADD COLUMN screened_imo text, ADD COLUMN screened_mmsi text, ADD COLUMN screened_name text;
      CREATE INDEX sightings_xid_idx ON sightings (xid);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX sightings_xid_idx, audit_events_read_at_idx;
      ALTER TABLE sightings DROP COLUMN xid, DROP COLUMN screened_imo, DROP COLUMN screened_mmsi, DROP COLUMN screened_name;
      DROP TABLE audit_anomalies;
    `);
  }
}
