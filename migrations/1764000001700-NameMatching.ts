import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name matching across scripts, by tokens and phonetic keys (issue 14, items 1 and 2).
 *
 * - `vessel_name_norm` transliterates every script to Latin (Cyrillic ВОЛГА СТАР -> VOLGA STAR,
 *   Greek, Arabic, Hebrew, CJK...) with the any-ascii library's table, loaded here into
 *   `name_transliterations` (one row per code point any-ascii maps), instead of unaccent, which
 *   only strips accents. It stays the one normalisation: stored names (the triggers) and screened
 *   names (the screening statements) both go through it, in SQL; test/name-matching.test.ts
 *   holds the table to the library. A later version of any-ascii needs a migration that reloads
 *   the table and renormalises, as this one does.
 * - `vessel_name_terms`: a normalised name's tokens, numbers canonical (02 -> 2, and a Roman
 *   numeral after the first word -> its value: II -> 2), and `vessel_name_codes`: per term its
 *   key, `#n` for a number, else its Double Metaphone code (fuzzystrmatch). `vessel_name_pair_keys`:
 *   keys of two terms together (adjacent, or with one between) and the code of two adjacent words
 *   written as one, so SEA STAR and SEASTAR meet; few names share one, so they find candidates
 *   cheaply; `vessel_name_keys`: all of them.
 * - `name_forms` (terms and codes of each distinct normalised name, current or former, of the
 *   registry and of entries) and `name_keys` (key -> name, the posting lists screening finds
 *   candidates by), kept by statement-level triggers on `vessel_names` and `given_names`. Like
 *   `given_names`, a name no longer given stays and finds nothing.
 * - `vessel_names (name_norm)`: screening joins the matched names back to vessels by equality.
 */
const ROMAN = Array.from({ length: 39 }, (_, i) => {
  const n = i + 1;
  return 'X'.repeat(Math.floor(n / 10)) + ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX'][n % 10];
});

/** Every code point above ASCII that any-ascii transliterates, with its transliteration. */
function transliterations(): [string, string][] {
  // any-ascii is an ES module only: Node's own require loads it (require(esm), Node >= 20.19).
  const anyAscii = (process.getBuiltinModule('node:module').createRequire(__filename)('any-ascii') as { default: (s: string) => string })
    .default;
  const rows: [string, string][] = [];
  for (let cp = 0x80; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const ascii = anyAscii(ch);
    if (ascii !== '') rows.push([ch, ascii]);
  }
  return rows;
}

export class NameMatching1764000001700 implements MigrationInterface {
  name = 'NameMatching1764000001700';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
      CREATE TABLE name_transliterations (ch text PRIMARY KEY, ascii text NOT NULL);
    `);
    const rows = transliterations();
    for (let i = 0; i < rows.length; i += 20000) {
      const chunk = rows.slice(i, i + 20000);
      await q.query(`INSERT INTO name_transliterations (ch, ascii) SELECT * FROM unnest($1::text[], $2::text[])`, [
        chunk.map((r) => r[0]),
        chunk.map((r) => r[1]),
      ]);
    }
    await q.query(`
      ANALYZE name_transliterations;

