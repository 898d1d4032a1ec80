import { Field, InputType } from 'type-graphql';
import { CountryCodeScalar, IMONumberScalar, MMSIScalar } from '../graphql/scalars';

/** Vessels are upserted by IMO from the reference that a write carries. */
@InputType()
export class VesselRefInput {
  @Field(() => IMONumberScalar) imo: string;
  @Field(() => MMSIScalar, { nullable: true }) mmsi?: string | null;
  @Field() name: string;
  @Field(() => CountryCodeScalar, { nullable: true }) flag?: string | null;
  @Field(() => String, { nullable: true }) callSign?: string | null;
  @Field(() => String, { nullable: true }) vesselType?: string | null;
}

@InputType()
export class VesselFilter {
  @Field(() => String, { nullable: true }) nameContains?: string | null;
  @Field(() => CountryCodeScalar, { nullable: true }) flag?: string | null;
}
