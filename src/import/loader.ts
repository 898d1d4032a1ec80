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
 * - A replace or a dry run reads the whole file first and is one transaction (whole-file.ts).
 */
import { notFound } from '../common/errors';
import { authorize } from '../request/authorize';
import { writeAudited } from '../audit/write-audited';
import type { RequestContext } from '../request/context';
import { findWatchlist } from '../watchlist/watchlist.service';
import type { ImportFormat } from './formats';
import { IMPORT_BATCH_SIZE, refOfBadRow, rowFailures, validateRow, type ImportEntry, type ParsedRow, type RowContext } from './row';
import { auditOf, countWritten, type BadRows, type ImportMode, type ImportProgress, type ImportReport } from './report';
import { isDatabaseRefusal, upsert, upsertEachRow } from './upsert';
import { loadWholeFile } from './whole-file';

export interface ImportOptions {
  format: ImportFormat;
  batchSize?: number;
  defaults?: RowContext['defaults'];
  mode?: ImportMode;
  /** Report what would be created, updated and ended, and write nothing. */
  dryRun?: boolean;
  /** The feed the entries come from (importFeed checks it); a replace ends only this feed's entries. */
  feed?: string;
  /** Called after each batch with the number of records read so far. */
  onProgress?: (p: ImportProgress) => void;
}

export type { ImportReport } from './report';

const ofacDefaults = { category: 'SANCTIONS_EVASION', riskLevel: 'HIGH' } as const;

/** Names of feeds: short, no spaces, so they read well on a command line and in a report. */
const FEED = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** The feed an import writes as: the one given, else OFAC_SDN for the OFAC format and FILE for Portcullis' CSV and JSON. */
export function importFeed(format: ImportFormat, given: string | null | undefined): string | { error: string } {
  if (given === undefined || given === null) return format === 'ofac' ? 'OFAC_SDN' : 'FILE';
  if (!FEED.test(given))
    return { error: 'a feed name is 1 to 64 letters, digits and _ . : - (e.g. OFAC_SDN, EU-list), starting with a letter or digit' };
  return given;
}

/**
 * The file's good rows as entries, in order, each ref once; bad, skipped and duplicate rows are
 * counted in `report` (and the entries bad rows still name kept in `bad`).
 */
async function* checkedEntries(
  rows: AsyncIterable<ParsedRow>,
  rowContext: RowContext,
  report: ImportReport,
  bad: BadRows,
): AsyncGenerator<ImportEntry> {
  const error = rowFailures(report);
  const failed = (line: number, message: string, ref: string | undefined) => {
    error(line, message);
    if (ref) bad.refs.add(ref);
    else if (++bad.unnamed <= 3) bad.unnamedExamples.push(`line ${line}: ${message}`);
  };
  const firstLineOfRef = new Map<string, number>();
  for await (const parsed of rows) {
    report.rows++;
    if ('skipped' in parsed) {
      report.skipped++;
      continue;
    }
    if ('error' in parsed) {
      failed(parsed.line, parsed.error, parsed.ref);
      continue;
    }
    const checked = validateRow(parsed.line, parsed.row, rowContext);
    if ('error' in checked) {
      failed(parsed.line, checked.error, refOfBadRow(parsed.row));
      continue;
    }
    const first = firstLineOfRef.get(checked.entry.ref);
    if (first !== undefined) {
      failed(parsed.line, `duplicate of line ${first} (same ref "${checked.entry.ref.slice(0, 60)}")`, checked.entry.ref);
      continue;
    }
    firstLineOfRef.set(checked.entry.ref, parsed.line);
    yield checked.entry;
  }
}

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
  const feed = importFeed(opts.format, opts.feed);
  if (typeof feed !== 'string') throw new Error(feed.error); // the resolver and the CLI check it first
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
    mode: opts.mode ?? 'MERGE',
    dryRun: opts.dryRun ?? false,
    feed,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    ended: 0,
    examples: { created: [], updated: [], ended: [] },
    batches: 0,
    errors: [],
    elapsed: 0,
  };
  const bad: BadRows = { refs: new Set(), unnamed: 0, unnamedExamples: [] };
  const entries = checkedEntries(rows, rowContext, report, bad);

  if (report.mode === 'REPLACE' || report.dryRun) {
    await loadWholeFile(ctx, { id: list.id, owner: list.ownerAgency }, entries, report, bad, batchSize);
  } else {
    await loadInBatches(ctx, list.id, list.ownerAgency, feed, entries, report, batchSize, opts.onProgress);
  }
  report.errors.sort((a, b) => a.line - b.line);
  report.elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return report;
}

/** MERGE: one transaction per batch, one batch in the database while the next is read and checked. */
async function loadInBatches(
  ctx: RequestContext,
  listId: string,
  owner: string,
  feed: string,
  entries: AsyncIterable<ImportEntry>,
  report: ImportReport,
  batchSize: number,
  onProgress: ImportOptions['onProgress'],
): Promise<void> {
  const error = rowFailures(report);
  const load = async (batch: ImportEntry[]) => {
    report.batches++;
    try {
      const written = await writeAudited(ctx, async (m) => {
        const w = await upsert(m, ctx, listId, owner, feed, batch);
        return {
          result: w,
          audit: [
            auditOf(
              listId,
              owner,
              w.map((x) => x.id),
            ),
          ],
        };
      });
      countWritten(report, written);
      report.unchanged += batch.length - written.length;
    } catch (e) {
      if (!isDatabaseRefusal(e)) throw e;
      // Find the rows the database refuses, load the rest.
      const r = await writeAudited(ctx, async (m) => {
        const each = await upsertEachRow(m, ctx, listId, owner, feed, batch);
        return {
          result: each,
          audit: [
            auditOf(
              listId,
              owner,
              each.written.map((x) => x.id),
            ),
          ],
        };
      });
      countWritten(report, r.written);
      report.unchanged += batch.length - r.written.length - r.refused.length;
      for (const x of r.refused) error(x.line, x.message);
    }
    onProgress?.(progressOf(report));
  };
  // Batches still commit in order.
  let inflight: Promise<void> = Promise.resolve();
  let batch: ImportEntry[] = [];
  const flush = async () => {
    const next = batch;
    batch = [];
    await inflight;
    if (next.length > 0) {
      inflight = load(next);
      inflight.catch(() => undefined); // awaited (and thrown) at the next flush, not reported as unhandled meanwhile
    }
  };
  for await (const entry of entries) {
    batch.push(entry);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await inflight;
}

const progressOf = (r: ImportReport): ImportProgress => ({
  rows: r.rows,
  created: r.created,
  updated: r.updated,
  unchanged: r.unchanged,
  failed: r.failed,
  skipped: r.skipped,
});
