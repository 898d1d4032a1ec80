import { Node } from '../graphql/node';
import { Field, ID, ObjectType } from 'type-graphql';
import { AgencyKindEnum } from '../graphql/enums';
import { CountryCodeScalar, UNLocodeScalar } from '../graphql/scalars';
import { toGlobalId } from '../graphql/ids';
import type { Agency, AgencyKind } from '../policy/types';

/** A participating agency: reference data from policies/agencies.yaml, readable by every member. */
@ObjectType('Agency', { implements: Node })
export class AgencyType {
  @Field(() => ID) id: string;
  @Field() code: string;
  @Field() name: string;
  @Field(() => AgencyKindEnum) kind: AgencyKind;
  @Field(() => CountryCodeScalar) country: string;
  @Field(() => [UNLocodeScalar]) ports: string[];

  static of(agency: Agency): AgencyType {
    return Object.assign(new AgencyType(), { ...agency, id: toGlobalId('Agency', agency.code) });
  }
}
