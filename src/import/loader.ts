/**
 * The batch loader behind `npm run import` and the importWatchlistEntries mutation.
 *
 * - Runs as the caller: the watchlist must be visible to it and its agency's own (analyst role),
 *   checked by the policy engine once at the start and again by each batch's transaction.
 * - Rows are validated one by one; a bad row is reported as `line N: reason` and the good rows
 *   around it load.
 * - Each batch is one transaction: entries keep the vessel as their row gives it (the registry
 *   is never written from a watchlist; an unknown IMO number is added alone), entries
 *   upserted on the natural key (watchlist, external_ref), a version written for every entry
 *   created or changed, and one audit event naming the watchlist and every entry written.
 *   Unchanged rows write nothing, so loading the same file twice changes nothing.
 * - If the database refuses a batch (a constraint no row check foresaw), the batch is retried row
 *   by row under savepoints, so only the offending rows are reported.
 */
import type { EntityManager } from 'typeorm';
import { notFound } from '../common/errors';
import { authorize } from '../request/authorize';
import { writeAudited } from '../audit/write-audited';
import type { RequestContext } from '../request/context';
import { ensureVessels } from '../vessel/vessel.service';
import { findWatchlist } from '../watchlist/watchlist.service';
import type { ImportFormat } from './formats';
import { IMPORT_BATCH_SIZE, rowFailures, validateRow, type ImportEntry, type ParsedRow, type RowContext } from './row';

export interface ImportOptions {
  format: ImportFormat;
  batchSize?: number;
  defaults?: RowContext['defaults'];
  /** Called after each batch with the number of records read so far. */
  onProgress?: (p: ImportProgress) => void;
}

interface ImportProgress {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped: number;
}

interface RowError {
  line: number;
  message: string;
}

export interface ImportReport extends ImportProgress {
  watchlistId: string;
  batches: number;
  errors: RowError[];
  /** seconds */
  elapsed: number;
}

const ofacDefaults = { category: 'SANCTIONS_EVASION', riskLevel: 'HIGH' } as const;

export async function importEntries(
  ctx: RequestContext,
  watchlistId: string,
  rows: AsyncIterable<ParsedRow>,
  opts: ImportOptions,
): Promise<ImportReport> {
  const started = process.hrtime.bigint();
  const list = await findWatchlist(ctx, watchlistId);
  if (!list) throw notFound('watchlist', watchlistId);
  authorize(ctx, { kind: 'publish', type: 'WatchlistEntry', ownerAgency: list.ownerAgency });
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? IMPORT_BATCH_SIZE, 10_000));
  const rowContext: RowContext = {
    listTlp: list.tlp,
    listJurisdiction: list.jurisdiction,
    agencies: ctx.policy.agencies,
    defaults: {
      ...(opts.format === 'ofac' ? ofacDefaults : {}),
      ...Object.fromEntries(Object.entries(opts.defaults ?? {}).filter(([, v]) => v !== undefined && v !== null)),
    },
  };

  const report: ImportReport = {
    watchlistId: `Watchlist:${list.id}`,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    batches: 0,
    errors: [],
    elapsed: 0,
  };
  const error = rowFailures(report);
  const firstLineOfRef = new Map<string, number>();
  let batch: ImportEntry[] = [];

  const load = async (entries: ImportEntry[]) => {
    report.batches++;
    try {
      const r = await loadBatch(ctx, list.id, list.ownerAgency, entries);
      report.created += r.created;
      report.updated += r.updated;
      report.unchanged += entries.length - r.created - r.updated;
    } catch (e) {
      if (!isDatabaseRefusal(e)) throw e;
      // Find the rows the database refuses, load the rest.
      const r = await loadRowByRow(ctx, list.id, list.ownerAgency, entries);
      report.created += r.created;
      report.updated += r.updated;
      report.unchanged += entries.length - r.created - r.updated - r.refused.length;
      for (const x of r.refused) error(x.line, x.message);
    }
    opts.onProgress?.(progressOf(report));
  };
  // One batch in the database while the next is read and checked; batches still commit in order.
  let inflight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const entries = batch;
    batch = [];
    await inflight;
    if (entries.length > 0) {
      inflight = load(entries);
      inflight.catch(() => undefined); // awaited (and thrown) at the next flush, not reported as unhandled meanwhile
    }
  };

  for await (const parsed of rows) {
    report.rows++;
    if ('skipped' in parsed) {
      report.skipped++;
      continue;
    }
    if ('error' in parsed) {
      error(parsed.line, parsed.error);
      continue;
    }
    const checked = validateRow(parsed.line, parsed.row, rowContext);
    if ('error' in checked) {
      error(parsed.line, checked.error);
      continue;
    }
    const first = firstLineOfRef.get(checked.entry.ref);
    if (first !== undefined) {
      error(parsed.line, `duplicate of line ${first} (same ref "${checked.entry.ref.slice(0, 60)}")`);
      continue;
    }
    firstLineOfRef.set(checked.entry.ref, parsed.line);
    batch.push(checked.entry);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await inflight;
  report.errors.sort((a, b) => a.line - b.line);
  report.elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return report;
}

const progressOf = (r: ImportReport): ImportProgress => ({
  rows: r.rows,
  created: r.created,
  updated: r.updated,
  unchanged: r.unchanged,
  failed: r.failed,
  skipped: r.skipped,
});

/** PostgreSQL refused the data (constraint, value out of range), as opposed to a lost connection. */
function isDatabaseRefusal(e: unknown): e is { code: string; constraint?: string } {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && /^(22|23)/.test(code);
}

