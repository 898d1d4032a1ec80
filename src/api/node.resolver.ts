import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { AgencyType } from '../agency/agency.type';
import { findAlert } from '../alert/alert.service';
import { findReport } from '../report/report.service';
import type { RequestContext } from '../request/context';
import { Vessel } from '../vessel/vessel.entity';
import { findEntryOrNull, findWatchlist } from '../watchlist/watchlist.service';
import { findSighting } from '../watchlist/sighting.service';
import { Node } from '../graphql/node';
import { parseGlobalId, UUID } from '../graphql/ids';

/** `node(id)` routes by the id's type to the same filtered lookups the typed queries use. */
const LOOKUPS: Record<string, (ctx: RequestContext, id: string, key: string) => Promise<object | null>> = {
  Watchlist: (ctx, id) => findWatchlist(ctx, id),
  WatchlistEntry: (ctx, id) => findEntryOrNull(ctx, id),
  VesselAlert: (ctx, id) => findAlert(ctx, id),
  SuspiciousActivityReport: (ctx, id) => findReport(ctx, id),
  Sighting: (ctx, id) => findSighting(ctx, id),
  Vessel: async (ctx, _id, key) => (UUID.test(key) ? ctx.db.getRepository(Vessel).findOneBy({ id: key }) : null),
  Agency: async (ctx, _id, key) => {
    const agency = ctx.policy.agencies.get(key);
    return agency ? AgencyType.of(agency) : null;
  },
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when missing or not visible' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<object | null> {
    const parsed = parseGlobalId(id);
    const lookup = parsed && Object.hasOwn(LOOKUPS, parsed.type) ? LOOKUPS[parsed.type] : undefined;
    if (!parsed || !lookup) return null;
    if (parsed.type !== 'Agency' && !UUID.test(parsed.key)) return null;
    return lookup(ctx, id, parsed.key);
  }
}
