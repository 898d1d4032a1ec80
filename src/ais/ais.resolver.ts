import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { IMONumberScalar, MMSIScalar } from '../graphql/scalars';
import type { RequestContext } from '../request/context';
import { ShareableResolver } from '../shareable/shareable.resolver';
import { Vessel } from '../vessel/vessel.entity';
import { VesselPosition } from './position.type';
import { lastPositionByVessel, MAX_TRACK_DAYS, MAX_TRACK_POSITIONS, vesselTrack } from './track.service';

@Resolver(() => VesselPosition)
export class VesselPositionResolver extends ShareableResolver(VesselPosition, 'VesselPosition') {
  @Query(() => [VesselPosition], {
    description:
      `The positions kept of a vessel (listed vessels and alert evidence, AIS_RETENTION_DAYS) from \`from\` up to \`to\`, ` +
      `oldest first, that the caller may see: give imo or mmsi. At most ${MAX_TRACK_DAYS} days and ${MAX_TRACK_POSITIONS} positions.`,
  })
  vesselTrack(
    @Arg('imo', () => IMONumberScalar, { nullable: true }) imo: string | null,
    @Arg('mmsi', () => MMSIScalar, { nullable: true }) mmsi: string | null,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() ctx: RequestContext,
  ): Promise<VesselPosition[]> {
    return vesselTrack(ctx, { imo, mmsi, from, to });
  }
}

/** Vessel.lastPosition: the vessel module knows nothing of AIS; this module adds the field. */
@Resolver(() => Vessel)
export class VesselLastPositionResolver {
  @FieldResolver(() => VesselPosition, { nullable: true, description: 'The latest AIS position of the vessel the caller may see' })
  lastPosition(@Root() vessel: Vessel, @Ctx() ctx: RequestContext): Promise<VesselPosition | null> {
    return ctx.loaders.get(lastPositionByVessel).load(vessel);
  }
}
