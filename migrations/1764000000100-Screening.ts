import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening, bulk import, sightings and entry history (issue 3).
 *
 * - Vessel names, current and former, normalised into `vessel_names` (kept in step with
 *   `vessels` by statement-level triggers) under a pg_trgm GIN index, so fuzzy name screening
 *   is an index scan at a million entries. The normalisation is one IMMUTABLE SQL function,
 *   `vessel_name_norm`, applied to stored names and to screened names alike.
 * - Imported entries carry `external_ref` (an OFAC entity number, or the row's own reference or
 *   IMO number) unique per watchlist: the natural key that makes a re-import an update, never a
 *   duplicate. Entries added by hand have none and are not constrained.
 * - Indexes that let the policy engine's row filter (owner, recipients, TLP, jurisdiction) and
 *   the validity window be answered from indexes.
 * - Sightings record the entry's owner, so "owner of the entry or reporter" is an indexed
 *   predicate without a join.
 */
export class Screening1764000000100 implements MigrationInterface {
  name = 'Screening1764000000100';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE EXTENSION IF NOT EXISTS unaccent;

      -- unaccent() is STABLE (it reads a dictionary named at run time); with the dictionary
      -- fixed, the result depends on the input only, so this wrapper may be IMMUTABLE and be
      -- used in indexes and stored columns. Schema-qualified so search_path cannot change it.
      CREATE FUNCTION portcullis_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

