import { Arg, Ctx, FieldResolver, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../request/context';
import { AlertFilter } from './alert-filter';
import { AlertEvent } from './alert-event.type';
import { alertFeed } from './alert-feed';
import type { LiveContext } from './live-context';
import { streamPositions } from './stream-position';

@Resolver(() => AlertEvent)
export class AlertSubscriptionResolver {
  @Subscription(() => AlertEvent, {
    description:
      'Live alert events the subscriber may see, narrowed by the filter. `after` (the `sequence` of an event) replays every ' +
      'visible later event before going live, so a client that reconnects misses nothing (at-least-once, in stream order).',
    subscribe: async ({ args, context }) => {
      const ctx = context as LiveContext;
      const after = typeof args.after === 'string' ? (await streamPositions(ctx.db)).decode(args.after, 'after') : undefined;
      return alertFeed(ctx, args.filter, after);
    },
  })
  vesselAlerts(
    @Root() event: AlertEvent,
    @Arg('filter', () => AlertFilter, { nullable: true }) _filter: AlertFilter | null,
    @Arg('after', () => String, { nullable: true }) _after: string | null,
    @Ctx() _ctx: LiveContext,
  ): AlertEvent {
    return event;
  }

  @FieldResolver(() => String, {
    description: 'Position in the stream, an opaque token: resume with `after` to miss nothing, and deduplicate by it',
  })
  async sequence(@Root() event: AlertEvent, @Ctx() ctx: RequestContext): Promise<string> {
    return (await streamPositions(ctx.db)).encode(event.sequence);
  }
}
