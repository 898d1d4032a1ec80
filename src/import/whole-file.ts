/**
 * A replace or a dry run: the whole file in one transaction with its audit records.
 *
 * - The file is read and checked first (at most MAX_WHOLE_FILE_ENTRIES entries); nothing is
 *   written before the last row has been read.
 * - A replace loses nothing on bad input. It is refused, with nothing written, when a bad row
 *   names no entry (a record that cannot be read: which entry it would have kept is unknown),
 *   when more than MAX_BAD_ROW_SHARE of the file's rows are bad, or when the file holds no entry
 *   at all. Otherwise an entry a bad row still names (its OFAC entity number, ref or IMO number)
 *   is neither updated nor ended: it stays as it is.
 * - It then upserts every entry, ends the entries of the same feed that the file does not name
 *   (upsert.ts endMissing), and audits every entry written or ended, all in one transaction.
 * - A dry run does exactly the same in a transaction it rolls back: the report says what would
 *   be created, updated and ended, and nothing stays written (no entry, version or audit record).
 */
import { badInput } from '../common/errors';
import { writeAudited } from '../audit/write-audited';
import type { RequestContext } from '../request/context';
import { auditOf, countWritten, REPORTED_EXAMPLES, type BadRows, type ImportReport } from './report';
import { rowFailures, type ImportEntry } from './row';
import { endMissing, isDatabaseRefusal, upsert, upsertEachRow } from './upsert';

/** A replace holds the file's entries in memory and writes them in one transaction. */
const MAX_WHOLE_FILE_ENTRIES = 200_000;
/** More bad rows than this share of the rows in scope and a replace is refused: the file is damaged, not just untidy. */
const MAX_BAD_ROW_SHARE = 0.05;
/** Entries named by one audit record of a replace (a batch's worth, as a merge writes them). */
const AUDIT_IDS_PER_RECORD = 2000;

/** A replace the loader refuses before writing anything; its message says why. */
export class ImportRefused extends Error {}

class RollBack extends Error {}

const firstErrors = (report: ImportReport) =>
  [...report.errors]
    .sort((a, b) => a.line - b.line)
    .slice(0, 3)
    .map((e) => `line ${e.line}: ${e.message}`)
    .join('; ');

function refuseReplace(report: ImportReport, bad: BadRows, entries: number): void {
  const inScope = report.rows - report.skipped;
  if (bad.unnamed > 0) {
    throw new ImportRefused(
      `replace refused, nothing written: ${bad.unnamed} bad row(s) name no entry, so which entries the file still lists is unknown (${bad.unnamedExamples.join('; ')})`,
    );
  }
  if (report.failed > inScope * MAX_BAD_ROW_SHARE) {
    throw new ImportRefused(
      `replace refused, nothing written: ${report.failed} of ${inScope} rows are bad, more than ${MAX_BAD_ROW_SHARE * 100}% (${firstErrors(report)})`,
    );
  }
  if (entries === 0) throw new ImportRefused('replace refused, nothing written: the file holds no entry, so a replace would end them all');
}

export async function loadWholeFile(
  ctx: RequestContext,
  list: { id: string; owner: string },
  checked: AsyncIterable<ImportEntry>,
  report: ImportReport,
  bad: BadRows,
  batchSize: number,
): Promise<void> {
  const entries: ImportEntry[] = [];
  for await (const entry of checked) {
    if (entries.length >= MAX_WHOLE_FILE_ENTRIES) {
      throw badInput(
        `a ${report.dryRun ? 'dry run' : 'replace'} reads the whole file in one transaction: at most ${MAX_WHOLE_FILE_ENTRIES} entries`,
      );
    }
    entries.push(entry);
  }
  const replace = report.mode === 'REPLACE';
  if (replace) refuseReplace(report, bad, entries.length);

  const error = rowFailures(report);
  const work = async (m: Parameters<Parameters<typeof writeAudited>[1]>[0]) => {
    const ids: string[] = [];
    const kept = new Set(bad.refs);
    for (let i = 0; i < entries.length; i += batchSize) {
      const batch = entries.slice(i, i + batchSize);
      await m.query('SAVEPOINT import_batch');
      let written;
      let refused = 0;
      try {
        written = await upsert(m, ctx, list.id, list.owner, report.feed, batch);
        await m.query('RELEASE SAVEPOINT import_batch');
      } catch (e) {
        if (!isDatabaseRefusal(e)) throw e;
        // Find the rows the database refuses, as a merge does: they are bad rows that name their entry.
        await m.query('ROLLBACK TO SAVEPOINT import_batch');
        const each = await upsertEachRow(m, ctx, list.id, list.owner, report.feed, batch);
        for (const r of each.refused) error(r.line, r.message);
        refused = each.refused.length;
        written = each.written;
      }
      countWritten(report, written);
      ids.push(...written.map((w) => w.id));
      report.unchanged += batch.length - written.length - refused;
      for (const e of batch) kept.add(e.ref);
    }
    if (replace) {
      // Rows the database refused are bad rows too: the rule holds after them as before.
      refuseReplace(report, bad, entries.length);
      const ended = await endMissing(m, ctx, list.id, report.feed, [...kept]);
      report.ended = ended.length;
      report.examples.ended = ended.slice(0, REPORTED_EXAMPLES).map(({ ref, imo, name }) => ({ ref, imo, name }));
      ids.push(...ended.map((e) => e.id));
    }
    const audit = [];
    for (let i = 0; i === 0 || i < ids.length; i += AUDIT_IDS_PER_RECORD) {
      audit.push(auditOf(list.id, list.owner, ids.slice(i, i + AUDIT_IDS_PER_RECORD)));
    }
    return { result: undefined, audit };
  };

  if (!report.dryRun) {
    await writeAudited(ctx, work);
    report.batches = 1; // one transaction, committed
    return;
  }
  await ctx.db
    .transaction(async (m) => {
      await work(m);
      throw new RollBack();
    })
    .catch((e: unknown) => {
      if (!(e instanceof RollBack)) throw e;
    });
}
