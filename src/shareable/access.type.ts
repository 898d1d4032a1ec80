import { Field, ObjectType } from 'type-graphql';
import { AccessBasisEnum } from '../graphql/enums';
import type { AccessBasis } from '../policy/types';

/** What the caller sees of a record and why: lets clients show what is withheld. */
@ObjectType('Access')
export class AccessType {
  @Field(() => AccessBasisEnum) basis: AccessBasis;
  @Field(() => String, { nullable: true }) agreementId: string | null;
  @Field(() => [String]) redactedFields: string[];
}
