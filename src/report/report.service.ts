/**
 * Suspicious-activity reports from private operators (and public agencies): submitted once per
 * idempotency key, numbered per port and year, visible per the access model.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badInput, clientError } from '../common/errors';
import { unLocodeCountry } from '../common/identifiers';
import { coordinates, text } from '../common/validate';
import { paginate, type PageArgs } from '../graphql/connection';
import { uuidOf } from '../graphql/ids';
import { authorize, visibleRows, writeAudited } from '../policy/authorize';
import type { RequestContext } from '../server/context';
import type { ReportFilter, SubmitReportInput } from './report.inputs';
import { SuspiciousActivityReport } from './report.entity';

export const visibleReports = (ctx: RequestContext, m: EntityManager = ctx.db.manager) =>
  visibleRows(ctx, m, SuspiciousActivityReport, 'SuspiciousActivityReport', 'r');

export function listReports(ctx: RequestContext, filter: ReportFilter | null | undefined, page: PageArgs) {
  const qb = visibleReports(ctx);
  if (filter?.status?.length) qb.andWhere('r.status = ANY(:st)', { st: filter.status });
  if (filter?.port) qb.andWhere('r.port = :port', { port: filter.port });
  return paginate(qb, 'r', { column: 'r.created_at', property: 'createdAt', kind: 'timestamp' }, 'DESC', page);
}

export function findReport(ctx: RequestContext, id: string, m?: EntityManager) {
  return visibleReports(ctx, m).andWhere('r.id = :id', { id: uuidOf('SuspiciousActivityReport', id) }).getOne();
}

/** Messages here are read by reporters on a terminal's night shift: say what to change. */
function validateSubmission(input: SubmitReportInput, now: Date) {
  if (input.observedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw badInput('observedAt is in the future: give the date and time when you saw the activity', 'observedAt');
  }
  if (input.securityLevel !== null && input.securityLevel !== undefined && ![1, 2, 3].includes(input.securityLevel)) {
    throw badInput('securityLevel must be the ISPS level in force: 1, 2 or 3', 'securityLevel');
  }
  coordinates(input.location);
  return {
    description: text(input.description, 'description', 5000),
    vesselName: text(input.vesselName, 'vesselName', 200),
    reporterContact: text(input.reporterContact, 'reporterContact', 500),
    actionsTaken: text(input.actionsTaken, 'actionsTaken', 2000),
  };
}

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

async function nextReference(m: EntityManager, port: string, year: number): Promise<string> {
  const [{ last_number }] = await m.query(
    `INSERT INTO report_reference_counters (port, year, last_number) VALUES ($1, $2, 1)
     ON CONFLICT (port, year) DO UPDATE SET last_number = report_reference_counters.last_number + 1
     RETURNING last_number`,
    [port, year],
  );
  return `SAR-${port}-${year}-${String(last_number).padStart(6, '0')}`;
}

/** Key order and absent-versus-null must not make a retry look like a different report. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== null && v !== undefined).sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, canonical(v)]),
  );
}

const payloadHash = (input: SubmitReportInput) =>
  createHash('sha256').update(JSON.stringify(canonical(input))).digest('hex');

export function submitReport(ctx: RequestContext, input: SubmitReportInput, idempotencyKey?: string | null) {
  authorize(ctx, { kind: 'submitReport', port: input.port });
  const now = new Date();
  const clean = validateSubmission(input, now);
  const key = text(idempotencyKey, 'idempotencyKey', 200);
  const owner = ctx.principal.agency.code;
  const hash = payloadHash(input);
  return writeAudited(ctx, async (m) => {
    if (key) {
      // Same-key submissions queue here, so concurrent retries find the first one's report.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sar:${owner}:${key}`]);
      const existing = await m.getRepository(SuspiciousActivityReport).findOneBy({ ownerAgency: owner, idempotencyKey: key });
      if (existing) {
        if (existing.payloadHash !== hash) {
          throw clientError('CONFLICT', 'idempotencyKey was already used for a different report; use a new key for a new report');
        }
        return { result: existing, audit: [] };
      }
    }
    const repo = m.getRepository(SuspiciousActivityReport);
    const report = await repo.save(repo.create({
      reference: await nextReference(m, input.port, now.getUTCFullYear()),
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
      idempotencyKey: key,
      payloadHash: hash,
    }));
    await m.query(
      `INSERT INTO report_transitions (report_id, from_status, to_status, actor, actor_agency) VALUES ($1, NULL, 'SUBMITTED', $2, $3)`,
      [report.id, ctx.principal.subject, owner],
    );
    return {
      result: report,
      audit: [{ operation: 'submitSuspiciousActivityReport', recordIds: [`SuspiciousActivityReport:${report.id}`], dataOwners: [owner] }],
    };
  });
}

