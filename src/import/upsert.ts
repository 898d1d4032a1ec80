/**
 * The statements an import writes with, inside a transaction its caller opened: entries upserted
 * on their natural key with a version each, and (a replace) the entries of a feed that a file no
 * longer contains ended, with a version each.
 */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../request/context';
import { ensureVessels } from '../vessel/vessel.service';
import type { ImportEntry } from './row';

/** An entry an import created, updated or ended, as its report names it. */
export interface EntryRef {
  ref: string;
  imo: string | null;
  name: string | null;
}

export interface WrittenEntry extends EntryRef {
  id: string;
  created: boolean;
}

export interface RowError {
  line: number;
  message: string;
}

/** An entry version's snapshot of row `c` of watchlist_entries (entry-history.service.ts reads it). */
const snapshotOf = (c: string) => `jsonb_build_object(
  'id', ${c}.id, 'watchlistId', ${c}.watchlist_id, 'vesselId', ${c}.vessel_id, 'vesselAsGiven', ${c}.vessel_as_given,
  'category', ${c}.category, 'riskLevel', ${c}.risk_level, 'reason', ${c}.reason, 'ownerAgency', ${c}.owner_agency, 'tlp', ${c}.tlp,
  'jurisdiction', ${c}.jurisdiction, 'recipients', to_jsonb(${c}.recipients), 'validFrom', ${c}.valid_from,
  'validUntil', ${c}.valid_until, 'source', ${c}.source, 'notes', ${c}.notes, 'externalRef', ${c}.external_ref,
  'feed', ${c}.feed, 'relatedParties', ${c}.related_parties, 'createdAt', ${c}.created_at, 'updatedAt', ${c}.updated_at)`;

/** Imports into one list take turns, so two runs of the same file cannot both insert a row. */
const lockList = (m: EntityManager, listId: string) =>
  m.query(`SELECT pg_advisory_xact_lock(hashtextextended('portcullis-import:' || $1, 0))`, [listId]);

const SEP = '\u001f'; // unit separator: row validation refuses control characters in names

/** One batch in two statements: the IMO numbers the registry lacks, then entries with their versions. */
export async function upsert(
  m: EntityManager,
  ctx: RequestContext,
  listId: string,
  owner: string,
  feed: string,
  entries: ImportEntry[],
): Promise<WrittenEntry[]> {
  // A batch touches a few thousand rows of million-row tables: index lookups, never a hash of a
  // whole table (the planner cannot see the size of the unnested arrays and sometimes guesses wrong).
  await lockList(m, listId);
  await m.query(`SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`);

  // Each entry keeps the vessel as its row gives it; the registry only learns of IMO numbers it lacks.
  await ensureVessels(
    m,
    entries.map((e) => e.imo),
  );

  const rows: WrittenEntry[] = await m.query(
    `WITH i AS (
       SELECT t.*, t.parties::jsonb AS related_parties,
         jsonb_build_object('imo', t.imo, 'mmsi', t.mmsi, 'name', t.name, 'flag', t.flag, 'callSign', t.call_sign,
           'vesselType', t.vessel_type, 'formerNames', to_jsonb(COALESCE(string_to_array(t.former, $17), '{}'))) AS vessel_as_given
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::text[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[],
                   $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[])
         AS t(ref, imo, category, risk_level, reason, tlp, jurisdiction, recipients, valid_from, valid_until, source, notes,
              mmsi, name, flag, call_sign, vessel_type, former, parties)
     ),
     j AS (
       SELECT i.*,
         (SELECT v.id FROM vessels v WHERE v.imo = CAST(i.imo AS char(7))) AS vessel_id,
         (SELECT e.id FROM watchlist_entries e WHERE e.watchlist_id = $13 AND e.external_ref = i.ref) AS entry_id
       FROM i
     ),
     upd AS (
       UPDATE watchlist_entries e SET
         vessel_id = j.vessel_id, vessel_as_given = j.vessel_as_given, category = j.category, risk_level = j.risk_level::risk_level, reason = j.reason,
         tlp = j.tlp::tlp, jurisdiction = j.jurisdiction, recipients = string_to_array(j.recipients, ','),
         valid_from = COALESCE(j.valid_from, LEAST(e.valid_from, COALESCE(j.valid_until, e.valid_from))),
         valid_until = j.valid_until, source = j.source, notes = j.notes, feed = $25, related_parties = j.related_parties, updated_at = now()
       FROM j
       WHERE e.id = j.entry_id AND (e.vessel_id, e.vessel_as_given, e.category, e.risk_level, e.reason, e.tlp, e.jurisdiction, e.recipients,
           e.valid_from, e.valid_until, e.source, e.notes, e.feed, e.related_parties)
         IS DISTINCT FROM (j.vessel_id, j.vessel_as_given, j.category, j.risk_level::risk_level, j.reason, j.tlp::tlp, j.jurisdiction::bpchar,
           string_to_array(j.recipients, ','), COALESCE(j.valid_from, LEAST(e.valid_from, COALESCE(j.valid_until, e.valid_from))),
           j.valid_until, j.source, j.notes, $25::text, j.related_parties)
       RETURNING e.*
     ),
     ins AS (
       INSERT INTO watchlist_entries (watchlist_id, vessel_id, vessel_as_given, category, risk_level, reason, owner_agency, tlp,
         jurisdiction, recipients, valid_from, valid_until, source, notes, external_ref, feed, related_parties)
       SELECT $13, j.vessel_id, j.vessel_as_given, j.category, j.risk_level::risk_level, j.reason, $14, j.tlp::tlp, j.jurisdiction,
         string_to_array(j.recipients, ','), COALESCE(j.valid_from, LEAST(now(), COALESCE(j.valid_until, now()))),
         j.valid_until, j.source, j.notes, j.ref, $25, j.related_parties
       FROM j WHERE j.entry_id IS NULL
       RETURNING *
     ),
     changed AS (
       SELECT u.*, false AS created FROM upd u
       UNION ALL
       SELECT n.*, true FROM ins n
     ),
     versions AS (
       INSERT INTO watchlist_entry_versions (entry_id, version, changed_by, changed_by_agency, operation, snapshot)
       SELECT c.id,
         CASE WHEN c.created THEN 1
              ELSE (SELECT COALESCE(max(w.version), 0) + 1 FROM watchlist_entry_versions w WHERE w.entry_id = c.id) END,
         $15, $16, CASE WHEN c.created THEN 'IMPORT_CREATE' ELSE 'IMPORT_UPDATE' END, ${snapshotOf('c')}
       FROM changed c
     )
     SELECT id, created, external_ref AS ref, vessel_as_given->>'imo' AS imo, vessel_as_given->>'name' AS name FROM changed`,
    [
      entries.map((e) => e.ref),
      entries.map((e) => e.imo),
      entries.map((e) => e.category),
      entries.map((e) => e.riskLevel),
      entries.map((e) => e.reason),
      entries.map((e) => e.tlp),
      entries.map((e) => e.jurisdiction),
      entries.map((e) => e.recipients.join(',')),
      entries.map((e) => e.validFrom),
      entries.map((e) => e.validUntil),
      entries.map((e) => e.source),
      entries.map((e) => e.notes),
      listId,
      owner,
      ctx.principal.subject,
      ctx.principal.agency.code,
      SEP,
      entries.map((e) => e.mmsi),
      entries.map((e) => e.name),
      entries.map((e) => e.flag),
      entries.map((e) => e.callSign),
      entries.map((e) => e.vesselType),
      entries.map((e) => (e.formerNames.length > 0 ? e.formerNames.join(SEP) : null)),
      entries.map((e) => JSON.stringify(e.relatedParties)),
      feed,
    ],
  );
  return rows;
}

