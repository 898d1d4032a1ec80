import { Node } from '../graphql/node';
import { Field, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ReportStatusEnum, ThreatCategoryEnum, type ReportStatus, type ThreatCategory } from '../graphql/enums';
import { GeoPoint } from '../alert/vessel-alert.entity';
import { IMONumberScalar, MMSIScalar, UNLocodeScalar } from '../graphql/scalars';
import { ShareableEntity } from '../shareable/shareable.entity';

@ObjectType('SuspiciousActivityReport', { implements: Node })
@Entity('suspicious_activity_reports')
export class SuspiciousActivityReport extends ShareableEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Field() @Column({ type: 'text', unique: true }) reference: string;
  /** The submitting person (token subject): sensitive like the contact. */
  @Field(() => String, { nullable: true, description: 'The submitting person (token subject); sensitive' })
  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy: string;
  @Field(() => UNLocodeScalar) @Column({ type: 'char', length: 5 }) port: string;
  @Column({ name: 'vessel_id', type: 'uuid', nullable: true }) vesselId: string | null;
  @Field(() => IMONumberScalar, { nullable: true }) @Column({ type: 'char', length: 7, nullable: true }) imo: string | null;
  @Field(() => MMSIScalar, { nullable: true }) @Column({ type: 'char', length: 9, nullable: true }) mmsi: string | null;
  @Field(() => String, { nullable: true }) @Column({ name: 'vessel_name', type: 'text', nullable: true }) vesselName: string | null;
  @Field(() => ThreatCategoryEnum) @Column({ type: 'text' }) category: ThreatCategory;
  @Field() @Column({ name: 'observed_at', type: 'timestamptz', precision: 3 }) observedAt: Date;
  @Column({ name: 'location_lat', type: 'double precision', nullable: true }) locationLat: number | null;
  @Column({ name: 'location_lon', type: 'double precision', nullable: true }) locationLon: number | null;
  @Field() @Column({ type: 'text' }) description: string;
  /** sensitive */
  @Field(() => String, { nullable: true, description: 'How to reach the person who saw it; sensitive' })
  @Column({ name: 'reporter_contact', type: 'text', nullable: true })
  reporterContact: string | null;
  @Field(() => Int, { nullable: true }) @Column({ name: 'security_level', type: 'smallint', nullable: true }) securityLevel: number | null;
  @Field(() => String, { nullable: true }) @Column({ name: 'actions_taken', type: 'text', nullable: true }) actionsTaken: string | null;
  @Field(() => ReportStatusEnum)
  @Column({ type: 'enum', enumName: 'report_status', enum: ['SUBMITTED', 'UNDER_REVIEW', 'ESCALATED', 'CLOSED'] })
  status: ReportStatus;
  @Column({ name: 'escalated_alert_id', type: 'uuid', nullable: true }) escalatedAlertId: string | null;
  @Field() @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;

  @Field(() => GeoPoint, { nullable: true })
  get location(): GeoPoint | null {
    return GeoPoint.from(this.locationLat, this.locationLon);
  }
}
