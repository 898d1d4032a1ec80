import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AlertStatusEnum, type AlertStatus } from '../graphql/enums';
import { IDEMPOTENCY_KEY_DESCRIPTION, PageArgsInput } from '../graphql/args';
import { ConnectionType } from '../graphql/connection';
import { ShareableResolver } from '../shareable/shareable.resolver';
import type { RequestContext } from '../request/context';
import { Vessel } from '../vessel/vessel.entity';
import { vesselById } from '../vessel/vessel.service';
import { AlertFilter } from './alert-filter';
import { alertHistory } from './alert-history';
import { AlertTransition } from './alert-transition.type';
import { PublishAlertInput } from './alert.inputs';
import * as alerts from './alert.service';
import { streamPositions } from './stream-position';
import { VesselAlert } from './vessel-alert.entity';

const VesselAlertConnection = ConnectionType(VesselAlert);

@Resolver(() => VesselAlert)
export class VesselAlertResolver extends ShareableResolver(VesselAlert, 'VesselAlert') {
  @Query(() => VesselAlertConnection, { description: 'Alerts the caller may see, newest first' })
  alerts(
    @Arg('filter', () => AlertFilter, { nullable: true }) filter: AlertFilter | null,
    @Args(() => PageArgsInput) page: PageArgsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return alerts.listAlerts(ctx, filter, page);
  }

  @Query(() => VesselAlert, { nullable: true })
  alert(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return alerts.findAlert(ctx, id);
  }

  @Mutation(() => VesselAlert, { description: 'Publish an alert; retrying with the same idempotencyKey returns the first alert' })
  publishAlert(
    @Arg('input', () => PublishAlertInput) input: PublishAlertInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return alerts.publishAlert(ctx, input, idempotencyKey);
  }

  @Mutation(() => VesselAlert)
  updateAlertStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => AlertStatusEnum) status: AlertStatus,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return alerts.updateAlertStatus(ctx, id, status, note);
  }

  @FieldResolver(() => String, {
    description: "The alert stream's position of the alert's latest event: an opaque token, to compare for equality only",
  })
  async sequence(@Root() alert: VesselAlert, @Ctx() ctx: RequestContext): Promise<string> {
    return (await streamPositions(ctx.db)).encode(alert.sequence);
  }

  @FieldResolver(() => Vessel)
  async vessel(@Root() alert: VesselAlert, @Ctx() ctx: RequestContext): Promise<Vessel> {
    return (await ctx.loaders.get(vesselById).load(alert.vesselId))!;
  }

  @FieldResolver(() => [AlertTransition], { description: 'Every status change, oldest first, starting with the publication' })
  history(@Root() alert: VesselAlert, @Ctx() ctx: RequestContext): Promise<AlertTransition[]> {
    return alertHistory(ctx, alert);
  }
}

/** Vessel.alerts: the vessel module knows nothing of alerts; this module adds the field. */
@Resolver(() => Vessel)
export class VesselAlertsResolver {
  @FieldResolver(() => VesselAlertConnection, { description: 'Alerts about this vessel the caller may see' })
  alerts(@Root() vessel: Vessel, @Args(() => PageArgsInput) page: PageArgsInput, @Ctx() ctx: RequestContext) {
    return alerts.listAlerts(ctx, null, page, vessel.id);
  }
}
