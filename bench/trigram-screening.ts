/**
 * The screening service as it was before name-v2 (trigram similarity per name, one pg_trgm index
 * search per screened name), kept only so `npm run bench:screening` measures it side by side with
 * today's path on the same data in the same run. Not used by the hub.
 *
 * Screening: "is this vessel on any watchlist I may see?"
 *
 * One SQL statement answers one vessel or a thousand: the queries travel as arrays, are unnested,
 * and each is joined LATERAL against the indexes (vessels.imo, vessels.mmsi, the trigram index of
 * vessel_names) and then against the entries of the matching vessels. The policy engine's row
 * filter and the validity window are part of that statement, so an entry the caller may not see
 * is never a hit and never counts; nothing is fetched and dropped in memory.
 *
 * The name rules (accents, case, punctuation, type prefixes) live in one IMMUTABLE SQL function,
 * vessel_name_norm (migrations/1764000000100-Screening.ts), applied to stored and screened names.
 */
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DataSource, ObjectLiteral } from 'typeorm';
import { badInput, deadlineExceeded, rateLimited } from '../src/common/errors';
import { Semaphore } from '../src/common/semaphore';
import { text } from '../src/common/validate';
import { DEFAULT_REQUEST_LIMITS } from '../src/config';
import { defineSetting, type RequestContext } from '../src/request/context';
import { Vessel } from '../src/vessel/vessel.entity';
import { shownVessels } from '../src/vessel/vessel.service';
import { WatchlistEntry } from '../src/watchlist/watchlist-entry.entity';
import type { ScreeningHit, ScreeningResult, VesselQueryInput } from '../src/screening/screening.types';
import { identityWarnings } from '../src/screening/warnings';

export const MAX_BATCH = 1000;
export const DEFAULT_MAX_HITS = 50;
export const MAX_HITS = 500;
export const DEFAULT_MIN_SIMILARITY = 0.5;
const MIN_SIMILARITY_FLOOR = 0.3;

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

/** Score of each kind of match; a name match is scaled by its trigram similarity. */
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

