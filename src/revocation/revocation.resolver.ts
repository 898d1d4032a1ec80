import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { PageArgsInput } from '../graphql/args';
import { ConnectionType } from '../graphql/connection';
import type { RequestContext } from '../request/context';
import { Revocation } from './revocation.entity';
import * as revocations from './revocation.service';

const RevocationConnection = ConnectionType(Revocation);

const APPLIES =
  'Refused on every request within seconds on every instance; live subscriptions carrying it are closed with 4403. ' +
  "Auditors, for their own agency's tokens only. Revoking again replaces the reason and the end.";

@Resolver(() => Revocation)
export class RevocationResolver {
  @Query(() => RevocationConnection, { description: "Auditors: the agency's revoked tokens and subjects, newest first" })
  revocations(
    @Args(() => PageArgsInput) page: PageArgsInput,
    @Arg('includeExpired', () => Boolean, { defaultValue: false, description: 'Also those whose end has passed' }) includeExpired: boolean,
    @Ctx() ctx: RequestContext,
  ) {
    return revocations.listRevocations(ctx, page, includeExpired);
  }

  @Mutation(() => Revocation, { description: `Revoke one token of the agency by its jti claim. ${APPLIES}` })
  revokeToken(
    @Arg('jti', () => String) jti: string,
    @Arg('reason', () => String) reason: string,
    @Arg('until', () => Date, { nullable: true, description: 'Refuse it until then; left out: for good' }) until: Date | null,
    @Ctx() ctx: RequestContext,
  ) {
    return revocations.revoke(ctx, 'TOKEN', jti, reason, until);
  }

  @Mutation(() => Revocation, { description: `Revoke every token of a subject (sub claim) of the agency. ${APPLIES}` })
  revokeSubject(
    @Arg('subject', () => String) subject: string,
    @Arg('reason', () => String) reason: string,
    @Arg('until', () => Date, { nullable: true, description: 'Refuse it until then; left out: for good' }) until: Date | null,
    @Ctx() ctx: RequestContext,
  ) {
    return revocations.revoke(ctx, 'SUBJECT', subject, reason, until);
  }
}
