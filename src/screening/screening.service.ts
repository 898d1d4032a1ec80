/**
 * Screening: "is this vessel on any watchlist I may see?"
 *
 * One SQL statement answers one vessel or a thousand: the queries travel as arrays, are unnested,
 * and each is joined LATERAL against the indexes (vessels.imo, vessels.mmsi, and the names that
 * matched by name) and then against the entries of the matching vessels. The policy engine's row
 * filter and the validity window are part of that statement, so an entry the caller may not see
 * is never a hit and never counts; nothing is fetched and dropped in memory.
 *
 * Names are matched first, for the whole batch at once (name-candidates.ts: token and phonetic
 * keys, name-v2 scoring with its explanation in name-match.ts); the statement then takes the
 * matched names and their similarity. The name rules (scripts, case, punctuation, type prefixes,
 * terms and keys) live in SQL functions (vessel_name_norm and the rest,
 * migrations/1764000001700-NameMatching.ts), applied to stored and screened names alike.
 */
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DataSource, ObjectLiteral } from 'typeorm';
import { badInput, deadlineExceeded, rateLimited } from '../common/errors';
import { Semaphore } from '../common/semaphore';
import { text } from '../common/validate';
import { DEFAULT_REQUEST_LIMITS } from '../config';
import { defineSetting, type RequestContext } from '../request/context';
import { Vessel } from '../vessel/vessel.entity';
import { shownVessels } from '../vessel/vessel.service';
import { WatchlistEntry } from '../watchlist/watchlist-entry.entity';
import { findNameMatches, TRIGRAM_CANDIDATE_THRESHOLD, type ScreenedName } from './name-candidates';
import { NAME_ALGORITHM, type NameMatch } from './name-match';
import type { MatchExplanation, ScreeningHit, ScreeningResult, VesselQueryInput } from './screening.types';
import { identityWarnings } from './warnings';

export const MAX_BATCH = 1000;
export const DEFAULT_MAX_HITS = 50;
export const MAX_HITS = 500;
export const DEFAULT_MIN_SIMILARITY = 0.7;
export const MIN_SIMILARITY_FLOOR = 0.3;

/**
 * Screening's share of the database pool: a search by names can hold a connection for seconds,
 * so at most `slots` of them run at once per hub (SCREENING_MAX_CONNECTIONS) and the rest of the
 * pool keeps answering everything else; a bounded queue waits (SCREENING_QUEUE). A screening
 * statement never runs past its request's deadline (REQUEST_TIMEOUT_MS).
 */
export interface ScreeningRuntime {
  slots: Semaphore;
  timeoutMs: number;
}

export const SCREENING_RUNTIME = defineSetting<ScreeningRuntime>('screening runtime', () => ({
  slots: new Semaphore(DEFAULT_REQUEST_LIMITS.screeningConnections, DEFAULT_REQUEST_LIMITS.screeningQueue),
  timeoutMs: DEFAULT_REQUEST_LIMITS.timeoutMs,
}));

/** Score of each kind of match; a name match is scaled by its name similarity (name-match.ts). */
const SCORES = { IMO: 1.0, MMSI: 0.95, NAME: 0.9, NAME_OTHER_IMO: 0.6 } as const;

export interface ScreeningOptions {
  maxHits?: number | null;
  minSimilarity?: number | null;
}

interface CleanQuery {
  imo: string | null;
  mmsi: string | null;
  name: string | null;
  flag: string | null;
}

function cleanQueries(queries: VesselQueryInput[], argName: string): CleanQuery[] {
  if (queries.length > MAX_BATCH) {
    throw badInput(`${argName}: at most ${MAX_BATCH} vessels per request, got ${queries.length}`, argName);
  }
  return queries.map((q, i) => {
    const where = queries.length === 1 && argName !== 'vessels' ? '' : `${argName}[${i}].`;
    const name = text(q.name ?? null, `${where}name`, 200);
    if (!q.imo && !q.mmsi && !name) {
      throw badInput(`${where ? `${where.slice(0, -1)}: ` : ''}give an imo, an mmsi or a name to screen`, `${where}imo`);
    }
    return { imo: q.imo ?? null, mmsi: q.mmsi ?? null, name, flag: q.flag ?? null };
  });
}

