/**
 * Feedback reaches the owner (issue 13, item 6): a partner's sighting or false positive on an
 * entry is pushed to the entry's owner as it is reported, live to its analysts' subscriptions
 * (here) and to its webhooks (src/webhook). Who receives it is the engine's: the capability
 * receiveEntryFeedback (analysts) and the scope receivesEntryFeedback (the entry's owner, not the
 * reporter, never a third agency).
 */
import { Ctx, Resolver, Root, Subscription } from 'type-graphql';
import { receivesEntryFeedback } from '../policy/scopes';
import { authorize } from '../request/authorize';
import type { RequestContext } from '../request/context';
import { defineNoticeFeed, type NoticeReader } from '../request/live-notices';
import { Sighting } from './sighting.entity';

/** The hub's feed of reported sightings (made in src/server/live-feeds.ts). */
export const FEEDBACK_FEED = defineNoticeFeed<Sighting>('entry feedback feed');

/** Sightings reported by transactions in [from, to). */
export const readReportedSightings: NoticeReader<Sighting> = (db, from, to) =>
  db
    .getRepository(Sighting)
    .createQueryBuilder('s')
    .where('s.xid >= CAST(:from AS xid8) AND s.xid < CAST(:to AS xid8)', { from, to })
    .orderBy('s.created_at')
    .addOrderBy('s.id')
    .getMany();

@Resolver(() => Sighting)
export class EntryFeedbackResolver {
  @Subscription(() => Sighting, {
    description:
      "Analysts: each sighting or false positive a partner reports on one of your agency's entries from now on, as it is reported",
    subscribe: async ({ context }) => {
      const ctx = context as RequestContext & { live: { signal: AbortSignal } };
      authorize(ctx, { kind: 'receiveEntryFeedback' });
      const feed = ctx.settings.get(FEEDBACK_FEED);
      if (!feed) throw new Error('live entry feedback needs a running hub');
      const principal = ctx.principal;
      return feed.listen((s) => receivesEntryFeedback(principal, s), ctx.live.signal);
    },
  })
  entryFeedback(@Root() sighting: Sighting, @Ctx() _ctx: RequestContext): Sighting {
    return sighting;
  }
}
