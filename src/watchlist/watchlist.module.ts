import { canReadSighting, type SightingParties } from '../policy/scopes';
import { EntryFeedbackResolver } from './entry-feedback';
import type { FeatureModule } from '../request/module';
import { canPublish, capability, denied, every, isAuthenticated } from '../request/rules';
import { rule } from 'graphql-shield';
import type { RequestContext } from '../request/context';
import { Sighting } from './sighting.entity';
import { SightingResolver, WatchlistEntryFeedbackResolver } from './sighting.resolver';
import { findSighting } from './sighting.service';
import { Watchlist } from './watchlist.entity';
import { WatchlistEntry } from './watchlist-entry.entity';
import { VesselEntriesResolver, WatchlistEntryResolver, WatchlistResolver } from './watchlist.resolver';
import { findEntryOrNull, findWatchlist, visibleEntries } from './watchlist.service';
import { vesselsReferencedBy } from '../request/authorize';

/**
 * Every field of a Sighting: only for the two parties, the entry's owner and the reporter (the
 * engine's canReadSighting). Every path that yields sightings already filters them in SQL; this
 * keeps a sighting that reached a response some other way from leaking.
 */
const sightingField = rule({ cache: 'strict' })(
  (parent: SightingParties, _a, ctx: RequestContext) =>
    canReadSighting(ctx.principal, parent) || denied('RECORD', 'Sighting is not visible to ' + ctx.principal.agency.code),
);

/** Watchlists, their entries, and the sightings partners report on them. */
export const watchlistModule: FeatureModule = {
  name: 'watchlist',
  resolvers: [
    WatchlistResolver,
    WatchlistEntryResolver,
    VesselEntriesResolver,
    SightingResolver,
    WatchlistEntryFeedbackResolver,
    EntryFeedbackResolver,
  ],
  entities: [Watchlist, WatchlistEntry, Sighting],
  nodes: {
    Watchlist: (ctx, id) => findWatchlist(ctx, id),
    WatchlistEntry: (ctx, id) => findEntryOrNull(ctx, id),
    Sighting: (ctx, id) => findSighting(ctx, id),
  },
  rules: {
    Query: every(['watchlists', 'watchlist', 'watchlistEntries', 'sightings'], isAuthenticated),
    Mutation: {
      ...every(['createWatchlist', 'addWatchlistEntry', 'updateWatchlistEntry', 'removeWatchlistEntry'], canPublish),
      // The engine's reportSighting (analyst role) and the entry's visibility are checked by the service.
      reportSighting: isAuthenticated,
    },
    // Each sighting is checked against the subscriber by the engine's scope in the feed.
    Subscription: { entryFeedback: capability(() => ({ kind: 'receiveEntryFeedback' })) },
    // A filtered list, like every list of entries.
    Vessel: { watchlistEntries: isAuthenticated },
    Sighting: every(['id', 'entry', 'reportedBy', 'port', 'observedAt', 'outcome', 'note', 'createdAt'], sightingField),
    // Reached only through WatchlistEntry.history, an owner-class field.
    WatchlistEntryVersion: every(['version', 'operation', 'changedAt', 'changedBy', 'changedByAgency', 'changes'], isAuthenticated),
    FieldChange: every(['field', 'from', 'to'], isAuthenticated),
    // Reached only through WatchlistEntry.relatedParties, a sensitive field, or a screenParty hit the field verdict allowed.
    RelatedParty: every(['name', 'relation'], isAuthenticated),
  },
  connections: ['Watchlist', 'WatchlistEntry', 'Sighting'],
  agencyColumns: [
    { table: 'watchlists', column: 'owner_agency', record: 'Watchlist', id: 'id' },
    { table: 'watchlist_entries', column: 'owner_agency', record: 'WatchlistEntry', id: 'id' },
    { table: 'sightings', column: 'reported_by', record: 'Sighting', id: 'id' },
  ],
  vesselMentions: (ctx, vesselIds) => vesselsReferencedBy(visibleEntries(ctx), 'e', vesselIds),
};