/** maxHits and minSimilarity of a screening call (of vessels or of companies), checked at the edge. */
export function screeningOptions(opts: ScreeningOptions) {
  const maxHits = opts.maxHits ?? DEFAULT_MAX_HITS;
  if (!Number.isInteger(maxHits) || maxHits < 1 || maxHits > MAX_HITS) {
    throw badInput(`maxHits must be a whole number from 1 to ${MAX_HITS}, got ${maxHits}`, 'maxHits');
  }
  const minSimilarity = opts.minSimilarity ?? DEFAULT_MIN_SIMILARITY;
  if (!(minSimilarity >= MIN_SIMILARITY_FLOOR && minSimilarity <= 1)) {
    throw badInput(`minSimilarity must be from ${MIN_SIMILARITY_FLOOR} to 1, got ${minSimilarity}`, 'minSimilarity');
  }
  return { maxHits, minSimilarity };
}

/** `alias.col AS prefix_col, ...` for every column of an entity, and the way back to an entity. */
function columnsOf<T extends ObjectLiteral>(ds: DataSource, entity: new () => T, alias: string, prefix: string) {
  const meta = ds.getMetadata(entity);
  const select = meta.columns.map((c) => `${alias}.${c.databaseName} AS ${prefix}${c.databaseName}`).join(', ');
  const hydrate = (row: Record<string, unknown>): T => {
    const record = meta.create() as T;
    for (const c of meta.columns) c.setEntityValue(record, row[`${prefix}${c.databaseName}`]);
    return record;
  };
  return { select, hydrate };
}

/**
 * The screening statement. Per screened vessel (`q`), once: its normalised name, the registry's
 * record and what the registry says about the MMSI (`r`). Then per vessel the hits, LATERAL:
 * candidate vessels by IMO, MMSI (a vessel already found by IMO is not found again) and name,
 * best match per vessel, joined to the entries the caller may see and that are in force.
 * Without names in the request the name parts are left out: a smaller statement, planned once
 * (it is prepared) and cheaper to run.
 */