      -- A vessel name as screening compares it: accents transliterated (Ærø -> AERO, ß -> SS),
      -- upper case, punctuation and spacing collapsed to single spaces, and a leading type
      -- prefix dropped (MV, M/V, M.V., MT, M/T, MY, MS, SS, FV, RV, SY, TS, MSV, LNG).
      CREATE FUNCTION vessel_name_norm(name text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$
          SELECT btrim(regexp_replace(
            ' ' || btrim(regexp_replace(upper(portcullis_unaccent(name)), '[^[:alnum:]]+', ' ', 'g')) || ' ',
            '^ (M [VTYS]|MV|MT|MY|MS|S S|SS|F V|FV|R V|RV|S Y|SY|T S|TS|MSV|LNG) (?=[[:alnum:]])', ' '))
        $$;

      -- Former names after a rename or an import: earlier ones first, the old current name added,
      -- case-insensitive duplicates and the new current name left out. Stable, so loading the
      -- same names again gives the same array (and no update).
      CREATE FUNCTION merge_former_names(old_names text[], new_names text[], old_name text, new_name text)
        RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$
          SELECT COALESCE(array_agg(s.x ORDER BY s.o), '{}') FROM (
            SELECT DISTINCT ON (upper(t.x)) t.x, t.o
            FROM unnest(COALESCE(old_names, '{}') || COALESCE(new_names, '{}')
                        || CASE WHEN old_name IS NOT NULL AND upper(old_name) <> upper(new_name)
                                THEN ARRAY[old_name] ELSE '{}'::text[] END) WITH ORDINALITY AS t(x, o)
            WHERE upper(t.x) <> upper(new_name) AND btrim(t.x) <> ''
            ORDER BY upper(t.x), t.o) s
        $$;

      CREATE TABLE vessel_names (
        vessel_id uuid NOT NULL REFERENCES vessels (id) ON DELETE CASCADE,
        name_norm text NOT NULL,
        name text NOT NULL,
        is_current boolean NOT NULL,
        PRIMARY KEY (vessel_id, name_norm)
      );
      CREATE INDEX vessel_names_trgm_idx ON vessel_names USING gin (name_norm gin_trgm_ops);

      -- Every name of the given vessels, current first, one row per distinct normalised form.
      CREATE FUNCTION vessel_names_of(vessel_ids uuid[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO vessel_names (vessel_id, name_norm, name, is_current)
        SELECT DISTINCT ON (v.id, n.norm) v.id, n.norm, n.name, n.is_current
        FROM vessels v
        CROSS JOIN LATERAL (
          SELECT v.name AS name, true AS is_current, vessel_name_norm(v.name) AS norm
          UNION ALL
          SELECT f, false, vessel_name_norm(f) FROM unnest(v.former_names) AS f
        ) n
        WHERE v.id = ANY(vessel_ids) AND n.norm <> ''
        ORDER BY v.id, n.norm, n.is_current DESC
        ON CONFLICT DO NOTHING
      $$;

      CREATE FUNCTION vessel_names_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM vessel_names_of(ARRAY(SELECT id FROM new_rows));
        RETURN NULL;
      END $$;

      CREATE FUNCTION vessel_names_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed uuid[];
      BEGIN
        changed := ARRAY(
          SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE o.name IS DISTINCT FROM n.name OR o.former_names IS DISTINCT FROM n.former_names);
        IF cardinality(changed) > 0 THEN
          DELETE FROM vessel_names WHERE vessel_id = ANY(changed);
          PERFORM vessel_names_of(changed);
        END IF;
        RETURN NULL;
      END $$;

      -- Statement-level with transition tables: a bulk import of thousands of vessels costs one
      -- set-based refresh, not one trigger call per row.
      CREATE TRIGGER vessels_names_insert AFTER INSERT ON vessels
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vessel_names_after_insert();
      CREATE TRIGGER vessels_names_update AFTER UPDATE ON vessels
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vessel_names_after_update();

      SELECT vessel_names_of(ARRAY(SELECT id FROM vessels));

      -- Registry look-ups by name (vessels(filter: { nameContains })) use the same trigram index type.
      CREATE INDEX vessels_name_trgm_idx ON vessels USING gin (name gin_trgm_ops);

      ALTER TABLE watchlist_entries ADD COLUMN external_ref text
        CHECK (external_ref IS NULL OR length(external_ref) BETWEEN 1 AND 200);
      CREATE UNIQUE INDEX watchlist_entries_external_ref_idx
        ON watchlist_entries (watchlist_id, external_ref) WHERE external_ref IS NOT NULL;

      -- The row filter's arms, each answerable from an index (BitmapOr) for counts and lists.
      CREATE INDEX watchlist_entries_recipients_idx ON watchlist_entries USING gin (recipients);
      CREATE INDEX watchlist_entries_tlp_jurisdiction_idx ON watchlist_entries (tlp, jurisdiction);
      CREATE INDEX watchlist_entries_owner_tlp_idx ON watchlist_entries (owner_agency, tlp, jurisdiction);
      DROP INDEX watchlist_entries_owner_idx;

      ALTER TABLE sightings ADD COLUMN entry_owner text;
      UPDATE sightings s SET entry_owner = e.owner_agency FROM watchlist_entries e WHERE e.id = s.entry_id;
      ALTER TABLE sightings ALTER COLUMN entry_owner SET NOT NULL;
      ALTER TABLE sightings ADD COLUMN reported_by_subject text;
      CREATE INDEX sightings_owner_idx ON sightings (entry_owner, created_at, id);
      CREATE INDEX sightings_reporter_idx ON sightings (reported_by, created_at, id);
      CREATE INDEX sightings_fp_idx ON sightings (entry_id) WHERE outcome = 'FALSE_POSITIVE';
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX sightings_fp_idx, sightings_reporter_idx, sightings_owner_idx;
      ALTER TABLE sightings DROP COLUMN reported_by_subject, DROP COLUMN entry_owner;
      CREATE INDEX watchlist_entries_owner_idx ON watchlist_entries (owner_agency);
      DROP INDEX watchlist_entries_owner_tlp_idx, watchlist_entries_tlp_jurisdiction_idx, watchlist_entries_recipients_idx;
      DROP INDEX watchlist_entries_external_ref_idx;
      ALTER TABLE watchlist_entries DROP COLUMN external_ref;
      DROP INDEX vessels_name_trgm_idx;
      DROP TRIGGER vessels_names_update ON vessels;
      DROP TRIGGER vessels_names_insert ON vessels;
      DROP FUNCTION vessel_names_after_update(), vessel_names_after_insert(), vessel_names_of(uuid[]);
      DROP TABLE vessel_names;
      DROP FUNCTION merge_former_names(text[], text[], text, text);
      DROP FUNCTION vessel_name_norm(text), portcullis_unaccent(text);
    `);
  }
}
