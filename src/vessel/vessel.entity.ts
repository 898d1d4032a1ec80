import { Node } from '../graphql/node';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CountryCodeScalar, IMONumberScalar, MMSIScalar } from '../graphql/scalars';

/** The fields of the registry that carry a value's origin. */
export const REGISTRY_FIELDS = ['name', 'mmsi', 'flag', 'callSign', 'vesselType', 'formerNames'] as const;
export type RegistryField = (typeof REGISTRY_FIELDS)[number];

/** Where a registry value came from: the authority that recorded it, its source, and when. */
export interface ValueOrigin {
  agency: string;
  source: string;
  recordedAt: string;
}

/**
 * Reference data every authenticated principal reads; what hangs off it is filtered. Only
 * registry authorities write its values (src/vessel/registry.service.ts); a record that names a
 * vessel the registry does not know adds the IMO number alone.
 */
@Directive('@key(fields: "imo")')
@ObjectType('Vessel', { implements: Node })
@Entity('vessels')
export class Vessel {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Field(() => IMONumberScalar) @Column({ type: 'char', length: 7, unique: true }) imo: string;
  @Field(() => MMSIScalar, { nullable: true }) @Column({ type: 'char', length: 9, nullable: true }) mmsi: string | null;
  @Field(() => String, { nullable: true, description: 'The name a registry authority recorded; null until one has' })
  @Column({ type: 'text', nullable: true })
  name: string | null;
  @Field(() => CountryCodeScalar, { nullable: true }) @Column({ type: 'char', length: 2, nullable: true }) flag: string | null;
  @Field(() => String, { nullable: true }) @Column({ name: 'call_sign', type: 'text', nullable: true }) callSign: string | null;
  @Field(() => String, { nullable: true }) @Column({ name: 'vessel_type', type: 'text', nullable: true }) vesselType: string | null;
  @Field(() => [String]) @Column({ name: 'former_names', type: 'text', array: true, default: () => "'{}'" }) formerNames: string[];
  /** Origin of each value, by field (served as Vessel.provenance). */
  @Column({ type: 'jsonb', default: () => "'{}'" }) provenance: Partial<Record<RegistryField, ValueOrigin>>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
}

@ObjectType({ description: 'Where a value of the vessel registry came from' })
export class VesselValueOrigin {
  @Field({ description: 'The Vessel field: name, mmsi, flag, callSign, vesselType or formerNames' }) field: string;
  @Field({ description: 'Code of the registry authority (agencies.yaml registryAuthority) that recorded the value' })
  agencyCode: string;
  @Field({ description: 'The source the authority named for the import, e.g. a register extract' }) source: string;
  @Field({ description: 'When the value was recorded' }) recordedAt: Date;
}

/**
 * A vessel as the author of a record (watchlist entry, alert) gave it. It belongs to the record
 * and is read under the record's visibility; it never changes the registry.
 */
@ObjectType({ description: 'A vessel identity as the author of a record gave it' })
export class VesselIdentity {
  @Field(() => IMONumberScalar) imo: string;
  @Field(() => MMSIScalar, { nullable: true }) mmsi: string | null;
  @Field() name: string;
  @Field(() => CountryCodeScalar, { nullable: true }) flag: string | null;
  @Field(() => String, { nullable: true }) callSign: string | null;
  @Field(() => String, { nullable: true }) vesselType: string | null;
  @Field(() => [String]) formerNames: string[];
}