function screeningSql(entryCols: string, vesselCols: string, acl: string, withNames: boolean): string {
  const nameOnRecord = withNames
    ? `(SELECT CASE WHEN bool_or(n.is_current) THEN 'current' WHEN count(*) > 0 THEN 'former' END
         FROM vessel_names n WHERE n.vessel_id = rv.id AND n.name_norm = q.name_norm)`
    : 'NULL::text';
  const identifiers = `
          SELECT v.id AS vessel_id, 'IMO' AS matched_on, ${SCORES.IMO}::float8 AS score, NULL::text AS matched_name,
            NULL::text AS matched_norm, false AS imo_disagrees
            FROM vessels v WHERE v.imo = r.imo
          UNION ALL
          SELECT v.id, 'MMSI', ${SCORES.MMSI}::float8, NULL, NULL, false FROM vessels v
            WHERE v.mmsi = r.mmsi AND v.imo IS DISTINCT FROM r.imo`;
  // What the entries themselves give: the MMSI and the names their authors gave. Screened under
  // the entry's own row filter like every hit, so a name given in a hidden entry never matches.
  const given = `
          SELECT e0.id AS entry_id, 'MMSI' AS matched_on, ${SCORES.MMSI}::float8 AS score, NULL::text AS matched_name,
            NULL::text AS matched_norm, false AS imo_disagrees
            FROM watchlist_entries e0 WHERE (e0.vessel_as_given->>'mmsi') = r.mmsi::text`;
  // The names matched for this vessel (name-candidates.ts): their normalised forms and, at the
  // same position, their similarity. Arrays, so each is an index look-up (= ANY).
  const sim = (col: string) => `r.matched_sims[array_position(r.matched_norms, ${col})]`;
  const givenNames = withNames
    ? `
          UNION ALL
          SELECT en.entry_id, 'NAME', ${sim('en.name_norm')} * CASE WHEN g.imo_disagrees THEN ${SCORES.NAME_OTHER_IMO} ELSE ${SCORES.NAME} END,
            en.name, en.name_norm, g.imo_disagrees
          FROM entry_names en
          CROSS JOIN LATERAL (SELECT COALESCE(r.imo IS NOT NULL
            AND r.imo::text <> (SELECT ne.vessel_as_given->>'imo' FROM watchlist_entries ne WHERE ne.id = en.entry_id), false) AS imo_disagrees) g
          WHERE en.name_norm = ANY(r.matched_norms)`
    : '';
  const registryNames = withNames
    ? `
          UNION ALL
          SELECT n.vessel_id, 'NAME', ${sim('n.name_norm')} * CASE WHEN g.imo_disagrees THEN ${SCORES.NAME_OTHER_IMO} ELSE ${SCORES.NAME} END,
            n.name, n.name_norm, g.imo_disagrees
          FROM vessel_names n
          CROSS JOIN LATERAL (SELECT COALESCE(r.imo IS NOT NULL
            AND r.imo <> (SELECT nv.imo FROM vessels nv WHERE nv.id = n.vessel_id), false) AS imo_disagrees) g
          WHERE n.name_norm = ANY(r.matched_norms)`
    : '';
  // Per entry, its best match: through the registry's vessel (IMO, and the registry's MMSI and
  // names) or through what the entry gives.
  const candidates = `(SELECT DISTINCT ON (c.entry_id) c.entry_id, c.matched_on, c.score, c.matched_name, c.matched_norm, c.imo_disagrees
        FROM (
          SELECT ve.id AS entry_id, rc.matched_on, rc.score, rc.matched_name, rc.matched_norm, rc.imo_disagrees
          FROM (${identifiers}${registryNames}) rc
          JOIN watchlist_entries ve ON ve.vessel_id = rc.vessel_id
          UNION ALL
          (${given}${givenNames})
        ) c
        ORDER BY c.entry_id, c.score DESC)`;
  return `
    WITH q AS MATERIALIZED (
      SELECT t.idx, t.imo, t.mmsi, t.name_norm,
        ARRAY(SELECT m.key FROM jsonb_each_text(t.name_matches) m ORDER BY m.key) AS matched_norms,
        ARRAY(SELECT m.value::float8 FROM jsonb_each_text(t.name_matches) m ORDER BY m.key) AS matched_sims
      FROM unnest(CAST(:sc_idx AS int[]), CAST(:sc_imo AS char(7)[]), CAST(:sc_mmsi AS char(9)[]), CAST(:sc_name_norm AS text[]),
                  CAST(:sc_name_matches AS jsonb[]))
        AS t(idx, imo, mmsi, name_norm, name_matches)
    ),
    r AS MATERIALIZED (
      SELECT q.idx, q.imo, q.mmsi, q.name_norm, q.matched_norms, q.matched_sims, ${vesselCols},
        ${nameOnRecord} AS name_on_record,
        CASE WHEN q.mmsi IS NULL THEN '{}'::bpchar[] ELSE
          ARRAY(SELECT o.imo FROM vessels o WHERE o.mmsi = q.mmsi AND o.imo IS DISTINCT FROM COALESCE(q.imo, rv.imo) ORDER BY o.imo LIMIT 6) END
          AS mmsi_other_imos
      FROM q
      LEFT JOIN LATERAL (
        (SELECT v.* FROM vessels v WHERE v.imo = q.imo)
        UNION ALL
        (SELECT v.* FROM vessels v WHERE q.imo IS NULL AND v.mmsi = q.mmsi
           AND (SELECT count(*) FROM vessels x WHERE x.mmsi = q.mmsi) = 1)
        LIMIT 1
      ) rv ON true
    )
    SELECT r.idx AS q_idx, r.name_norm AS q_name_norm, r.name_on_record AS q_name_on_record,
      r.mmsi_other_imos AS q_mmsi_other_imos, r.*, h.*
    FROM r
    LEFT JOIN LATERAL (
      SELECT b.matched_on AS h_matched_on, b.score AS h_score, b.matched_name AS h_matched_name,
        b.matched_norm AS h_matched_norm, b.imo_disagrees AS h_imo_disagrees,
        count(*) OVER () AS h_total, ${entryCols}
      FROM ${candidates} b
      JOIN watchlist_entries e ON e.id = b.entry_id
      WHERE ${acl}
        AND e.valid_from <= :sc_now AND (e.valid_until IS NULL OR e.valid_until > :sc_now)
      ORDER BY b.score DESC, e.risk_level DESC, e.created_at, e.id
      LIMIT :sc_max_hits
    ) h ON true
    ORDER BY r.idx, h_score DESC NULLS LAST, h_e_risk_level DESC, h_e_created_at, h_e_id`;
}

