import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { VesselAlert } from '../alert/vessel-alert.entity';
import { PageArgsInput } from '../graphql/args';
import { ConnectionType } from '../graphql/connection';
import { ShareableResolver } from '../policy/shareable.resolver';
import type { RequestContext } from '../server/context';
import { Vessel } from '../vessel/vessel.entity';
import { ReportFilter, SubmitReportInput } from './report.inputs';
import { SuspiciousActivityReport } from './report.entity';
import * as reports from './report.service';

export const SuspiciousActivityReportConnection = ConnectionType(SuspiciousActivityReport);

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

  @Mutation(() => SuspiciousActivityReport, {
    description: 'Submit a report; retrying with the same idempotencyKey returns the first report',
  })
  submitSuspiciousActivityReport(
    @Arg('input', () => SubmitReportInput) input: SubmitReportInput,
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return reports.submitReport(ctx, input, idempotencyKey);
  }

  @FieldResolver(() => Vessel, { nullable: true, description: 'The known vessel the report was linked to, if any' })
  async vessel(@Root() report: SuspiciousActivityReport, @Ctx() ctx: RequestContext): Promise<Vessel | null> {
    return report.vesselId ? ((await ctx.loaders.vessel.load(report.vesselId)) ?? null) : null;
  }

  @FieldResolver(() => VesselAlert, { nullable: true })
  async escalatedAlert(@Root() report: SuspiciousActivityReport, @Ctx() ctx: RequestContext): Promise<VesselAlert | null> {
    if (!report.escalatedAlertId) return null;
    const alert = await ctx.loaders.referencedAlert.load(report.escalatedAlertId);
    return alert ? ctx.access.markReferenced(alert) : null;
  }
}
