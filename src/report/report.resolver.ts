import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PublishAlertInput } from '../alert/alert.inputs';
import { VesselAlert } from '../alert/vessel-alert.entity';
import { alertById } from '../alert/alert.service';
import { ReportStatusEnum, type ReportStatus } from '../graphql/enums';
import { IDEMPOTENCY_KEY_DESCRIPTION, PageArgsInput } from '../graphql/args';
import { ConnectionType } from '../graphql/connection';
import { ShareableResolver } from '../shareable/shareable.resolver';
import type { RequestContext } from '../request/context';
import { Vessel } from '../vessel/vessel.entity';
import { vesselById } from '../vessel/vessel.service';
import { ReportFilter, SubmitReportInput } from './report.inputs';
import { ReportTransition } from './report-transition.type';
import { SuspiciousActivityReport } from './report.entity';
import { checkEscalationTexts, escalateReport } from './report-escalation';
import { EscalationTextProblem } from './escalation-check.type';
import { DUPLICATE_WINDOW_HOURS, possibleDuplicates, reportHistory } from './report-history';
import { submitReport } from './report-submission';
import { triageReport } from './report-triage';
import * as reports from './report.service';

const SuspiciousActivityReportConnection = ConnectionType(SuspiciousActivityReport);

@Resolver(() => SuspiciousActivityReport)
export class ReportResolver extends ShareableResolver(SuspiciousActivityReport, 'SuspiciousActivityReport') {
  @Query(() => SuspiciousActivityReportConnection, { description: 'Reports the caller may see, newest first' })
  reports(
    @Arg('filter', () => ReportFilter, { nullable: true }) filter: ReportFilter | null,
    @Args(() => PageArgsInput) page: PageArgsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return reports.listReports(ctx, filter, page);
  }

  @Query(() => SuspiciousActivityReport, { nullable: true })
  report(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return reports.findReport(ctx, id);
  }

  @Query(() => [EscalationTextProblem], {
    description:
      "Before escalateReport: the alert text fields it would refuse because they carry the report's reporter's identity " +
      '(empty: none). For the analysts who may escalate the report; nothing is written',
  })
  escalationTextCheck(
    @Arg('id', () => ID) id: string,
    @Arg('title', () => String, { nullable: true }) title: string | null,
    @Arg('description', () => String, { nullable: true }) description: string | null,
    @Arg('intelligenceSummary', () => String, { nullable: true }) intelligenceSummary: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return checkEscalationTexts(ctx, id, { title, description, intelligenceSummary });
  }

  @Mutation(() => SuspiciousActivityReport, {
    description: 'Submit a report; retrying with the same idempotencyKey returns the first report',
  })
  submitSuspiciousActivityReport(
    @Arg('input', () => SubmitReportInput) input: SubmitReportInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return submitReport(ctx, input, idempotencyKey);
  }

  @Mutation(() => SuspiciousActivityReport, {
    description:
      'Move a report: SUBMITTED to UNDER_REVIEW or CLOSED, UNDER_REVIEW to ESCALATED or CLOSED (a note is required ' +
      "for ESCALATED and CLOSED). Analysts of public agencies of the report's jurisdiction only",
  })
  triageReport(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => ReportStatusEnum) status: ReportStatus,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return triageReport(ctx, id, status, note);
  }

  @Mutation(() => VesselAlert, {
    description:
      'Publish a vessel alert from a report UNDER_REVIEW and mark the report ESCALATED. The alert is about the ' +
      "report's vessel, port and category, and never carries the reporter's identity. Retrying with the same " +
      'idempotencyKey returns the first alert',
  })
  escalateReport(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PublishAlertInput) input: PublishAlertInput,
    @Arg('note', () => String, { nullable: true, description: "Kept in the report's history" }) note: string | null,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return escalateReport(ctx, id, input, note, idempotencyKey);
  }

  @FieldResolver(() => Vessel, { nullable: true, description: 'The known vessel the report was linked to, if any' })
  async vessel(@Root() report: SuspiciousActivityReport, @Ctx() ctx: RequestContext): Promise<Vessel | null> {
    return report.vesselId ? ((await ctx.loaders.get(vesselById).load(report.vesselId)) ?? null) : null;
  }

  @FieldResolver(() => VesselAlert, {
    nullable: true,
    description: 'The alert the report was escalated to, if the caller may see that alert now; seeing the report grants nothing of it',
  })
  async escalatedAlert(@Root() report: SuspiciousActivityReport, @Ctx() ctx: RequestContext): Promise<VesselAlert | null> {
    if (!report.escalatedAlertId) return null;
    const alert = await ctx.loaders.get(alertById).load(report.escalatedAlertId);
    return alert && ctx.access.view('VesselAlert', ctx.access.markReferenced(alert)).visible ? alert : null;
  }

  @FieldResolver(() => [ReportTransition], { description: 'Every status change, oldest first, starting with the submission' })
  history(@Root() report: SuspiciousActivityReport, @Ctx() ctx: RequestContext): Promise<ReportTransition[]> {
    return reportHistory(ctx, report);
  }

  @FieldResolver(() => [SuspiciousActivityReport], {
    description: `Other reports the caller may see of the same vessel and category, observed within ${DUPLICATE_WINDOW_HOURS} hours`,
  })
  possibleDuplicates(@Root() report: SuspiciousActivityReport, @Ctx() ctx: RequestContext): Promise<SuspiciousActivityReport[]> {
    return possibleDuplicates(ctx, report);
  }
}
