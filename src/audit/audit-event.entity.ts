import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AccessBasisEnum } from '../graphql/enums';
import type { AccessBasis } from '../policy/types';

/** One link of the hash-chained audit trail. Rows are only ever inserted. */
@ObjectType('AuditEvent')
@Entity('audit_events')
export class AuditEvent {
  /** The link's place on the chain; members see it as an opaque token (AuditResolver.sequence). */
  @PrimaryColumn({ type: 'bigint', generated: 'increment' }) sequence: string;
  @Field() @Column({ type: 'timestamptz', precision: 3 }) at: Date;
  /** Who acted (token subject); served by AuditResolver.subject. */
  @Column({ type: 'text' }) subject: string;
  @Column({ type: 'text' }) agency: string;
  @Field() @Column({ type: 'text' }) operation: string;
  @Field(() => [ID]) @Column({ name: 'record_ids', type: 'text', array: true }) recordIds: string[];
  /** Agencies whose data the event touched: their auditors see it. */
  @Column({ name: 'data_owners', type: 'text', array: true }) dataOwners: string[];
  @Field(() => AccessBasisEnum, { nullable: true }) @Column({ type: 'text', nullable: true }) basis: AccessBasis | null;
  @Field(() => String, { nullable: true }) @Column({ name: 'agreement_id', type: 'text', nullable: true }) agreementId: string | null;
  @Field(() => String, { nullable: true }) @Column({ type: 'text', nullable: true }) purpose: string | null;
  @Field(() => String, { nullable: true }) @Column({ name: 'request_id', type: 'text', nullable: true }) requestId: string | null;
  @Column({ name: 'prev_hash', type: 'text' }) prevHash: string;
  /** The link's hash covers an HMAC of the subject under the hub's audit-subject key, not the subject itself. */
  @Column({ name: 'subject_sealed', type: 'boolean', default: false }) subjectSealed: boolean;
  @Field() @Column({ type: 'text' }) hash: string;
}
