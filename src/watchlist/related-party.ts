import { Field, ObjectType } from 'type-graphql';

/** A company linked to an entry's vessel (owner, manager, operator...), as the entry's source names it. */
@ObjectType({ description: "A company linked to the entry's vessel, as the entry's source names it" })
export class RelatedParty {
  @Field() name: string;
  @Field(() => String, {
    nullable: true,
    description: 'How it is linked (owner, manager, operator...), lower case; null when the source does not say (OFAC "Linked To")',
  })
  relation: string | null;
}

/** Most related parties an entry keeps, and their lengths. */
export const MAX_RELATED_PARTIES = 50;
export const MAX_PARTY_NAME = 200;
