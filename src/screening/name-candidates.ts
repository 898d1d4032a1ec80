/**
 * The names a batch of screened names may be (name-v2): candidates by token and phonetic keys,
 * scored and explained in name-match.ts. Two set-based statements at most, whatever the batch:
 *
 * 1. Every screened name normalised, split into terms and keyed in SQL (the one normalisation),
 *    and per name the listed names sharing its keys (`name_keys`, the posting lists), best first,
 *    at most CANDIDATES_PER_NAME: by its pair keys (two terms' codes together, few names share
 *    one) and, only when no listed name shares one (a one-word name, a typo that changed a
 *    word's sound), by its terms' codes: all but one of them for names of three terms or more.
 * 2. Only for one-word names that found no close match by keys: pg_trgm over the distinct listed
 *    names, since a typo that changes a lone word's sound leaves no other key to find it by. That
 *    is where the trigram index still earns its cost.
 *
 * Candidates come from every listed name, visible or not; whether a match is a hit is decided
 * by the screening statement under the caller's row filter, so nothing here reaches the caller
 * but what that statement lets through.
 */
import type { PoolClient } from 'pg';
import { matchNames, type NameForm, type NameMatch } from './name-match';

const CANDIDATES_PER_NAME = 50;
const SCORED_BETWEEN_YIELDS = 2000;
/** A one-word name matched at least this well by its keys needs no trigram search. */
const CONFIDENT = 0.9;
/** pg_trgm similarity from which a one-word name is a candidate (scored by name-v2 like any other). */
export const TRIGRAM_CANDIDATE_THRESHOLD = '0.3';

const CANDIDATES_SQL = `
  WITH q AS MATERIALIZED (
    SELECT t.idx, n.norm, vessel_name_terms(n.norm) AS terms
    FROM unnest($1::int[], $2::text[]) AS t(idx, name)
    CROSS JOIN LATERAL (SELECT vessel_name_norm(t.name) AS norm) n
  ),
  k AS MATERIALIZED (
    SELECT q.idx, q.norm, q.terms, c.codes, vessel_name_pair_keys(q.terms, c.codes) AS pair_keys,
      vessel_name_keys(q.terms, c.codes) AS keys, GREATEST(1, cardinality(q.terms) - 1) AS need
    FROM q CROSS JOIN LATERAL (SELECT vessel_name_codes(q.terms) AS codes) c
  )
  SELECT k.idx, k.norm, k.terms, k.codes, f.name_norm AS c_norm, f.terms AS c_terms, f.codes AS c_codes
  FROM k
  LEFT JOIN LATERAL (
    (SELECT nk.name_norm, count(*) AS shared FROM name_keys nk
     WHERE nk.key = ANY(k.pair_keys)
     GROUP BY nk.name_norm ORDER BY count(*) DESC, nk.name_norm LIMIT $3)
    UNION ALL
    (SELECT nk.name_norm, count(*) FROM name_keys nk
     WHERE nk.key = ANY(k.keys) AND NOT EXISTS (SELECT 1 FROM name_keys p WHERE p.key = ANY(k.pair_keys))
     GROUP BY nk.name_norm HAVING count(*) >= k.need ORDER BY count(*) DESC, nk.name_norm LIMIT $3)
  ) c ON true
  LEFT JOIN name_forms f ON f.name_norm = c.name_norm`;

const TRIGRAM_SQL = `
  SELECT t.idx, f.name_norm AS c_norm, f.terms AS c_terms, f.codes AS c_codes
  FROM unnest($1::int[], $2::text[]) AS t(idx, norm)
  CROSS JOIN LATERAL (
    (SELECT g.name_norm FROM given_names g WHERE g.name_norm % t.norm LIMIT $3)
    UNION
    (SELECT n.name_norm FROM vessel_names n WHERE n.name_norm % t.norm LIMIT $3)
  ) m
  JOIN name_forms f ON f.name_norm = m.name_norm`;

export interface ScreenedName {
  /** The name as normalised (vessel_name_norm): `query.normalizedName`. */
  norm: string;
  /** Listed names (normalised) that match at least the least similarity, with why. */
  matches: Map<string, NameMatch>;
}

interface CandidateRow {
  idx: number;
  c_norm: string | null;
  c_terms: string[] | null;
  c_codes: string[] | null;
}

/**
 * Matches of each screened name (`names[i]` for the query at `idxs[i]`), by query index.
 * Runs on `client` inside the caller's transaction (which sets pg_trgm's threshold).
 */
export async function findNameMatches(
  client: PoolClient,
  idxs: number[],
  names: string[],
  minSimilarity: number,
): Promise<Map<number, ScreenedName>> {
  const out = new Map<number, ScreenedName>();
  const forms = new Map<number, NameForm>();
  // Scoring is CPU work on the hub's event loop: a batch yields to other requests every few
  // thousand candidates, so /readyz and cheap queries keep answering under a heavy screening.
  const score = async (rows: CandidateRow[]) => {
    for (const [i, row] of rows.entries()) {
      if (i > 0 && i % SCORED_BETWEEN_YIELDS === 0) await new Promise((resolve) => setImmediate(resolve));
      if (row.c_norm === null || row.c_terms === null || row.c_codes === null) continue;
      const screened = out.get(row.idx)!;
      if (screened.matches.has(row.c_norm)) continue;
      const m = matchNames(forms.get(row.idx)!, { terms: row.c_terms, codes: row.c_codes });
      if (m && m.similarity >= minSimilarity) screened.matches.set(row.c_norm, m);
    }
  };

  const { rows } = await client.query<CandidateRow & { norm: string; terms: string[]; codes: string[] }>({
    name: 'screening_name_candidates',
    text: CANDIDATES_SQL,
    values: [idxs, names, CANDIDATES_PER_NAME],
  });
  for (const row of rows) {
    if (!out.has(row.idx)) {
      out.set(row.idx, { norm: row.norm, matches: new Map() });
      forms.set(row.idx, { terms: row.terms, codes: row.codes });
    }
  }
  await score(rows);

  const lone = [...out.entries()].filter(
    ([idx, s]) => forms.get(idx)!.terms.length === 1 && ![...s.matches.values()].some((m) => m.similarity >= CONFIDENT),
  );
  if (lone.length > 0) {
    const trigram = await client.query<CandidateRow>({
      name: 'screening_name_trigram',
      text: TRIGRAM_SQL,
      values: [lone.map(([idx]) => idx), lone.map(([, s]) => s.norm), CANDIDATES_PER_NAME],
    });
    await score(trigram.rows);
  }
  return out;
}
