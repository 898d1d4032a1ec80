import { Node } from '../graphql/node';
import { Field, Float, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import {
  AlertStatusEnum,
  RiskLevelEnum,
  ThreatCategoryEnum,
  type AlertStatus,
  type RiskLevel,
  type ThreatCategory,
} from '../graphql/enums';
import { UNLocodeScalar } from '../graphql/scalars';
import { ShareableEntity } from '../shareable/shareable.entity';
import { VesselIdentity } from '../vessel/vessel.entity';
import { AlertDetection, AlertOriginEnum, detectionFromStored, type AlertOrigin, type StoredDetection } from './alert-detection';

@ObjectType('GeoPoint')
export class GeoPoint {
  @Field(() => Float) lat: number;
  @Field(() => Float) lon: number;

  /** Both coordinates or neither are stored (a CHECK constraint keeps them paired). */
  static from(lat: number | null | undefined, lon: number | null | undefined): GeoPoint | null {
    return lat === null || lat === undefined || lon === null || lon === undefined ? null : { lat, lon };
  }
}

@ObjectType('VesselAlert', { implements: Node })
@Entity('vessel_alerts')
export class VesselAlert extends ShareableEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Position of the alert's latest event in the alert stream (bigint); served as a token (stream-position.ts). */
  @Column({ type: 'bigint' }) sequence: string;
  /** The registry's vessel with the given IMO number (Vessel.alerts). */
  @Column({ name: 'vessel_id', type: 'uuid' }) vesselId: string;
  @Field(() => VesselIdentity, { description: "The vessel as the alert's author gave it; the registry's record is `vessel`" })
  @Column({ name: 'vessel_as_given', type: 'jsonb' })
  vesselAsGiven: VesselIdentity;
  @Field(() => ThreatCategoryEnum) @Column({ type: 'text' }) category: ThreatCategory;
  @Field(() => RiskLevelEnum)
  @Column({ type: 'enum', enumName: 'risk_level', enum: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] })
  severity: RiskLevel;
  @Field() @Column({ type: 'text' }) title: string;
  @Field() @Column({ type: 'text' }) description: string;
  @Field(() => UNLocodeScalar, { nullable: true }) @Column({ type: 'char', length: 5, nullable: true }) port: string | null;
  @Column({ name: 'location_lat', type: 'double precision', nullable: true }) locationLat: number | null;
  @Column({ name: 'location_lon', type: 'double precision', nullable: true }) locationLon: number | null;
  @Field(() => AlertStatusEnum)
  @Column({ type: 'enum', enumName: 'alert_status', enum: ['ACTIVE', 'ACKNOWLEDGED', 'RESOLVED', 'WITHDRAWN'] })
  status: AlertStatus;
  @Field() @Column({ name: 'issued_at', type: 'timestamptz', precision: 3 }) issuedAt: Date;
  @Field(() => Date, { nullable: true })
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expiresAt: Date | null;
  /** sensitive */
  @Field(() => String, { nullable: true }) @Column({ name: 'intelligence_summary', type: 'text', nullable: true }) intelligenceSummary:
    string | null;
  @Column({ name: 'report_id', type: 'uuid', nullable: true }) reportId: string | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @Field(() => AlertOriginEnum) @Column({ type: 'text', default: 'MANUAL' }) origin: AlertOrigin;
  @Column({ name: 'detection', type: 'jsonb', nullable: true }) storedDetection: StoredDetection | null;
  /** 'WatchlistEntry' for an alert raised from an entry: the engine shows it only where the entry would be seen. */
  @Column({ name: 'derived_from', type: 'text', nullable: true }) derivedFrom: 'WatchlistEntry' | null;
  /** One automatic alert per vessel, rule and port visit (src/ais/): later evidence updates it. */
  @Column({ name: 'detection_key', type: 'text', nullable: true }) detectionKey: string | null;

  @Field(() => AlertDetection, { nullable: true, description: 'What raised an AUTOMATIC alert; null for a MANUAL one' })
  get detection(): AlertDetection | null {
    return detectionFromStored(this.storedDetection);
  }

  @Field(() => GeoPoint, { nullable: true })
  get location(): GeoPoint | null {
    return GeoPoint.from(this.locationLat, this.locationLon);
  }
}
