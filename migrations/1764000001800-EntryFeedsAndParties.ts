import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lists that follow their source (README "Bulk import"):
 * - `feed`: the feed an imported entry came from (OFAC_SDN, FILE, or a name given with --feed).
 *   A replace ends the entries of the list from the same feed that the new file no longer
 *   contains; entries added by hand (NULL) are never ended by an import. Entries imported before
 *   this change get OFAC_SDN when their ref is an OFAC entity number and FILE otherwise, the
 *   defaults an import gives today.
 * - `related_parties`: owners, managers and other companies linked to the vessel, as
 *   `[{ "name": ..., "relation": ... | null }]`, screenable by name (screenParty) through a
 *   trigram index over their normalised names.
 */
export class EntryFeedsAndParties1764000001800 implements MigrationInterface {
  name = 'EntryFeedsAndParties1764000001800';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE watchlist_entries
        ADD COLUMN feed text CHECK (feed IS NULL OR length(feed) BETWEEN 1 AND 64),
        ADD COLUMN related_parties jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(related_parties) = 'array');
      UPDATE watchlist_entries SET feed = CASE WHEN external_ref LIKE 'OFAC:%' THEN 'OFAC_SDN' ELSE 'FILE' END
        WHERE external_ref IS NOT NULL;
      CREATE INDEX watchlist_entries_feed_idx ON watchlist_entries (watchlist_id, feed) WHERE feed IS NOT NULL;

      -- The normalised names of an entry's related parties in one text, for a word-similarity
      -- index: a screened company name is found wherever it stands among them. PostgreSQL builds
      -- indexes under a restricted search_path: the function names its own.
      CREATE FUNCTION related_party_names_norm(parties jsonb) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT SET search_path = public, pg_catalog
        AS $$ SELECT string_agg(vessel_name_norm(p->>'name'), ' | ') FROM jsonb_array_elements(parties) AS p $$;
      CREATE INDEX watchlist_entries_party_names_idx ON watchlist_entries
        USING gin (related_party_names_norm(related_parties) gin_trgm_ops) WHERE related_parties <> '[]'::jsonb;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX watchlist_entries_party_names_idx;
      DROP FUNCTION related_party_names_norm(jsonb);
      DROP INDEX watchlist_entries_feed_idx;
      ALTER TABLE watchlist_entries DROP COLUMN related_parties, DROP COLUMN feed;
    `);
  }
}