function options(opts: ScreeningOptions) {
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
          SELECT v.id AS vessel_id, 'IMO' AS matched_on, ${SCORES.IMO}::float8 AS score, NULL::text AS matched_name
            FROM vessels v WHERE v.imo = r.imo
          UNION ALL
          SELECT v.id, 'MMSI', ${SCORES.MMSI}::float8, NULL FROM vessels v
            WHERE v.mmsi = r.mmsi AND v.imo IS DISTINCT FROM r.imo`;
  // What the entries themselves give: the MMSI and the names their authors gave. Screened under
  // the entry's own row filter like every hit, so a name given in a hidden entry never matches.
  const given = `
          SELECT e0.id AS entry_id, 'MMSI' AS matched_on, ${SCORES.MMSI}::float8 AS score, NULL::text AS matched_name
            FROM watchlist_entries e0 WHERE (e0.vessel_as_given->>'mmsi') = r.mmsi::text`;
  const givenNames = withNames
    ? `
          UNION ALL
          SELECT en.entry_id, 'NAME',
            g.sim * CASE WHEN r.imo IS NOT NULL AND r.imo::text <> (SELECT ne.vessel_as_given->>'imo' FROM watchlist_entries ne WHERE ne.id = en.entry_id)
                         THEN ${SCORES.NAME_OTHER_IMO} ELSE ${SCORES.NAME} END,
            en.name
          FROM (SELECT gn.name_norm, similarity(gn.name_norm, r.name_norm) AS sim FROM given_names gn
                WHERE r.name_norm <> '' AND gn.name_norm % r.name_norm AND similarity(gn.name_norm, r.name_norm) >= :sc_min_sim) g
          JOIN entry_names en ON en.name_norm = g.name_norm`
    : '';
  const registryNames = withNames
    ? `
          UNION ALL
          SELECT n.vessel_id, 'NAME',
            similarity(n.name_norm, r.name_norm)
              * CASE WHEN r.imo IS NOT NULL AND r.imo <> (SELECT nv.imo FROM vessels nv WHERE nv.id = n.vessel_id)
                     THEN ${SCORES.NAME_OTHER_IMO} ELSE ${SCORES.NAME} END,
            n.name
          FROM vessel_names n
          WHERE r.name_norm <> '' AND n.name_norm % r.name_norm
            AND similarity(n.name_norm, r.name_norm) >= :sc_min_sim`
    : '';
  // Per entry, its best match: through the registry's vessel (IMO, and the registry's MMSI and
  // names) or through what the entry gives.
  const candidates = `(SELECT DISTINCT ON (c.entry_id) c.entry_id, c.matched_on, c.score, c.matched_name
        FROM (
          SELECT ve.id AS entry_id, rc.matched_on, rc.score, rc.matched_name
          FROM (${identifiers}${registryNames}) rc
          JOIN watchlist_entries ve ON ve.vessel_id = rc.vessel_id
          UNION ALL
          (${given}${givenNames})
        ) c
        ORDER BY c.entry_id, c.score DESC)`;
  return `
    WITH q AS MATERIALIZED ( -- normalise each screened name once, not once per candidate row
      SELECT t.idx, t.imo, t.mmsi, t.name, ${withNames ? 'vessel_name_norm(t.name)' : 'NULL::text'} AS name_norm
      FROM unnest(CAST(:sc_idx AS int[]), CAST(:sc_imo AS char(7)[]), CAST(:sc_mmsi AS char(9)[]), CAST(:sc_name AS text[]))
        AS t(idx, imo, mmsi, name)
    ),
    r AS MATERIALIZED (
      SELECT q.idx, q.imo, q.mmsi, q.name_norm, ${vesselCols},
        ${nameOnRecord} AS name_on_record,
        CASE WHEN q.mmsi IS NULL THEN '{}'::bpchar[] ELSE
          ARRAY(SELECT o.imo FROM vessels o WHERE o.mmsi = q.mmsi AND o.imo IS DISTINCT FROM q.imo ORDER BY o.imo LIMIT 6) END
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
  const keys = [...aclKeys, 'sc_idx', 'sc_imo', 'sc_mmsi', 'sc_name', 'sc_min_sim', 'sc_max_hits', 'sc_now'];
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
 * Runs the statement as a named prepared statement on a pooled connection: planning this
 * statement costs more than running it for an IMO look-up, and a connection keeps the plan.
 * With names, it runs in a transaction that sets pg_trgm's similarity threshold, which the GIN
 * index answers `%` with, for that transaction only, and plans for the names at hand.
 */
async function runPrepared(
  ctx: RequestContext,
  name: string,
  sql: string,
  params: unknown[],
  threshold?: string,
): Promise<Record<string, unknown>[]> {
  const deadline = ctx.access.now.getTime() + ctx.settings.get(SCREENING_RUNTIME).timeoutMs;
  const release = threshold === undefined ? () => undefined : await nameSearchSlot(ctx, deadline);
  const runner = ctx.db.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    if (threshold === undefined) return (await client.query({ name, text: sql, values: params })).rows;
    await client.query('BEGIN READ ONLY');
    try {
      // A generic plan cannot see the screened names and misjudges the trigram search: plan each time.
      // The statement gets what is left of the request's time (at least a moment, to fail cleanly).
      await client.query(
        `SELECT set_config('pg_trgm.similarity_threshold', $1, true), set_config('plan_cache_mode', 'force_custom_plan', true),
                set_config('statement_timeout', $2, true)`,
        [threshold, String(Math.max(1, deadline - Date.now()))],
      );
      const res = await client.query({ name, text: sql, values: params });
      await client.query('COMMIT');
      return res.rows;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  } finally {
    await runner.release();
    release();
  }
}

/**
 * Screens `queries` (1 to 1,000 vessels) for the caller; results come back in the order asked.
 * One statement, whatever the number of vessels (see runPrepared).
 */
export async function screen(
  ctx: RequestContext,
  queries: VesselQueryInput[],
  opts: ScreeningOptions = {},
  argName = 'vessels',
): Promise<ScreeningResult[]> {
  const clean = cleanQueries(queries, argName);
  const { maxHits, minSimilarity } = options(opts);
  const screenedAt = ctx.access.now;
  if (clean.length === 0) return [];

  const ds = ctx.db;
  const acl = ctx.access.filter('WatchlistEntry', 'e');
  const withNames = clean.some((q) => q.name);
  const statement = compile(ds, acl.sql, Object.keys(acl.params), withNames);
  const { entry, vessel } = statement;
  const values: Record<string, unknown> = {
    ...acl.params,
    sc_idx: clean.map((_, i) => i),
    sc_imo: clean.map((q) => q.imo),
    sc_mmsi: clean.map((q) => q.mmsi),
    sc_name: clean.map((q) => q.name),
    sc_min_sim: minSimilarity,
    sc_max_hits: maxHits,
    sc_now: screenedAt,
  };
  const rows = await runPrepared(
    ctx,
    statement.name,
    statement.text,
    statement.keys.map((k) => values[k]),
    withNames ? String(minSimilarity) : undefined,
  );

  const results: ScreeningResult[] = clean.map((q) => ({
    query: { ...q, normalizedName: null },
    hits: [],
    totalHits: 0,
    warnings: [],
    vessel: null,
    screenedAt,
    algorithm: 'trigram (before name-v2)',
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
        explanation: null,
      };
      result.hits.push(hit);
    }
  }
  return results;
}
