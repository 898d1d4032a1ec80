import { Arg, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../request/context';
import { listAgencies } from './agency.service';
import { AgencyType } from './agency.type';

@ObjectType('Principal', { description: 'Who the hub takes the caller to be, from the verified token' })
export class PrincipalType {
  @Field() subject: string;
  @Field(() => AgencyType) agency: AgencyType;
  @Field(() => [String]) roles: string[];
  @Field(() => String, { nullable: true }) purpose: string | null;
}

@Resolver()
export class AgencyResolver {
  @Query(() => PrincipalType)
  me(@Ctx() ctx: RequestContext): PrincipalType {
    const p = ctx.principal;
    return { subject: p.subject, agency: AgencyType.of(p.agency), roles: p.roles, purpose: p.purpose ?? null };
  }

  @Query(() => [AgencyType], { description: 'The participating agencies' })
  agencies(
    @Ctx() ctx: RequestContext,
    @Arg('includeDeparted', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Also list agencies that left but still own records',
    })
    includeDeparted: boolean | null,
  ): AgencyType[] {
    return listAgencies(ctx.policy, includeDeparted === true);
  }
}
