import { Field, ObjectType } from 'type-graphql';
import { Column } from 'typeorm';
import { TlpEnum } from '../graphql/enums';
import { CountryCodeScalar } from '../graphql/scalars';
import type { ShareableRecord, Tlp } from '../policy/types';

/**
 * The access attributes every shareable record carries, under the column names the policy
 * engine's SQL row filter uses. `ownerAgency` is exposed as an Agency by each type's resolver.
 */
@ObjectType()
export abstract class ShareableEntity implements ShareableRecord {
  abstract id: string;
  @Column({ name: 'owner_agency', type: 'text' }) ownerAgency: string;
  @Field(() => TlpEnum) @Column({ type: 'enum', enumName: 'tlp', enum: ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] }) tlp: Tlp;
  @Field(() => CountryCodeScalar) @Column({ type: 'char', length: 2 }) jurisdiction: string;
  @Field(() => [String]) @Column({ type: 'text', array: true, default: () => "'{}'" }) recipients: string[];
}
