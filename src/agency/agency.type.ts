import { Node } from '../graphql/node';
import { Field, ID, ObjectType } from 'type-graphql';
import { AgencyKindEnum } from '../graphql/enums';
import { CountryCodeScalar, UNLocodeScalar } from '../graphql/scalars';
import { toGlobalId } from '../graphql/ids';
import type { Agency, AgencyKind, DepartedAgency } from '../policy/types';

/**
 * A participating agency, or one that departed while it owned records: reference data from
 * policies/agencies.yaml, readable by every member.
 */
@ObjectType('Agency', { implements: Node })
export class AgencyType {
  @Field(() => ID) id: string;
  @Field() code: string;
  @Field() name: string;
  @Field(() => AgencyKindEnum) kind: AgencyKind;
  @Field(() => CountryCodeScalar) country: string;
  @Field(() => [UNLocodeScalar]) ports: string[];
  @Field(() => String, {
    nullable: true,
    description: 'The day (YYYY-MM-DD) the agency left the membership; null for a member. Its records stay under the same rules.',
  })
  departedOn: string | null;

  static of(agency: Agency | DepartedAgency): AgencyType {
    const departedOn = 'departedOn' in agency ? agency.departedOn : null;
    return Object.assign(new AgencyType(), { ...agency, departedOn, id: toGlobalId('Agency', agency.code) });
  }
}
