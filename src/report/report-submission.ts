/** Submitting a report: exactly once per idempotency key, numbered per port and year, rate-limited per agency (its input checks: report-input.ts). */
import type { EntityManager } from 'typeorm';
import { rateLimited } from '../common/errors';
import { unLocodeCountry } from '../common/identifiers';
import { authorize } from '../request/authorize';
import { writeOnce } from '../audit/write-once';
import { defineSetting, type RequestContext } from '../request/context';
import type { SubmitReportInput } from './report.inputs';
import { SuspiciousActivityReport } from './report.entity';
import { recordTransition } from './report-triage';
import { DEFAULT_REPORT_RATE_LIMIT, type RateLimit } from '../config';
import { validateSubmission } from './report-input';

/** Submissions per agency within a sliding window: the hub's REPORT_RATE_LIMIT setting. */
export const REPORT_RATE_LIMIT = defineSetting<RateLimit>('report rate limit', () => DEFAULT_REPORT_RATE_LIMIT);

/** Links the report to a known vessel by IMO, else MMSI, else an unambiguous name. */
async function matchVessel(m: EntityManager, input: SubmitReportInput, name: string | null): Promise<string | null> {
  const tries: [string, unknown][] = [];
  if (input.imo) tries.push(['imo = $1', input.imo]);
  if (input.mmsi) tries.push(['mmsi = $1', input.mmsi]);
  if (name) tries.push(['upper(name) = upper($1)', name]);
  for (const [where, value] of tries) {
    const rows: { id: string }[] = await m.query(`SELECT id FROM vessels WHERE ${where} LIMIT 2`, [value]);
    if (rows.length === 1) return rows[0].id;
  }
  return null;
}

/**
 * SAR-<agency>-<year>-<number>, counted per submitting agency and year: the number tells a reader
 * how many reports that agency filed before, never how many others did (a count per port did).
 */
async function nextReference(m: EntityManager, agency: string, year: number): Promise<string> {
  const [{ last_number }] = await m.query(
    `INSERT INTO report_reference_counters (agency, year, last_number) VALUES ($1, $2, 1)
     ON CONFLICT (agency, year) DO UPDATE SET last_number = report_reference_counters.last_number + 1
     RETURNING last_number`,
    [agency, year],
  );
  return `SAR-${agency}-${year}-${String(last_number).padStart(6, '0')}`;
}

function describeWindow(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

/**
 * The per-agency submission limit, counted in PostgreSQL so it holds across hub instances:
 * submissions of one agency queue on an advisory lock, then count that agency's reports of the
 * window. Only reports that were created count, so refused and idempotent retries never do.
 */
async function checkRateLimit(ctx: RequestContext, m: EntityManager, owner: string): Promise<void> {
  const { max, windowSeconds } = ctx.settings.get(REPORT_RATE_LIMIT);
  // Two-key form: a lock space of its own.
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('sar-rate'), hashtext($1))`, [owner]);
  // The max-th newest report of the window: while it is inside, the agency is at its limit; it
  // leaves the window (freeing a slot) windowSeconds after it was made.
  const rows: { retry: number }[] = await m.query(
    `SELECT GREATEST(1, ceil(extract(epoch FROM created_at + make_interval(secs => $2) - now())))::int AS retry
       FROM suspicious_activity_reports
      WHERE owner_agency = $1 AND created_at > now() - make_interval(secs => $2)
      ORDER BY created_at DESC OFFSET $3 LIMIT 1`,
    [owner, windowSeconds, max - 1],
  );
  if (rows.length === 0) return;
  const retry = rows[0].retry;
  throw rateLimited(
    `Your agency has sent ${max} reports in the last ${describeWindow(windowSeconds)}, the most the hub accepts. ` +
      `Try again in ${retry} seconds. Retrying a report with its idempotencyKey is always accepted. ` +
      'If lives or the port are in danger, call the port security authority now.',
    retry,
  );
}

export function submitReport(ctx: RequestContext, input: SubmitReportInput, idempotencyKey?: string | null) {
  authorize(ctx, { kind: 'submitReport', port: input.port });
  const now = new Date();
  const clean = validateSubmission(input, now);
  const owner = ctx.principal.agency.code;
  const once = {
    operation: 'submitSuspiciousActivityReport',
    noun: 'report',
    key: idempotencyKey,
    payload: input,
    idOf: (r: SuspiciousActivityReport) => r.id,
    // The submitting agency's own report: what the first call answered.
    replay: (m: EntityManager, id: string) => m.getRepository(SuspiciousActivityReport).findOneBy({ id, ownerAgency: owner }),
  };
  return writeOnce(ctx, once, async (m) => {
    // writeOnce answers a retry with the key before this runs, so a retry never counts against the limit.
    await checkRateLimit(ctx, m, owner);
    const repo = m.getRepository(SuspiciousActivityReport);
    const report = await repo.save(
      repo.create({
        reference: await nextReference(m, owner, now.getUTCFullYear()),
        ownerAgency: owner,
        submittedBy: ctx.principal.subject,
        port: input.port,
        tlp: 'AMBER',
        jurisdiction: unLocodeCountry(input.port),
        recipients: [],
        vesselId: await matchVessel(m, input, clean.vesselName),
        imo: input.imo ?? null,
        mmsi: input.mmsi ?? null,
        vesselName: clean.vesselName,
        category: input.category,
        observedAt: input.observedAt,
        locationLat: input.location?.lat ?? null,
        locationLon: input.location?.lon ?? null,
        description: clean.description,
        reporterContact: clean.reporterContact,
        securityLevel: input.securityLevel ?? null,
        actionsTaken: clean.actionsTaken,
        status: 'SUBMITTED',
      }),
    );
    await recordTransition(m, ctx, report.id, null, 'SUBMITTED', null);
    return {
      result: report,
      audit: [{ operation: 'submitSuspiciousActivityReport', recordIds: [`SuspiciousActivityReport:${report.id}`], dataOwners: [owner] }],
    };
  });
}
