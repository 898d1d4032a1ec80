import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AgencyType } from '../agency/agency.type';
import { AlertFilter } from '../alert/alert-filter';
import { streamPositions } from '../alert/stream-position';
import { agencyByCode } from '../agency/agency.service';
import { IDEMPOTENCY_KEY_DESCRIPTION, PageArgsInput } from '../graphql/args';
import { ConnectionType } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import type { RequestContext } from '../request/context';
import * as webhooks from './webhook.service';
import { RegisterWebhookInput } from './webhook.inputs';
import { testWebhook, WebhookTestResult } from './webhook-test';
import { DeliveryStatusEnum, Webhook, WebhookDelivery, WebhookRegistration, type DeliveryStatus } from './webhook.entity';

const WebhookConnection = ConnectionType(Webhook);
const WebhookDeliveryConnection = ConnectionType(WebhookDelivery);

@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => WebhookConnection, { description: "The caller's agency's webhooks, newest first (analysts)" })
  webhooks(@Args(() => PageArgsInput) page: PageArgsInput, @Ctx() ctx: RequestContext) {
    return webhooks.listWebhooks(ctx, page);
  }

  @Query(() => Webhook, { nullable: true })
  webhook(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return webhooks.findWebhook(ctx, id);
  }

  @Mutation(() => WebhookRegistration, {
    description:
      "Deliver the agency's alert events, narrowed by the filter, to an HTTPS endpoint, signed with a secret returned " +
      'only in this answer (and in a retry with the same idempotencyKey, which returns the first registration). ' +
      'Each event is decided for the agency at delivery time, as for a subscriber.',
  })
  registerWebhook(
    @Arg('input', () => RegisterWebhookInput) input: RegisterWebhookInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return webhooks.registerWebhook(ctx, input, idempotencyKey);
  }

  @Mutation(() => Webhook, { description: 'Stops deliveries for good; undelivered ones become GAVE_UP. History is kept.' })
  deleteWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return webhooks.deleteWebhook(ctx, id);
  }

  @Mutation(() => WebhookRegistration, {
    description: 'A new signing secret; the previous one also signs deliveries for keepPreviousForSeconds (default 86400)',
  })
  rotateWebhookSecret(
    @Arg('id', () => ID) id: string,
    @Arg('keepPreviousForSeconds', () => Int, { nullable: true }) keep: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return webhooks.rotateWebhookSecret(ctx, id, keep);
  }

  @Mutation(() => WebhookTestResult, {
    description:
      "Sends one signed test delivery to the webhook's URL now (header Portcullis-Test: true, no alert, not queued, not retried) " +
      'and answers how the receiver replied',
  })
  testWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return testWebhook(ctx, id);
  }

  @FieldResolver(() => ID)
  id(@Root() w: Webhook): string {
    return toGlobalId('Webhook', w.id);
  }

  @FieldResolver(() => AgencyType)
  agency(@Root() w: Webhook, @Ctx() ctx: RequestContext): AgencyType {
    return agencyByCode(ctx.policy, w.agency);
  }

  @FieldResolver(() => String, {
    description: 'The alert stream position this webhook has been given events up to: an opaque token, like an event sequence',
  })
  async position(@Root() w: Webhook, @Ctx() ctx: RequestContext): Promise<string> {
    return (await streamPositions(ctx.db)).encode(w.position);
  }

  @FieldResolver(() => AlertFilter)
  filter(@Root() w: Webhook): AlertFilter {
    return w.filter ?? {};
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'Deliveries, newest first' })
  deliveries(
    @Root() w: Webhook,
    @Args(() => PageArgsInput) page: PageArgsInput,
    @Arg('status', () => [DeliveryStatusEnum], { nullable: true }) status: DeliveryStatus[] | null,
    @Ctx() ctx: RequestContext,
  ) {
    return webhooks.listDeliveries(ctx, w, page, status);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => ID, { nullable: true, description: 'The alert the event is about; null for ENTRY_FEEDBACK' })
  alertId(@Root() d: WebhookDelivery): string | null {
    return d.alertId === null ? null : toGlobalId('VesselAlert', d.alertId);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'ENTRY_FEEDBACK: the sighting reported' })
  sightingId(@Root() d: WebhookDelivery): string | null {
    return d.sightingId === null ? null : toGlobalId('Sighting', d.sightingId);
  }

  @FieldResolver(() => String, { description: "The event's sequence in the alert stream, an opaque token (Portcullis-Event-Sequence)" })
  async sequence(@Root() d: WebhookDelivery, @Ctx() ctx: RequestContext): Promise<string> {
    return (await streamPositions(ctx.db)).encode(d.sequence);
  }
}
