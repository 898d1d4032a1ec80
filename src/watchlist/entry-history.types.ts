import { Field, Int, ObjectType } from 'type-graphql';
import { AgencyType } from '../agency/agency.type';

@ObjectType({ description: 'One field that a version changed' })
export class FieldChange {
  @Field() field: string;
  @Field(() => String, { nullable: true }) from: string | null;
  @Field(() => String, { nullable: true }) to: string | null;
}

@ObjectType({ description: 'One version of a watchlist entry: who changed what, when' })
export class WatchlistEntryVersion {
  @Field(() => Int) version: number;
  @Field({ description: 'CREATE, UPDATE, REMOVE, IMPORT_CREATE, IMPORT_UPDATE or IMPORT_END (a replace ended it)' }) operation: string;
  @Field() changedAt: Date;
  @Field({ description: 'The subject (person or system) of the token that made the change' }) changedBy: string;
  @Field(() => AgencyType, { nullable: true, description: 'null only if the agency has since left the membership' })
  changedByAgency: AgencyType | null;
  @Field(() => [FieldChange], { description: 'Fields that differ from the previous version (all of them for the first)' })
  changes: FieldChange[];
}
