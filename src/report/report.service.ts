/**
 * Suspicious-activity reports from private operators (and public agencies): submitted once per
 * idempotency key, numbered per port and year, rate-limited per agency, triaged and escalated by
 * the analysts of the report's jurisdiction, visible per the access model.
 *
 *   SUBMITTED ──> UNDER_REVIEW ──> ESCALATED   (escalateReport also publishes an alert)
 *       │               └────────> CLOSED
 *       └──────────────────────────> CLOSED    (obvious junk: a test, spam, a wrong port)
 *
 * ESCALATED and CLOSED are final. Every change is a row in report_transitions (who, agency, when,
 * note) and an audit event, written in one transaction with the change itself.
 */
import type { EntityManager } from 'typeorm';
import { notFound } from '../common/errors';
import { paginate, type PageArgs } from '../graphql/connection';
import { uuidOf } from '../graphql/ids';
import { visibleRows } from '../request/authorize';
import type { RequestContext } from '../request/context';
import type { ReportFilter } from './report.inputs';
import { SuspiciousActivityReport } from './report.entity';

const visibleReports = (ctx: RequestContext, m: EntityManager = ctx.db.manager) =>
  visibleRows(ctx, m, SuspiciousActivityReport, 'SuspiciousActivityReport', 'r');

export function listReports(ctx: RequestContext, filter: ReportFilter | null | undefined, page: PageArgs) {
  const qb = visibleReports(ctx);
  if (filter?.status?.length) qb.andWhere('r.status = ANY(:st)', { st: filter.status });
  if (filter?.port) qb.andWhere('r.port = :port', { port: filter.port });
  return paginate(qb, 'r', { column: 'r.created_at', property: 'createdAt', kind: 'timestamp' }, 'DESC', page);
}

export function findReport(ctx: RequestContext, id: string, m?: EntityManager) {
  return visibleReports(ctx, m)
    .andWhere('r.id = :id', { id: uuidOf('SuspiciousActivityReport', id) })
    .getOne();
}

/** The report, locked until the transaction ends so two analysts cannot move it at once. */
export async function lockReport(ctx: RequestContext, m: EntityManager, id: string): Promise<SuspiciousActivityReport> {
  const report = await visibleReports(ctx, m)
    .andWhere('r.id = :id', { id: uuidOf('SuspiciousActivityReport', id) })
    .setLock('pessimistic_write')
    .getOne();
  // Hidden and missing reports answer alike.
  if (!report) throw notFound('report', id);
  return report;
}
