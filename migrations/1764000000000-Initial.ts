import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hub's data model. Every shareable table carries the four access attributes the policy
 * engine filters on (owner_agency, tlp, jurisdiction, recipients) under those exact column names.
 * Agencies are not a table: they are membership, kept in policies/agencies.yaml.
 */
export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TYPE tlp AS ENUM ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED');
      CREATE TYPE risk_level AS ENUM ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');
      CREATE TYPE alert_status AS ENUM ('ACTIVE', 'ACKNOWLEDGED', 'RESOLVED', 'WITHDRAWN');
      CREATE TYPE report_status AS ENUM ('SUBMITTED', 'UNDER_REVIEW', 'ESCALATED', 'CLOSED');

      CREATE TABLE vessels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        imo char(7) NOT NULL UNIQUE,
        mmsi char(9),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        flag char(2),
        call_sign text,
        vessel_type text,
        former_names text[] NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      );
      CREATE INDEX vessels_mmsi_idx ON vessels (mmsi);
      CREATE INDEX vessels_name_idx ON vessels (lower(name));

      CREATE TABLE watchlists (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text,
        owner_agency text NOT NULL,
        tlp tlp NOT NULL,
        jurisdiction char(2) NOT NULL,
        recipients text[] NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      );
      CREATE INDEX watchlists_owner_idx ON watchlists (owner_agency);

      CREATE TABLE watchlist_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        watchlist_id uuid NOT NULL REFERENCES watchlists (id),
        vessel_id uuid NOT NULL REFERENCES vessels (id),
        category text NOT NULL,
        risk_level risk_level NOT NULL,
        reason text NOT NULL,
        owner_agency text NOT NULL,
        tlp tlp NOT NULL,
        jurisdiction char(2) NOT NULL,
        recipients text[] NOT NULL DEFAULT '{}',
        valid_from timestamptz(3) NOT NULL DEFAULT now(),
        valid_until timestamptz(3),
        source text,
        notes text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (valid_until IS NULL OR valid_until >= valid_from)
      );
      CREATE INDEX watchlist_entries_watchlist_idx ON watchlist_entries (watchlist_id, created_at, id);
      CREATE INDEX watchlist_entries_vessel_idx ON watchlist_entries (vessel_id);
      CREATE INDEX watchlist_entries_owner_idx ON watchlist_entries (owner_agency);
      CREATE INDEX watchlist_entries_order_idx ON watchlist_entries (created_at, id);

      -- Earlier versions of entries: who changed what, when (filled from the entry service).
      CREATE TABLE watchlist_entry_versions (
        entry_id uuid NOT NULL REFERENCES watchlist_entries (id),
        version int NOT NULL,
        changed_at timestamptz(3) NOT NULL DEFAULT now(),
        changed_by text NOT NULL,
        changed_by_agency text NOT NULL,
        operation text NOT NULL,
        snapshot jsonb NOT NULL,
        PRIMARY KEY (entry_id, version)
      );

      CREATE TABLE vessel_alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sequence bigint NOT NULL,
        vessel_id uuid NOT NULL REFERENCES vessels (id),
        category text NOT NULL,
        severity risk_level NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        port char(5),
        location_lat double precision,
        location_lon double precision,
        owner_agency text NOT NULL,
        tlp tlp NOT NULL,
        jurisdiction char(2) NOT NULL,
        recipients text[] NOT NULL DEFAULT '{}',
        status alert_status NOT NULL DEFAULT 'ACTIVE',
        issued_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3),
        intelligence_summary text,
        report_id uuid,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((location_lat IS NULL) = (location_lon IS NULL))
      );
      CREATE INDEX vessel_alerts_order_idx ON vessel_alerts (issued_at, id);
      CREATE INDEX vessel_alerts_vessel_idx ON vessel_alerts (vessel_id);
      CREATE INDEX vessel_alerts_owner_idx ON vessel_alerts (owner_agency);

      -- The alert stream: one ordered log of publishes and status changes, written in the same
      -- transaction as the alert. tx records the writing transaction so readers can hold back
      -- rows of transactions still in flight (sequence order is not commit order).
      CREATE TABLE alert_events (
        sequence bigserial PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES vessel_alerts (id),
        kind text NOT NULL CHECK (kind IN ('PUBLISHED', 'UPDATED')),
        status alert_status NOT NULL,
        note text,
        actor text NOT NULL,
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        at timestamptz(3) NOT NULL DEFAULT now()
      );
      CREATE INDEX alert_events_alert_idx ON alert_events (alert_id);

      CREATE TABLE suspicious_activity_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE,
        owner_agency text NOT NULL,
        submitted_by text NOT NULL,
        port char(5) NOT NULL,
        tlp tlp NOT NULL DEFAULT 'AMBER',
        jurisdiction char(2) NOT NULL,
        recipients text[] NOT NULL DEFAULT '{}',
        vessel_id uuid REFERENCES vessels (id),
        imo char(7),
        mmsi char(9),
        vessel_name text,
        category text NOT NULL,
        observed_at timestamptz(3) NOT NULL,
        location_lat double precision,
        location_lon double precision,
        description text NOT NULL,
        reporter_contact text,
        security_level smallint CHECK (security_level BETWEEN 1 AND 3),
        actions_taken text,
        status report_status NOT NULL DEFAULT 'SUBMITTED',
        escalated_alert_id uuid REFERENCES vessel_alerts (id),
        idempotency_key text,
        payload_hash text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (owner_agency, idempotency_key)
      );
      CREATE INDEX sar_order_idx ON suspicious_activity_reports (created_at, id);
      CREATE INDEX sar_jurisdiction_idx ON suspicious_activity_reports (jurisdiction);
      ALTER TABLE vessel_alerts ADD FOREIGN KEY (report_id) REFERENCES suspicious_activity_reports (id);

      -- Per port and year counter behind human-readable references such as SAR-NLRTM-2026-000123.
      CREATE TABLE report_reference_counters (
        port char(5) NOT NULL,
        year int NOT NULL,
        last_number int NOT NULL,
        PRIMARY KEY (port, year)
      );

      CREATE TABLE report_transitions (
        id bigserial PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES suspicious_activity_reports (id),
        from_status report_status,
        to_status report_status NOT NULL,
        note text,
        actor text NOT NULL,
        actor_agency text NOT NULL,
        at timestamptz(3) NOT NULL DEFAULT now()
      );
      CREATE INDEX report_transitions_report_idx ON report_transitions (report_id, id);

      CREATE TABLE sightings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        entry_id uuid NOT NULL REFERENCES watchlist_entries (id),
        reported_by text NOT NULL,
        port char(5),
        observed_at timestamptz(3) NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('CONFIRMED', 'FALSE_POSITIVE')),
        note text,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      );
      CREATE INDEX sightings_entry_idx ON sightings (entry_id);

      -- Append-only, hash-chained audit trail: hash = sha256(prev_hash || canonical event).
      CREATE TABLE audit_events (
        sequence bigserial PRIMARY KEY,
        at timestamptz(3) NOT NULL DEFAULT now(),
        subject text NOT NULL,
        agency text NOT NULL,
        operation text NOT NULL,
        record_ids text[] NOT NULL DEFAULT '{}',
        data_owners text[] NOT NULL DEFAULT '{}',
        basis text,
        agreement_id text,
        purpose text,
        request_id text,
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE
      );
      CREATE INDEX audit_events_agency_idx ON audit_events (agency, sequence);
      CREATE INDEX audit_events_owners_idx ON audit_events USING gin (data_owners);
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_events, sightings, report_transitions, report_reference_counters;
      ALTER TABLE vessel_alerts DROP COLUMN report_id;
      DROP TABLE suspicious_activity_reports, alert_events, vessel_alerts,
        watchlist_entry_versions, watchlist_entries, watchlists, vessels;
      DROP TYPE report_status, alert_status, risk_level, tlp;
    `);
  }
}