interface Compiled {
  name: string;
  text: string;
  /** parameter names in $n order */
  keys: string[];
  entry: ReturnType<typeof columnsOf<WatchlistEntry>>;
  vessel: ReturnType<typeof columnsOf<Vessel>>;
}

/** Statements by their row filter's SQL: the text, its prepared name and its parameter order, built once. */
const compiledStatements = new Map<string, Compiled>();

function compile(ds: DataSource, aclSql: string, aclKeys: string[], withNames: boolean): Compiled {
  const key = `${withNames ? 'names' : 'ids'}|${aclSql}`;
  let c = compiledStatements.get(key);
  if (c) return c;
  const entry = columnsOf(ds, WatchlistEntry, 'e', 'h_e_');
  const vessel = columnsOf(ds, Vessel, 'rv', 'rv_');
  const keys = [...aclKeys, 'sc_idx', 'sc_imo', 'sc_mmsi', 'sc_name_norm', 'sc_name_matches', 'sc_max_hits', 'sc_now'];
  // Escape with each parameter's own name as its value: the result lists them in $n order.
  const [text, order] = ds.driver.escapeQueryWithParameters(
    screeningSql(entry.select, vessel.select, aclSql, withNames),
    Object.fromEntries(keys.map((k) => [k, k])),
  );
  c = { name: `screening_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text, keys: order as string[], entry, vessel };
  if (compiledStatements.size > 1000) compiledStatements.clear(); // one per distinct row filter; never many
  compiledStatements.set(key, c);
  return c;
}

/**
 * A slot of screening's share of the pool, for a search by names: the trigram searches are what
 * can hold a connection for seconds. Look-ups by IMO and MMSI (index rows) need none.
 */
async function nameSearchSlot(ctx: RequestContext, deadline: number): Promise<() => void> {
  const slot = await ctx.settings.get(SCREENING_RUNTIME).slots.acquire(deadline);
  if (slot === 'timeout') throw deadlineExceeded();
  if (slot === 'busy') {
    throw rateLimited('Screening by name is at capacity on this hub right now. Try again in a second, or screen fewer names at once.', 1);
  }
  return slot;
}

/**
 * Runs `work` on a pooled connection, where statements run as named prepared statements: planning
 * the screening statement costs more than running it for an IMO look-up, and a connection keeps
 * the plan. With names, in a read-only transaction that sets, for that transaction only, pg_trgm's
 * similarity threshold (for the one-word fallback of name-candidates.ts), a plan per execution
 * (a generic plan cannot see the names at hand) and a statement timeout of what is left of the
 * request's time (at least a moment, to fail cleanly).
 */
async function withScreeningClient<T>(ctx: RequestContext, withNames: boolean, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const deadline = ctx.access.now.getTime() + ctx.settings.get(SCREENING_RUNTIME).timeoutMs;
  const release = withNames ? await nameSearchSlot(ctx, deadline) : () => undefined;
  const runner = ctx.db.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    if (!withNames) return await work(client);
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(
        `SELECT set_config('pg_trgm.similarity_threshold', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true),
                set_config('statement_timeout', $2, true)`,
        [TRIGRAM_CANDIDATE_THRESHOLD, String(Math.max(1, deadline - Date.now()))],
      );
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  } finally {
    await runner.release();
    release();
  }
}

function explanationOf(match: NameMatch, imoDisagrees: boolean): MatchExplanation {
  return {
    similarity: match.similarity,
    terms: match.matches,
    numbersAgreed: match.numbersAgreed,
    unmatchedScreened: match.unmatchedScreened,
    unmatchedListed: match.unmatchedListed,
    identifiersDisagreed: imoDisagrees ? ['IMO'] : [],
  };
}

/**
 * Screens `queries` (1 to 1,000 vessels) for the caller; results come back in the order asked.
 * A few statements, whatever the number of vessels: by identifiers alone one; with names, the
 * name matching (name-candidates.ts, one or two) and then the screening statement.
 */
export async function screen(
  ctx: RequestContext,
  queries: VesselQueryInput[],
  opts: ScreeningOptions = {},
  argName = 'vessels',
): Promise<ScreeningResult[]> {
  const clean = cleanQueries(queries, argName);
  const { maxHits, minSimilarity } = screeningOptions(opts);
  const screenedAt = ctx.access.now;
  if (clean.length === 0) return [];

  const ds = ctx.db;
  const acl = ctx.access.filter('WatchlistEntry', 'e');
  const withNames = clean.some((q) => q.name);
  const statement = compile(ds, acl.sql, Object.keys(acl.params), withNames);
  const { entry, vessel } = statement;
  const { rows, names } = await withScreeningClient(ctx, withNames, async (client) => {
    const named = clean.flatMap((q, i) => (q.name ? [i] : []));
    const names = withNames
      ? await findNameMatches(
          client,
          named,
          named.map((i) => clean[i].name!),
          minSimilarity,
        )
      : new Map<number, ScreenedName>();
    const values: Record<string, unknown> = {
      ...acl.params,
      sc_idx: clean.map((_, i) => i),
      sc_imo: clean.map((q) => q.imo),
      sc_mmsi: clean.map((q) => q.mmsi),
      sc_name_norm: clean.map((_, i) => names.get(i)?.norm ?? null),
      sc_name_matches: clean.map((_, i) => {
        const n = names.get(i);
        return n ? JSON.stringify(Object.fromEntries([...n.matches].map(([norm, m]) => [norm, m.similarity]))) : null;
      }),
      sc_max_hits: maxHits,
      sc_now: screenedAt,
    };
    const res = await client.query({ name: statement.name, text: statement.text, values: statement.keys.map((k) => values[k]) });
    return { rows: res.rows as Record<string, unknown>[], names };
  });

  const results: ScreeningResult[] = clean.map((q) => ({
    query: { ...q, normalizedName: null },
    hits: [],
    totalHits: 0,
    warnings: [],
    vessel: null,
    screenedAt,
    algorithm: NAME_ALGORITHM,
  }));
  // The registry's vessel of each screened IMO, as a look-up may show it (shownVessels).
  const firstRows = new Map<string, Vessel>();
  for (const row of rows) if (row.rv_id && !firstRows.has(row.rv_id as string)) firstRows.set(row.rv_id as string, vessel.hydrate(row));
  const shown = new Set((await shownVessels(ctx, [...firstRows.values()])).flatMap((v) => (v ? [v.id] : [])));
  const seen = new Set<number>();
  for (const row of rows) {
    const idx = row.q_idx as number;
    const result = results[idx];
    if (!seen.has(idx)) {
      seen.add(idx);
      const q = clean[idx];
      result.query.normalizedName = (row.q_name_norm as string | null) ?? null;
      result.vessel = row.rv_id && shown.has(row.rv_id as string) ? firstRows.get(row.rv_id as string)! : null;
      result.totalHits = row.h_total === null || row.h_total === undefined ? 0 : Number(row.h_total);
      const onRecord = row.q_name_on_record as 'current' | 'former' | null;
      result.warnings = identityWarnings({
        ...q,
        registry: result.vessel,
        nameOnRecord: result.vessel && q.name ? (onRecord ?? 'other') : undefined,
        mmsiOtherImos: (row.q_mmsi_other_imos as string[] | null) ?? [],
      });
    }
    if (row.h_e_id) {
      const hit: ScreeningHit = {
        entry: entry.hydrate(row),
        matchedOn: row.h_matched_on as string,
        score: Math.round(Number(row.h_score) * 10000) / 10000,
        matchedName: (row.h_matched_name as string | null) ?? null,
        screened: result.query,
        explanation: null,
      };
      const match = row.h_matched_norm ? names.get(idx)?.matches.get(row.h_matched_norm as string) : undefined;
      if (match) hit.explanation = explanationOf(match, row.h_imo_disagrees === true);
      result.hits.push(hit);
    }
  }
  return results;
}
