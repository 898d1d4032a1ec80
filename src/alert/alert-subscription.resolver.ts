import { Arg, Ctx, Resolver, Root, Subscription } from 'type-graphql';
import { AlertFilter } from './alert-filter';
import { AlertEvent } from './alert-event.type';
import { alertFeed, parseSequence } from './alert-feed';
import type { LiveContext } from './live-context';

@Resolver(() => AlertEvent)
export class AlertSubscriptionResolver {
  @Subscription(() => AlertEvent, {
    description:
      'Live alert events the subscriber may see, narrowed by the filter. `after` replays every visible event with a ' +
      'later sequence before going live, so a client that reconnects misses nothing (at-least-once, in sequence order).',
    subscribe: ({ args, context }) => alertFeed(context as LiveContext, args.filter, parseSequence(args.after)),
  })
  vesselAlerts(
    @Root() event: AlertEvent,
    @Arg('filter', () => AlertFilter, { nullable: true }) _filter: AlertFilter | null,
    @Arg('after', () => String, { nullable: true }) _after: string | null,
    @Ctx() _ctx: LiveContext,
  ): AlertEvent {
    return event;
  }
}
