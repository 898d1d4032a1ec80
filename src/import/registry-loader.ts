/**
 * The registry import behind `npm run import -- --registry` and the importRegistry mutation: a
 * registry authority's source (CSV or JSON, the columns of REGISTRY_IMPORT_FIELDS) recorded in
 * the shared vessel registry with its origin. The engine decides who may (`writeRegistry`):
 * checked once before reading and again by each batch's transaction. Rows are checked one by
 * one (`line N: reason`); each batch is one transaction with one audit event naming the vessels
 * changed. Loading the same source again changes nothing.
 */
import { writeAudited } from '../audit/write-audited';
import { badInput } from '../common/errors';
import { text } from '../common/validate';
import type { RequestContext } from '../request/context';
import { authorizeRegistryWrite, recordRegistryValues, type RegistryRecord } from '../vessel/registry.service';
import { IMPORT_BATCH_SIZE, rowFailures, validateRegistryRow, type ParsedRow } from './row';

/** The longest source name kept with each value. */
const MAX_SOURCE_LENGTH = 200;

export interface RegistryImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  batches: number;
  errors: { line: number; message: string }[];
  /** seconds */
  elapsed: number;
}

export async function importRegistry(ctx: RequestContext, source: string, rows: AsyncIterable<ParsedRow>): Promise<RegistryImportReport> {
  const started = process.hrtime.bigint();
  authorizeRegistryWrite(ctx);
  const report: RegistryImportReport = { rows: 0, created: 0, updated: 0, unchanged: 0, failed: 0, batches: 0, errors: [], elapsed: 0 };
  const error = rowFailures(report);
  const firstLineOfImo = new Map<string, number>();
  let batch: RegistryRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const records = batch;
    batch = [];
    report.batches++;
    const written = await writeAudited(ctx, async (m) => {
      const w = await recordRegistryValues(ctx, m, source, records);
      const audit = [
        { operation: 'importRegistry', recordIds: w.ids.map((id) => `Vessel:${id}`), dataOwners: [ctx.principal.agency.code] },
      ];
      return { result: w, audit };
    });
    report.created += written.created;
    report.updated += written.updated;
    report.unchanged += records.length - written.created - written.updated;
  };

  for await (const parsed of rows) {
    report.rows++;
    if ('skipped' in parsed) {
      error(parsed.line, parsed.skipped);
      continue;
    }
    if ('error' in parsed) {
      error(parsed.line, parsed.error);
      continue;
    }
    const checked = validateRegistryRow(parsed.row);
    if ('error' in checked) {
      error(parsed.line, checked.error);
      continue;
    }
    // One source gives one set of particulars per vessel: a second row would make the result depend on row order.
    const first = firstLineOfImo.get(checked.record.imo);
    if (first !== undefined) {
      error(parsed.line, `duplicate of line ${first} (same imo ${checked.record.imo})`);
      continue;
    }
    firstLineOfImo.set(checked.record.imo, parsed.line);
    batch.push(checked.record);
    if (batch.length >= IMPORT_BATCH_SIZE) await flush();
  }
  await flush();
  report.errors.sort((a, b) => a.line - b.line);
  report.elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return report;
}

/** The source name kept with every value: required, so no value is ever of unknown origin. */
export function registrySource(value: string | null | undefined, field: string): string {
  const source = text(value, field, MAX_SOURCE_LENGTH);
  if (!source) throw badInput(`${field} is required: name the source of the values (e.g. "Register extract 2026-11-29")`, field);
  return source;
}
