import { MAX_PAGE_SIZE } from '../graphql/connection';
import type { FeatureModule } from '../request/module';
import { isAuthenticated } from '../request/rules';
import { VesselLastPositionResolver, VesselPositionResolver } from './ais.resolver';

/**
 * The AIS positions the hub keeps, as VesselPosition records (their fields are ruled by the
 * policy, src/api/permissions.ts). The feeds and rules run in AisService, started by the server.
 */
export const aisModule: FeatureModule = {
  name: 'ais',
  resolvers: [VesselPositionResolver, VesselLastPositionResolver],
  rules: {
    // Filtered by the engine's row filter, like every list.
    Query: { vesselTrack: isAuthenticated },
    Vessel: { lastPosition: isAuthenticated },
  },
  costs: {
    // Priced as the largest page of a list: a track is one bounded query (MAX_TRACK_POSITIONS).
    Query: { vesselTrack: ({ childCost }) => 1 + MAX_PAGE_SIZE * childCost },
  },
};