      -- Any script to ASCII, code point by code point as any-ascii does (a code point it does not
      -- know is dropped). The table changes only through migrations, which renormalise every stored
      -- name, so the function may be IMMUTABLE like portcullis_unaccent before it.
      CREATE FUNCTION portcullis_transliterate(s text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$
          SELECT CASE WHEN s !~ '[^\\x01-\\x7f]' THEN s ELSE (
            SELECT string_agg(CASE WHEN c.ch ~ '[^\\x01-\\x7f]'
                THEN COALESCE((SELECT t.ascii FROM public.name_transliterations t WHERE t.ch = c.ch), '') ELSE c.ch END, '' ORDER BY c.i)
            FROM regexp_split_to_table(s, '') WITH ORDINALITY AS c(ch, i)) END
        $$;

      -- A vessel name as screening compares it: any script transliterated (ВОЛГА -> VOLGA, Ærø ->
      -- AERO, ß -> SS; the Greek digraphs for b, d and g read as such: ΜΠΑΝΤΑΡ -> BANDAR), upper case, punctuation and spacing collapsed to single spaces, and a
      -- leading type prefix dropped (MV, M/V, M.V., MT, M/T, MY, MS, SS, FV, RV, SY, TS, MSV, LNG).
      CREATE OR REPLACE FUNCTION vessel_name_norm(name text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$
          SELECT btrim(regexp_replace(
            ' ' || btrim(regexp_replace(upper(public.portcullis_transliterate(
              regexp_replace(regexp_replace(regexp_replace(name, '[Μμ][Ππ]', 'B', 'g'), '[Νν][Ττ]', 'D', 'g'), '[Γγ][Κκ]', 'G', 'g'))),
              '[^[:alnum:]]+', ' ', 'g')) || ' ',
            '^ (M [VTYS]|MV|MT|MY|MS|S S|SS|F V|FV|R V|RV|S Y|SY|T S|TS|MSV|LNG) (?=[[:alnum:]])', ' '))
        $$;

      -- The terms of a normalised name: numbers without leading zeros, a Roman numeral I to
      -- XXXIX after the first word as its value (ATLANTIC II = ATLANTIC 2), words as they are.
      CREATE FUNCTION vessel_name_terms(norm text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$
          SELECT COALESCE(array_agg(CASE
              WHEN u.tok ~ '^[0-9]+$' THEN COALESCE(NULLIF(ltrim(u.tok, '0'), ''), '0')
              WHEN u.i > 1 AND array_position(ARRAY[${ROMAN.map((r) => `'${r}'`).join(',')}], u.tok) IS NOT NULL
                THEN array_position(ARRAY[${ROMAN.map((r) => `'${r}'`).join(',')}], u.tok)::text
              ELSE u.tok END ORDER BY u.i), '{}')
          FROM unnest(string_to_array(norm, ' ')) WITH ORDINALITY AS u(tok, i)
          WHERE u.tok <> ''
        $$;

      -- Each term's key: #n for a number, the Double Metaphone code of a word (the word itself
      -- when it has none).
      CREATE FUNCTION vessel_name_codes(terms text[]) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$
          SELECT COALESCE(array_agg(CASE WHEN u.t ~ '^[0-9]+$' THEN '#' || u.t
                                         ELSE COALESCE(NULLIF(public.dmetaphone(u.t), ''), u.t) END ORDER BY u.i), '{}')
          FROM unnest(terms) WITH ORDINALITY AS u(t, i)
        $$;

      -- The keys that find a name of two terms or more, each shared by few names: every two
      -- adjacent terms' codes and every two with one term between ('ASN STR'; a dropped or an
      -- added word keeps one), and the code of two adjacent words written as one (SEA STAR is
      -- also found as SEASTAR, and SEASTAR's key is SEA STAR's).
      CREATE FUNCTION vessel_name_pair_keys(terms text[], codes text[]) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$
          SELECT ARRAY(SELECT DISTINCT k FROM (
            SELECT codes[i] || ' ' || codes[i + d] AS k
            FROM generate_subscripts(codes, 1) AS i CROSS JOIN (VALUES (1), (2)) AS s(d)
            WHERE i + d <= cardinality(codes)
            UNION ALL
            SELECT COALESCE(NULLIF(public.dmetaphone(terms[i] || terms[i + 1]), ''), terms[i] || terms[i + 1])
            FROM generate_subscripts(terms, 1) AS i
            WHERE i < cardinality(terms) AND terms[i] !~ '^[0-9]+$' AND terms[i + 1] !~ '^[0-9]+$') x ORDER BY k)
        $$;

      -- All the keys a name is found by: each term's code, and the pair keys.
      CREATE FUNCTION vessel_name_keys(terms text[], codes text[]) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$
          SELECT ARRAY(SELECT DISTINCT k FROM unnest(codes || vessel_name_pair_keys(terms, codes)) AS k ORDER BY k)
        $$;

      CREATE TABLE name_forms (
        name_norm text PRIMARY KEY,
        terms text[] NOT NULL,
        codes text[] NOT NULL
      );
      CREATE TABLE name_keys (
        key text NOT NULL,
        name_norm text NOT NULL,
        PRIMARY KEY (key, name_norm)
      );

      -- Forms and keys of the names not yet known. Concurrent writers of one new name: the
      -- second waits for the first on the primary key and then adds nothing.
      CREATE FUNCTION name_forms_of(norms text[]) RETURNS void LANGUAGE sql AS $$
        WITH fresh AS (
          INSERT INTO name_forms (name_norm, terms, codes)
          SELECT d.n, t.terms, vessel_name_codes(t.terms)
          FROM (SELECT DISTINCT unnest(norms) AS n) d
          CROSS JOIN LATERAL (SELECT vessel_name_terms(d.n) AS terms) t
          WHERE d.n <> ''
          ON CONFLICT DO NOTHING
          RETURNING name_norm, terms, codes
        )
        INSERT INTO name_keys (key, name_norm)
        SELECT DISTINCT k, f.name_norm FROM fresh f CROSS JOIN LATERAL unnest(vessel_name_keys(f.terms, f.codes)) AS k
        ON CONFLICT DO NOTHING
      $$;

      CREATE FUNCTION name_forms_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM name_forms_of(ARRAY(SELECT DISTINCT name_norm FROM new_rows));
        RETURN NULL;
      END $$;

      CREATE TRIGGER vessel_names_forms AFTER INSERT ON vessel_names
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION name_forms_after_insert();
      CREATE TRIGGER given_names_forms AFTER INSERT ON given_names
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION name_forms_after_insert();

      CREATE INDEX vessel_names_norm_idx ON vessel_names (name_norm);

      -- Every stored name again under the new normalisation; the triggers fill forms and keys.
      DELETE FROM vessel_names;
      SELECT vessel_names_of(ARRAY(SELECT id FROM vessels));
      DELETE FROM entry_names;
      DELETE FROM given_names;
      SELECT entry_names_of(ARRAY(SELECT id FROM watchlist_entries));
      ANALYZE vessel_names, entry_names, given_names, name_forms, name_keys;
    `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER given_names_forms ON given_names;
      DROP TRIGGER vessel_names_forms ON vessel_names;
      DROP FUNCTION name_forms_after_insert(), name_forms_of(text[]);
      DROP TABLE name_keys, name_forms;
      DROP INDEX vessel_names_norm_idx;
      DROP FUNCTION vessel_name_keys(text[], text[]), vessel_name_pair_keys(text[], text[]), vessel_name_codes(text[]), vessel_name_terms(text);
      CREATE OR REPLACE FUNCTION vessel_name_norm(name text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$
          SELECT btrim(regexp_replace(
            ' ' || btrim(regexp_replace(upper(portcullis_unaccent(name)), '[^[:alnum:]]+', ' ', 'g')) || ' ',
            '^ (M [VTYS]|MV|MT|MY|MS|S S|SS|F V|FV|R V|RV|S Y|SY|T S|TS|MSV|LNG) (?=[[:alnum:]])', ' '))
        $$;
      DROP FUNCTION portcullis_transliterate(text);
      DROP TABLE name_transliterations;
      DELETE FROM vessel_names;
      SELECT vessel_names_of(ARRAY(SELECT id FROM vessels));
      DELETE FROM entry_names;
      DELETE FROM given_names;
      SELECT entry_names_of(ARRAY(SELECT id FROM watchlist_entries));
    `);
  }
}
