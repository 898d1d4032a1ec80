/**
 * Screening by company name: "is this company linked to a vessel on a watchlist I may see?"
 *
 * Entries keep the companies linked to their vessel (WatchlistEntry.relatedParties: OFAC's
 * "Linked To" and the vessel's owner). A screened name is normalised like a vessel name (the
 * project's vessel_name_norm) and found among them through a word-similarity trigram index over
 * each entry's party names (migrations/1764000001800-EntryFeedsAndParties.ts); each entry's
 * best-matching party then scores by trigram similarity.
 *
 * Who may see a hit: the entry must pass the policy engine's row filter (in the statement, as for
 * every screening) and the caller must be allowed to read the entry's relatedParties field (the
 * engine's field verdict; a sensitive field), since a hit tells which company is linked to it.
 * Reads of another agency's related parties are noted for the audit trail like a field read.
 */
import { Arg, Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { badInput, deadlineExceeded, rateLimited } from '../common/errors';
import { text } from '../common/validate';
import { decideRead, fieldVerdict } from '../policy/engine';
import type { AccessBasis } from '../policy/types';
import type { RequestContext } from '../request/context';
import { RelatedParty } from '../watchlist/related-party';
import { WatchlistEntry } from '../watchlist/watchlist-entry.entity';
import {
  DEFAULT_MAX_HITS,
  DEFAULT_MIN_SIMILARITY,
  MAX_HITS,
  MIN_SIMILARITY_FLOOR,
  SCREENING_RUNTIME,
  screeningOptions,
} from './screening.service';

/** Candidates the statement returns at most, best first, before the field verdict; totalHits counts the allowed among them. */
const MAX_PARTY_CANDIDATES = 2000;

@ObjectType({ description: 'A watchlist entry whose related parties include the screened company' })
export class PartyHit {
  @Field(() => WatchlistEntry) entry: WatchlistEntry;
  @Field(() => RelatedParty, { description: "The entry's related party that matched best" }) party: RelatedParty;
  @Field(() => Float, { description: 'From 0 to 1: trigram similarity of the normalised names' }) score: number;
}

@ObjectType({ description: 'The company screened, as the hub read it' })
export class PartyQuery {
  @Field() name: string;
  @Field({ description: 'The name as compared (the same normalisation as vessel names)' }) normalizedName: string;
}

@ObjectType()
export class PartyScreeningResult {
  @Field(() => PartyQuery) query: PartyQuery;
  @Field(() => [PartyHit], { description: 'Entries in force whose related parties the caller may read, best first (at most maxHits)' })
  hits: PartyHit[];
  @Field(() => Int, { description: `All such hits, also those beyond maxHits (among the best ${MAX_PARTY_CANDIDATES} candidates)` })
  totalHits: number;
  @Field() screenedAt: Date;
}

function partySql(acl: string): string {
  return `
    WITH q AS MATERIALIZED (SELECT vessel_name_norm(:pq_name) AS norm)
    SELECT q.norm AS q_norm, h.*
    FROM q
    LEFT JOIN LATERAL (
      SELECT e.id AS e_id, p.name AS p_name, p.relation AS p_relation, p.sim AS p_score, e.risk_level AS e_risk, e.created_at AS e_created
      FROM watchlist_entries e
      CROSS JOIN LATERAL (
        SELECT x.name, x.relation, similarity(vessel_name_norm(x.name), q.norm) AS sim
        FROM jsonb_to_recordset(e.related_parties) AS x(name text, relation text)
        ORDER BY sim DESC LIMIT 1
      ) p
      WHERE q.norm <> '' AND e.related_parties <> '[]'::jsonb AND q.norm <% related_party_names_norm(e.related_parties)
        AND ${acl} AND e.valid_from <= :pq_now AND (e.valid_until IS NULL OR e.valid_until > :pq_now)
        AND p.sim >= :pq_min_sim
      ORDER BY p.sim DESC, e.risk_level DESC, e.created_at, e.id
      LIMIT ${MAX_PARTY_CANDIDATES}
    ) h ON true
    ORDER BY h.p_score DESC, h.e_risk DESC, h.e_created, h.e_id`;
}

async function screenParty(
  ctx: RequestContext,
  name: string,
  opts: { maxHits?: number | null; minSimilarity?: number | null },
): Promise<PartyScreeningResult> {
  const screened = text(name, 'name', 200);
  if (!screened) throw badInput('name: give the company name to screen', 'name');
  const { maxHits, minSimilarity } = screeningOptions(opts);
  const screenedAt = ctx.access.now;
  const acl = ctx.access.filter('WatchlistEntry', 'e');
  const [sql, params] = ctx.db.driver.escapeQueryWithParameters(partySql(acl.sql), {
    ...acl.params,
    pq_name: screened,
    pq_now: screenedAt,
    pq_min_sim: minSimilarity,
  });

  // A trigram search: it takes a slot of screening's share of the pool, within the request's time.
  const runtime = ctx.settings.get(SCREENING_RUNTIME);
  const deadline = screenedAt.getTime() + runtime.timeoutMs;
  const release = await runtime.slots.acquire(deadline);
  if (release === 'timeout') throw deadlineExceeded();
  if (release === 'busy') throw rateLimited('Screening by name is at capacity on this hub right now. Try again in a second.', 1);
  let rows: { q_norm: string; e_id: string | null; p_name: string; p_relation: string | null; p_score: number }[];
  try {
    rows = await ctx.db.transaction(async (m) => {
      await m.query('SET TRANSACTION READ ONLY');
      await m.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true), set_config('statement_timeout', $2, true)`, [
        String(minSimilarity),
        String(Math.max(1, deadline - Date.now())),
      ]);
      return m.query(sql, params);
    });
  } finally {
    release();
  }

  const ids = rows.flatMap((r) => (r.e_id ? [r.e_id] : []));
  const entries = new Map((await ctx.db.getRepository(WatchlistEntry).findBy(ids.map((id) => ({ id })))).map((e) => [e.id, e]));
  const hits: PartyHit[] = [];
  const sensitive: { entry: WatchlistEntry; auditAs: { basis: AccessBasis; agreementId?: string } }[] = [];
  for (const row of rows) {
    const entry = row.e_id ? entries.get(row.e_id) : undefined;
    if (!entry) continue;
    // A hit names the company linked to the entry: only where the caller may read relatedParties.
    // Decided without noting a read: only the hits returned are reads (below).
    const decision = decideRead(ctx.policy, ctx.principal, 'WatchlistEntry', entry, screenedAt);
    const verdict = fieldVerdict(ctx.policy, 'WatchlistEntry', 'relatedParties', decision);
    if (!verdict.allowed) continue;
    if (verdict.auditAs) sensitive.push({ entry, auditAs: verdict.auditAs });
    hits.push({ entry, party: { name: row.p_name, relation: row.p_relation }, score: Math.round(Number(row.p_score) * 10000) / 10000 });
  }
  const returned = hits.slice(0, maxHits);
  const returnedEntries = new Set(returned.map((h) => h.entry));
  for (const h of returned) ctx.access.view('WatchlistEntry', h.entry);
  for (const s of sensitive) if (returnedEntries.has(s.entry)) ctx.reads.sensitiveField('WatchlistEntry', s.entry, s.auditAs);
  return {
    query: { name: screened, normalizedName: rows[0]?.q_norm ?? '' },
    hits: returned,
    totalHits: hits.length,
    screenedAt,
  };
}

@Resolver()
export class PartyScreeningResolver {
  @Query(() => PartyScreeningResult, {
    description:
      'Is this company (an owner, manager or operator) linked to a vessel on any watchlist the caller may see? ' +
      "Fuzzy match on the entries' related parties, where the caller may read them",
  })
  screenParty(
    @Arg('name', { description: 'The company name' }) name: string,
    @Arg('maxHits', () => Int, { nullable: true, description: `Most hits returned, 1 to ${MAX_HITS} (default ${DEFAULT_MAX_HITS})` })
    maxHits: number | null,
    @Arg('minSimilarity', () => Float, {
      nullable: true,
      description: `Least trigram similarity of a match, ${MIN_SIMILARITY_FLOOR} to 1 (default ${DEFAULT_MIN_SIMILARITY})`,
    })
    minSimilarity: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PartyScreeningResult> {
    return screenParty(ctx, name, { maxHits, minSimilarity });
  }
}
