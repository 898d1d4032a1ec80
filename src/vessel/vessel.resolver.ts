import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { PageArgsInput } from '../graphql/args';
import { ConnectionType, paginate } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { IMONumberScalar } from '../graphql/scalars';
import type { RequestContext } from '../request/context';
import { REGISTRY_FIELDS, Vessel, VesselValueOrigin } from './vessel.entity';
import { VesselFilter } from './vessel.inputs';
import { shownVessel } from './vessel.service';
import { text } from '../common/validate';

const VesselConnection = ConnectionType(Vessel);

@Resolver(() => Vessel)
export class VesselResolver {
  @Query(() => Vessel, { nullable: true })
  async vessel(@Arg('imo', () => IMONumberScalar) imo: string, @Ctx() ctx: RequestContext) {
    return shownVessel(ctx, await ctx.db.getRepository(Vessel).findOneBy({ imo }));
  }

  @Query(() => VesselConnection, { description: 'Vessels a registry authority has named, by name' })
  vessels(
    @Arg('filter', () => VesselFilter, { nullable: true }) filter: VesselFilter | null,
    @Args(() => PageArgsInput) page: PageArgsInput,
    @Ctx() ctx: RequestContext,
  ) {
    // A vessel that records name but no authority has recorded is not in the registry's list.
    const qb = ctx.db.getRepository(Vessel).createQueryBuilder('v').where('v.name IS NOT NULL');
    const nameContains = text(filter?.nameContains, 'filter.nameContains', 200);
    if (nameContains) {
      // Escape LIKE wildcards: the filter is a substring, not a pattern.
      qb.andWhere("v.name ILIKE :pat ESCAPE '\\'", { pat: `%${nameContains.replace(/[\\%_]/g, '\\$&')}%` });
    }
    if (filter?.flag) qb.andWhere('v.flag = :flag', { flag: filter.flag });
    return paginate(qb, 'v', { column: 'v.name', property: 'name', kind: 'text' }, 'ASC', page);
  }

  @FieldResolver(() => ID)
  id(@Root() vessel: Vessel): string {
    return toGlobalId('Vessel', vessel.id);
  }

  @FieldResolver(() => [VesselValueOrigin], { description: 'Where each value of this vessel came from, in field order' })
  provenance(@Root() vessel: Vessel): VesselValueOrigin[] {
    return REGISTRY_FIELDS.flatMap((field) => {
      const o = vessel.provenance?.[field];
      return o ? [{ field, agencyCode: o.agency, source: o.source, recordedAt: new Date(o.recordedAt) }] : [];
    });
  }
}
