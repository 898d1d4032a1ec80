/** Triage: moving a report along its workflow, each step recorded and audited with the change. */
import type { EntityManager } from 'typeorm';
import type { AuditRecord } from '../request/audit-record';
import type { ReportStatus } from '../graphql/enums';
import { badInput } from '../common/errors';
import { authorize } from '../request/authorize';
import { writeAudited } from '../audit/write-audited';
import type { RequestContext } from '../request/context';
import { type SuspiciousActivityReport } from './report.entity';
import { noteText } from './report-input';
import { lockReport } from './report.service';

// Triage

/** Where each status may go. ESCALATED and CLOSED are final. */
const NEXT_STATUSES: Record<ReportStatus, readonly ReportStatus[]> = {
  SUBMITTED: ['UNDER_REVIEW', 'CLOSED'],
  UNDER_REVIEW: ['ESCALATED', 'CLOSED'],
  ESCALATED: [],
  CLOSED: [],
};

/** Closing or escalating without saying why leaves the next analyst guessing. */
const NOTE_REQUIRED: Partial<Record<ReportStatus, string>> = {
  CLOSED: 'say why the report is closed (e.g. "duplicate of SAR-nl-ect-terminal-2026-000123", "no security relevance")',
  ESCALATED: 'say to whom and why the report was escalated (e.g. "handed to the port police, case 2026-0412")',
};

export function checkTransition(from: ReportStatus, to: ReportStatus): void {
  const allowed = NEXT_STATUSES[from];
  if (allowed.length === 0) {
    throw badInput(`the report is ${from}, which is final: it cannot become ${to}`, 'status');
  }
  if (!allowed.includes(to)) {
    const hint = from === 'SUBMITTED' && to === 'ESCALATED' ? ' (put it UNDER_REVIEW first)' : '';
    const what = from === to ? `the report is already ${from}` : `the report is ${from} and cannot become ${to}${hint}`;
    throw badInput(`${what}; allowed next: ${allowed.join(' or ')}`, 'status');
  }
}

export async function recordTransition(
  m: EntityManager,
  ctx: RequestContext,
  reportId: string,
  from: ReportStatus | null,
  to: ReportStatus,
  note: string | null,
): Promise<void> {
  await m.query(
    `INSERT INTO report_transitions (report_id, from_status, to_status, note, actor, actor_agency) VALUES ($1, $2, $3, $4, $5, $6)`,
    [reportId, from, to, note, ctx.principal.subject, ctx.principal.agency.code],
  );
}

export async function moveReport(
  m: EntityManager,
  ctx: RequestContext,
  report: SuspiciousActivityReport,
  to: ReportStatus,
  note: string | null,
  escalatedAlertId?: string,
): Promise<void> {
  const from = report.status;
  const [row]: { updated_at: Date }[] = await m.query(
    `UPDATE suspicious_activity_reports SET status = $2, escalated_alert_id = COALESCE($3, escalated_alert_id), updated_at = now()
      WHERE id = $1 RETURNING updated_at`,
    [report.id, to, escalatedAlertId ?? null],
  );
  report.status = to;
  report.updatedAt = row.updated_at;
  if (escalatedAlertId) report.escalatedAlertId = escalatedAlertId;
  await recordTransition(m, ctx, report.id, from, to, note);
}

export const reportAudit = (operation: string, r: SuspiciousActivityReport): AuditRecord => ({
  operation,
  recordIds: [`SuspiciousActivityReport:${r.id}`],
  dataOwners: [r.ownerAgency],
});

export function triageReport(ctx: RequestContext, id: string, status: ReportStatus, note?: string | null) {
  const clean = noteText(note);
  return writeAudited(ctx, async (m) => {
    const report = await lockReport(ctx, m, id);
    authorize(ctx, { kind: 'triageReport', record: report });
    checkTransition(report.status, status);
    const why = NOTE_REQUIRED[status];
    if (why && !clean) throw badInput(`a note is needed to make the report ${status}: ${why}`, 'note');
    await moveReport(m, ctx, report, status, clean);
    return { result: report, audit: [reportAudit('triageReport', report)] };
  });
}
