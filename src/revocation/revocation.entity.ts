/** A revoked token (by its jti) or subject of one agency, as its auditors recorded it. */
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { asEnum } from '../graphql/enums';
import { REVOCATION_KINDS, type RevocationKind } from '../policy/types';

const RevocationKindEnum = asEnum(REVOCATION_KINDS);
registerEnumType(RevocationKindEnum, {
  name: 'RevocationKind',
  valuesConfig: {
    TOKEN: { description: 'One token, by its jti claim' },
    SUBJECT: { description: 'Every token of a subject (the sub claim) of the agency, whichever its jti' },
  },
});

@ObjectType('Revocation', { description: "A token or subject of the caller's agency that the hub refuses" })
@Entity('revocations')
export class Revocation {
  @Field(() => ID) @PrimaryGeneratedColumn('uuid') id: string;
  /** The agency whose token or subject this is: always the revoking auditor's. */
  @Column({ type: 'text' }) agency: string;
  @Field(() => RevocationKindEnum) @Column({ type: 'text' }) kind: RevocationKind;
  @Field({ description: 'The jti (TOKEN) or the subject (SUBJECT)' }) @Column({ type: 'text' }) value: string;
  @Field() @Column({ type: 'text' }) reason: string;
  @Field(() => Date, { nullable: true, description: 'Refused until then; null: for good' })
  @Column({ type: 'timestamptz', nullable: true })
  until: Date | null;
  @Field({ description: 'The auditor who revoked it (subject)' }) @Column({ name: 'revoked_by', type: 'text' }) revokedBy: string;
  @Field({ description: 'When it was revoked (or last revoked again)' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
