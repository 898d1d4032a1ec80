import { Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { AgencyType } from './agency.type';
import { agencyByCode } from './agency.service';
import { TlpEnum } from '../graphql/enums';
import { CountryCodeScalar } from '../graphql/scalars';
import type { RequestContext } from '../request/context';
import { agreementInForce } from '../policy/agreements';
import type { Tlp } from '../policy/types';

@ObjectType('SharingAgreement', { description: 'A data-sharing agreement from policies/agreements/' })
export class SharingAgreementType {
  @Field(() => ID) id: string;
  @Field(() => AgencyType) provider: AgencyType;
  @Field(() => [AgencyType]) recipients: AgencyType[];
  @Field(() => [String]) types: string[];
  @Field(() => [CountryCodeScalar], { description: "Empty: every jurisdiction of the provider's records" }) jurisdictions: string[];
  @Field(() => TlpEnum) maxTlp: Tlp;
  @Field(() => [String], { description: 'Sensitive fields released on top of core' }) fields: string[];
  @Field(() => [String], { description: 'Purposes of use it grants to; empty: any' }) purposes: string[];
  @Field(() => String, { nullable: true }) purpose: string | null;
  @Field() validFrom: Date;
  @Field(() => Date, { nullable: true }) validUntil: Date | null;
  @Field({ description: 'Within its validity window now' }) active: boolean;
}

@Resolver()
export class AgreementResolver {
  @Query(() => [SharingAgreementType], { description: "Agreements where the caller's agency is provider or recipient" })
  agreements(@Ctx() ctx: RequestContext): SharingAgreementType[] {
    const me = ctx.principal.agency.code;
    return ctx.policy.agreements
      .filter((a) => a.provider === me || a.recipients.includes(me))
      .map((a) => ({
        id: a.id,
        provider: agencyByCode(ctx.policy, a.provider),
        recipients: a.recipients.map((r) => agencyByCode(ctx.policy, r)),
        types: [...a.types],
        jurisdictions: a.jurisdictions,
        maxTlp: a.maxTlp,
        fields: a.fields,
        purposes: [...a.purposes],
        purpose: a.purpose ?? null,
        validFrom: a.validFrom,
        validUntil: a.validUntil ?? null,
        active: agreementInForce(a, ctx.access.now),
      }));
  }
}
