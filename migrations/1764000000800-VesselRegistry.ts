import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A registry that only authorities write (issue 10, item 4).
 *
 * - Watchlist entries and vessel alerts keep the vessel identity as their author gave it
 *   (`vessel_as_given`, jsonb: imo, mmsi, name, flag, callSign, vesselType, formerNames). They are
 *   read under the record's own visibility; the shared `vessels` row is no longer written from them.
 * - Until now every write rewrote the shared row, so the row as it stands is the only identity
 *   there is: each record (and each saved version of an entry) takes it as its own.
 * - The registry itself is cleared down to the IMO number. No source was authoritative before, and
 *   a value kept (even marked unverified) would keep serving names that hidden records put there to
 *   every member. From here on only registry authorities write it, each value with its origin
 *   (`provenance`: field -> {agency, source, recordedAt}).
 * - `entry_names`: the names an entry gives (current and former), normalised, and `given_names`:
 *   the distinct normalised names under a trigram index, so screening finds an entry by the names
 *   its author gave (under the entry's row filter) with a fuzzy search over distinct names.
 */
export class VesselRegistry1764000000800 implements MigrationInterface {
  name = 'VesselRegistry1764000000800';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION vessel_identity_of(v vessels) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
        SELECT jsonb_build_object('imo', v.imo, 'mmsi', v.mmsi, 'name', v.name, 'flag', v.flag,
          'callSign', v.call_sign, 'vesselType', v.vessel_type, 'formerNames', to_jsonb(v.former_names))
      $$;

      ALTER TABLE watchlist_entries ADD COLUMN vessel_as_given jsonb;
      UPDATE watchlist_entries e SET vessel_as_given = vessel_identity_of(v) FROM vessels v WHERE v.id = e.vessel_id;
      ALTER TABLE watchlist_entries ALTER COLUMN vessel_as_given SET NOT NULL,
        ADD CONSTRAINT watchlist_entries_vessel_as_given_check CHECK (jsonb_typeof(vessel_as_given) = 'object');

      ALTER TABLE vessel_alerts ADD COLUMN vessel_as_given jsonb;
      UPDATE vessel_alerts a SET vessel_as_given = vessel_identity_of(v) FROM vessels v WHERE v.id = a.vessel_id;
      ALTER TABLE vessel_alerts ALTER COLUMN vessel_as_given SET NOT NULL,
        ADD CONSTRAINT vessel_alerts_vessel_as_given_check CHECK (jsonb_typeof(vessel_as_given) = 'object');

      -- An entry's versions carry it too: a reporter who lost the entry reads it through its
      -- sighting as the version then in force stood (src/watchlist/sighting.service.ts).
      UPDATE watchlist_entry_versions ev
         SET snapshot = ev.snapshot || jsonb_build_object('vesselAsGiven', vessel_identity_of(v))
        FROM vessels v
       WHERE v.id = (ev.snapshot->>'vesselId')::uuid AND NOT ev.snapshot ? 'vesselAsGiven';

      DROP FUNCTION vessel_identity_of(vessels);

      ALTER TABLE vessels ALTER COLUMN name DROP NOT NULL,
        ADD COLUMN provenance jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(provenance) = 'object');
      UPDATE vessels SET name = NULL, mmsi = NULL, flag = NULL, call_sign = NULL, vessel_type = NULL,
        former_names = '{}', updated_at = now();

      -- Screening by an MMSI an entry's author gave.
      CREATE INDEX watchlist_entries_given_mmsi_idx ON watchlist_entries ((vessel_as_given->>'mmsi'))
        WHERE vessel_as_given->>'mmsi' IS NOT NULL;

      CREATE TABLE entry_names (
        entry_id uuid NOT NULL REFERENCES watchlist_entries (id) ON DELETE CASCADE,
        name_norm text NOT NULL,
        name text NOT NULL,
        PRIMARY KEY (entry_id, name_norm)
      );
      CREATE INDEX entry_names_norm_idx ON entry_names (name_norm);
      -- Each normalised name any entry gives, for the trigram search: many entries give the same
      -- names, so the fuzzy search runs over distinct names and the entries follow by equality.
      -- No unique constraint, so writers never wait on each other here: a name two transactions
      -- add at once is listed twice, which screening reads as one. A name no entry gives any more
      -- stays and finds nothing.
      CREATE TABLE given_names (name_norm text NOT NULL);
      CREATE INDEX given_names_norm_idx ON given_names (name_norm);
      CREATE INDEX given_names_trgm_idx ON given_names USING gin (name_norm gin_trgm_ops);

      -- Every name the given entries give their vessel, current first, one row per normalised form.
      CREATE FUNCTION entry_names_of(entry_ids uuid[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO entry_names (entry_id, name_norm, name)
        SELECT DISTINCT ON (e.id, n.norm) e.id, n.norm, n.name
        FROM watchlist_entries e
        CROSS JOIN LATERAL (
          SELECT e.vessel_as_given->>'name' AS name, 0 AS o, vessel_name_norm(e.vessel_as_given->>'name') AS norm
          UNION ALL
          SELECT f, 1, vessel_name_norm(f)
          FROM jsonb_array_elements_text(COALESCE(e.vessel_as_given->'formerNames', '[]')) AS f
        ) n
        WHERE e.id = ANY(entry_ids) AND n.norm <> ''
        ORDER BY e.id, n.norm, n.o
        ON CONFLICT DO NOTHING;
        INSERT INTO given_names (name_norm)
        SELECT DISTINCT en.name_norm FROM entry_names en
        WHERE en.entry_id = ANY(entry_ids) AND NOT EXISTS (SELECT 1 FROM given_names g WHERE g.name_norm = en.name_norm);
      $$;

      CREATE FUNCTION entry_names_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM entry_names_of(ARRAY(SELECT id FROM new_rows));
        RETURN NULL;
      END $$;

      CREATE FUNCTION entry_names_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed uuid[];
      BEGIN
        changed := ARRAY(
          SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE o.vessel_as_given IS DISTINCT FROM n.vessel_as_given);
        IF cardinality(changed) > 0 THEN
          DELETE FROM entry_names WHERE entry_id = ANY(changed);
          PERFORM entry_names_of(changed);
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER entries_names_insert AFTER INSERT ON watchlist_entries
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION entry_names_after_insert();
      CREATE TRIGGER entries_names_update AFTER UPDATE ON watchlist_entries
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION entry_names_after_update();

      SELECT entry_names_of(ARRAY(SELECT id FROM watchlist_entries));
      ANALYZE entry_names, given_names;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    // The registry's values were cleared on the way up; going down, each vessel takes back the
    // identity its latest record gave (the registry held the last writer's values before).
    await q.query(`
      DROP TRIGGER entries_names_update ON watchlist_entries;
      DROP TRIGGER entries_names_insert ON watchlist_entries;
      DROP FUNCTION entry_names_after_update(), entry_names_after_insert(), entry_names_of(uuid[]);
      DROP TABLE given_names, entry_names;
      DROP INDEX watchlist_entries_given_mmsi_idx;
      UPDATE vessels v SET name = COALESCE(v.name, g.given->>'name'), mmsi = COALESCE(v.mmsi, g.given->>'mmsi'),
        flag = COALESCE(v.flag, g.given->>'flag'), call_sign = COALESCE(v.call_sign, g.given->>'callSign'),
        vessel_type = COALESCE(v.vessel_type, g.given->>'vesselType')
      FROM (
        SELECT DISTINCT ON (r.vessel_id) r.vessel_id, r.given FROM (
          SELECT vessel_id, vessel_as_given AS given, updated_at AS at FROM watchlist_entries
          UNION ALL
          SELECT vessel_id, vessel_as_given, updated_at FROM vessel_alerts
        ) r ORDER BY r.vessel_id, r.at DESC
      ) g
      WHERE g.vessel_id = v.id;
      UPDATE vessels SET name = 'IMO ' || imo WHERE name IS NULL;
      ALTER TABLE vessels DROP COLUMN provenance, ALTER COLUMN name SET NOT NULL;
      ALTER TABLE vessel_alerts DROP COLUMN vessel_as_given;
      ALTER TABLE watchlist_entries DROP COLUMN vessel_as_given;
    `);
  }
}
