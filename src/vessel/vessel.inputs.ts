import { Field, InputType } from 'type-graphql';
import { CountryCodeScalar, IMONumberScalar, MMSIScalar } from '../graphql/scalars';

/** The vessel a record is about, as its author gives it: kept on the record, never written to the registry. */
@InputType({
  description: "The vessel as the record's author gives it: kept on the record (vesselAsGiven); the registry's vessel is found by IMO",
})
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
