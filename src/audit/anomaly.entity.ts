import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { asEnum } from '../graphql/enums';

const ANOMALY_KINDS = ['READ_VOLUME', 'PARTNER_SPREAD'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];
export const AnomalyKindEnum = asEnum(ANOMALY_KINDS);
registerEnumType(AnomalyKindEnum, {
  name: 'AuditAnomalyKind',
  valuesConfig: {
    READ_VOLUME: {
      description:
        "A subject read at least minReads of the agency's records in a window, and more than baselineMultiple times its own mean",
    },
    PARTNER_SPREAD: {
      description: 'A subject read records of at least minPartners agencies other than its own (this one among them) in a window',
    },
  },
});

/**
 * A subject's reads of one agency's data beyond that agency's thresholds (policies/anomalies.yaml),
 * raised once per subject, owner, kind and window by src/audit/anomaly-watch.ts. The owner's
 * auditors see it (the engine's canReadAuditAnomaly); raising it is itself on the audit trail.
 */
@ObjectType('AuditAnomaly', { description: "Reads of the agency's data that went beyond its insider-threat thresholds" })
@Entity('audit_anomalies')
export class AuditAnomaly {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Field(() => AnomalyKindEnum) @Column({ type: 'text' }) kind: AnomalyKind;
  /** The agency whose data was read: its auditors see the anomaly. */
  @Column({ name: 'owner_agency', type: 'text' }) ownerAgency: string;
  /** The agency of the subject that read (served as an Agency). */
  @Column({ type: 'text' }) agency: string;
  @Field({ description: 'Who read (token subject)' }) @Column({ type: 'text' }) subject: string;
  @Field() @Column({ name: 'window_start', type: 'timestamptz', precision: 3 }) windowStart: Date;
  @Field({ description: 'The window ends here (exclusive); it may still be running when the anomaly is raised' })
  @Column({ name: 'window_end', type: 'timestamptz', precision: 3 })
  windowEnd: Date;
  @Field(() => Int, { description: 'Records of the agency read in the window when the anomaly was raised (ids counted per read)' })
  @Column({ type: 'int' })
  reads: number;
  @Field(() => Float, {
    nullable: true,
    description: "READ_VOLUME: the subject's mean reads per window of this length over the 30 days before it",
  })
  @Column({ type: 'double precision', nullable: true })
  baseline: number | null;
  @Field(() => Int, {
    nullable: true,
    description: 'PARTNER_SPREAD: agencies other than its own whose records the subject read in the window',
  })
  @Column({ type: 'int', nullable: true })
  partners: number | null;
  @Field({ description: 'The threshold that was crossed, in words' }) @Column({ type: 'text' }) threshold: string;
  @Field() @Column({ name: 'raised_at', type: 'timestamptz', precision: 3 }) raisedAt: Date;

  /** What live delivery shares a result by (src/alert/shared-delivery.ts). */
  get liveKey(): string {
    return `AuditAnomaly:${this.id}`;
  }
}
