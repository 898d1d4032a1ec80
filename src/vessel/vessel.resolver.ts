import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { PageArgsInput } from '../graphql/args';
import { ConnectionType, paginate } from '../graphql/connection';
import { toGlobalId } from '../graphql/ids';
import { IMONumberScalar } from '../graphql/scalars';
import type { RequestContext } from '../request/context';
import { Vessel } from './vessel.entity';
import { VesselFilter } from './vessel.inputs';
import { text } from '../common/validate';

const VesselConnection = ConnectionType(Vessel);

@Resolver(() => Vessel)
export class VesselResolver {
  @Query(() => Vessel, { nullable: true })
  vessel(@Arg('imo', () => IMONumberScalar) imo: string, @Ctx() ctx: RequestContext) {
    return ctx.db.getRepository(Vessel).findOneBy({ imo });
  }

  @Query(() => VesselConnection, { description: 'Vessels of the registry, by name' })
  vessels(
    @Arg('filter', () => VesselFilter, { nullable: true }) filter: VesselFilter | null,
    @Args(() => PageArgsInput) page: PageArgsInput,
    @Ctx() ctx: RequestContext,
  ) {
    const qb = ctx.db.getRepository(Vessel).createQueryBuilder('v');
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
}