function refusalMessage(e: { code: string; constraint?: string }): string {
  if (e.code === '23514' && e.constraint === 'watchlist_entries_check') {
    return "validUntil is before the entry's validFrom";
  }
  return `refused by the database (${e.constraint ? `constraint ${e.constraint}` : `SQLSTATE ${e.code}`})`;
}

interface BatchResult {
  created: number;
  updated: number;
}

function loadBatch(ctx: RequestContext, listId: string, owner: string, entries: ImportEntry[]): Promise<BatchResult> {
  return writeAudited(ctx, async (m) => {
    const written = await upsert(m, ctx, listId, owner, entries);
    return { result: written, audit: [auditOf(listId, owner, written.ids)] };
  });
}

async function loadRowByRow(ctx: RequestContext, listId: string, owner: string, entries: ImportEntry[]) {
  const refused: RowError[] = [];
  const result = await writeAudited(ctx, async (m) => {
    const ids: string[] = [];
    let created = 0;
    let updated = 0;
    for (const entry of entries) {
      await m.query('SAVEPOINT import_row');
      try {
        const r = await upsert(m, ctx, listId, owner, [entry]);
        await m.query('RELEASE SAVEPOINT import_row');
        ids.push(...r.ids);
        created += r.created;
        updated += r.updated;
      } catch (e) {
        if (!isDatabaseRefusal(e)) throw e;
        await m.query('ROLLBACK TO SAVEPOINT import_row');
        refused.push({ line: entry.line, message: refusalMessage(e) });
      }
    }
    return { result: { created, updated }, audit: [auditOf(listId, owner, ids)] };
  });
  return { ...result, refused };
}

const auditOf = (listId: string, owner: string, entryIds: string[]) => ({
  operation: 'importWatchlistEntries',
  recordIds: [`Watchlist:${listId}`, ...entryIds.map((id) => `WatchlistEntry:${id}`)],
  dataOwners: [owner],
});

const SEP = '\u001f'; // unit separator: row validation refuses control characters in names

/** One batch in two statements: the IMO numbers the registry lacks, then entries with their versions. */
async function upsert(
  m: EntityManager,
  ctx: RequestContext,
  listId: string,
  owner: string,
  entries: ImportEntry[],
): Promise<BatchResult & { ids: string[] }> {
  // Imports into one list take turns, so two runs of the same file cannot both insert a row.
  // A batch touches a few thousand rows of million-row tables: index lookups, never a hash of a
  // whole table (the planner cannot see the size of the unnested arrays and sometimes guesses wrong).
  await m.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('portcullis-import:' || $1, 0)),
    set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`,
    [listId],
  );

  // Each entry keeps the vessel as its row gives it; the registry only learns of IMO numbers it lacks.
  await ensureVessels(
    m,
    entries.map((e) => e.imo),
  );

  const rows: { id: string; created: boolean }[] = await m.query(
    `WITH i AS (
       SELECT t.*, jsonb_build_object('imo', t.imo, 'mmsi', t.mmsi, 'name', t.name, 'flag', t.flag, 'callSign', t.call_sign,
           'vesselType', t.vessel_type, 'formerNames', to_jsonb(COALESCE(string_to_array(t.former, $17), '{}'))) AS vessel_as_given
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::text[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[],
                   $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[])
         AS t(ref, imo, category, risk_level, reason, tlp, jurisdiction, recipients, valid_from, valid_until, source, notes,
              mmsi, name, flag, call_sign, vessel_type, former)
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
         valid_until = j.valid_until, source = j.source, notes = j.notes, updated_at = now()
       FROM j
       WHERE e.id = j.entry_id AND (e.vessel_id, e.vessel_as_given, e.category, e.risk_level, e.reason, e.tlp, e.jurisdiction, e.recipients,
           e.valid_from, e.valid_until, e.source, e.notes)
         IS DISTINCT FROM (j.vessel_id, j.vessel_as_given, j.category, j.risk_level::risk_level, j.reason, j.tlp::tlp, j.jurisdiction::bpchar,
           string_to_array(j.recipients, ','), COALESCE(j.valid_from, LEAST(e.valid_from, COALESCE(j.valid_until, e.valid_from))),
           j.valid_until, j.source, j.notes)
       RETURNING e.*
     ),
     ins AS (
       INSERT INTO watchlist_entries (watchlist_id, vessel_id, vessel_as_given, category, risk_level, reason, owner_agency, tlp,
         jurisdiction, recipients, valid_from, valid_until, source, notes, external_ref)
       SELECT $13, j.vessel_id, j.vessel_as_given, j.category, j.risk_level::risk_level, j.reason, $14, j.tlp::tlp, j.jurisdiction,
         string_to_array(j.recipients, ','), COALESCE(j.valid_from, LEAST(now(), COALESCE(j.valid_until, now()))),
         j.valid_until, j.source, j.notes, j.ref
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
         $15, $16, CASE WHEN c.created THEN 'IMPORT_CREATE' ELSE 'IMPORT_UPDATE' END,
         jsonb_build_object(
           'id', c.id, 'watchlistId', c.watchlist_id, 'vesselId', c.vessel_id, 'vesselAsGiven', c.vessel_as_given,
           'category', c.category,
           'riskLevel', c.risk_level, 'reason', c.reason, 'ownerAgency', c.owner_agency, 'tlp', c.tlp,
           'jurisdiction', c.jurisdiction, 'recipients', to_jsonb(c.recipients), 'validFrom', c.valid_from,
           'validUntil', c.valid_until, 'source', c.source, 'notes', c.notes, 'externalRef', c.external_ref,
           'createdAt', c.created_at, 'updatedAt', c.updated_at)
       FROM changed c
     )
     SELECT id, created FROM changed`,
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
    ],
  );
  const created = rows.filter((r) => r.created).length;
  return { created, updated: rows.length - created, ids: rows.map((r) => r.id) };
}