/** PostgreSQL refused the data (constraint, value out of range), as opposed to a lost connection. */
export function isDatabaseRefusal(e: unknown): e is { code: string; constraint?: string } {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^(22|23)/.test(code);
}

function refusalMessage(e: { code: string; constraint?: string }): string {
  if (e.code === '23514' && e.constraint === 'watchlist_entries_check') {
    return "validUntil is before the entry's validFrom";
  }
  return `refused by the database (${e.constraint ? `constraint ${e.constraint}` : `SQLSTATE ${e.code}`})`;
}

/** Row by row under savepoints, after the database refused a batch: only the offending rows are left out. */
export async function upsertEachRow(
  m: EntityManager,
  ctx: RequestContext,
  listId: string,
  owner: string,
  feed: string,
  entries: ImportEntry[],
): Promise<{ written: WrittenEntry[]; refused: (RowError & { ref: string })[] }> {
  const written: WrittenEntry[] = [];
  const refused: (RowError & { ref: string })[] = [];
  for (const entry of entries) {
    await m.query('SAVEPOINT import_row');
    try {
      written.push(...(await upsert(m, ctx, listId, owner, feed, [entry])));
      await m.query('RELEASE SAVEPOINT import_row');
    } catch (e) {
      if (!isDatabaseRefusal(e)) throw e;
      await m.query('ROLLBACK TO SAVEPOINT import_row');
      refused.push({ line: entry.line, ref: entry.ref, message: refusalMessage(e) });
    }
  }
  return { written, refused };
}

/**
 * Ends, now, the entries of `feed` in the list that are in force and whose refs are not in `kept`,
 * as removeWatchlistEntry ends an entry (validUntil set, never before validFrom), each with an
 * IMPORT_END version. Entries of other feeds and entries added by hand (no feed) are left alone.
 */
export async function endMissing(
  m: EntityManager,
  ctx: RequestContext,
  listId: string,
  feed: string,
  kept: string[],
): Promise<(EntryRef & { id: string })[]> {
  await lockList(m, listId);
  // The file's refs against the feed's entries: one hashed anti-join, whatever their numbers.
  await m.query(`SELECT set_config('enable_hashjoin', 'on', true), set_config('enable_mergejoin', 'on', true)`);
  return m.query(
    `WITH gone AS (
       UPDATE watchlist_entries e SET valid_until = GREATEST(e.valid_from, now()), updated_at = now()
       WHERE e.id IN (
         SELECT x.id FROM watchlist_entries x
         WHERE x.watchlist_id = $1 AND x.feed = $2 AND x.external_ref IS NOT NULL
           AND (x.valid_until IS NULL OR x.valid_until > now())
           AND NOT EXISTS (SELECT 1 FROM unnest($3::text[]) AS k(ref) WHERE k.ref = x.external_ref))
       RETURNING e.*
     ),
     versions AS (
       INSERT INTO watchlist_entry_versions (entry_id, version, changed_by, changed_by_agency, operation, snapshot)
       SELECT g.id, (SELECT COALESCE(max(w.version), 0) + 1 FROM watchlist_entry_versions w WHERE w.entry_id = g.id),
         $4, $5, 'IMPORT_END', ${snapshotOf('g')}
       FROM gone g
     )
     SELECT id, external_ref AS ref, vessel_as_given->>'imo' AS imo, vessel_as_given->>'name' AS name FROM gone ORDER BY external_ref`,
    [listId, feed, kept, ctx.principal.subject, ctx.principal.agency.code],
  );
}
