import { Field, Float, ObjectType } from 'type-graphql';
import { MMSIScalar } from '../graphql/scalars';
import { ShareableEntity } from '../shareable/shareable.entity';

/**
 * An AIS position a feed reported: a shareable record owned by the agency that operates the feed,
 * at the feed's TLP, in that agency's country (policies/ais.yaml), read under the policy engine
 * like any other. Not an entity: its rows are ais_vessels' latest fixes and ais_positions.
 */
@ObjectType('VesselPosition', { description: "A position an AIS feed reported, readable under the feed's owner and TLP" })
export class VesselPosition extends ShareableEntity {
  /** MMSI, time and feed: what the audit trail names a read position by. */
  id: string;
  @Field(() => MMSIScalar) mmsi: string;
  @Field({ description: 'When the position was received (the tag-block time where the feed sends one)' }) at: Date;
  @Field(() => Float) lat: number;
  @Field(() => Float) lon: number;
  @Field(() => Float, { nullable: true, description: 'Speed over ground, knots' }) sog: number | null;
  @Field(() => Float, { nullable: true, description: 'Course over ground, degrees' }) cog: number | null;
  @Field({ description: 'The id of the feed (policies/ais.yaml) that reported it' }) feed: string;
}
