import { Arg, Ctx, Float, Int, Query, Resolver } from 'type-graphql';
import { CountryCodeScalar, IMONumberScalar, MMSIScalar } from '../graphql/scalars';
import type { RequestContext } from '../request/context';
import { DEFAULT_MAX_HITS, DEFAULT_MIN_SIMILARITY, MAX_BATCH, MAX_HITS, screen } from './screening.service';
import { ScreeningResult, VesselQueryInput } from './screening.types';

const MAX_HITS_DOC = `Most hits returned, 1 to ${MAX_HITS} (default ${DEFAULT_MAX_HITS}); totalHits counts them all`;
const MIN_SIM_DOC = `Least name similarity of a name match (name-v2: the explanation's similarity), 0.3 to 1 (default ${DEFAULT_MIN_SIMILARITY})`;

@Resolver()
export class ScreeningResolver {
  @Query(() => ScreeningResult, {
    description: 'Is this vessel on any watchlist the caller may see? Exact IMO and MMSI, fuzzy current and former names',
  })
  async screenVessel(
    @Arg('imo', () => IMONumberScalar, { nullable: true }) imo: string | null,
    @Arg('mmsi', () => MMSIScalar, { nullable: true }) mmsi: string | null,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Arg('flag', () => CountryCodeScalar, { nullable: true }) flag: string | null,
    @Arg('maxHits', () => Int, { nullable: true, description: MAX_HITS_DOC }) maxHits: number | null,
    @Arg('minSimilarity', () => Float, { nullable: true, description: MIN_SIM_DOC }) minSimilarity: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ScreeningResult> {
    const [result] = await screen(ctx, [{ imo, mmsi, name, flag }], { maxHits, minSimilarity }, 'screenVessel');
    return result;
  }

  @Query(() => [ScreeningResult], {
    description: `Screens up to ${MAX_BATCH} vessels (an arrival list) in one database round; results in the order given`,
  })
  screenVessels(
    @Arg('vessels', () => [VesselQueryInput]) vessels: VesselQueryInput[],
    @Arg('maxHits', () => Int, { nullable: true, description: MAX_HITS_DOC }) maxHits: number | null,
    @Arg('minSimilarity', () => Float, { nullable: true, description: MIN_SIM_DOC }) minSimilarity: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ScreeningResult[]> {
    return screen(ctx, vessels, { maxHits, minSimilarity }, 'vessels');
  }
}
