import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { IDEMPOTENCY_KEY_DESCRIPTION, PageArgsInput } from '../graphql/args';
import { ConnectionType } from '../graphql/connection';
import { ShareableResolver } from '../shareable/shareable.resolver';
import type { RequestContext } from '../request/context';
import { Vessel } from '../vessel/vessel.entity';
import { vesselById } from '../vessel/vessel.service';
import { CreateWatchlistInput, AddWatchlistEntryInput, UpdateWatchlistEntryInput, WatchlistEntryFilter } from './watchlist.inputs';
import { Watchlist } from './watchlist.entity';
import { WatchlistEntry } from './watchlist-entry.entity';
import * as watchlists from './watchlist.service';

const WatchlistConnection = ConnectionType(Watchlist);
const WatchlistEntryConnection = ConnectionType(WatchlistEntry);

@Resolver(() => Watchlist)
export class WatchlistResolver extends ShareableResolver(Watchlist, 'Watchlist') {
  @Query(() => WatchlistConnection, { description: 'Watchlists the caller may see' })
  watchlists(@Args(() => PageArgsInput) page: PageArgsInput, @Ctx() ctx: RequestContext) {
    return watchlists.listWatchlists(ctx, page);
  }

  @Query(() => Watchlist, { nullable: true })
  watchlist(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return watchlists.findWatchlist(ctx, id);
  }

  @Mutation(() => Watchlist, { description: 'Create a watchlist; retrying with the same idempotencyKey returns the first list' })
  createWatchlist(
    @Arg('input', () => CreateWatchlistInput) input: CreateWatchlistInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return watchlists.createWatchlist(ctx, input, idempotencyKey);
  }

  @FieldResolver(() => WatchlistEntryConnection, { description: 'Entries of this list the caller may see' })
  entries(@Root() list: Watchlist, @Args(() => PageArgsInput) page: PageArgsInput, @Ctx() ctx: RequestContext) {
    return watchlists.listEntries(ctx, null, page, list.id);
  }
}

@Resolver(() => WatchlistEntry)
export class WatchlistEntryResolver extends ShareableResolver(WatchlistEntry, 'WatchlistEntry') {
  @Query(() => WatchlistEntryConnection)
  watchlistEntries(
    @Arg('filter', () => WatchlistEntryFilter, { nullable: true }) filter: WatchlistEntryFilter | null,
    @Args(() => PageArgsInput) page: PageArgsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return watchlists.listEntries(ctx, filter, page);
  }

  @Mutation(() => WatchlistEntry, { description: 'Add an entry; retrying with the same idempotencyKey returns the first entry' })
  addWatchlistEntry(
    @Arg('input', () => AddWatchlistEntryInput) input: AddWatchlistEntryInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return watchlists.addEntry(ctx, input, idempotencyKey);
  }

  @Mutation(() => WatchlistEntry)
  updateWatchlistEntry(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWatchlistEntryInput) input: UpdateWatchlistEntryInput,
    @Ctx() ctx: RequestContext,
  ) {
    return watchlists.updateEntry(ctx, id, input);
  }

  @Mutation(() => WatchlistEntry, { description: "Ends the entry's validity now; its history is kept" })
  removeWatchlistEntry(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return watchlists.removeEntry(ctx, id);
  }

  @FieldResolver(() => Watchlist)
  async watchlist(@Root() entry: WatchlistEntry, @Ctx() ctx: RequestContext): Promise<Watchlist> {
    const list = await ctx.loaders.get(watchlists.watchlistById).load(entry.watchlistId);
    return ctx.access.markReferenced(list!);
  }

  @FieldResolver(() => Vessel)
  async vessel(@Root() entry: WatchlistEntry, @Ctx() ctx: RequestContext): Promise<Vessel> {
    return (await ctx.loaders.get(vesselById).load(entry.vesselId))!;
  }
}

/** Vessel.watchlistEntries: the vessel module knows nothing of watchlists; this module adds the field. */
@Resolver(() => Vessel)
export class VesselEntriesResolver {
  @FieldResolver(() => [WatchlistEntry], { description: 'Entries in force now that the caller may see' })
  watchlistEntries(@Root() vessel: Vessel, @Ctx() ctx: RequestContext): Promise<WatchlistEntry[]> {
    return ctx.loaders.get(watchlists.entriesInForceByVessel).load(vessel.id);
  }
}
