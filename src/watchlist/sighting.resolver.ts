import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { agencyByCode } from '../agency/agency.service';
import { AgencyType } from '../agency/agency.type';
import { IDEMPOTENCY_KEY_DESCRIPTION, PageArgsInput } from '../graphql/args';
import { ConnectionType } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import type { RequestContext } from '../request/context';
import { WatchlistEntryVersion } from './entry-history.types';
import { entryHistory } from './entry-history.service';
import { Sighting } from './sighting.entity';
import { SightingFilter, SightingInput } from './sighting.inputs';
import * as sightings from './sighting.service';
import { WatchlistEntry } from './watchlist-entry.entity';

const SightingConnection = ConnectionType(Sighting);

@Resolver(() => Sighting)
export class SightingResolver {
  @Query(() => SightingConnection, {
    description: 'Sightings the caller may see, newest first: those of its own entries and those it reported',
  })
  sightings(
    @Arg('filter', () => SightingFilter, { nullable: true }) filter: SightingFilter | null,
    @Args(() => PageArgsInput) page: PageArgsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return sightings.listSightings(ctx, filter, page);
  }

  @Mutation(() => Sighting, {
    description:
      "Tells the entry's owner what a screening hit turned out to be; needs the analyst role and an entry the caller sees. " +
      'Retrying with the same idempotencyKey returns the first sighting',
  })
  reportSighting(
    @Arg('entryId', () => ID) entryId: string,
    @Arg('input', () => SightingInput) input: SightingInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return sightings.reportSighting(ctx, entryId, input, idempotencyKey);
  }

  @FieldResolver(() => ID)
  id(@Root() s: Sighting): string {
    return toGlobalId('Sighting', s.id);
  }

  @FieldResolver(() => WatchlistEntry, {
    description:
      'The sighted entry as the caller may see it now; for a reporter that no longer sees it, the entry as it stood when ' +
      'the sighting was reported, core fields only (basis REFERENCED)',
  })
  async entry(@Root() s: Sighting, @Ctx() ctx: RequestContext): Promise<WatchlistEntry> {
    const loaders = ctx.loaders.get(sightings.sightingLoaders);
    const entry = await loaders.entry.load(s.entryId);
    // A sighting is the two agencies' feedback, not a shareable record: the entry is decided on its own, now.
    if (ctx.access.view('WatchlistEntry', entry).visible) return entry;
    // Only the reporter gets here (the owner always sees its entry). It saw the entry when it
    // reported (reportSighting requires it): that version, never what the entry has become.
    return ctx.access.markSeenThen(await loaders.asReported.load(s));
  }

  @FieldResolver(() => AgencyType)
  reportedBy(@Root() s: Sighting, @Ctx() ctx: RequestContext): AgencyType {
    return agencyByCode(ctx.policy, s.reportedBy);
  }
}

/** The feedback fields of an entry: sightings (filtered), and for its owner the counts and history. */
@Resolver(() => WatchlistEntry)
export class WatchlistEntryFeedbackResolver {
  @FieldResolver(() => [Sighting], {
    description: 'Sightings of this entry the caller may see: all of them for the owner, its own for anyone else',
  })
  sightings(@Root() entry: WatchlistEntry, @Ctx() ctx: RequestContext): Promise<Sighting[]> {
    return ctx.loaders.get(sightings.sightingLoaders).ofEntry.load(entry.id);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'FALSE_POSITIVE sightings reported on this entry (owner only)' })
  falsePositiveCount(@Root() entry: WatchlistEntry, @Ctx() ctx: RequestContext): Promise<number> {
    return ctx.loaders.get(sightings.sightingLoaders).falsePositives.load(entry.id);
  }

  @FieldResolver(() => [WatchlistEntryVersion], {
    nullable: true,
    description: 'Every version of this entry, oldest first: who changed what, when (owner only)',
  })
  history(@Root() entry: WatchlistEntry, @Ctx() ctx: RequestContext): Promise<WatchlistEntryVersion[]> {
    return entryHistory(ctx, entry.id);
  }
}
